"""`RecipeRunner`: moves every running recipe run forward, one step at a time or several at
once, with the task log as its only memory.

Each tick reads every running run (`lib.recipes.progress`) and starts each step that is
``ready`` (the steps it needs succeeded): its body is built from their outputs
(`lib.recipes.steps.Inputs`), checked by the contract, then the step is claimed (its task id
chosen in one conditional write, so two runners never both send it) and sent through the
tracker, which writes the task row before the request goes out. A text step is a draft of
the text helper (`lib.text.draft`) whose answer is checked before a later step uses it. From
then on each task follows its own rules (never resent; an unclear answer is ``unknown``).

A failed step is retried alone (`retry`): the steps that succeeded keep their tasks, so they
are never sent or paid again. After a restart the runs simply go on: a claim whose task row
was never written is released after a grace (`TaskLog.recover_recipe_steps`). Steps start
in worker threads, so a slow synchronous call (an image, a draft) holds nothing else back.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from lib import ops
from lib.log import TaskLog, TrackRow
from lib.provider.errors import SongbenchError
from lib.recipes import get, progress
from lib.recipes.plan import Plan, plan, problems_of
from lib.recipes.progress import RunView, StepView
from lib.recipes.steps import Choose, Inputs, Problem, Wait
from lib.text.calls import TextCalls
from lib.text.draft import check, draft
from lib.text.models import ModelList
from lib.views.app_runtime import AppRuntime
from lib.views.sources import clip_wav, upload_source

log = logging.getLogger("songbench.recipes")

IDLE_S = 0.25
WORKERS = 4
RECOVER_EVERY_S = 30.0


class PlanRefused(ValueError):
    """A run that cannot start: its plan's problems."""

    def __init__(self, checked: Plan) -> None:
        super().__init__("; ".join(checked.problems))
        self.plan = checked


