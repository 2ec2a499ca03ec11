"""UI-free logic behind the operation forms (importable without Streamlit).

Everything per operation comes from its `lib.ops` module; this module only interprets it:

* which fields a form shows (`field_visible`), counters and error grouping;
* sources (from `lib.views.sources`, re-exported): finished tracks (`finished_tracks`,
  `source_for`), finished tasks of an operation or family (`finished_tasks`), personas;
* one-click links: `transform_link(op, track)` -> ``{"op", "track"}`` query params that open the
  operation's page with that track as the source; `parse_link(params, page)`;
  `prefill(op, source)` gives the form values for a source;
* preparing a request (body + every `FieldError`) is contract logic: `lib.contract.prepare`;
* `recent_duplicate(log, op, body)`: the duplicate-submit guard (identical body within 10 s);
* `submit(tracker, op, body)` -> `Outcome` read back from the task row; `current_outcome`
  re-reads it as the task moves on, `still_running` says whether it still may;
* uploads: `upload_source(rt, name, data)` (from `lib.views.sources`) checks, uploads
  (`lib.provider.uploads`) and records a file with its attestation.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from lib import ops
from lib.contract.fields import MODELS
from lib.contract.operation import FieldError, Operation
from lib.log import TaskLog, TaskRow
from lib.views.app_runtime import AppRuntime
from lib.provider.redaction import mask_callback_secret
from lib.views.sources import (  # noqa: F401 - re-exported for the pages
    Persona,
    Source,
    UploadAttempt,
    clip_wav,
    finished_music_tasks,
    finished_tasks,
    finished_tracks,
    made_from,
    personas,
    source_for,
    upload_signature,
    upload_source,
    upload_summary,
)

DUPLICATE_WINDOW_S = 10.0
#: An identical request whose outcome is unknown is a repeat for this long: it may be a paid job.
UNKNOWN_WINDOW_S = 24 * 3600.0


# ---- forms ------------------------------------------------------------------------------------
def field_visible(op: Operation, name: str, values: Mapping[str, Any]) -> bool:
    """Whether the form of ``op`` shows field ``name`` given the values chosen so far (fields
    the source pickers fill are never shown as plain inputs)."""
    return name not in op.source_fields and op.ui.visible(name, values)


def counter_text(value: str, limit: int | None) -> tuple[str, bool]:
    """``("123/500 characters", over_limit)`` for a live counter under a text field."""
    n = len(value or "")
    if limit is None:
        return f"{n} character{'' if n == 1 else 's'}", False
    over = n > limit
    return (f"{n}/{limit} characters" + (f" — {n - limit} over the limit" if over else "")), over


def errors_by_field(errors: list[FieldError]) -> dict[str, list[str]]:
    """Group messages by field name (order kept)."""
    out: dict[str, list[str]] = {}
    for e in errors:
        out.setdefault(e.field, []).append(e.message)
    return out


# ---- one-click links --------------------------------------------------------------------------
def transform_link(op: str, track: Mapping[str, Any] | str) -> dict[str, str]:
    """Query params opening ``op``'s page with ``track`` (a tracks row or its audio id) as the
    source; ``op`` must be offered from a track (`Ui.from_track`)."""
    operation = ops.OPERATIONS.get(op)
    if operation is None or not operation.ui.from_track:
        offered = ", ".join(o.name for o in ops.from_track())
        raise ValueError(f"{op!r} is not offered from a track; one of {offered}")
    audio_id = track if isinstance(track, str) else track.get("id")
    if not audio_id:
        raise ValueError("track has no id")
    return {"op": op, "track": str(audio_id)}


# ---- what the configured provider offers ---------------------------------------------------------
def switched_off(rt: AppRuntime, op: Operation) -> bool:
    """An operation of an unpublished route the user has not switched on
    (`Operation.opt_in`): its page does not show it."""
    return op.opt_in is not None and not rt.settings.flag(op.opt_in)


def page_operations(rt: AppRuntime, page: str) -> tuple[list[Operation], list[str]]:
    """``(the operations of page shown now, why the others are not)``: an operation whose API
    family the configured provider does not offer is replaced by that reason (once per
    family, `lib.provider.hub.Providers.not_offered`); one not switched on is left out."""
    providers = rt.tracker.providers
    shown: list[Operation] = []
    reasons: list[str] = []
    for op in ops.on_page(page):
        if switched_off(rt, op):
            continue
        reason = providers.current(op.provider).connection.not_offered
        if reason is None:
            shown.append(op)
        elif reason not in reasons:
            reasons.append(reason)
    return shown, reasons


def text_not_offered(rt: AppRuntime) -> str | None:
    """Why the text helper cannot be used (the text family is not offered), or None."""
    return rt.tracker.providers.not_offered("text")


def dialect_for(rt: AppRuntime, op: Operation) -> str:
    """The dialect ``op``'s own provider speaks now (music: the configured one; DashScope and
    Kling: the gateway's), so an operation is offered by its provider's routes."""
    return rt.tracker.providers.current(op.provider).connection.dialect


def parse_link(params: Mapping[str, Any], page: str = "transform"
               ) -> tuple[str | None, str | None]:
    """``(op, audio_id)`` from a page's query params (an op of another page -> None)."""
    op = params.get("op")
    track = params.get("track")
    known = op in ops.OPERATIONS and ops.get(op).ui.page == page
    return (op if known else None), (str(track) if track else None)


