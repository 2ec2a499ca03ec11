"""View models of the Tasks board: UI-free, built from the task log (`lib.log.TaskLog`).

* `board_page(log, ...)` - one page of recent tasks with their tracks and files (the page, its
  count, `TaskLog.board_rows` for the page's tracks and files, `TaskLog.flags_for` for their
  QA lines) plus the running count;
* `lib.views.board_detail.task_detail` - one task with its request, result, every event (poll
  answers, callbacks, requests) and a timeline;
* `lib.views.board_live` - what changes between ticks: toasts and rows kept in place;
* `elapsed_text`, `stage_label`, `explain_failure` - words for the UI.

File paths are returned relative to the assets folder (`Download.rel_path`), so a page turns
them into stable ``/api/assets/<rel>`` URLs; the provider URL is kept as a fallback for files
not archived yet.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lib import families, ops
from lib.contract.family import SENSITIVE_TEXT
from lib.families import text as text_family
from lib.provider import adapters
from lib.log import TaskFilters, TaskLog, TaskRow
from lib.qa.words import QaLine, lines_for
from lib.review.decisions import badge as review_badge
from lib.provider.reachability import REACHABILITY, Reachability
from lib.views.charges import charge_note
from lib.views.words import experiment_cell, first_line, model_label

REFRESH_SECONDS = 2.0  # the board's `st.fragment(run_every=...)` interval
RUNNING = ("pending", "processing")
WATCHED = ("pending", "processing", "unknown")
STATE_LABELS = {"pending": "Pending", "processing": "Processing", "succeeded": "Succeeded",
                "failed": "Failed", "unknown": "Unknown outcome"}
STATE_COLORS = {"pending": "gray", "processing": "blue", "succeeded": "green", "failed": "red",
                "unknown": "orange"}
STAGE_LABELS = {"queued": "Queued at the provider", "text": "Lyrics ready",
                "first": "First track ready (streaming)", "complete": "Complete",
                "error": "Stopped with an error"}
#: Provider error codes seen in polls and callbacks (contract 6.1), in plain words.
CODE_TEXT = {
    400: "the request or its content was refused (a parameter, the content policy, or an "
         "unsupported audio file)",
    408: "the provider timed out",
    413: "the uploaded audio matches an existing copyrighted work",
    451: "the provider could not download the source file (is the URL public and current?)",
    500: "the provider had an internal error; trying again later usually works",
    501: "audio generation failed at the provider",
    531: "generation failed and the credits were refunded",
}
ACTIVE_FILE_KINDS = ("mp3", "wav", "mp4")  # per-track downloads, in display order
#: Hours a provider's result links last after the task finished (DashScope: 24 h,
#: contract-media 2.6); the archived copy stays.
LINK_HOURS = {"dashscope": 24}


@dataclass(frozen=True)
class Download:
    """One downloadable file: archived (``rel_path`` under the assets dir) or provider URL."""

    kind: str
    label: str
    rel_path: str | None
    url: str | None


@dataclass(frozen=True)
class Failure:
    """Why a task failed (or may have): the provider's code and message, and our words."""

    code: Any
    message: str | None
    text: str
    #: Whether it cost credits (`lib.views.charges`).
    credits: str | None = None


@dataclass
class TrackView:
    id: str
    task_id: str
    idx: int
    title: str | None
    tags: str | None
    duration: float | None
    lyrics: str | None
    rating: int | None
    notes: str | None
    audio: Download | None          # best playable source: archived mp3 > audio url > stream
    image: Download | None
    downloads: list[Download] = field(default_factory=list)  # MP3, WAV, MP4 of this track
    stems: list[Download] = field(default_factory=list)
    #: the QA scorecard in one line (`lib.qa.words.QaLine`), None until the MP3 is scored
    qa: QaLine | None = None
    waveform: Download | None = None  # the archiver's PNG of the track (`lib.tracking.waveform`)
    #: the latest review decision (``approve`` / ``reject`` / ``flag``) and its words
    #: ("⚑ flagged: hiss", `lib.review.decisions.badge`), None when not reviewed
    review_action: str | None = None
    review: str = ""


