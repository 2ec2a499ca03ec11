"""The callback route's inbox: deliveries wait here and one worker thread records them in
batches (`Tracker.take_callbacks`: one write per batch, identical deliveries once; the tracker
wakes its loop when one made a task due at once). The worker lets a burst gather for
`GATHER_S` before it writes: fewer, larger writes take less from the server's other requests.

`CallbackInbox.put` is cheap enough for the server's event loop (no thread hop, no database):

* a delivery that is only a hint for a task whose provider id we know (`Tracker.is_hint`) is
  answered at once (``{"accepted": True, "queued": True}``); if the process dies before the
  worker records it, only a hint is lost (the task's polls go on);
* any other (it may link a task that never learnt its provider id, or names no task of ours)
  returns a `concurrent.futures.Future` of the tracker's answer, resolved once its batch is
  written: the route answers after that, so a link is durable before the provider hears 200.

A batch whose write fails is written once more after `RETRY_AFTER_S` (a briefly locked
database must not lose the hints answered at once); a second failure reaches the deliveries
still waiting (the route answers 503). More than `MAX_PENDING` deliveries waiting raises
`InboxFull` (the route answers 503 and the provider delivers again later).
"""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import Future, InvalidStateError
from typing import Any

from lib.tracking.hints import Incoming
from lib.tracking.tracker import Tracker

logger = logging.getLogger(__name__)

MAX_PENDING = 10_000
#: The worker lets a burst gather this long (or up to `GATHER_MAX` deliveries) before it
#: writes: fewer, larger writes cost the server's other requests less.
GATHER_S = 0.02
GATHER_MAX = 200
#: A failed batch is written once more after this pause (a long-held database lock).
RETRY_AFTER_S = 0.5
_pause = time.sleep
QUEUED = {"accepted": True, "queued": True}


class InboxFull(RuntimeError):
    """Too many deliveries waiting for the worker."""


class CallbackInbox:
    """Deliveries for one tracker, recorded by one worker thread (started on the first put)."""

    def __init__(self, tracker: Tracker) -> None:
        self.tracker = tracker
        self._items: list[tuple[Incoming, Future | None]] = []
        self._cond = threading.Condition()
        self._busy = False
        self._stopped = False
        self._thread: threading.Thread | None = None

    def put(self, payload: Any, headers: dict | None, local_id: str | None) -> dict | Future:
        """Queue one delivery: the answer at once, or a future of it (see the module)."""
        durable = not self.tracker.is_hint(payload, local_id)
        future: Future | None = Future() if durable else None
        with self._cond:
            if len(self._items) >= MAX_PENDING:
                raise InboxFull(f"{len(self._items)} callbacks are waiting to be recorded")
            self._items.append((Incoming(payload, headers, local_id), future))
            self._ensure_worker()
            self._cond.notify()
        return future if future is not None else QUEUED

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Block until every queued delivery is recorded (tests, shutdown)."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._items and not self._busy, timeout)

    def stop(self) -> None:
        """Record what is queued, then stop the worker."""
        with self._cond:
            self._stopped = True
            self._cond.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join(timeout=5)

    def _ensure_worker(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._stopped = False
            self._thread = threading.Thread(target=self._run, name="songbench-callbacks",
                                            daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._items or self._stopped)
                if not self._items:
                    return
                self._cond.wait_for(
                    lambda: self._stopped or len(self._items) >= GATHER_MAX, GATHER_S)
                batch, self._items, self._busy = self._items, [], True
            try:
                self._record(batch)
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()

    def _record(self, batch: list[tuple[Incoming, Future | None]]) -> None:
        incoming = [item for item, _ in batch]
        try:
            try:
                answers = self.tracker.take_callbacks(incoming)
            except Exception:  # once more: the hints answered at once have no other chance
                logger.warning("recording %d callbacks failed; retrying", len(batch))
                _pause(RETRY_AFTER_S)
                answers = self.tracker.take_callbacks(incoming)
        except Exception as exc:
            logger.exception("recording %d callbacks failed", len(batch))
            for _, future in batch:
                _settle(future, exc)
            return
        for (_, future), answer in zip(batch, answers, strict=True):
            _settle(future, answer)


def _settle(future: Future | None, outcome: Any) -> None:
    if future is None:
        return
    try:
        if isinstance(outcome, BaseException):
            future.set_exception(outcome)
        else:
            future.set_result(outcome)
    except InvalidStateError:
        pass  # the route gave up waiting (it answered 503)
