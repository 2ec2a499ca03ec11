"""An experiment's results: the grid of cells, progress per variant, summaries and exports.

* `results(log, experiment_id, assets_dir)` -> `Results`: variants as columns (in the order they
  were queued), repeats as rows, each `Cell` with its queue status, its task (a board
  `TaskView` with players), stage latencies and credits;
* `variant_summary(results)` / `model_summary(results)` -> pandas frames: calls, succeeded,
  success rate, median seconds to first audio and to complete, credits, usable takes (a track
  rated 4 or more, or approved in review: `lib.review.decisions`) and credits per usable take;
* `export_rows(results)` -> one row per track (or per task without tracks) with every request
  field, state, stage times, rating, notes, credits and local file paths; `export_csv` /
  `export_json`.

An image, video or text experiment's cells have no tracks: what they made is `outputs(view)`
(the task's pictures, its videos, the text answer), shown inline by the grid and the report and
exported as ``images`` / ``videos`` (provider URLs), ``local_media`` (archived copies) and
``answer`` columns. Such operations are billed by their provider, not in music credits (their
``credits`` stay 0: `lib.experiments.grid.billed_by`).

Latencies are measured from the moment the provider accepted the create (``submitted_at``):
``text`` and ``first`` are when the task was first seen at those stages (by a poll or a
callback), ``complete`` when it finished.
"""

from __future__ import annotations

import csv
import io
import json
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import pandas as pd

from lib import ops
from lib.families import text as text_family
from lib.log import CellRow, CellStatus, ExperimentRow, ReviewAction, TaskLog, TaskRow
from lib.views import board
from lib.views.charges import credits_spent

USABLE_RATING = 4
APPROVED = ReviewAction.APPROVE.value
STAGES = ("text", "first", "complete")
STAGE_COLUMNS = {"text": "text_at", "first": "first_audio_at", "complete": "finished_at"}
STAGE_WORDS = {"text": "text", "first": "first audio", "complete": "complete"}
#: the stages an image, video or text cell is timed at (no lyrics, no first audio)
MEDIA_STAGES = ("complete",)


def shown_stages(op: str) -> tuple[str, ...]:
    """The stages a cell of ``op`` is timed at: music's three, or "complete" alone."""
    operation = ops.OPERATIONS.get(op)
    return STAGES if operation is None or operation.family == "music" else MEDIA_STAGES


def is_image(kind: str) -> bool:
    """A task-level picture: ``image``, ``image:N`` (Qwen-Image, Kling), ``cover:N``."""
    return kind == "image" or kind.startswith(("image:", "cover:"))


def is_video(kind: str) -> bool:
    """A made video: ``video``, ``video:N`` (DashScope, Kling)."""
    return kind == "video" or kind.startswith("video:")


@dataclass(frozen=True)
class Outputs:
    """What a task without tracks made: its pictures, its videos and its text answer."""

    images: list[board.Download]
    videos: list[board.Download]
    answer: str | None

    def __bool__(self) -> bool:
        return bool(self.images or self.videos or self.answer)


def outputs(view: board.TaskView | None) -> Outputs:
    """The images, videos and text answer of a task's view (empty for none)."""
    if view is None:
        return Outputs([], [], None)
    files = view.files
    answer = (text_family.answer_of(view.result)
              if ops.OPERATIONS.get(view.op) is not None
              and ops.get(view.op).family == text_family.FAMILY.name else None)
    return Outputs([d for d in files if is_image(d.kind)], [d for d in files if is_video(d.kind)],
                   answer)


@dataclass
class Cell:
    """One (variant, repeat) of the grid."""

    variant: str
    repeat: int
    status: str                      # the queue's: queued | sending | sent | cancelled
    task: TaskRow | None = None
    view: board.TaskView | None = None
    latencies: dict[str, float | None] = field(default_factory=dict)
    credits: int = 0
    ratings: list[int] = field(default_factory=list)
    #: ``{track id: latest review decision}`` (approve | reject | flag) of its takes
    reviews: dict[str, str] = field(default_factory=dict)

    @property
    def state(self) -> str:
        """The task's state once sent, else the queue's status."""
        return self.task["state"] if self.task else self.status

    @property
    def outputs(self) -> Outputs:
        """Its task's images, videos and text answer (an image, video or text experiment)."""
        return outputs(self.view)

    @property
    def usable(self) -> int:
        """Takes rated `USABLE_RATING` or more, or approved in review (each take once)."""
        if self.view is None:
            return sum(1 for r in self.ratings if r >= USABLE_RATING)
        return sum(1 for t in self.view.tracks
                   if (t.rating or 0) >= USABLE_RATING or self.reviews.get(t.id) == APPROVED)


