"""Callback delivery to `callBackUrl` (contract section 6).

`CallbackSender.send(task_id, url, label, payload)` queues one delivery and returns at once.
Deliveries of one task go out in the order they were queued (one drainer per task on a small
thread pool), so they never block request handling. Each delivery: optional `late_callbacks`
delay, POST JSON with a 15 s timeout, up to 3 retries on an exception or a non-2xx answer with a
short back-off scaled by `speed`, and a second copy when `duplicate_callbacks` is on. Every
attempt is recorded in `history(task_id)` (shown by `GET /_sim/tasks/{taskId}`).

With a data dir (`simulator.persistence`) each task's history and its `pending` labels (queued
or being delivered) are saved (`dirty` names the tasks changed since the last save); after a
restart the pending ones are sent again: delivery is at-least-once.
"""

from __future__ import annotations

import collections
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from simulator.clock import SimClock
from simulator.config import SimConfig
from simulator.faults import FaultState

BACKOFF_REAL_S = 5.0  # real-service seconds before retry n is n * this / speed


class CallbackSender:
    """Ordered, retrying, non-blocking callback delivery."""

    def __init__(self, config: SimConfig, faults: FaultState, clock: SimClock) -> None:
        self._config = config
        self._faults = faults
        self._clock = clock
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="sim-callback")
        self._client = httpx.Client(timeout=config.callback_timeout)
        self._queues: dict[str, collections.deque] = {}
        self._draining: set[str] = set()
        self._history: dict[str, list[dict[str, Any]]] = {}
        self._pending: dict[str, list[str]] = {}  # task id -> labels queued or being delivered
        self.dirty: set[str] = set()  # task ids whose history or pending labels changed
        self._lock = threading.Lock()
        self._closed = False

    def send(self, task_id: str, url: str | None, label: str, payload: dict[str, Any]) -> None:
        """Queue one callback (no-op without a URL)."""
        if not url or self._closed:
            return
        with self._lock:
            self._queues.setdefault(task_id, collections.deque()).append((url, label, payload))
            self._pending.setdefault(task_id, []).append(label)
            self.dirty.add(task_id)
            if task_id in self._draining:
                return
            self._draining.add(task_id)
        self._pool.submit(self._drain, task_id)

    def history(self, task_id: str) -> list[dict[str, Any]]:
        """Every delivery attempt for a task so far."""
        with self._lock:
            return list(self._history.get(task_id, []))

    def saved_form(self, task_id: str) -> dict[str, Any]:
        """A task's history and pending labels, as saved in the data dir."""
        with self._lock:
            return {"history": list(self._history.get(task_id, [])),
                    "pending": list(self._pending.get(task_id, []))}

    def restore(self, task_id: str, saved: dict[str, Any]) -> list[str]:
        """Put back a saved history; returns the labels that were still pending (to send again)."""
        with self._lock:
            self._history[task_id] = list(saved.get("history", []))
        return list(saved.get("pending", []))

    def close(self) -> None:
        """Stop accepting work and release the HTTP client (pending deliveries are dropped)."""
        self._closed = True
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._client.close()

    def _drain(self, task_id: str) -> None:
        while not self._closed:
            with self._lock:
                queue = self._queues.get(task_id)
                if not queue:
                    self._draining.discard(task_id)
                    return
                url, label, payload = queue.popleft()
            faults = self._faults.get()
            if faults.late_callbacks > 0:
                time.sleep(faults.late_callbacks)
            copies = 2 if faults.duplicate_callbacks else 1
            for copy in range(copies):
                self._deliver(task_id, url, label, payload, copy)
            if self._closed:
                return  # stays pending: sent again after a restart
            with self._lock:
                pending = self._pending.get(task_id, [])
                if label in pending:
                    pending.remove(label)
                self.dirty.add(task_id)

    def _deliver(self, task_id: str, url: str, label: str, payload: dict[str, Any], copy: int) -> bool:
        for attempt in range(self._config.callback_retries + 1):
            if self._closed:
                return False
            if attempt:
                time.sleep(attempt * self._config.stage_delay(BACKOFF_REAL_S))
            record = {"label": label, "url": url, "attempt": attempt + 1, "copy": copy + 1,
                      "at": self._clock.now()}
            try:
                status = self._client.post(url, json=payload).status_code
                record.update(status=status, ok=200 <= status < 300)
            except (httpx.HTTPError, RuntimeError) as exc:
                record.update(status=None, ok=False, error=type(exc).__name__)
            with self._lock:
                self._history.setdefault(task_id, []).append(record)
                self.dirty.add(task_id)
            if record["ok"]:
                return True
        return False
