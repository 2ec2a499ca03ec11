"""The text server's models (``GET /models``), cached for ``ttl`` seconds and refreshable."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from lib.provider.adapters.text import TextAdapter

TTL_S = 300.0


class ModelList:
    """``get()`` the model ids (from the cache while fresh), ``get(refresh=True)`` to ask
    again. Never a hard-coded list: an unreachable server raises its shared error."""

    def __init__(self, adapter: TextAdapter, *, ttl: float = TTL_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.adapter, self.ttl, self.clock = adapter, ttl, clock
        self._ids: list[str] | None = None
        self._at = 0.0
        self._lock = threading.Lock()

    def get(self, *, refresh: bool = False) -> list[str]:
        with self._lock:
            fresh = self._ids is not None and self.clock() - self._at < self.ttl
            if refresh or not fresh:
                self._ids = self.adapter.models()
                self._at = self.clock()
            return list(self._ids or [])

    def default(self) -> str:
        """The model to use when none is chosen: the server's first."""
        ids = self.get()
        if not ids:
            raise LookupError("The text server offers no models.")
        return ids[0]