@dataclass
class TaskView:
    id: str
    op: str
    op_label: str
    model: str | None
    title: str | None
    state: str
    state_label: str
    stage: str | None
    stage_label: str
    raw_status: str | None
    provider_task_id: str | None
    created_at: float
    finished_at: float | None
    elapsed: str
    failure: Failure | None
    tracks: list[TrackView] = field(default_factory=list)
    files: list[Download] = field(default_factory=list)  # task-level outputs (wav, stems, art)
    result: Any = None

    source_title: str | None = None  # the title of the track a transform started from
    prompt: str | None = None  # the first line of what was asked, cut to `words.PROMPT_CHARS`
    experiment_id: str | None = None
    variant: str | None = None  # the experiment variant's label
    repeat_no: int | None = None
    #: while the provider this task waits on does not answer: since when, tries, next try
    provider_note: str | None = None
    #: the API family that ran it (``music``, ``dashscope``...)
    provider: str | None = None
    #: the recipe run and step that made it (`lib.recipes`), when one did
    recipe_run_id: str | None = None
    recipe_step: str | None = None
    recipe: str | None = None

    def _titled(self) -> str | None:
        if self.title:
            return self.title
        if self.tracks and self.tracks[0].title:
            return self.tracks[0].title
        if self.source_title:
            return f"{self.op_label}: {self.source_title}"
        return None

    @property
    def name(self) -> str:
        """The task's title, else its first track's, else its source track's, else its prompt."""
        titled = self._titled()
        if titled:
            return titled
        if self.prompt:
            return first_line(self.prompt, 60) or self.op_label
        return self.op_label

    @property
    def asked(self) -> str | None:
        """What was asked, in one line: ``“the prompt” · variant: rock-fast · repeat 2`` (the
        prompt is left out when it already names the task)."""
        parts = [f"“{self.prompt}”"] if self.prompt and self._titled() else []
        cell = experiment_cell(self.variant, self.repeat_no)
        if cell:
            parts.append(cell)
        return " · ".join(parts) or None

    @property
    def model_text(self) -> str:
        """The requested model in words (``V4.5``), or ""."""
        return model_label(self.model)

    @property
    def terminal(self) -> bool:
        return self.state in ("succeeded", "failed")


@dataclass
class BoardPage:
    tasks: list[TaskView]
    total: int
    running: int


# -- words --------------------------------------------------------------------------------------
def elapsed_text(seconds: float) -> str:
    """``"7 s"``, ``"2 min 05 s"``, ``"1 h 03 min"``, ``"2 d 4 h"``."""
    s = max(0, int(seconds))
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60:02d} s"
    if s < 86400:
        return f"{s // 3600} h {s % 3600 // 60:02d} min"
    return f"{s // 86400} d {s % 86400 // 3600} h"


def op_label(op: str) -> str:
    return ops.label(op)


def ops_filter_label(chosen: list[str] | tuple[str, ...]) -> str:
    """The board's operation filter button: ``All operations``, the one chosen, or a count."""
    if not chosen:
        return "All operations"
    if len(chosen) == 1:
        return op_label(chosen[0])
    return f"{len(chosen)} operations"


def stage_label(state: str, stage: str | None, provider_task_id: str | None) -> str:
    """What is happening now, in words."""
    if state == "unknown":
        return "No answer to the create request"
    if state == "pending" and not provider_task_id:
        return "Sending to the provider"
    if state == "failed" and stage != "error":
        return "Rejected" if not provider_task_id else STAGE_LABELS["error"]
    return STAGE_LABELS.get(stage or "queued", stage or "")


def result_summary(op: str, result: Any) -> str | None:
    """One line about a task's non-file result (lyrics variants, persona, style, notes...)."""
    operation = ops.OPERATIONS.get(op)
    if operation is not None and operation.summarize is not None:
        return operation.summarize(result)
    return None if result is None else str(result)[:200]


def result_text(op: str, result: Any) -> str | None:
    """The whole text of a task's result when the result is a text (a text call's answer,
    `lib.families.text`): the detail shows it in full, the card its summary line."""
    operation = ops.OPERATIONS.get(op)
    if operation is None or operation.family != text_family.FAMILY.name:
        return None
    return text_family.answer_of(result)


def explain_failure(task: Mapping[str, Any]) -> Failure | None:
    """Our words for a failed or unknown task, keeping the provider's code and message."""
    state, code, message = task["state"], task.get("error_code"), task.get("error_message")
    note = charge_note(task)
    if state == "unknown":
        return Failure(code, message, message or "The request was sent and nothing proves whether "
                       "the job was made; the provider may have started it. It was not "
                       "resubmitted.", note)
    if state != "failed":
        return None
    raw = str(task.get("raw_status") or "").upper()
    if not raw:  # rejected at create time: the tracker stored our explanation already
        return Failure(code, message, message or "The provider rejected the request.", note)
    own = families.FAMILIES.get(task.get("family") or "")
    words = next((text for fam in ([own] if own else families.FAMILIES.values())
                  if (text := fam.failure_text(raw) or fam.failure_text(raw.lower()))), None)
    parts = [words or f"The provider reported {raw}."]
    low = (message or "").lower()
    if raw != "SENSITIVE_WORD_ERROR" and ("sensitive" in low or "artist" in low):
        parts.append(SENSITIVE_TEXT)
    try:
        reason = CODE_TEXT.get(int(code)) if code is not None else None
    except (TypeError, ValueError, OverflowError):
        reason = None
    if reason:
        parts.append(f"Reason: {reason}.")
    elif code is not None and (words := provider_words(task, code)):
        parts.append(words)
    if message:
        parts.append(f"Provider says: “{message}”.")
    return Failure(code, message, " ".join(parts), note)