def link_state(log: TaskLog, params: Mapping[str, Any], page: str) -> dict[str, Any]:
    """Widget state for a one-click link (``?op=<op>&track=<audio id>``) to ``page``: the
    operation picker, and the track (``<op>.source_track``) or its task
    (``<op>.source_task``) in the operation's first source picker; ``{}`` when the params
    name no operation of that page."""
    op, track_id = parse_link(params, page)
    if op is None:
        return {}
    state: dict[str, Any] = {f"{page}_page.op": op}
    first = ops.get(op).ui.sources[:1]
    source = source_for(log, track_id) if track_id else None
    if first and source is not None:
        if first[0].kind == "task":
            if source.provider_task_id:
                state[f"{op}.source_task"] = source.provider_task_id
        else:
            state[f"{op}.source_track"] = source.audio_id
    return state


def source_values(operation: Operation, source: Source) -> dict[str, Any]:
    """The body fields the operation's source pickers would fill from a finished track."""
    picked = {"audio_id": source.audio_id, "provider_task_id": source.provider_task_id,
              "url": source.audio_url, "urls": [source.audio_url] if source.audio_url else None}
    return {name: picked[value] for spec in operation.ui.sources
            for name, value in spec.into.items() if picked.get(value) is not None}


def prefill(op: str, source: Source) -> dict[str, Any]:
    """Form values for ``op`` started from ``source``: field defaults, the source's ids or URL,
    its title/style/model, and what the operation adds (a valid continueAt, window, segment)."""
    operation = ops.get(op)
    values: dict[str, Any] = {f.name: f.default for f in operation.form_fields
                              if f.default is not None}
    values.update({"title": source.title, "style": source.tags, "tags": source.tags})
    values.update(source_values(operation, source))
    if "model" in operation.names and source.model in MODELS and source.model in (
            operation.field("model").enum):
        values["model"] = source.model
    if operation.ui.prefill is not None:
        values.update(operation.ui.prefill(source))
    return {k: v for k, v in values.items() if k in operation.names and v is not None}


# ---- the request line ------------------------------------------------------------------------
def request_line(op: Operation, rt: AppRuntime, body: Mapping[str, Any] | None = None
                 ) -> dict[str, Any]:
    """Method, URL, headers and wire body of the create call, as ``op``'s own provider sends it
    (DashScope nests fields under ``input``/``parameters`` and asks for an async task), for the
    preview; the key is never shown."""
    adapter = rt.tracker.providers.current(op.provider)
    conn = adapter.connection
    return {"method": "POST", "url": conn.base_url + op.path(conn.dialect),
            "headers": {"Authorization": "Bearer ***", "Content-Type": "application/json",
                        **adapter.create_headers(op)},
            "body": adapter.create_body(op, body or {})}


