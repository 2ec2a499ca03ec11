"""Dicts that remember which keys changed, for the engine's named state (`Engine.table`).

A `Table` is a plain dict to its users; every assignment or deletion of a key adds the key to
`dirty`, which `persistence` drains when it saves. Change an entry by assigning it again
(`table[key] = {...}`): a change *inside* a stored value is not seen.
"""

from __future__ import annotations

from typing import Any


def drain(keys: set) -> set:
    """Take the current members of a dirty set (members added meanwhile stay)."""
    taken = set(keys)
    keys.difference_update(taken)
    return taken


class Table(dict):
    """A dict whose changed keys are collected in `dirty`."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.dirty: set = set()

    def __setitem__(self, key: Any, value: Any) -> None:
        super().__setitem__(key, value)
        self.dirty.add(key)

    def __delitem__(self, key: Any) -> None:
        super().__delitem__(key)
        self.dirty.add(key)

    def pop(self, key: Any, *default: Any) -> Any:
        self.dirty.add(key)
        return super().pop(key, *default)

    def popitem(self) -> tuple[Any, Any]:
        key, value = super().popitem()
        self.dirty.add(key)
        return key, value

    def setdefault(self, key: Any, default: Any = None) -> Any:
        if key not in self:
            self[key] = default
        return self[key]

    def update(self, *args: Any, **kwargs: Any) -> None:
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def __ior__(self, other: Any) -> Table:
        self.update(other)
        return self

    def clear(self) -> None:
        self.dirty.update(self)
        super().clear()

    def load(self, key: Any, value: Any) -> None:
        """Put a restored entry (not marked dirty)."""
        super().__setitem__(key, value)
