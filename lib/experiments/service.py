"""What the Experiments page and `python -m lib experiment` do, over the task log.

* `create(log, setup, plan)` stores an experiment and queues its cells (nothing is sent here:
  the queue's senders send them);
* `pause` / `resume` / `cancel`;
* `rerun_variant(log, id, variant, repeats)` queues more repeats of one variant;
* `setup_of(experiment)` gives back the `Setup` an experiment was made from (to clone it);
* `find(log, ref)` resolves a full id or a unique prefix;
* `wait(log, id, ...)` follows an experiment until nothing is queued or running.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lib.experiments.grid import Axis, Plan, Variant
from lib.log import ExperimentRow, ExperimentStatus, TaskLog

MIN_PREFIX = 6


@dataclass
class Setup:
    """What a user fills in: name, notes, operation, base values, the grid and repeats."""

    name: str
    op: str
    base: dict[str, Any] = field(default_factory=dict)
    axes: list[Axis] = field(default_factory=list)
    variants: list[Variant] | None = None  # from a sheet (then ``axes`` is empty)
    repeats: int = 1
    notes: str = ""


def _grid_doc(setup: Setup, plan: Plan) -> dict[str, Any]:
    return {"axes": [{"field": a.field, "values": list(a.values)} for a in setup.axes],
            "sheet": setup.variants is not None,
            "variants": [{"name": v.name, "values": v.values, "repeats": v.repeats}
                         for v in plan.variants]}


def create(log: TaskLog, setup: Setup, plan: Plan, *, parent_id: str | None = None,
           now: float | None = None) -> str:
    """Store the experiment and queue every cell of ``plan`` (which must be ``ok``)."""
    if not plan.ok:
        raise ValueError("the plan has refusals: " + "; ".join(map(str, plan.errors[:3])))
    return log.create_experiment(name=setup.name.strip() or "Untitled experiment",
                                 op=setup.op, base=setup.base, axes=_grid_doc(setup, plan),
                                 repeats=setup.repeats, cells=plan.cells,
                                 notes=setup.notes or None, parent_id=parent_id, now=now)


def setup_of(experiment: ExperimentRow) -> Setup:
    """The setup an experiment was made from (for "clone with changes")."""
    doc = json.loads(experiment.get("axes_json") or "{}") or {}
    axes = [Axis(a["field"], tuple(a["values"])) for a in doc.get("axes", [])]
    variants = None
    if doc.get("sheet"):
        variants = [Variant(v["name"], dict(v["values"]), v.get("repeats"))
                    for v in doc.get("variants", [])]
    return Setup(name=f"{experiment['name']} (copy)", op=experiment["op"],
                 base=json.loads(experiment.get("base_json") or "{}") or {}, axes=axes,
                 variants=variants, repeats=int(experiment.get("repeats") or 1),
                 notes=experiment.get("notes") or "")


def pause(log: TaskLog, experiment_id: str) -> bool:
    return log.set_experiment_status(experiment_id, ExperimentStatus.PAUSED.value)


def resume(log: TaskLog, experiment_id: str) -> bool:
    return log.set_experiment_status(experiment_id, ExperimentStatus.RUNNING.value)


def cancel(log: TaskLog, experiment_id: str) -> bool:
    return log.set_experiment_status(experiment_id, ExperimentStatus.CANCELLED.value)


def rerun_variant(log: TaskLog, experiment_id: str, variant: str, repeats: int) -> int:
    """Queue ``repeats`` more cells of ``variant`` (same body, next repeat numbers)."""
    cells = [c for c in log.experiment_cells(experiment_id) if c["variant"] == variant]
    if not cells:
        raise KeyError(f"experiment {experiment_id[:8]} has no variant {variant!r}")
    body = json.loads(cells[0]["body_json"])
    last = max(c["repeat_no"] for c in cells)
    return log.add_cells(experiment_id, [(variant, last + i + 1, body) for i in range(repeats)])


def find(log: TaskLog, ref: str) -> ExperimentRow | None:
    """An experiment by full id or unique prefix (at least 6 characters)."""
    ref = (ref or "").strip().lower()
    exact = log.get_experiment(ref) if ref else None
    if exact is not None or len(ref) < MIN_PREFIX:
        return exact
    found = log.find_experiments(ref, limit=2)
    return found[0] if len(found) == 1 else None


def finished(log: TaskLog, experiment_id: str) -> bool:
    """Nothing left to send and every task it made is final (succeeded, failed, unknown)."""
    cells = log.experiment_cells(experiment_id)
    if any(c["status"] in ("queued", "sending") for c in cells):
        experiment = log.get_experiment(experiment_id)
        if experiment is None or experiment["status"] == ExperimentStatus.RUNNING.value:
            return False
    return all(t["state"] not in ("pending", "processing")
               for t in log.experiment_tasks(experiment_id))


def wait(log: TaskLog, experiment_id: str, *, timeout: float | None = None,
         tick: Callable[[], Any] | None = None, every: float = 1.0) -> bool:
    """Follow an experiment until `finished` (True) or ``timeout`` s (False); ``tick()`` runs
    each round (e.g. report progress)."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while not finished(log, experiment_id):
        if deadline is not None and time.monotonic() > deadline:
            return False
        if tick is not None:
            tick()
        time.sleep(every)
    return True


def get(log: TaskLog, experiment_id: str) -> ExperimentRow | None:
    """One experiment by its full id (the results page's live refresh)."""
    return log.get_experiment(experiment_id)


def recent(log: TaskLog, limit: int = 100) -> list[ExperimentRow]:
    """The newest experiments first (the Experiments page's list)."""
    return log.list_experiments(limit=limit)


def cell_counts(log: TaskLog, experiment_id: str) -> dict[str, int]:
    """``{cell status: count}`` of one experiment (queued, sending, sent, cancelled)."""
    counts: dict[str, int] = {}
    for cell in log.experiment_cells(experiment_id):
        counts[cell["status"]] = counts.get(cell["status"], 0) + 1
    return counts


def queued_ahead(log: TaskLog) -> int:
    """Cells of every experiment still waiting to be sent (a new plan goes after them)."""
    return log.queued_count()
