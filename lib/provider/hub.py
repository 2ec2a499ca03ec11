"""`Providers`: the process's adapters, one per (provider, base URL, dialect), built on demand.

* `current(provider)` - the adapter of the connection configured now (``music`` by default);
* `for_op(op)` - the adapter that sends an operation (its ``provider``'s current one);
* `for_task(row)` - the adapter that polls a task: the provider, base URL and dialect stored
  on its row (a task created before a settings change still finishes where it was made), with
  the key rule of `lib.provider.adapters.connection.with_key_rule`;
* `offers(family)` / `not_offered(family)` - whether the configured provider offers an API
  family (``music``, ``media``, ``text``; the rule is `connection.OFFERED_BY_DIALECT`: the
  AnyInt gateway all three, a sunoapi-dialect provider music only unless media or text have
  settings of their own, the simulator all), and `refusal(op)`: why an operation may not be
  sent now (its family, or a switch it needs). The adapters refuse to send the same; the pages
  only show it.

Adapters are cached, so each connection keeps one HTTP client; every adapter of a provider
shares that provider's create limit (music's is the runtime's shared one, through the task log,
which the experiment queue uses too).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from lib import ops
from lib.contract.operation import MUSIC
from lib.provider import adapters
from lib.provider.adapters.base import HttpAdapter
from lib.provider.adapters.connection import API_FAMILIES, with_key_rule
from lib.provider.errors import NotConfigured
from lib.provider.ratelimit import Limiter
from lib.settings import Settings


class Providers:
    """Every provider's adapters for one process (thread-safe)."""

    def __init__(self, settings: Settings, *, limiters: Mapping[str, Limiter] | None = None,
                 current: Mapping[str, HttpAdapter] | None = None,
                 options: Mapping[str, Mapping[str, Any]] | None = None,
                 **shared: Any) -> None:
        """``shared``: adapter options for every provider (``on_event``, ``wait``, ``sleep``,
        ``attempts``, ``transport``...); ``options``: per provider, over those (the text
        adapter's transport is an httpx2 one); ``limiters``: a provider's create limit;
        ``current``: adapters already built."""
        self.settings = settings
        self._shared = dict(shared)
        self._options = {name: dict(o) for name, o in (options or {}).items()}
        self._limiters = dict(limiters or {})
        self._current: dict[str, HttpAdapter] = dict(current or {})
        self._by_connection: dict[tuple, HttpAdapter] = {}
        self._lock = threading.Lock()

    @classmethod
    def around(cls, adapter: HttpAdapter) -> Providers:
        """A set whose ``adapter.name`` provider is ``adapter`` (one client handed over, as
        tests do); the others are built with the same options."""
        text = {} if adapter.name == "text" else {"text": {"transport": None}}  # httpx2's own
        return cls(adapter.settings, current={adapter.name: adapter}, options=text,
                   **adapter._options)

    @classmethod
    def of(cls, client: Providers | HttpAdapter) -> Providers:
        """``client`` as a `Providers` (`around` a single adapter)."""
        return client if isinstance(client, Providers) else cls.around(client)

    def current(self, provider: str = MUSIC) -> HttpAdapter:
        """The adapter of ``provider``'s configured connection."""
        with self._lock:
            adapter = self._current.get(provider)
            if adapter is None:
                kind = adapters.get(provider)
                options = {**self._shared, **self._options.get(provider, {})}
                if provider in self._limiters:
                    options["limiter"] = self._limiters[provider]
                adapter = self._current[provider] = kind(self.settings, **options)
            return adapter

    def not_offered(self, family: str) -> str | None:
        """Why the configured provider does not offer API family ``family`` (``music``,
        ``media``, ``text``), in a plain sentence; None when it does."""
        if family not in API_FAMILIES:
            raise ValueError(f"unknown API family {family!r}; one of {API_FAMILIES}")
        reasons = (self.current(name).connection.not_offered
                   for name, kind in adapters.ADAPTERS.items() if kind.api_family == family)
        return next((reason for reason in reasons if reason), None)

    def offers(self, family: str) -> bool:
        """Whether the configured provider offers API family ``family``."""
        return self.not_offered(family) is None

    def refusal(self, op: str) -> NotConfigured | None:
        """Why ``op`` may not be sent now (its API family is not offered, or it is an
        operation not switched on); None when it may."""
        return self.for_op(op).refusal(op)

    def for_op(self, op: str) -> HttpAdapter:
        """The adapter that sends ``op``."""
        return self.current(ops.get(op).provider)

    def for_task(self, task: Mapping[str, Any]) -> HttpAdapter:
        """The adapter that polls ``task`` (its row's provider, base URL and dialect; the
        configured ones where the row has none)."""
        current = self.current(task.get("provider") or MUSIC)
        now = current.connection
        connection = with_key_rule(now, task.get("base_url") or now.base_url,
                                   task.get("dialect") or now.dialect)
        if connection == now:
            return current
        key = (connection.provider, connection.base_url, connection.dialect,
               connection.withheld)
        with self._lock:
            adapter = self._by_connection.get(key)
            if adapter is None:
                adapter = self._by_connection[key] = current.at(connection)
            return adapter

    def close(self) -> None:
        with self._lock:
            built = [*self._current.values(), *self._by_connection.values()]
            self._current.clear()
            self._by_connection.clear()
        for adapter in built:
            adapter.close()