def provider_words(task: Mapping[str, Any], code: Any) -> str | None:
    """The shared vocabulary's sentence for a code another provider reported on a failed task
    (DashScope's ``output.code``...): the same words a music refusal of that kind gets."""
    kind = adapters.ADAPTERS.get(str(task.get("provider") or "music"))
    if kind is None or kind.name == "music":
        return None
    return kind.error(code).sentence()


# -- files --------------------------------------------------------------------------------------
def rel_path(local_path: str | None, assets_dir: Path | None) -> str | None:
    """``local_path`` relative to the assets folder (posix), or None when not under it."""
    if not local_path:
        return None
    path = Path(local_path)
    if assets_dir is not None:
        try:
            return path.resolve().relative_to(assets_dir).as_posix()
        except ValueError:
            pass
    return f"{path.parent.name}/{path.name}" if path.parent.name else None


def _download(asset: Mapping[str, Any], assets_dir: Path | None) -> Download:
    done = asset["status"] == "done"
    return Download(asset["kind"], families.asset_label(asset["kind"]),
                    rel_path(asset["local_path"], assets_dir) if done else None, asset["url"])


def _track_view(row: Mapping[str, Any], assets: Sequence[Mapping[str, Any]],
                assets_dir: Path | None) -> TrackView:
    by_kind = {a["kind"]: _download(a, assets_dir) for a in assets}
    audio = by_kind.get("mp3")
    if audio is None or (audio.rel_path is None and not audio.url):
        url = row["audio_url"] or row["stream_audio_url"]
        audio = Download("mp3", "MP3", None, url) if url else None
    image = by_kind.get("image")
    if image is None and row["image_url"]:
        image = Download("image", "Image", None, row["image_url"])
    downloads = [by_kind[k] for k in ACTIVE_FILE_KINDS if k in by_kind]
    if "mp3" not in by_kind and row["audio_url"]:
        downloads.insert(0, Download("mp3", "MP3", None, row["audio_url"]))
    stems = sorted((d for k, d in by_kind.items() if k.startswith("stem:")), key=lambda d: d.kind)
    wave = by_kind.get("waveform")
    return TrackView(row["id"], row["task_id"], row["idx"], row["title"], row["tags"],
                     row["duration"], row["lyrics"], row["rating"], row["notes"], audio, image,
                     downloads, stems,
                     waveform=wave if wave is not None and wave.rel_path else None)


def _loads(text: str | None) -> Any:
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def task_view(task: Mapping[str, Any], tracks: Sequence[Mapping[str, Any]],
              assets: Sequence[Mapping[str, Any]], assets_dir: Path | None,
              now: float | None = None) -> TaskView:
    """A `TaskView` from a task row, its track rows, and asset rows (its own and its tracks')."""
    now = time.time() if now is None else now
    end = task["finished_at"] or (now if task["state"] in RUNNING else task["updated_at"])
    own = [a for a in assets if a["task_id"] == task["id"]]
    by_track: dict[str, list[Mapping[str, Any]]] = {}
    for a in assets:
        if a["track_id"] and (a["task_id"] == task["id"] or a["status"] == "done"):
            by_track.setdefault(a["track_id"], []).append(a)
    views = [_track_view(t, by_track.get(t["id"], []), assets_dir) for t in tracks]
    track_ids = {t["id"] for t in tracks}
    files = [_download(a, assets_dir) for a in own if a["track_id"] not in track_ids]
    return TaskView(
        task["id"], task["op"], op_label(task["op"]), task["model"], task["title"],
        task["state"], STATE_LABELS.get(task["state"], task["state"]), task["stage"],
        stage_label(task["state"], task["stage"], task["provider_task_id"]),
        task["raw_status"], task["provider_task_id"], task["created_at"], task["finished_at"],
        elapsed_text(end - task["created_at"]), explain_failure(task), views, files,
        _loads(task["result_json"]), prompt=first_line(task["prompt"]),
        experiment_id=task.get("experiment_id"), variant=task.get("variant"),
        repeat_no=task.get("repeat_no"), provider=task.get("provider"))


