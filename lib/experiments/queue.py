"""The experiment queue's sender: queued cells go out as fast as the provider's limit allows.

Each sender thread loops: claim the oldest queued cell of a running experiment (one write, its
task id chosen then), take a slot of the shared create limit (`SharedRateLimiter`: every tab,
process and command-line run on the same log counts against the same 20 per 10 s), and send it
through the tracker, which writes the task row (marking the cell sent in the same write) before
the request goes out. From then on the task's own rules apply: never resent, an uncertain answer
is ``unknown``, a callback links it. A cell whose experiment was paused or cancelled while it
waited for its slot goes back to the queue unsent.

An image, video or text cell (another provider's operation) takes a slot of *its* provider's
create limit instead: its adapter's own limiter (`Providers.for_op(op).limiter`, the one
`Tracker.submit` would take), never one of the music provider's shared slots.

Several senders run at once so that a slow provider answer does not hold the others back: the
limit, not the round trip, sets the pace. After a crash, `TaskLog.recover_cells` tells a cell
that was sent (its task row exists) from one that was not (queued again).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from lib import ops
from lib.contract.operation import MUSIC
from lib.log import CellRef, ClaimedCell, ExperimentStatus, TaskLog
from lib.provider.ratelimit import Limiter
from lib.tracking.tracker import Tracker

log = logging.getLogger("songbench.queue")

SENDERS = 4
IDLE_S = 0.5
RECOVER_EVERY_S = 30.0


class QueueRunner:
    """Sends queued experiment cells. ``callback_url()`` is the URL put in each body (the
    tracker names the task in it); ``limiter`` is the music provider's (shared) create limit,
    the other providers' cells take their own adapter's (`limiter_for`)."""

    def __init__(self, task_log: TaskLog, tracker: Tracker, limiter: Limiter,
                 callback_url: Callable[[], str | None], *, senders: int = SENDERS,
                 clock: Callable[[], float] = time.time, idle: float = IDLE_S) -> None:
        self.log = task_log
        self.tracker = tracker
        self.limiter = limiter
        self.callback_url = callback_url
        self.senders = senders
        self.clock = clock
        self.idle = idle
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._last_recover = 0.0
        self._lock = threading.Lock()
        self.last_error: str | None = None

    # -- one cell -------------------------------------------------------------------------------
    def send_one(self) -> str | None:
        """Claim and send one cell; returns its task id, or None when nothing was sent."""
        cell = self.log.claim_cell(now=self.clock())
        if cell is None:
            return None
        try:
            self.limiter_for(cell["op"]).acquire_background()  # a person's create goes first
            experiment = self.log.get_experiment(cell["experiment_id"])
            if experiment is None or experiment["status"] != ExperimentStatus.RUNNING.value:
                self.log.release_cell(cell["id"])
                return None
            return self.tracker.submit(cell["op"], self._body(cell), task_id=cell["task_id"],
                                       cell=CellRef(cell["id"], cell["experiment_id"],
                                                    cell["variant"], cell["repeat_no"]),
                                       slot_taken=True)
        except Exception:
            # nothing sent unless the task row exists; `release_cell` checks that
            self.log.release_cell(cell["id"])
            raise

    def limiter_for(self, op: str) -> Limiter:
        """The create limit a cell of ``op`` takes its slot of: music's shared one, else the
        limiter of the adapter that sends ``op`` (DashScope, Kling, text: their own)."""
        if ops.get(op).provider == MUSIC:
            return self.limiter
        return self.tracker.providers.for_op(op).limiter

    def _body(self, cell: ClaimedCell) -> dict[str, Any]:
        body = json.loads(cell["body_json"])
        field = ops.get(cell["op"]).callback_field
        url = self.callback_url()
        if field and url:
            body[field] = url
        return body

    def housekeeping(self, *, force: bool = False) -> None:
        """Requeue cells of dead senders (now and then) and mark finished experiments done."""
        now = self.clock()
        with self._lock:
            due = force or now - self._last_recover >= RECOVER_EVERY_S
            if due:
                self._last_recover = now
        if due:
            self.log.recover_cells(now=now)
        self.log.settle_experiments(now=now)

    def drain(self, *, stop: Callable[[], bool] | None = None) -> int:
        """Send until nothing is queued (one thread; the command line and tests)."""
        sent = 0
        self.housekeeping(force=True)
        while not (stop and stop()):
            if self.send_one() is None:
                if not self.log.queued_count():
                    break
                time.sleep(min(self.idle, 0.05))
                continue
            sent += 1
        self.housekeeping()
        return sent

    # -- threads ----------------------------------------------------------------------------------
    def start(self) -> None:
        if any(t.is_alive() for t in self._threads):
            return
        self._stop.clear()
        self.housekeeping(force=True)
        self._threads = [threading.Thread(target=self._run, name=f"songbench-queue-{i}",
                                          daemon=True) for i in range(self.senders)]
        for t in self._threads:
            t.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(timeout=timeout)

    def alive(self) -> bool:
        return any(t.is_alive() for t in self._threads)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                sent = self.send_one()
                self.housekeeping()
                self.last_error = None
            except Exception as exc:  # keep sending the others; the error is shown in health
                log.exception("experiment queue: %s", exc)
                self.last_error = f"{type(exc).__name__}: {exc}"
                sent = None
            if sent is None:
                self._stop.wait(self.idle)