@dataclass
class Results:
    experiment: ExperimentRow
    variants: list[str]
    repeats: list[int]
    cells: dict[tuple[str, int], Cell]
    bodies: dict[str, dict[str, Any]]
    assets_dir: Path | None = None
    #: the fields each variant sets over the base request
    varied: dict[str, dict[str, Any]] = field(default_factory=dict)

    def column(self, variant: str) -> list[Cell]:
        return [self.cells[(variant, r)] for r in self.repeats if (variant, r) in self.cells]

    def progress(self, variant: str) -> dict[str, int]:
        """How many cells of a variant are queued, running, succeeded, failed, unknown."""
        counts = {"queued": 0, "running": 0, "succeeded": 0, "failed": 0, "unknown": 0,
                  "cancelled": 0}
        for cell in self.column(variant):
            state = cell.state
            key = ("queued" if state in (CellStatus.QUEUED.value, CellStatus.SENDING.value)
                   else "running" if state in ("pending", "processing") else state)
            counts[key] = counts.get(key, 0) + 1
        return counts

    @property
    def done(self) -> bool:
        """Nothing queued and no task still running."""
        return all(c.state not in ("queued", "sending", "pending", "processing")
                   for c in self.cells.values())


def latencies(task: TaskRow) -> dict[str, float | None]:
    """Seconds from the provider's acceptance to each stage (None: not reached or unknown); a
    synchronous operation's (an image or text answer) from when its request was written: its
    answer is its acceptance."""
    operation = ops.OPERATIONS.get(task["op"])
    start = (task.get("created_at") if operation is not None and operation.sync
             else task.get("submitted_at"))
    out: dict[str, float | None] = {}
    for stage in STAGES:
        at = cast("float | None", task.get(STAGE_COLUMNS[stage]))
        if stage == "complete" and task["state"] != "succeeded":
            at = None
        out[stage] = round(at - start, 2) if start is not None and at is not None else None
    return out


def results(log: TaskLog, experiment_id: str, assets_dir: Path | None = None) -> Results:
    """The grid of one experiment (raises `KeyError` when there is none)."""
    experiment = log.get_experiment(experiment_id)
    if experiment is None:
        raise KeyError(experiment_id)
    cells_rows: list[CellRow] = log.experiment_cells(experiment_id)
    tasks = {t["id"]: t for t in log.experiment_tasks(experiment_id)}
    views = {v.id: v for v in board.page_views(log, list(tasks.values()), assets_dir)}
    reviews = {tid: row["action"] for tid, row in log.latest_reviews(
        [t.id for v in views.values() for t in v.tracks]).items()}
    estimate = ops.get(experiment["op"]).credits_estimate
    variants: list[str] = []
    repeats: set[int] = set()
    cells: dict[tuple[str, int], Cell] = {}
    bodies: dict[str, dict[str, Any]] = {}
    for row in cells_rows:
        name = row["variant"]
        if name not in bodies:
            variants.append(name)
            bodies[name] = json.loads(row["body_json"])
        repeats.add(row["repeat_no"])
        task = tasks.get(row["task_id"] or "")
        view = views.get(task["id"]) if task else None
        cell = Cell(name, row["repeat_no"], row["status"], task, view)
        if task is not None:
            cell.latencies = latencies(task)
            cell.credits = credits_spent(task, estimate)
            cell.ratings = [t.rating for t in (view.tracks if view else []) if t.rating]
            cell.reviews = {t.id: reviews[t.id] for t in (view.tracks if view else [])
                            if t.id in reviews}
        cells[(name, row["repeat_no"])] = cell
    doc = json.loads(experiment.get("axes_json") or "{}") or {}
    varied = {v["name"]: v.get("values") or {} for v in doc.get("variants", [])}
    return Results(experiment, variants, sorted(repeats), cells, bodies, assets_dir, varied)


def _median(values: Sequence[float | None]) -> float | None:
    got = [v for v in values if v is not None]
    return round(statistics.median(got), 1) if got else None


def _summary_row(cells: Sequence[Cell]) -> dict[str, Any]:
    sent = [c for c in cells if c.task is not None]
    finished = [c for c in sent if c.state in ("succeeded", "failed")]
    succeeded = [c for c in sent if c.state == "succeeded"]
    credits = sum(c.credits for c in cells)
    usable = sum(c.usable for c in cells)
    return {
        "calls": len(sent), "succeeded": len(succeeded),
        "success rate": round(len(succeeded) / len(finished), 3) if finished else None,
        "median s to first audio": _median([c.latencies.get("first") for c in succeeded]),
        "median s to complete": _median([c.latencies.get("complete") for c in succeeded]),
        "credits": credits, "usable takes": usable,
        "credits per usable take": round(credits / usable, 1) if usable else None,
    }