def link_note(view: TaskView, now: float | None = None) -> str | None:
    """How long the provider's result links of a finished ``view`` still work, when its
    provider's links expire (DashScope's after 24 h): "Provider link expires in 23 h; the
    archived copy stays." None when they do not expire or the task has no files."""
    hours = LINK_HOURS.get(view.provider or "")
    if hours is None or view.finished_at is None or not view.files:
        return None
    now = time.time() if now is None else now
    left = view.finished_at + hours * 3600 - now
    archived = all(d.rel_path for d in view.files)
    kept = "the archived copy stays" if archived else "not archived yet: download it before then"
    if left <= 0:
        ago = max(int(-left // 3600), 0)
        when = f"{ago} h ago" if ago else "within the hour"
        return f"Provider link expired {when} ({hours} h after the task finished); " + (
            "the archived copy stays." if archived else "no archived copy.")
    n = int(left // 3600)
    return (f"Provider link expires in {n} h" if n else "Provider link expires within the hour"
            ) + f" ({hours} h after the task finished); {kept}."


# -- queries ------------------------------------------------------------------------------------
def page_views(log: TaskLog, tasks: list[TaskRow], assets_dir: Path | None,
               now: float | None = None, derived: bool | None = None,
               reach: Reachability | None = None) -> list[TaskView]:
    """Views for a page of task rows: their tracks and files in one `TaskLog.board_rows` call.

    ``derived`` also fetches files other tasks made from these tracks (WAV, stems, MP4); by
    default only when the log can find them cheaply.
    """
    if not tasks:
        return []
    tracks, assets, titles = log.board_rows(tasks, derived=derived)
    by_task: dict[str, list] = {}
    for t in tracks:
        by_task.setdefault(t["task_id"], []).append(t)
    views = [task_view(t, by_task.get(t["id"], []), assets, assets_dir, now) for t in tasks]
    reach = REACHABILITY if reach is None else reach
    links = log.recipe_links([t["id"] for t in tasks])
    for view, task in zip(views, tasks, strict=True):
        if (link := links.get(task["id"])) is not None:
            view.recipe_run_id, view.recipe_step, view.recipe = link
        view.source_title = titles.get(task["source_audio_id"] or "")
        if task["state"] in RUNNING:  # only a task still waiting on its provider
            view.provider_note = reach.get(task.get("base_url")).words(now)
    ids = [t["id"] for t in tracks]
    qa = lines_for(log, ids)  # the page's scorecards and review decisions: one read each
    reviews = log.latest_reviews(ids) if ids else {}
    for view in views:
        for track in view.tracks:
            track.qa = qa.get(track.id)
            if (row := reviews.get(track.id)) is not None and (words := review_badge(row)):
                track.review_action, track.review = row["action"], words
    return views


def board_page(log: TaskLog, *, limit: int = 10, offset: int = 0, state: Any = None,
               op: Any = None, assets_dir: Path | None = None, now: float | None = None,
               total: int | None = None, text: str | None = None) -> BoardPage:
    """One page of recent tasks (newest first), filtered and paginated by the log; pass
    ``total`` when the caller has just counted the same filters. ``text`` searches titles
    and prompts (a text task's prompt is its brief or question)."""
    filters: dict[str, Any] = {"state": state or None, "op": op or None,
                               "text": (text or "").strip() or None}
    total = log.count_tasks(**filters) if total is None else total
    tasks = log.page_tasks(TaskFilters(**filters), limit=limit, offset=offset, matches=total)
    return BoardPage(page_views(log, tasks, assets_dir, now), total, log.running_count())


def views_for(log: TaskLog, task_ids: list[str], assets_dir: Path | None = None,
              now: float | None = None) -> dict[str, TaskView]:
    """Views of given tasks (primary-key lookups), e.g. rows kept on screen between ticks."""
    if not task_ids:
        return {}
    return {v.id: v for v in page_views(log, log.get_tasks(task_ids), assets_dir, now)}


def count(log: TaskLog, *, state: Any = None, op: Any = None, text: str | None = None) -> int:
    """Tasks matching the board's filters (its pager)."""
    return log.count_tasks(state=state or None, op=op or None,
                           text=(text or "").strip() or None)


def export_query(state: Any = None, op: Any = None, text: str | None = None) -> str:
    """The query of the export route for the board's filters (``state=a,b&op=c&q=...``)."""
    from urllib.parse import urlencode

    parts = {"state": ",".join(state or []), "op": ",".join(op or []),
             "q": (text or "").strip()}
    return urlencode({k: v for k, v in parts.items() if v})


def orphan_callbacks(log: TaskLog, limit: int = 20) -> list[Any]:
    """Callback deliveries that named no task of ours, newest first (shown for support)."""
    return log.orphan_callbacks(limit=limit)
