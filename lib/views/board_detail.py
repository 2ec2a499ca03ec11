"""The task detail view's model: one task with its request, events and timeline (UI-free), and
`lookup_task`, which finds the task an id in a link or a message names."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lib import families
from lib.log import MediaQaRow, TaskLog, TaskRow
from lib.log.filters import MIN_ID_PREFIX, id_token
from lib.qa.scorecard import Scorecard
from lib.views.board import TaskView, _loads, page_views
from lib.views.words import plural

#: At most this many tasks are listed when an id is ambiguous.
AMBIGUOUS_LIMIT = 10


# -- which task an id names ------------------------------------------------------------------------
@dataclass(frozen=True)
class TaskLookup:
    """What an id names: ``task`` when exactly one task, else ``matches`` (ambiguous, newest
    first) or none, with ``message`` saying so in words."""

    ref: str
    task: TaskRow | None
    matches: list[TaskRow]
    message: str | None


def lookup_task(log: TaskLog, ref: str | None) -> TaskLookup:
    """The task ``ref`` names: its local id (32 hex characters), the 8 characters the app's
    messages show or any unique prefix of at least 6, or its provider task id."""
    token = id_token(ref) or ""
    if not token:
        return TaskLookup("", None, [], "No task id given.")
    found = log.resolve_task(token, limit=AMBIGUOUS_LIMIT)
    if len(found) == 1:
        return TaskLookup(token, found[0], found, None)
    if found:
        count = (f"{AMBIGUOUS_LIMIT} or more tasks" if len(found) >= AMBIGUOUS_LIMIT
                 else plural(len(found), "task"))
        return TaskLookup(token, None, found, f"“{token}” matches {count}: pick one, or "
                          "give more characters of its id.")
    hex_chars = all(c in "0123456789abcdefABCDEF" for c in token)
    if hex_chars and len(token) < MIN_ID_PREFIX:
        return TaskLookup(token, None, [], f"“{token}” is too short to find a task: give at "
                          f"least {MIN_ID_PREFIX} characters of its id.")
    return TaskLookup(token, None, [], f"No task has the id “{token}”: it is neither the "
                      "start of a local task id nor a provider task id in this log.")


# -- detail view --------------------------------------------------------------------------------
@dataclass
class TaskDetail:
    view: TaskView
    task: TaskRow
    request: Any
    events: list[dict[str, Any]]  # rows with ``body`` / ``headers`` parsed from JSON
    timeline: list[dict]      # {"at", "offset_s", "what"} in time order
    #: the QA scorecard of each track that has one (`lib.qa`)
    scorecards: dict[str, Scorecard] = field(default_factory=dict)
    #: the QA line of each archived image or video of the task (`lib.qa.media`)
    media_qa: list[MediaQaLine] = field(default_factory=list)


#: the colour of each QA flag on screen
FLAG_COLORS = {"ok": "green", "warn": "orange", "fail": "red", "skip": "gray"}


@dataclass(frozen=True)
class MediaQaLine:
    """One archived image or video's QA: which file (``label``), its line and flag."""

    kind: str
    label: str
    text: str
    worst: str

    @property
    def color(self) -> str:
        return FLAG_COLORS.get(self.worst, "gray")


def media_qa_lines(rows: Sequence[MediaQaRow]) -> list[MediaQaLine]:
    """The task's image and video QA, one line per file, in the order they were archived."""
    return [MediaQaLine(r["kind"], families.asset_label(r["kind"]), r["summary"], r["worst"])
            for r in rows]


def timeline(task: Mapping[str, Any], events: Sequence[Mapping[str, Any]]) -> list[dict]:
    """Timestamps of what happened: created, sent, each new provider status, callbacks, states,
    files archived, finished."""
    marks: list[tuple[float, str]] = [(task["created_at"], "Logged (before sending)")]
    if task["submitted_at"]:
        marks.append((task["submitted_at"], "Accepted by the provider" if task["provider_task_id"]
                      else "Request sent"))
    last_status = None
    for e in events:
        if e["kind"] == "poll" and e["note"] and e["note"] != last_status:
            last_status = e["note"]
            marks.append((e["at"], f"Provider status {e['note']}"))
        elif e["kind"] == "state":
            marks.append((e["at"], f"State {e['note']}"))
        elif e["kind"] == "callback":
            marks.append((e["at"], f"Callback {(e['note'] or '').split(' task=')[0]}"))
        elif e["kind"] == "asset":
            marks.append((e["at"], f"Archived {e['note'] or ''}".strip()))
        elif e["kind"] == "error":
            marks.append((e["at"], f"Error: {(e['note'] or '')[:120]}"))
    marks.sort(key=lambda m: m[0])
    if task["finished_at"]:  # after the poll that finished it, even if logged a moment later
        ends = [at for at, what in marks if what.startswith("State ") and "->" in what
                and what.endswith(task["state"])]
        at = max([task["finished_at"], *ends])
        marks.insert(sum(1 for m in marks if m[0] <= at), (at, f"Finished ({task['state']})"))
    start = task["created_at"]
    return [{"at": at, "offset_s": round(at - start, 2), "what": what} for at, what in marks]


def task_detail(log: TaskLog, task_id: str, *, assets_dir: Path | None = None,
                now: float | None = None, event_limit: int = 500) -> TaskDetail | None:
    """Everything the detail view shows, or None for an unknown id."""
    task = log.get_task(task_id)
    if task is None:
        return None
    view = page_views(log, [task], assets_dir, now, derived=True)[0]
    events: list[dict[str, Any]] = [
        {**e, "body": _loads(e.get("body_json")), "headers": _loads(e.get("headers_json"))}
        for e in log.events_for(task_id, limit=event_limit)]
    cards = {tid: Scorecard.from_dict(json.loads(row["scorecard_json"]))
             for tid, row in log.scorecards([t.id for t in view.tracks]).items()}
    return TaskDetail(view, task, _loads(task["request_json"]), events, timeline(task, events),
                      cards, media_qa_lines(log.media_qa_for(task_id)))
