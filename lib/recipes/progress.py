"""A recipe run as its steps' states, outputs and times, read from the task log (the page,
the board, the command line and the runner all read it here).

A step's state comes from its row and its task's row: ``waiting`` (for the steps it needs),
``ready`` (about to be sent), ``blocked`` (a step it needs failed), ``choose`` (the user
picks), ``sending`` (claimed, the task row not written yet), ``running``, ``succeeded``,
``failed`` and ``unknown`` (the provider may have it: see its task). A run is ``succeeded``
when every step is, ``failed`` when a step failed and nothing runs any more, else
``running`` (or ``cancelled``).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

from lib import ops
from lib.log import RecipeRunRow, RecipeStepRow, TaskLog, TaskRow
from lib.recipes import get
from lib.recipes.steps import Output, Recipe, Step

DONE = "succeeded"
BAD = ("failed", "unknown")
MOVING = ("sending", "running")


@dataclass
class StepView:
    """One step of a run, as the user sees it."""

    step: Step
    row: RecipeStepRow
    task: TaskRow | None
    state: str
    note: str | None = None  # why it waits, fails, or what to choose
    output: Output | None = None
    options: list[tuple[str, str]] = field(default_factory=list)

    @property
    def tried(self) -> list[str]:
        return json.loads(self.row["tried_json"] or "[]")

    @property
    def provider_s(self) -> float | None:
        """The step's time at the provider: its task's creation to its end."""
        task = self.task
        if task is None or task["finished_at"] is None:
            return None
        return max(0.0, task["finished_at"] - task["created_at"])

    @property
    def retryable(self) -> bool:
        return self.state in BAD


@dataclass
class RunView:
    """A run: its row, its recipe, its steps (in the recipe's order) and its status."""

    run: RecipeRunRow
    recipe: Recipe
    steps: list[StepView]
    status: str

    @property
    def values(self) -> dict[str, Any]:
        return json.loads(self.run["params_json"] or "{}")

    def step(self, name: str) -> StepView:
        return next(s for s in self.steps if s.step.name == name)

    @property
    def wall_s(self) -> float:
        end = self.run["finished_at"] or time.time()
        return max(0.0, end - self.run["created_at"])

    @property
    def provider_sum_s(self) -> float:
        return sum(s.provider_s or 0.0 for s in self.steps)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for s in self.steps:
            out[s.state] = out.get(s.state, 0) + 1
        return out


def _loads(text: str | None) -> Any:
    try:
        return json.loads(text) if text else None
    except ValueError:
        return None


def output_of(log: TaskLog, task: TaskRow, fields: dict[str, str] | None = None) -> Output:
    """What a finished task leaves for later steps."""
    files = {a["kind"]: a["url"] for a in log.assets_for(task["id"]) if a["url"]}
    return Output(task, _loads(task["result_json"]), list(log.tracks_for(task["id"])), files,
                  dict(fields or {}))


def _state(log: TaskLog, step: Step, row: RecipeStepRow, task: TaskRow | None,
           states: dict[str, str]) -> StepView:
    stored = _loads(row["outputs_json"]) or {}
    if row["error"]:
        return StepView(step, row, task, "failed", row["error"])
    if row["task_id"] is None:
        needs = [states.get(n, "waiting") for n in step.after]
        if any(s in BAD or s == "blocked" for s in needs):
            return StepView(step, row, task, "blocked", "A step it needs did not succeed.")
        if all(s == DONE for s in needs):
            if "choose" in stored and row["choice_json"] is None:
                return StepView(step, row, task, "choose", stored["choose"]["what"],
                                options=[tuple(o) for o in stored["choose"]["options"]])
            return StepView(step, row, task, "ready", stored.get("wait"))
        return StepView(step, row, task, "waiting", None)
    if task is None:
        return StepView(step, row, task, "sending", None)
    state = task["state"]
    if state == "succeeded":
        if step.draft and "fields" not in stored:
            return StepView(step, row, task, "running", "checking the draft")
        return StepView(step, row, task, DONE, None,
                        output_of(log, task, stored.get("fields")))
    if state in ("failed", "cancelled"):
        return StepView(step, row, task, "failed", task["error_message"] or "The task failed.")
    if state == "unknown":
        return StepView(step, row, task, "unknown", task["error_message"]
                        or "The outcome is unknown: the provider may have the task.")
    return StepView(step, row, task, "running", None)


def run_status(steps: list[StepView]) -> str:
    states = [s.state for s in steps]
    if all(s == DONE for s in states):
        return "succeeded"
    if any(s in BAD for s in states) and not any(s in MOVING for s in states):
        return "failed"
    return "running"


def load(log: TaskLog, run_id: str) -> RunView | None:
    """The run ``run_id`` with its steps' states (None when there is no such run)."""
    run = log.get_recipe_run(run_id)
    if run is None:
        return None
    recipe = get(run["recipe"])
    rows = {r["step"]: r for r in log.recipe_steps(run_id)}
    tasks = {t["id"]: t for t in log.get_tasks([r["task_id"] for r in rows.values()
                                                 if r["task_id"]])}
    states: dict[str, str] = {}
    views = []
    for step in recipe.steps:
        row = rows[step.name]
        view = _state(log, step, row, tasks.get(row["task_id"] or ""), states)
        states[step.name] = view.state
        views.append(view)
    status = "cancelled" if run["status"] == "cancelled" else run_status(views)
    return RunView(run, recipe, views, status)


def cost_text(op_name: str) -> str:
    """What one call of ``op_name`` costs, in words."""
    op = ops.get(op_name)
    if op.provider == "music":
        n = op.credits_estimate
        return f"{n} credit{'s' * (n != 1)}"
    if op.provider == "text":
        return "text tokens (billed by the text server)"
    return f"billed by the provider ({op.provider}), not in music credits"


def describe(view: RunView) -> dict[str, Any]:
    """The run as one JSON-ready document (the CLI's ``--json`` and the page's export)."""
    return {
        "run_id": view.run["id"], "recipe": view.recipe.name, "title": view.recipe.title,
        "brief": view.run["brief"], "values": view.values, "status": view.status,
        "error": view.run["error"], "created_at": view.run["created_at"],
        "finished_at": view.run["finished_at"], "wall_s": round(view.wall_s, 3),
        "provider_sum_s": round(view.provider_sum_s, 3),
        "steps": [{
            "step": s.step.name, "title": s.step.title, "op": s.step.op, "after": list(
                s.step.after), "state": s.state, "note": s.note, "attempt": s.row["attempt"],
            "task_id": s.row["task_id"], "earlier_task_ids": s.tried,
            "provider_task_id": s.task["provider_task_id"] if s.task else None,
            "provider_s": None if s.provider_s is None else round(s.provider_s, 3),
            "cost": cost_text(s.step.op),
            "request": _loads(s.task["request_json"]) if s.task else None,
            "result": s.output.result if s.output else None,
            "fields": s.output.fields if s.output else None,
            "tracks": [{"id": t["id"], "title": t["title"], "duration": t["duration"],
                        "audio_url": t["audio_url"], "local_audio_path": t["local_audio_path"]}
                       for t in (s.output.tracks if s.output else [])],
            "files": s.output.files if s.output else {},
        } for s in view.steps],
    }


def recent(log: TaskLog, limit: int = 30, *, status: str | None = None) -> list[RunView]:
    """The newest runs (of one stored ``status``), with their steps' states."""
    views = (load(log, r["id"]) for r in log.list_recipe_runs(status=status, limit=limit))
    return [v for v in views if v is not None]