#: summary columns that say nothing of an image, video or text cell (no audio, no music
#: credits, no rated takes)
MUSIC_ONLY = ("median s to first audio", "credits", "usable takes", "credits per usable take")


def _for_op(res: Results, frame: pd.DataFrame) -> pd.DataFrame:
    if results_are_music(res):
        return frame
    return frame.drop(columns=[c for c in MUSIC_ONLY if c in frame.columns])


def results_are_music(res: Results) -> bool:
    """Whether the experiment's cells make tracks (a music operation)."""
    operation = ops.OPERATIONS.get(res.experiment["op"])
    return operation is None or operation.family == "music"


def variant_summary(res: Results) -> pd.DataFrame:
    """One row per variant (in the grid's order); an image, video or text experiment's
    without the music columns (`MUSIC_ONLY`)."""
    rows = [{"variant": v, **_summary_row(res.column(v))} for v in res.variants]
    return _for_op(res, pd.DataFrame(rows))


def model_summary(res: Results) -> pd.DataFrame:
    """One row per model the cells asked for."""
    groups: dict[str, list[Cell]] = {}
    for cell in res.cells.values():
        model = res.bodies[cell.variant].get("model") or "(default)"
        groups.setdefault(str(model), []).append(cell)
    return _for_op(res, pd.DataFrame([{"model": m, **_summary_row(c)}
                                       for m, c in sorted(groups.items())]))


# ---- exports ----------------------------------------------------------------------------------
def export_rows(res: Results) -> list[dict[str, Any]]:
    """One row per track (per task when it has none; per cell when not sent)."""
    exp = res.experiment
    fields = sorted({k for body in res.bodies.values() for k in body})
    out = []
    for variant in res.variants:
        for cell in res.column(variant):
            task, view = cell.task, cell.view
            base = {
                "experiment_id": exp["id"], "experiment": exp["name"], "variant": variant,
                "repeat": cell.repeat, "queue_status": cell.status, "state": cell.state,
                "task_id": task["id"] if task else None,
                "provider_task_id": task.get("provider_task_id") if task else None,
                "op": exp["op"], "model": res.bodies[variant].get("model"),
                "submitted_at": task.get("submitted_at") if task else None,
                **{f"s_to_{s}": cell.latencies.get(s) for s in STAGES},
                "credits": cell.credits,
                "error": task.get("error_message") if task and cell.state == "failed" else None,
                **{f"request.{k}": res.bodies[variant].get(k) for k in fields},
            }
            base.update(_output_columns(cell.outputs, res.assets_dir))
            tracks = view.tracks if view else []
            if not tracks:
                out.append({**base, **_track_columns(None, res.assets_dir)})
            out += [{**base, **_track_columns(t, res.assets_dir)} for t in tracks]
    return out


def _local(item: board.Download, assets_dir: Path | None) -> str | None:
    if not item.rel_path:
        return None
    return str(assets_dir / item.rel_path) if assets_dir else item.rel_path


def _output_columns(made: Outputs, assets_dir: Path | None) -> dict[str, Any]:
    """A task's images, videos (provider URLs), their archived copies and its text answer."""
    files = [*made.images, *made.videos]
    return {"images": [d.url for d in made.images if d.url] or None,
            "videos": [d.url for d in made.videos if d.url] or None,
            "local_media": [p for d in files if (p := _local(d, assets_dir))] or None,
            "answer": made.answer}


def _track_columns(track: board.TrackView | None, assets_dir: Path | None) -> dict[str, Any]:
    if track is None:
        return {"track_id": None, "title": None, "duration": None, "rating": None,
                "notes": None, "audio_url": None, "local_audio": None}
    audio = track.audio
    return {"track_id": track.id, "title": track.title, "duration": track.duration,
            "rating": track.rating, "notes": track.notes,
            "audio_url": audio.url if audio else None,
            "local_audio": (str(assets_dir / audio.rel_path) if audio and audio.rel_path
                            and assets_dir else audio.rel_path if audio else None)}


def export_csv(res: Results) -> bytes:
    rows = export_rows(res)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else ["experiment_id"])
    writer.writeheader()
    writer.writerows({k: _csv_value(v) for k, v in row.items()} for row in rows)
    return out.getvalue().encode()


def _csv_value(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else value


def export_json(res: Results) -> bytes:
    exp = res.experiment
    doc = {"experiment": {k: exp[k] for k in ("id", "name", "notes", "op", "status",  # type: ignore[literal-required]
                                               "created_at", "parent_id")},
           "rows": export_rows(res)}
    return json.dumps(doc, indent=2, ensure_ascii=False, default=str).encode()
