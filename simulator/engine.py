"""Job store and timeline.

A `Job` is one provider task of one operation (`simulator.ops`). Its family
(`simulator.families`) decides its stage list (an operation may skip the early stages); each stage
has a due time (real-service seconds / `speed`, counted on the simulator clock from creation). A
render worker (thread pool, `render.Renderer`) produces the media and raises `job.ready`; the
timeline thread advances `job.stage` only when the stage is due *and* its media exists, then
queues the family's callback for it. Failures (faults, sensitive words, render errors) become
visible at the first stage's due time (or at once for render errors) with the family's failure
status.

Credits: an operation's cost is deducted when its job is created (`Job.charged`); a refused
create (any error answer, including the random create faults) costs nothing. When a job fails,
its `JobError.refund` decides whether the charge is returned, at the moment the failure becomes
visible (before the error callback; `Job.refunded`):

* refunded: code 531 only - the `fail_rate` fault (GENERATE_*_FAILED with code 531, kie's
  "generation failed, credits refunded", the one failure the docs say is refunded);
* kept: every other failure after the job was accepted, as the docs promise nothing else:
  SENSITIVE_WORD_ERROR (code 400), a source the provider cannot use (451 not fetchable; 400 not
  decodable, too long, continueAt beyond it) and an unexpected render error (500).

Media tasks (the DashScope and Kling routes: `simulator.media_ops`, `simulator.media_families`)
are jobs too, of the media families: they cost no credits, send no callbacks, and a queued
DashScope one can be cancelled (`cancel`). `TASK_FAMILIES` holds both registries.

Everything that touches jobs holds `Engine.lock` (an RLock), so request handlers, workers and the
timeline thread see consistent state.

Persistence (`--data-dir`, see `simulator.persistence`): the engine marks a job dirty
(`touch`) at each lifecycle event (create, add_track, reach, fail, stage advance or failure);
named state lives in `Table`s (`table(name)`: `personas`, `unique`, and any an operation adds),
which record their changed keys. The timeline thread saves what changed after each tick that
changed something, and every mutating request is saved before it is answered (`commit`).
"""

from __future__ import annotations

import collections
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol

from simulator.callbacks import CallbackSender
from simulator.config import SimConfig
from simulator.families import FAMILIES
from simulator.jobs import Job, JobError, RenderError, Track, new_id
from simulator.media_families import MEDIA_FAMILIES
from simulator.tables import Table

if set(FAMILIES) & set(MEDIA_FAMILIES):
    raise RuntimeError(f"family names used twice: {sorted(set(FAMILIES) & set(MEDIA_FAMILIES))}")
TASK_FAMILIES: dict[str, Any] = {**FAMILIES, **MEDIA_FAMILIES}  # every family a job can have


class JobKind(Protocol):
    """What the engine needs of an operation to make a job of it (`simulator.ops.SimOp`)."""

    @property
    def name(self) -> str: ...
    @property
    def family(self) -> str: ...
    @property
    def stages(self) -> tuple[str, ...] | None: ...


class Saver(Protocol):
    """Where the engine saves what changed (`simulator.persistence.Persistence`)."""

    def has_changes(self) -> bool: ...
    def flush(self) -> None: ...


