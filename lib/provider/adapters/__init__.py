"""The provider adapters: one module per API family, found by scanning this package.

Each module defines ``ADAPTER``, a subclass of `base.HttpAdapter` named after its provider
(``music``, ``dashscope``, ``kling``, ``text``): its settings, auth, envelope and errors, where
the task id goes, its poll route, its rate limit and its balance. Operations and families name
their provider (`lib.contract.operation.Operation.provider`, `lib.contract.family.Family
.provider`); `problems()` says where the three registries disagree, and importing this package
fails on any (a typo fails at import, not at the first submit).

A new provider is one module here plus its operation and family modules (`lib/ops/`,
`lib/families/`); nothing else keeps a list of providers.

    >>> from lib.provider import adapters
    >>> sorted(adapters.ADAPTERS)
    ['dashscope', 'kling', 'music', 'text']
"""

from __future__ import annotations

import importlib
import pkgutil

from lib import families, ops
from lib.provider.adapters.base import HttpAdapter, SubmitResult
from lib.provider.adapters.connection import Connection

ADAPTERS: dict[str, type[HttpAdapter]] = {}
for _info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    if _info.name.startswith("_") or _info.name in ("base", "connection"):
        continue
    _adapter = getattr(importlib.import_module(f"{__name__}.{_info.name}"), "ADAPTER", None)
    if isinstance(_adapter, type) and issubclass(_adapter, HttpAdapter):
        ADAPTERS[_adapter.name] = _adapter

__all__ = ["ADAPTERS", "HttpAdapter", "SubmitResult", "Connection", "get", "problems"]


def get(name: str) -> type[HttpAdapter]:
    """The adapter class of provider ``name`` (ValueError naming the known ones)."""
    try:
        return ADAPTERS[name]
    except KeyError:
        raise ValueError(f"unknown provider {name!r}; known: {', '.join(ADAPTERS)}") from None


def problems() -> list[str]:
    """Where the operations, the families and the adapters disagree (empty: they agree): an
    unknown provider or family, routes in dialects the provider does not have, an operation
    and its family of two providers, a family without a poll route of its provider."""
    found = []
    for name, op in ops.OPERATIONS.items():
        adapter = ADAPTERS.get(op.provider)
        fam = families.FAMILIES.get(op.family)
        if adapter is None:
            found.append(f"operation {name}: no adapter for provider {op.provider!r}")
            continue
        if extra := set(op.paths) - set(adapter.dialects):
            found.append(f"operation {name}: routes in {sorted(extra)}, not dialects of "
                         f"{op.provider} {adapter.dialects}")
        if fam is None:
            found.append(f"operation {name}: unknown family {op.family!r}")
        elif fam.provider != op.provider:
            found.append(f"operation {name} ({op.provider}) is of family {fam.name} "
                         f"({fam.provider})")
    for name, fam in families.FAMILIES.items():
        adapter = ADAPTERS.get(fam.provider)
        if adapter is None:
            found.append(f"family {name}: no adapter for provider {fam.provider!r}")
        elif extra := set(fam.poll) - set(adapter.dialects):
            found.append(f"family {name}: poll routes in {sorted(extra)}, not dialects of "
                         f"{fam.provider}")
    return found


if _problems := problems():
    raise ValueError("the registries disagree:\n" + "\n".join(_problems))
