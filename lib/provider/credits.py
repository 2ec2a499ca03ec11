"""The credit balance, read without ever blocking a page for long.

`CreditCache.get(settings)` returns a `Credits` reading per provider: fresh for `CREDIT_TTL_S`
(a failed read for `CREDIT_ERROR_TTL_S`). When it is stale, one refresh runs in a background
thread with ONE attempt and a short timeout; the caller waits at most ``wait`` seconds for it
and otherwise gets the last known balance with its age (``refreshing=True``), so a slow or dead
provider never empties the sidebar. A new ``stamp`` (e.g. task counts: something was submitted
or finished) makes the reading stale at once, so the balance follows spending.

Each provider's adapter says where its balance comes from (`balance_source`; music: the credit
route). A provider with none (DashScope, Kling, OpenAI-compatible text) reads as `NO_ROUTE`, so a
display says "no balance route" instead of "unavailable".

The process shares one cache (`CREDITS`): the sidebar and the request panels read the same
balance, and a reading never costs the log an event. Each read also tells the provider's
reachability (`lib.provider.reachability`) whether the provider answered, so a notice "provider
not answering" clears once the provider is back even when no task is being polled.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, replace
from typing import Any

import httpx

from lib.contract.operation import MUSIC
from lib.provider import adapters
from lib.provider.adapters.base import HttpAdapter
from lib.provider.reachability import REACHABILITY, Reachability, unreachable

CREDIT_TTL_S = 15.0
CREDIT_ERROR_TTL_S = 10.0
CREDIT_TIMEOUT_S = 1.5


@dataclass(frozen=True)
class Credits:
    """A balance: ``value`` from the last successful read (None if none yet) and when it was
    read (``read_at``); ``error`` when the latest attempt failed; ``refreshing`` while a newer
    read is under way."""

    value: int | None
    error: str | None
    fetched_at: float
    read_at: float | None = None
    refreshing: bool = False
    #: False: the provider has no balance route (nothing is read, nothing failed)
    has_route: bool = True

    def age(self, now: float) -> float | None:
        """Seconds since the value was read (None without a value)."""
        return None if self.read_at is None else max(0.0, now - self.read_at)


def short_error(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "..."


class CreditCache:
    """Per-provider cached balance; at most one read in flight per provider."""

    def __init__(self, ttl: float = CREDIT_TTL_S, error_ttl: float = CREDIT_ERROR_TTL_S,
                 timeout: float = CREDIT_TIMEOUT_S, wait: float | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 reachability: Reachability | None = None) -> None:
        self.ttl, self.error_ttl, self.timeout, self.clock = ttl, error_ttl, timeout, clock
        self.reachability = reachability
        self.wait = timeout + 0.5 if wait is None else wait
        self._lock = threading.Lock()
        self._values: dict[tuple, Credits] = {}
        self._stamps: dict[tuple, Hashable] = {}
        self._running: dict[tuple, threading.Event] = {}
        self._clients: dict[tuple, HttpAdapter] = {}

    def _client(self, settings: Any, provider: str = MUSIC) -> HttpAdapter:
        kind = adapters.get(provider)
        connection = kind.connect(settings)
        key = (provider, connection.base_url, connection.dialect)
        if key not in self._clients:
            t = httpx.Timeout(self.timeout, connect=min(1.0, self.timeout))
            # no on_event: a sidebar refresh must not flood the task log with credit reads
            self._clients[key] = kind(settings, attempts=1, poll_timeout=t)
        return self._clients[key]

    def _fresh(self, key: tuple, stamp: Hashable | None, now: float) -> bool:
        cached = self._values.get(key)
        if cached is None:
            return False
        ttl = self.ttl if cached.error is None else self.error_ttl
        stale_stamp = stamp is not None and self._stamps.get(key, stamp) != stamp
        return now - cached.fetched_at < ttl and not stale_stamp

    def _read(self, key: tuple, settings: Any, done: threading.Event) -> None:
        client = None
        try:
            client = self._client(settings, key[0])
            value = client.balance()
            now = self.clock()
            reading = Credits(value, None, now, now)
            self._tell(client.connection.base_url, None)
        except Exception as exc:
            self._tell(client.connection.base_url if client else settings.base_url, exc)
            last = self._values.get(key)
            reading = Credits(last.value if last else None, short_error(exc), self.clock(),
                              last.read_at if last else None)
        with self._lock:
            self._values[key] = reading
            self._running.pop(key, None)
        done.set()

    def _tell(self, base_url: str, exc: BaseException | None) -> None:
        """A read is an answer from the provider (a refusal too) unless nothing came back."""
        if self.reachability is None:
            return
        if exc is not None and unreachable(exc):
            self.reachability.failed(base_url, exc, time.time(), None)
        else:
            self.reachability.answered(base_url, time.time())

    def get(self, settings: Any, stamp: Hashable | None = None,
            provider: str = MUSIC) -> Credits | None:
        """The reading for ``provider`` under ``settings``: cached when fresh; else a refresh
        is started and awaited up to ``wait`` s, then the last known one (None before any) is
        returned. A caller that finds a refresh already running returns at once. A provider
        without a balance route gives `NO_ROUTE` at once."""
        kind = adapters.get(provider)
        if kind.balance_source is None:
            return NO_ROUTE
        connection = kind.connect(settings)
        key = (provider, connection.base_url, connection.dialect)
        with self._lock:
            fresh = self._fresh(key, stamp, self.clock())
            if stamp is not None:
                self._stamps[key] = stamp
            if fresh:
                return self._values[key]
            done = self._running.get(key)
            started = done is None
            if done is None:
                done = self._running[key] = threading.Event()
                threading.Thread(target=self._read, args=(key, settings, done),
                                 name="songbench-credits", daemon=True).start()
        if started:  # a read someone else started is never waited for
            done.wait(self.wait)
        with self._lock:
            reading = self._values.get(key)
            running = key in self._running
        if reading is not None and running:
            return replace(reading, refreshing=True)
        return reading

    def invalidate(self) -> None:
        with self._lock:
            self._values.clear()


#: The reading of a provider that has no balance route.
NO_ROUTE = Credits(None, None, 0.0, has_route=False)

#: The process's shared cache (it feeds the process's reachability).
CREDITS = CreditCache(reachability=REACHABILITY)
