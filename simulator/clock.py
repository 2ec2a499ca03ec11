"""The simulator clock: wall time plus an offset that `POST /_sim/clock` can advance."""

from __future__ import annotations

import threading
import time


class SimClock:
    """Thread-safe `now()` in epoch seconds; `advance()` moves it forward for every user."""

    def __init__(self) -> None:
        self._offset = 0.0
        self._lock = threading.Lock()

    def now(self) -> float:
        """Current simulator time (epoch seconds)."""
        with self._lock:
            return time.time() + self._offset

    @property
    def offset(self) -> float:
        """Seconds the clock has been advanced in total (persisted with a data dir)."""
        with self._lock:
            return self._offset

    def set_offset(self, seconds: float) -> None:
        """Restore a saved offset."""
        with self._lock:
            self._offset = float(seconds)

    def advance(self, seconds: float) -> float:
        """Move the clock forward by `seconds` (>= 0); returns the new time."""
        if seconds < 0:
            raise ValueError("advance_seconds must be >= 0")
        with self._lock:
            self._offset += seconds
        return self.now()
