"""The Library's logic, UI-free: filters -> the log's queries, pagination, selections, export,
comparison.

Everything is paginated by the log (`lib.log.TaskLog.library_tracks` / `page_tasks`, filters in
`lib.log.filters`); only the rows of one page, or of an explicit selection, are ever loaded.
Dates are calendar days in the user's time zone: ``date_to`` is inclusive.

Besides tracks and tasks, the Library lists **images and videos** (`media_page`,
`media_items`): the pictures of image tasks (Qwen-Image, Kling) and of cover art tasks, and the
videos of video tasks (DashScope, Kling), one `MediaItem` per file of a succeeded task, under the
same filters (text, model, operation, dates), paged by task.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from datetime import time as dtime
from pathlib import Path
from typing import Any

from lib import ops
from lib.log import TaskFilters, TaskLog, TrackFilters
from lib.qa.words import PROBLEM_FLAGS, QaLine, lines_for
from lib.review.decisions import STATUS_WORDS
from lib.views.board import STATE_LABELS, op_label, rel_path
from lib.views.words import experiment_cell, first_line, model_label, tags_text

PAGE_SIZES = (10, 25, 50, 100)
#: Export columns: stored values (``model`` as sent, ``op`` the operation's name), so a
#: spreadsheet can group by them; ``prompt`` is the whole searchable request text.
EXPORT_FIELDS = ("track_id", "task_id", "provider_task_id", "experiment_id", "variant",
                 "repeat", "title", "prompt", "tags", "duration", "model", "model_name", "op",
                 "state", "created", "rating", "notes", "audio_url", "stream_audio_url",
                 "image_url", "local_audio", "local_image", "files", "lyrics",
                 "review", "review_reason", "reviewer", "reviewed", "qa", "qa_problems")


@dataclass
class LibraryFilters:
    """What the user asked for; empty values mean "any"."""

    text: str = ""
    model: list[str] = field(default_factory=list)
    op: list[str] = field(default_factory=list)
    state: list[str] = field(default_factory=list)
    date_from: date | None = None
    date_to: date | None = None
    min_rating: int | None = None
    #: only tracks whose QA scorecard has a problem or a warning (tracks only)
    qa_problems: bool = False

    def track_kwargs(self, tz: tzinfo | None = None) -> dict[str, Any]:
        """`kwargs` plus the track-only filters (`TaskLog.count_tracks`, `library_tracks`)."""
        out = self.kwargs(tz)
        if self.qa_problems:
            out["qa"] = list(PROBLEM_FLAGS)
        return out

    def kwargs(self, tz: tzinfo | None = None) -> dict[str, Any]:
        """Keyword filters for `TaskLog.list_tracks/count_tracks/list_tasks/count_tasks`."""
        out: dict[str, Any] = {}
        if self.text and self.text.strip():
            out["text"] = self.text.strip()
        for name in ("model", "op", "state"):
            if getattr(self, name):
                out[name] = list(getattr(self, name))
        if self.date_from:
            out["created_from"] = day_start(self.date_from, tz)
        if self.date_to:
            out["created_to"] = day_start(self.date_to + timedelta(days=1), tz)
        if self.min_rating:
            out["min_rating"] = int(self.min_rating)
        return out

    @property
    def active(self) -> bool:
        return bool(self.track_kwargs())


def day_start(day: date, tz: tzinfo | None = None) -> float:
    """Epoch seconds of midnight starting ``day`` (``tz=None``: the server's local zone)."""
    moment = datetime.combine(day, dtime.min)
    return (moment.replace(tzinfo=tz) if tz else moment).timestamp()


def page_count(total: int, per_page: int) -> int:
    return max(1, math.ceil(total / per_page))


def clamp_page(page: int, total: int, per_page: int) -> int:
    return min(max(1, int(page or 1)), page_count(total, per_page))


def offset(page: int, per_page: int) -> int:
    return (max(1, page) - 1) * per_page


@dataclass
class Page:
    rows: Sequence[Mapping[str, Any]]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return page_count(self.total, self.per_page)


def count_tracks(log: TaskLog, filters: LibraryFilters, tz: tzinfo | None = None) -> int:
    """How many tracks match (every track has a task, so no join without filters)."""
    kw = filters.track_kwargs(tz)
    if not kw:
        return log.count_all_tracks()
    return log.count_tracks(**kw)


def track_page(log: TaskLog, filters: LibraryFilters, page: int = 1, per_page: int = 25,
               tz: tzinfo | None = None, matches: int | None = None) -> Page:
    """One page of tracks (newest task first, then provider order) for these filters.

    The match count lets the log pick the cheaper plan (`TaskLog.library_tracks`).
    """
    kw = filters.track_kwargs(tz)
    matches = count_tracks(log, filters, tz) if matches is None else matches
    page = clamp_page(page, matches, per_page)
    rows = log.library_tracks(TrackFilters(**kw), limit=per_page,
                              offset=offset(page, per_page), matches=matches)
    return Page(rows, matches, page, per_page)


def task_page(log: TaskLog, filters: LibraryFilters, page: int = 1, per_page: int = 25,
              tz: tzinfo | None = None, matches: int | None = None) -> Page:
    """One page of tasks (newest first) for these filters."""
    kw = filters.kwargs(tz)
    matches = log.count_tasks(**kw) if matches is None else matches
    page = clamp_page(page, matches, per_page)
    rows = log.page_tasks(TaskFilters(**kw), limit=per_page, offset=offset(page, per_page),
                          matches=matches)
    return Page(rows, matches, page, per_page)


def distinct_models(log: TaskLog) -> list[str]:
    """Models seen in the log."""
    return log.distinct_models()


def _when(ts: float | None) -> str | None:
    return datetime.fromtimestamp(ts).isoformat(timespec="seconds") if ts else None


def _shown(ts: float | None) -> str | None:
    return datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M") if ts else None


def state_label(state: str | None) -> str:
    return STATE_LABELS.get(state or "", state or "")


def track_table(rows: Sequence[Mapping[str, Any]],
                qa: Mapping[str, QaLine] | None = None) -> list[dict]:
    """Display rows for a page of `list_tracks` rows, in words: what was asked (the prompt's
    first line, the experiment variant and repeat), the requested model (never the provider's
    internal model name), tags and states as said; with ``qa`` (`lib.qa.words.lines_for` of
    the page) a ``QA`` column: the worst problems, or "✔ QA ok", or "" when not scored."""
    qa = qa or {}
    return [{
        "title": r["title"] or "Untitled", "prompt": first_line(r.get("task_prompt")) or "",
        "variant": experiment_cell(r.get("task_variant"), r.get("task_repeat_no"),
                                   named=False) or "",
        "QA": line.text if (line := qa.get(r["id"])) else "",
        "tags": tags_text(r["tags"]),
        "duration": round(r["duration"], 1) if r["duration"] else None,
        "rating": "★" * (r["rating"] or 0), "model": model_label(r["task_model"]),
        "operation": op_label(r["task_op"]), "state": state_label(r["task_state"]),
        "created": _shown(r["task_created_at"]), "notes": r["notes"] or "",
    } for r in rows]


def task_table(rows: Sequence[Mapping[str, Any]]) -> list[dict]:
    """Display rows for a page of `list_tasks` rows (words as in `track_table`)."""
    return [{
        "title": r["title"] or "", "prompt": first_line(r.get("prompt")) or "",
        "variant": experiment_cell(r.get("variant"), r.get("repeat_no"), named=False) or "",
        "operation": op_label(r["op"]), "model": model_label(r["model"]),
        "state": state_label(r["state"]), "status": r["raw_status"],
        "created": _shown(r["created_at"]), "error": r["error_message"] or "", "id": r["id"],
    } for r in rows]


# -- selections ---------------------------------------------------------------------------------
def selection(log: TaskLog, track_ids: list[str],
              assets_dir: Path | None = None) -> list[dict]:
    """Full rows of the selected tracks (in the given order), with their task, local files,
    latest review decision (``review``: a `TrackReviewRow` or None) and QA line (``qa``: a
    `QaLine` or None), so an export carries what the table shows."""
    if not track_ids:
        return []
    found = log.selection_rows(track_ids)
    reviews = log.latest_reviews(track_ids)
    qa = lines_for(log, track_ids)
    rows = {r["id"]: r for r in found.tracks}
    files: dict[str, dict[str, str | None]] = {}
    for r in rows.values():  # the archiver records a track's own mp3 and image here
        own = {"mp3": r["local_audio_path"], "image": r["local_image_path"]}
        files[r["id"]] = {k: rel_path(v, assets_dir) for k, v in own.items() if v}
    for a in found.files:  # WAV, stems, MP4 made by other tasks
        files.setdefault(a["track_id"], {})[a["kind"]] = rel_path(a["local_path"], assets_dir)
    out = []
    for tid in track_ids:
        if tid in rows:
            row = dict(rows[tid])
            row["files"] = files.get(tid, {})
            row["review"], row["qa"] = reviews.get(tid), qa.get(tid)
            out.append(row)
    return out


def export_rows(rows: list[dict]) -> list[dict]:
    """Flat, documented rows (`EXPORT_FIELDS`) for CSV/JSON export."""
    return [{
        "track_id": r["id"], "task_id": r["task_id"], "provider_task_id": r.get("provider_task_id"),
        "experiment_id": r.get("task_experiment_id"), "variant": r.get("task_variant"),
        "repeat": r.get("task_repeat_no"), "title": r["title"], "prompt": r.get("task_prompt"),
        "tags": r["tags"], "duration": r["duration"],
        "model": r.get("task_model"), "model_name": r["model_name"], "op": r.get("task_op"),
        "state": r.get("task_state"), "created": _when(r.get("task_created_at")),
        "rating": r["rating"], "notes": r["notes"], "audio_url": r["audio_url"],
        "stream_audio_url": r["stream_audio_url"], "image_url": r["image_url"],
        "local_audio": r.get("files", {}).get("mp3"),
        "local_image": r.get("files", {}).get("image"),
        "files": r.get("files", {}), "lyrics": r["lyrics"],
        **_review_fields(r.get("review")), **_qa_fields(r.get("qa")),
    } for r in rows]


def _review_fields(review: Mapping[str, Any] | None) -> dict[str, Any]:
    """The latest decision in words ("Approved", "Rejected", "Flagged"), why, who and when;
    all empty for a take nobody decided on."""
    if not review:
        return {"review": None, "review_reason": None, "reviewer": None, "reviewed": None}
    return {"review": STATUS_WORDS.get(review["action"], review["action"]),
            "review_reason": review.get("reason"), "reviewer": review.get("reviewer"),
            "reviewed": _when(review.get("at"))}


def _qa_fields(line: QaLine | None) -> dict[str, Any]:
    """The QA verdict (``ok``, ``warn``, ``fail``, ``skip``) and the table's words for it;
    empty for a track without a scorecard."""
    if line is None:
        return {"qa": None, "qa_problems": None}
    return {"qa": line.worst, "qa_problems": line.text}


def export_csv(rows: list[dict]) -> bytes:
    """UTF-8 CSV (with BOM, so spreadsheets read accents) of `export_rows`."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=EXPORT_FIELDS, extrasaction="ignore")
    writer.writeheader()
    for row in export_rows(rows):
        writer.writerow({**row, "files": json.dumps(row["files"], ensure_ascii=False)})
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def export_json(rows: list[dict]) -> bytes:
    """Pretty JSON list of `export_rows`."""
    return json.dumps(export_rows(rows), ensure_ascii=False, indent=2).encode("utf-8")


# -- comparison ---------------------------------------------------------------------------------
COMPARE_FIELDS = (("Title", "title"), ("Prompt", "task_prompt"), ("Variant", "task_variant"),
                  ("Repeat", "task_repeat_no"), ("Experiment", "task_experiment_id"),
                  ("Tags", "tags"), ("Duration (s)", "duration"), ("Model", "task_model"),
                  ("Operation", "task_op"), ("Rating", "rating"), ("Created", "task_created_at"))
_SHOWN: dict[str, Any] = {
    "task_created_at": _shown, "task_op": op_label, "task_model": model_label,
    "tags": tags_text, "task_prompt": lambda v: first_line(v, 200),
    "duration": lambda v: round(v, 1), "task_experiment_id": lambda v: v[:8]}


def compare_table(rows: list[dict]) -> list[dict]:
    """One row per attribute, one column per track (``"#1 title"`` ...), in words."""
    heads = [f"#{i} {r['title'] or 'Untitled'}" for i, r in enumerate(rows, start=1)]
    table = []
    for label, key in COMPARE_FIELDS:
        line = {"": label}
        for head, r in zip(heads, rows, strict=True):
            value = r.get(key)
            if value is not None and value != "" and key in _SHOWN:
                value = _SHOWN[key](value)
            line[head] = "" if value is None else str(value)
        table.append(line)
    return table


def loudness_curve(path: str | Path, points: int = 200) -> dict[str, list[float]]:
    """``{"t": seconds, "rms_db": dBFS}`` - a short loudness envelope of an archived file.

    Uses `lib.media.audio.decode` (pydub + the pip ffmpeg); callers should cache it.
    """
    import numpy as np

    from lib.media.audio import decode

    samples, rate = decode(path)
    mono = samples.mean(axis=1) if samples.ndim == 2 else samples
    if mono.size == 0:
        return {"t": [], "rms_db": []}
    n = max(1, min(points, mono.size))
    window = mono.size // n
    frames = mono[: window * n].reshape(n, window)
    rms = np.sqrt(np.mean(np.square(frames, dtype=np.float64), axis=1))
    db = 20 * np.log10(np.maximum(rms, 1e-6))
    t = (np.arange(n) + 0.5) * window / rate
    return {"t": [round(float(x), 3) for x in t], "rms_db": [round(float(x), 2) for x in db]}


def rate(log: TaskLog, track_id: str, stars: int | None) -> None:
    """A track's rating, 1-5 stars (None: not rated)."""
    log.set_rating(track_id, stars)


def annotate(log: TaskLog, track_id: str, notes: str | None) -> None:
    """A track's notes (empty: none)."""
    log.set_notes(track_id, notes or None)


# -- images and videos -----------------------------------------------------------------------
#: Task families whose files are pictures, then those whose files are videos.
IMAGE_FAMILIES = ("dashscope_sync_image", "kling_image", "cover")
VIDEO_FAMILIES = ("dashscope_video", "kling_video")


def media_kind(kind: str) -> str | None:
    """``image`` for a picture asset (``image``, ``image:N``, ``cover:N``), ``video`` for a
    made video (``video``, ``video:N``), else None."""
    head = kind.partition(":")[0]
    return {"image": "image", "cover": "image", "video": "video"}.get(head)


def media_ops(chosen: Sequence[str] = ()) -> list[str]:
    """The operations whose tasks make images or videos (of ``chosen`` when any is chosen)."""
    names = [o for fam in (*IMAGE_FAMILIES, *VIDEO_FAMILIES) for o in ops.of_family(fam)]
    return [o for o in names if o in chosen] if chosen else names


@dataclass(frozen=True)
class MediaItem:
    """One image or video the Library shows: its file (archived copy, provider link) and what
    was asked."""

    key: str            # "<task id>:<asset kind>" (a demo playlist's media item)
    task_id: str
    asset_kind: str     # image:1, cover:2, video...
    kind: str           # "image" | "video"
    op: str
    prompt: str
    model: str | None
    created_at: float
    rel_path: str | None  # the archived copy, relative to the assets folder
    url: str | None       # the provider's link (may have expired)
    variant: str | None = None

    @property
    def label(self) -> str:
        """"Album cover: neon city · Image (Qwen-Image) · 2026-12-07 01:10"."""
        return " · ".join(x for x in (self.prompt or "Untitled", op_label(self.op),
                                       _shown(self.created_at)) if x)


def _media_filters(filters: LibraryFilters, tz: tzinfo | None) -> dict[str, Any] | None:
    kw = filters.kwargs(tz)
    kw.pop("min_rating", None)  # ratings are tracks'
    names = media_ops(filters.op)
    if not names:
        return None
    kw["op"] = names
    kw["state"] = ["succeeded"]
    return kw


def count_media(log: TaskLog, filters: LibraryFilters, tz: tzinfo | None = None) -> int:
    """Succeeded image and video tasks matching these filters."""
    kw = _media_filters(filters, tz)
    return 0 if kw is None else log.count_tasks(**kw)


def media_page(log: TaskLog, filters: LibraryFilters, page: int = 1, per_page: int = 25,
               tz: tzinfo | None = None, matches: int | None = None) -> Page:
    """One page of succeeded image and video tasks (newest first) for these filters."""
    kw = _media_filters(filters, tz)
    if kw is None:
        return Page([], 0, 1, per_page)
    matches = log.count_tasks(**kw) if matches is None else matches
    page = clamp_page(page, matches, per_page)
    rows = log.page_tasks(TaskFilters(**kw), limit=per_page, offset=offset(page, per_page),
                          matches=matches)
    return Page(rows, matches, page, per_page)


def media_items(log: TaskLog, tasks: Sequence[Mapping[str, Any]],
                assets_dir: Path | None = None) -> list[MediaItem]:
    """The images and videos of these tasks, in their order (a task's files in kind order)."""
    out = []
    for task in tasks:
        prompt = first_line(task.get("prompt") or task.get("title")) or ""
        for asset in sorted(log.assets_for(task["id"]), key=lambda a: a["kind"]):
            kind = media_kind(asset["kind"])
            if kind is None or asset.get("track_id"):
                continue
            done = asset["status"] == "done" and asset.get("local_path")
            out.append(MediaItem(
                f"{task['id']}:{asset['kind']}", task["id"], asset["kind"], kind, task["op"],
                prompt, task.get("model"), task["created_at"],
                rel_path(asset["local_path"], assets_dir) if done else None, asset.get("url"),
                experiment_cell(task.get("variant"), task.get("repeat_no"), named=False)))
    return out


def media_item(log: TaskLog, key: str, assets_dir: Path | None = None) -> MediaItem | None:
    """One image or video by its key (``<task id>:<asset kind>``), or None."""
    task_id, _, kind = key.partition(":")
    task = log.get_task(task_id) if task_id and kind else None
    if task is None:
        return None
    return next((m for m in media_items(log, [task], assets_dir) if m.asset_kind == kind), None)


def count_tasks(log: TaskLog, filters: LibraryFilters, tz: tzinfo | None = None) -> int:
    """Tasks matching these filters (the Tasks view's pager)."""
    return log.count_tasks(**filters.kwargs(tz))
