"""The task detail view's model: one task with its request, events and timeline (UI-free)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lib.log import TaskLog, TaskRow
from lib.views.board import TaskView, _loads, page_views


# -- detail view --------------------------------------------------------------------------------
@dataclass
class TaskDetail:
    view: TaskView
    task: TaskRow
    request: Any
    events: list[dict[str, Any]]  # rows with ``body`` / ``headers`` parsed from JSON
    timeline: list[dict]      # {"at", "offset_s", "what"} in time order


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
    return TaskDetail(view, task, _loads(task["request_json"]), events, timeline(task, events))