class Engine:
    """Thread-safe job store, credits, rate limits, personas, and the timeline thread."""

    def __init__(self, config: SimConfig, clock, faults, sender: CallbackSender) -> None:
        self.config = config
        self.clock = clock
        self.faults = faults
        self.sender = sender
        self.lock = threading.RLock()
        self.jobs: dict[str, Job] = {}
        self.tracks: dict[str, tuple[Job, Track]] = {}
        self.tables: dict[str, Table] = {}
        self.personas: dict[str, dict[str, Any]] = self.table("personas")
        self.unique: dict[tuple[str, str], str] = self.table("unique")  # (kind, source id) -> task/persona id
        self.credits = config.credits
        self.dirty: set[str] = set()  # task ids changed since the last save
        self.persistence: Saver | None = None  # set by server.build with a data dir
        self._calls: dict[str, collections.deque] = collections.defaultdict(collections.deque)
        self._pool = ThreadPoolExecutor(max_workers=max(1, config.workers), thread_name_prefix="sim-render")
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._timeline, name="sim-timeline", daemon=True)
        self._thread.start()
        self.renderer = None  # set by server.create_app (render.Renderer)

    # --- accounting -------------------------------------------------------------------------
    def rate_ok(self, key: str) -> bool:
        """Record one create call for `key`; False when it exceeds 20 per rolling 10 s."""
        now = time.monotonic()
        with self.lock:
            calls = self._calls[key]
            while calls and now - calls[0] > self.config.rate_limit_window:
                calls.popleft()
            if len(calls) >= self.config.rate_limit_calls:
                return False
            calls.append(now)
            return True

    def charge(self, cost: int) -> bool:
        """Deduct `cost`; False (nothing deducted) when the balance is too low."""
        with self.lock:
            if self.credits < cost or self.credits <= 0:
                return False
            self.credits -= cost
            return True

    def set_credits(self, value: int) -> None:
        with self.lock:
            self.credits = int(value)

    # --- persistence hooks --------------------------------------------------------------------
    def table(self, name: str) -> Table:
        """The named, persisted dict `name` (created empty on first use). Keys and values must
        have a JSON form (`state_codec`); change an entry by assigning it again."""
        with self.lock:
            if name not in self.tables:
                self.tables[name] = Table(name)
            return self.tables[name]

    def touch(self, job: Job) -> None:
        """Mark a job as changed (saved with the next flush)."""
        self.dirty.add(job.task_id)

    def commit(self) -> None:
        """Save every change now (no-op without a data dir)."""
        if self.persistence is not None:
            self.persistence.flush()

    def restore(self, job: Job) -> None:
        """Put a job loaded from the data dir back (with its tracks' index)."""
        with self.lock:
            self.jobs[job.task_id] = job
            for track in job.tracks:
                self.tracks[track.id] = (job, track)

    def resume(self, job: Job) -> None:
        """Render a restored job that was not finished (its op's render must be re-runnable)."""
        self._pool.submit(self._render, job)

    # --- lookups ----------------------------------------------------------------------------
    def get(self, task_id: str) -> Job | None:
        with self.lock:
            return self.jobs.get(task_id)

    def find_track(self, audio_id: str, task_id: str | None = None) -> tuple[Job, Track] | None:
        """The job and track for an audio id (optionally required to belong to `task_id`)."""
        with self.lock:
            hit = self.tracks.get(audio_id)
        if hit is None or (task_id is not None and hit[0].task_id != task_id):
            return None
        return hit

    # --- lifecycle --------------------------------------------------------------------------
    def create(self, op: JobKind, body: dict[str, Any], key: str, base_url: str, *,
               parent: dict[str, str] | None = None, doom: JobError | None = None,
               task_id: str | None = None) -> Job:
        """Register a job of `op` and start rendering it (unless `doom`ed: it will fail on schedule);
        `task_id` overrides the new id's form (DashScope's ids are UUIDs with dashes)."""
        family = TASK_FAMILIES[op.family]
        stages = [(label, real) for label, real in family.stages if op.stages is None or label in op.stages]
        now = self.clock.now()
        job = Job(task_id=task_id or new_id(), op=op.name, family=op.family, body=body, key=key, created=now,
                  base_url=base_url, callback_url=body.get("callBackUrl") or None,
                  stages=tuple(label for label, _ in stages),
                  due=tuple(now + self.config.stage_delay(real) for _, real in stages), parent=parent or {})
        if doom is None and self.faults.roll(self.faults.get().fail_rate):
            doom = JobError(family.failed_status, 531,
                            "Generation failed, credits refunded (simulated fault fail_rate)")
        with self.lock:
            self.jobs[job.task_id] = job
            self.touch(job)
            if doom is not None:
                job.error, job.fail_at = doom, job.due[0]
        if doom is None:
            self._pool.submit(self._render, job)
        return job

    def add_track(self, job: Job, track: Track) -> None:
        """Attach a track to a job and index it by id."""
        with self.lock:
            job.tracks.append(track)
            self.tracks[track.id] = (job, track)
            self.touch(job)

    def reach(self, job: Job, label: str) -> None:
        """Worker callback: the media for stage `label` (and all before it) now exists.

        Labels a job does not have (text/first of add-vocals) are ignored."""
        if label in job.stages:
            with self.lock:
                job.ready = max(job.ready, job.stages.index(label) + 1)
                self.touch(job)

    def fail(self, job: Job, code: int, msg: str, *, refund: bool) -> None:
        """Fail a job now (render error)."""
        with self.lock:
            if not job.done:
                job.error = JobError(TASK_FAMILIES[job.family].failed_status, code, msg, refund)
                job.fail_at = self.clock.now()
                self.touch(job)

    def cancel(self, job: Job) -> bool:
        """End a job that is still queued (its first stage not reached) with its family's
        cancelled status, at once; False (nothing changes) when it has left the queue, ended or
        its family cannot be cancelled."""
        status = getattr(TASK_FAMILIES[job.family], "canceled_status", None)
        with self.lock:
            if status is None or job.done or job.stage > 0 or job.error is not None:
                return False
            job.error = JobError(status, 0, "The task was cancelled.", refund=False)
            job.failed = True
            job.fail_at = job.completed = self.clock.now()
            self.touch(job)
            return True

    def _render(self, job: Job) -> None:
        try:
            self.renderer.run(job)
        except RenderError as exc:
            self.fail(job, exc.code, str(exc), refund=exc.code == 531)
        except Exception as exc:  # any other render error fails the task, the server keeps going
            self.fail(job, 500, f"{type(exc).__name__}: {exc}", refund=False)

    def _timeline(self) -> None:
        while not self._stop.wait(0.02):
            self.tick()
            if self.persistence is not None and self.persistence.has_changes():
                self.persistence.flush()

    def tick(self) -> None:
        """Advance every due job and queue its callbacks (queued under the lock, so a save sees
        a stage reached together with its pending callback)."""
        now = self.clock.now()
        outgoing: list[tuple[Job, str]] = []
        with self.lock:
            for job in self.jobs.values():
                if job.done:
                    continue
                if job.error is not None and now >= job.fail_at:
                    job.failed, job.completed = True, now
                    if job.error.refund and job.charged:
                        self.credits += job.charged
                        job.refunded = True
                    outgoing.append((job, "error"))
                    self.touch(job)
                    continue
                while job.stage < len(job.stages) and job.stage < job.ready and now >= job.due[job.stage]:
                    label = job.stages[job.stage]
                    job.stage += 1
                    if job.stage == len(job.stages):
                        job.completed = now
                    outgoing.extend(self._callbacks_for(job, label))
                    self.touch(job)
            for job, label in outgoing:
                self.sender.send(job.task_id, job.callback_url, label, self.callback_body(job, label))

    def callback_body(self, job: Job, label: str) -> dict[str, Any]:
        """The family's callback body for a stage label (or "error") of a job."""
        with self.lock:
            return TASK_FAMILIES[job.family].callback(job, label, self.config.public_url or job.base_url,
                                                 self.config.callback_shape)

    def _callbacks_for(self, job: Job, label: str) -> list[tuple[Job, str]]:
        """The (job, label) callbacks due when `label` is reached; the `out_of_order_callbacks`
        fault holds a multi-callback family's progress callbacks back until `complete`."""
        sends = TASK_FAMILIES[job.family].callback_stages
        if label not in sends:
            return []
        if len(sends) > 1 and label != "complete" and self.faults.get().out_of_order_callbacks:
            job.held.insert(0, label)
            return []
        if label == "complete" and job.held:
            labels, job.held = ["complete", *job.held], []
            return [(job, lab) for lab in labels]
        return [(job, label)]

    def close(self) -> None:
        """Stop the timeline thread and the render pool."""
        self._stop.set()
        self._thread.join(timeout=2)
        self._pool.shutdown(wait=False, cancel_futures=True)