# ---- submitting ---------------------------------------------------------------------------------
def recent_duplicate(log: TaskLog, op: str, body: Mapping[str, Any], *,
                     window: float = DUPLICATE_WINDOW_S, now: float | None = None
                     ) -> TaskRow | None:
    """The newest task with the same op and the identical body created within ``window`` s, or
    within `UNKNOWN_WINDOW_S` when its outcome is ``unknown`` (the provider may have made it).

    It reads the task log (written before every POST), so it also catches a second browser tab.
    Failed creates are ignored: the provider never accepted them, resending is harmless.
    """
    now = time.time() if now is None else now
    # the log masks our callback secret, so compare masked forms
    wanted = json.loads(mask_callback_secret(json.dumps(body, ensure_ascii=False, default=str)))
    recent = log.list_tasks(op=op, created_from=now - window, limit=50)
    unknown = log.list_tasks(op=op, state="unknown", created_from=now - UNKNOWN_WINDOW_S, limit=50)
    for task in sorted([*recent, *unknown], key=lambda t: -t["created_at"]):
        if task["state"] == "failed" and not task.get("provider_task_id"):
            continue
        try:
            if json.loads(task.get("request_json") or "null") == wanted:
                return task
        except ValueError:
            continue
    return None


@dataclass(frozen=True)
class Outcome:
    """What happened to one submit, read back from the task row."""

    task_id: str
    state: str
    kind: str  # "ok" (accepted or finished) | "failed" | "unknown"
    message: str
    result: Any = None

    @property
    def ok(self) -> bool:
        return self.kind == "ok"


def duplicate_warning(task: Mapping[str, Any], now: float | None = None) -> str:
    """Why a repeat is worth a second thought, in words."""
    now = time.time() if now is None else now
    ago = max(0, int(now - task["created_at"]))
    when = f"{ago} s" if ago < 120 else f"{ago // 60} min" if ago < 7200 else f"{ago // 3600} h"
    if task["state"] == "unknown":
        return (f"The same request was sent {when} ago (task {task['id'][:8]}) and its outcome "
                "is unknown: the provider may have made it and charged for it. Check that task "
                "before paying again. Send it again?")
    return (f"The same request was sent {when} ago (task {task['id'][:8]}). Each call costs "
            "credits. Send it again?")


def outcome_of(task: Mapping[str, Any]) -> Outcome:
    state = task["state"]
    result = json.loads(task["result_json"]) if task.get("result_json") else None
    if state == "failed":
        code = f" (code {task['error_code']})" if task.get("error_code") is not None else ""
        what = f"Task {task['id'][:8]} failed" if task.get("provider_task_id") \
            else "Not accepted"
        return Outcome(task["id"], state, "failed",
                       f"{what}{code}: {task.get('error_message') or 'no reason given'}",
                       result)
    if state == "unknown":
        said = task.get("error_message") or "the request was sent and nothing proves whether " \
            "the job was made."
        if "resubmitted" not in said:
            said += " It will not be resubmitted; check the board before trying again."
        return Outcome(task["id"], state, "unknown", f"Outcome unknown: {said}", result)
    what = "finished" if state == "succeeded" else "accepted by the provider"
    return Outcome(task["id"], state, "ok", f"Task {task['id'][:8]} {what} ({state}).", result)


def current_outcome(log: TaskLog, outcome: Outcome) -> Outcome:
    """``outcome`` as the task stands now (the tracker moves it on after the submit)."""
    task = log.get_task(outcome.task_id)
    return outcome_of(task) if task is not None else outcome


def still_running(outcome: Outcome) -> bool:
    """Whether the submitted task may still change by itself (pending or processing)."""
    return outcome.state in ("pending", "processing")


def submit(tracker: Any, op: str, body: Mapping[str, Any]) -> Outcome:
    """Send through the tracker (never raises for provider errors) and read the outcome."""
    task_id = tracker.submit(op, dict(body))
    return outcome_of(tracker.log.get_task(task_id))


def describe_result(op: Operation, result: Any) -> str | None:
    """The line shown under a finished submit (style, persona, word timings...)."""
    line = op.ui.result_line or op.summarize
    return line(result) if line is not None and result is not None else None


def follow_ups(op: Operation, result: Any) -> list[tuple[str, str, dict[str, Any]]]:
    """``(label, target op, form values)`` of the next steps offered with a finished result."""
    out = []
    for follow in op.ui.follow_ups:
        values = follow.values(result)
        if values:
            out.append((follow.label, follow.op, values))
    return out
