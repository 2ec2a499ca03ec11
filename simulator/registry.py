"""Registries built by scanning a package: every public module of the package defines one
object under a fixed attribute name (`OP` in `simulator.ops`, `FAMILY` in `simulator.families`),
keyed by its `name`, which must equal the module's name. Nothing is listed by hand: adding a
module adds an entry. Modules whose name starts with `_` hold shared helpers and are skipped.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any


def discover(package: str, path: list[str], attr: str) -> dict[str, Any]:
    """`{name: module.<attr>}` for every public module of `package` (in module-name order)."""
    found: dict[str, Any] = {}
    for info in pkgutil.iter_modules(path):
        if info.name.startswith("_"):
            continue
        entry = getattr(importlib.import_module(f"{package}.{info.name}"), attr)
        if entry.name != info.name:
            raise RuntimeError(f"{package}.{info.name}.{attr} is named {entry.name!r}; it must match its module")
        found[entry.name] = entry
    return found
