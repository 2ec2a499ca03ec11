"""The task families: one module per family, found by scanning this package.

Each module defines ``FAMILY``, an instance of a `lib.contract.family.Family` subclass: its poll
route per dialect, the raw statuses and how they map onto our lifecycle, the record parser, the
callback shape and the words and asset labels shown for it. Nothing else in Songbench keeps a
per-family list.

    >>> from lib import families
    >>> families.get("music").poll["sunoapi"]
    '/api/v1/generate/record-info'
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

from lib.contract.family import Family, PollResult
from lib.contract.states import State

FAMILIES: dict[str, Family] = {}
for _info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    _family = getattr(importlib.import_module(f"{__name__}.{_info.name}"), "FAMILY", None)
    if isinstance(_family, Family):
        FAMILIES[_family.name] = _family

__all__ = ["FAMILIES", "Family", "get", "poll_path", "parse_poll", "map_status", "stage_of",
           "asset_label", "by_callback_priority", "of_provider", "names"]


def names() -> tuple[str, ...]:
    """Every family name (the values ``tasks.family`` may hold)."""
    return tuple(FAMILIES)


def of_provider(provider: str) -> dict[str, Family]:
    """The families whose tasks ``provider``'s adapter polls."""
    return {name: fam for name, fam in FAMILIES.items() if fam.provider == provider}


def get(name: str) -> Family:
    """The family called ``name`` (ValueError naming the known ones)."""
    try:
        return FAMILIES[name]
    except KeyError:
        raise ValueError(f"unknown task family {name!r}; known: {', '.join(FAMILIES)}") from None


def poll_path(family: str, dialect: str) -> str:
    """The record-info route of ``family`` in ``dialect`` (KeyError when there is none)."""
    fam = FAMILIES.get(family)
    if fam is None or dialect not in fam.poll:
        raise KeyError(f"family {family!r} has no poll route in dialect {dialect!r}")
    path = fam.poll[dialect]
    if path is None:
        raise KeyError(f"family {family!r} has no poll route in dialect {dialect!r}")
    return path


def parse_poll(family: str, data: Any) -> PollResult:
    """Parse a poll's record, or a synchronous operation's answer (its own family's parser)."""
    return get(family).parse(data)


def map_status(family: str, raw: Any) -> State:
    return get(family).map_status(raw)


def stage_of(family: str, raw: Any) -> str:
    return get(family).stage_of(raw)


def asset_label(kind: str) -> str:
    """The label of an asset kind (``mp3`` -> ``MP3``, ``stem:drums`` -> ``drums``)."""
    for fam in FAMILIES.values():
        label = fam.asset_label(kind)
        if label is not None:
            return label
    return kind.upper()


def by_callback_priority() -> list[Family]:
    return sorted(FAMILIES.values(), key=lambda f: f.callback_priority)