class RecipeRunner:
    """Runs recipe runs through ``rt`` (its log, tracker, text adapter and uploads)."""

    def __init__(self, rt: AppRuntime, *, clock: Callable[[], float] = time.time,
                 idle: float = IDLE_S, workers: int = WORKERS) -> None:
        self.rt = rt
        self.log: TaskLog = rt.log
        self.clock = clock
        self.idle = idle
        self.workers = workers
        self._pool: ThreadPoolExecutor | None = None
        self._busy: set[tuple[str, str]] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_recover = 0.0
        self._models: ModelList | None = None
        self.last_error: str | None = None

    # -- runs -------------------------------------------------------------------------------
    def check(self, name: str, brief: str, given: dict[str, Any] | None = None) -> Plan:
        return plan(get(name), brief, given, self.rt.callback_url)

    def start(self, name: str, brief: str, given: dict[str, Any] | None = None) -> str:
        """Store a run (nothing is sent here: the runner's next tick sends its first steps).
        `PlanRefused` when its plan has problems."""
        checked = self.check(name, brief, given)
        if not checked.ok:
            raise PlanRefused(checked)
        run_id = self.log.create_recipe_run(
            recipe=name, brief=checked.brief, params=checked.values,
            steps=[s.name for s in checked.recipe.steps], now=self.clock())
        self._wake.set()
        return run_id

    def retry(self, run_id: str, step: str) -> bool:
        """A new attempt of a failed step (and nothing else): False when it cannot be."""
        done = self.log.retry_recipe_step(run_id, step, now=self.clock())
        self._wake.set()
        return done

    def choose(self, run_id: str, step: str, value: str) -> bool:
        """The user's choice for a step that asks (e.g. which take to extend)."""
        view = progress.load(self.log, run_id)
        if view is None:
            return False
        sv = view.step(step)
        if sv.state != "choose" or value not in [o[0] for o in sv.options]:
            return False
        self.log.update_recipe_step(run_id, step, choice=value, now=self.clock())
        self._wake.set()
        return True

    def cancel(self, run_id: str) -> bool:
        """Start nothing more of this run (steps already sent go on)."""
        return self.log.set_recipe_run_status(run_id, "cancelled", now=self.clock())

    # -- one tick ---------------------------------------------------------------------------
    def run_once(self, *, wait: bool = False) -> int:
        """Advance every running run; returns how many steps were started. ``wait``: start
        them in this thread (tests, the command line's last tick)."""
        now = self.clock()
        if now - self._last_recover >= RECOVER_EVERY_S:
            self._last_recover = now
            self.log.recover_recipe_steps(now=now)
        started = 0
        for run in self.log.list_recipe_runs(status="running", limit=200):
            started += self.advance(run["id"], wait=wait)
        return started

    def advance(self, run_id: str, *, wait: bool = False) -> int:
        view = progress.load(self.log, run_id)
        if view is None or view.status == "cancelled":
            return 0
        started = 0
        for sv in view.steps:
            if sv.step.draft and sv.state == "running" and sv.task and \
                    sv.task["state"] == "succeeded":
                self._checked_draft(view, sv)  # a draft answered before a restart
            elif sv.state == "ready":
                key = (run_id, sv.step.name)
                with self._lock:
                    if key in self._busy:
                        continue
                    self._busy.add(key)
                started += 1
                if wait:
                    self._start(view, sv, key)
                else:
                    self._executor().submit(self._start, view, sv, key)
        if not started:  # a step started in a worker settles its run when it is done
            self.settle(run_id)
        return started

    def settle(self, run_id: str) -> None:
        """Store the run's status (derived from its steps) and why it failed, when changed."""
        fresh = progress.load(self.log, run_id)
        if fresh is None or fresh.status == "cancelled":
            return
        failed = [s for s in fresh.steps if s.state in progress.BAD]
        error = f"{failed[0].step.title}: {failed[0].note}" if failed else None
        if (fresh.status, error) != (fresh.run["status"], fresh.run["error"]):
            self.log.set_recipe_run_status(run_id, fresh.status, error=error, now=self.clock())

    # -- one step ---------------------------------------------------------------------------
    def _inputs(self, view: RunView, sv: StepView) -> Inputs:
        outputs = {s.step.name: s.output for s in view.steps if s.output is not None}
        choice = json.loads(sv.row["choice_json"]) if sv.row["choice_json"] else None
        return Inputs(view.run["brief"] or "", view.values, outputs, choice, self._clip)

    def _start(self, view: RunView, sv: StepView, key: tuple[str, str]) -> None:
        run_id, name = key
        try:
            try:
                built = sv.step.build(self._inputs(view, sv))
            except Wait as exc:
                self.log.update_recipe_step(run_id, name, outputs={"wait": str(exc)},
                                            now=self.clock())
                return
            except Choose as exc:
                self.log.update_recipe_step(
                    run_id, name, outputs={"choose": {"what": exc.what,
                                                      "options": exc.options}},
                    now=self.clock())
                return
            except Problem as exc:
                self.log.update_recipe_step(run_id, name, error=str(exc), now=self.clock())
                return
            if sv.step.draft:
                self._draft(view, sv, str(built))
            else:
                self._send(view, sv, built)
        except Exception as exc:  # a bug: shown on the run, the step can be retried
            log.exception("recipe step %s/%s", run_id, name)
            self.log.update_recipe_step(run_id, name, error=f"Unexpected error: {exc!r}",
                                        now=self.clock())
        finally:
            with self._lock:
                self._busy.discard(key)
            self.settle(run_id)
            self._wake.set()

    def _send(self, view: RunView, sv: StepView, body: dict[str, Any]) -> None:
        run_id, name = view.run["id"], sv.step.name
        # the operation's own fields only, its fixed values and the callback URL
        body = ops.build_body(sv.step.op, body, self.rt.callback_url)
        problems = problems_of(sv.step.op, body, sv.step.title)
        if problems:
            self.log.update_recipe_step(run_id, name, error="; ".join(problems),
                                        now=self.clock())
            return
        task_id = self.log.claim_recipe_step(run_id, name, now=self.clock())
        if task_id is None:
            return  # another runner has it
        self.log.update_recipe_step(run_id, name, outputs={}, now=self.clock())
        self.rt.tracker.submit(sv.step.op, body, task_id=task_id)

    def _draft(self, view: RunView, sv: StepView, brief: str) -> None:
        run_id, name = view.run["id"], sv.step.name
        adapter = self.rt.tracker.providers.current("text")
        if self._models is None or self._models.adapter is not adapter:
            self._models = ModelList(adapter)  # type: ignore[arg-type]
        calls = TextCalls(self.log, adapter)  # type: ignore[arg-type]
        try:
            model = str(view.values.get("text_model") or "") or self._models.default()
        except (SongbenchError, LookupError) as exc:
            words = exc.explain() if isinstance(exc, SongbenchError) else str(exc)
            self.log.update_recipe_step(run_id, name, error=f"The text server's models could "
                                        f"not be read: {words}", now=self.clock())
            return
        music_model = str(view.values.get("model") or "V5")
        task_id = self.log.claim_recipe_step(run_id, name, now=self.clock())
        if task_id is None:
            return
        try:
            made = draft(sv.step.draft or "song", brief, calls, model, music_model=music_model,
                         task_id=task_id)
        except Exception:  # the task row holds the provider's error (or unknown)
            if self.log.get_task(task_id) is None:
                self.log.release_recipe_step(run_id, name, task_id)
                raise
            return
        self._keep_draft(run_id, name, made)

    def _keep_draft(self, run_id: str, name: str, made: Any) -> None:
        if made.ok:
            self.log.update_recipe_step(run_id, name, outputs={"fields": made.fields},
                                        now=self.clock())
        else:
            wrong = "; ".join(f"{p.field}: {p.message}" for p in made.problems)
            self.log.update_recipe_step(
                run_id, name, outputs={"fields": made.fields, "text": made.text},
                error=f"The draft does not fit ({wrong}); retry the step for a new draft.",
                now=self.clock())

    def _checked_draft(self, view: RunView, sv: StepView) -> None:
        assert sv.task is not None
        result = json.loads(sv.task["result_json"] or "{}")
        made = check(sv.step.draft or "song", str(result.get("answer") or ""),
                     str(view.values.get("model") or "V5"))
        self._keep_draft(view.run["id"], sv.step.name, made)

    def _clip(self, track: TrackRow, start: float, seconds: float) -> str:
        path = track["local_audio_path"]
        if not path:
            raise Wait("waiting for the song's file to be archived")
        duration = track["duration"] or 0.0
        if duration and start + seconds > duration + 0.01:
            raise Problem(f"The clip ({start:g}-{start + seconds:g} s) runs past the end of "
                          f"the {duration:.0f} s take.")
        attempt = upload_source(self.rt, f"{track['id']}-{start:g}s.wav",
                                clip_wav(path, start, seconds))
        if attempt.uploaded is None:
            raise Problem(f"The song's clip could not be uploaded: "
                          f"{attempt.refused or attempt.failed}")
        return attempt.uploaded.url

    # -- the thread -------------------------------------------------------------------------
    def start_background(self) -> None:
        if self._thread and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="songbench-recipes", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread:
            self._thread.join(timeout=timeout)
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    def _executor(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=self.workers,
                                                thread_name_prefix="songbench-recipe")
            return self._pool

    def alive(self) -> bool:
        return bool(self._thread and self._thread.is_alive())

    def wake(self) -> None:
        self._wake.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            try:
                self.run_once()
                self.last_error = None
            except Exception as exc:
                log.exception("recipes: %s", exc)
                self.last_error = f"{type(exc).__name__}: {exc}"
            self._wake.wait(self.idle)
