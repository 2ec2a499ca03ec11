"""The simulator clock: wall time plus an offset that `POST /_sim/clock` can advance, for every
task or for one task only (its files age alone, e.g. the launch checklist's storage check)."""

from __future__ import annotations

import threading
import time


class SimClock:
    """Thread-safe `now()` in epoch seconds; `advance()` moves it forward for every user, or
    for one task's files (``task_id``) without touching anyone else's."""

    def __init__(self) -> None:
        self._offset = 0.0
        self._tasks: dict[str, float] = {}
        self._lock = threading.Lock()

    def now(self, task_id: str | None = None) -> float:
        """Current simulator time (epoch seconds); with ``task_id``, that task's own time (the
        shared time plus what `advance` added for it alone)."""
        with self._lock:
            return time.time() + self._offset + (self._tasks.get(task_id, 0.0) if task_id else 0.0)

    @property
    def offset(self) -> float:
        """Seconds the clock has been advanced in total (persisted with a data dir)."""
        with self._lock:
            return self._offset

    @property
    def task_offsets(self) -> dict[str, float]:
        """``{task_id: seconds}`` the tasks aged alone (persisted with a data dir)."""
        with self._lock:
            return dict(self._tasks)

    def set_offset(self, seconds: float) -> None:
        """Restore a saved offset."""
        with self._lock:
            self._offset = float(seconds)

    def set_task_offsets(self, offsets: dict[str, float]) -> None:
        """Restore saved per-task offsets."""
        with self._lock:
            self._tasks = {str(k): float(v) for k, v in offsets.items()}

    def advance(self, seconds: float, task_id: str | None = None) -> float:
        """Move the clock forward by `seconds` (>= 0), for everyone or for ``task_id`` only;
        returns the new time (of that task when given)."""
        if seconds < 0:
            raise ValueError("advance_seconds must be >= 0")
        with self._lock:
            if task_id:
                self._tasks[task_id] = self._tasks.get(task_id, 0.0) + seconds
            else:
                self._offset += seconds
        return self.now(task_id)
