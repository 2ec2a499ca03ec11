"""The operations: one module per operation, found by scanning this package.

Each module defines ``OPERATION`` (a `lib.contract.operation.Operation`): its request spec
(fields, limits per model, required-if rules and checks), its routes per dialect, its screen
(page, labels, source pickers, advanced fields, visibility, prefill, source checks) and how its
result reads. Pages, the board, the library and the tracker iterate over `OPERATIONS`; adding an
operation is adding a module here (and one in ``simulator/ops/``).

    >>> from lib import ops
    >>> ops.get("generate").family
    'music'
    >>> [o.name for o in ops.on_page("generate")][:2]
    ['generate', 'sounds']
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping
from typing import Any

from lib.contract import validation
from lib.contract.operation import FieldError, Operation

OPERATIONS: dict[str, Operation] = {}
for _info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    if _info.name.startswith("_"):
        continue
    _op = getattr(importlib.import_module(f"{__name__}.{_info.name}"), "OPERATION", None)
    if isinstance(_op, Operation):
        OPERATIONS[_op.name] = _op

__all__ = ["OPERATIONS", "Operation", "FieldError", "get", "on_page", "path_for", "validate",
           "build_body", "limits_for", "of_family", "from_track", "label", "pages", "of_provider"]


def get(name: str) -> Operation:
    """The operation called ``name`` (KeyError naming the known ones)."""
    try:
        return OPERATIONS[name]
    except KeyError:
        raise KeyError(f"unknown operation {name!r}; known: {', '.join(OPERATIONS)}") from None


def pages() -> tuple[str, ...]:
    """The pages the operations are drawn on (each a ``pages/<page>.py``), in name order: the
    operations name them, nothing else keeps the list."""
    return tuple(sorted({o.ui.page for o in OPERATIONS.values()}))


def of_provider(provider: str) -> dict[str, Operation]:
    """The operations ``provider``'s adapter sends."""
    return {name: o for name, o in OPERATIONS.items() if o.provider == provider}


def on_page(page: str) -> list[Operation]:
    """The operations of a page, in their order."""
    return sorted((o for o in OPERATIONS.values() if o.ui.page == page),
                  key=lambda o: (o.ui.order, o.name))


def of_family(family: str) -> tuple[str, ...]:
    """Names of the operations whose tasks belong to ``family``."""
    return tuple(name for name, o in OPERATIONS.items() if o.family == family)


def from_track() -> list[Operation]:
    """Operations offered as one-click links from a finished track, by page (`pages`) and
    order."""
    return sorted((o for o in OPERATIONS.values() if o.ui.from_track),
                  key=lambda o: (o.ui.page, o.ui.order, o.name))


def label(name: str) -> str:
    """The operation's title in words (the name itself when unknown)."""
    op = OPERATIONS.get(name)
    return op.title if op else name


def path_for(name: str, dialect: str) -> str:
    """The create route of ``name`` in ``dialect`` (ValueError when the dialect has none)."""
    return get(name).path(dialect)


def validate(name: str, body: Any) -> list[FieldError]:
    """All problems of ``body`` for operation ``name`` (empty list: valid)."""
    return validation.validate(get(name), body)


def build_body(name: str, values: Mapping[str, Any], callback_url: str | None) -> dict[str, Any]:
    """The JSON body of ``name`` from form ``values`` (see `lib.contract.validation`)."""
    return validation.build_body(get(name), values, callback_url)


def limits_for(name: str, model: Any, values: Mapping[str, Any] | None = None) -> dict[str, int]:
    """Character limits for live counters (see `lib.contract.validation.limits_for`)."""
    return validation.limits_for(get(name), model, values)
