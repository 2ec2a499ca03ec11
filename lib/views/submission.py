"""UI-free logic behind the Generate and Transform pages (importable without Streamlit).

* which operation lives on which page, which fields a form shows (`field_visible`);
* sources (from `lib.views.sources`, re-exported): finished tracks (`finished_tracks`, `source_for`),
  finished music tasks (cover art), personas made earlier (`personas`);
* one-click transforms: `transform_link(op, track)` and `parse_link(query_params)`;
  `prefill(op, source)` gives the form values for a source;
* `prepare(op, values, callback_url, ...)` -> the exact body plus every `FieldError`
  (the contract rules of `lib.contract.specs.validate` and the checks that need the source's duration);
* `recent_duplicate(log, op, body)`: the duplicate-submit guard (identical body within 10 s);
* `submit(tracker, op, body)` -> `Outcome` read back from the task row;
* uploads live in `lib.provider.uploads` (checked, copied to ``data/uploads/``, sent to the upload host).

One-click contract (used by the board and library pages)::

    st.page_link("pages/transform.py", label="Extend",
                 query_params=transform_link("extend", track_row))
    # -> /transform?op=extend&track=<provider audio id>

``op`` is one of `TRANSFORM_OPS`; ``track`` is the ``tracks.id`` (provider audio id) of any
track in the log. The Transform page preselects the operation and that track as the source
(upload-style operations use the track's audio URL as ``uploadUrl``).
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from lib.app.config import mask_callback_secret
from lib.contract import specs
from lib.log import TaskLog
from lib.views.sources import (  # noqa: F401 - re-exported for the pages
    MUSIC_OPS, Persona, Source, covered_tasks, finished_music_tasks, finished_tracks, personas,
    source_for,
)
from lib.contract.specs import FieldError
from lib.contract.fields import MODELS

GENERATE_OPS = ("generate", "lyrics", "style_boost", "cover_art")
TRANSFORM_OPS = ("extend", "upload_cover", "upload_extend", "add_vocals", "add_instrumental",
                 "replace_section", "vocal_removal", "split_stem", "persona", "wav", "mp4",
                 "timestamped_lyrics")
#: Operations whose source is one finished track (body ``audioId``, and ``taskId`` if it has one).
TRACK_OPS = tuple(op for op in TRANSFORM_OPS if "audioId" in specs.SPECS[op].names)
#: Operations whose source is an audio URL (an upload, a finished track's URL, or a typed URL).
UPLOAD_OPS = tuple(op for op in TRANSFORM_OPS if "uploadUrl" in specs.SPECS[op].names)
#: Filled by the source pickers, never by the generic form.
SOURCE_FIELDS = ("taskId", "audioId", "uploadUrl")
#: Optional tuning fields shown in an "Advanced" expander.
ADVANCED_FIELDS = ("negativeTags", "vocalGender", "styleWeight", "weirdnessConstraint",
                   "audioWeight")
DUPLICATE_WINDOW_S = 10.0
MAX_SOURCE_S = 8 * 60
MAX_SOURCE_S_V4_5ALL = 60
_CUSTOM_ONLY = ("style", "title", "personaId")


# ---- forms ------------------------------------------------------------------------------------

def field_visible(op: str, name: str, values: Mapping[str, Any]) -> bool:
    """Whether the form of ``op`` shows field ``name`` given the values chosen so far.

    Simple mode hides style/title/persona (the contract says leave them empty); extend with
    "Custom parameters" off inherits everything from the source, so only the model remains.
    """
    if name in SOURCE_FIELDS:
        return False
    if op in ("generate", "upload_cover") and name in _CUSTOM_ONLY:
        return bool(values.get("customMode"))
    if op in ("extend", "upload_extend") and name not in ("defaultParamFlag", "model"):
        return bool(values.get("defaultParamFlag"))
    return True


def counter_text(value: str, limit: int | None) -> tuple[str, bool]:
    """``("123/500 characters", over_limit)`` for a live counter under a text field."""
    n = len(value or "")
    if limit is None:
        return f"{n} characters", False
    over = n > limit
    return (f"{n}/{limit} characters" + (f" — {n - limit} over the limit" if over else "")), over


def errors_by_field(errors: list[FieldError]) -> dict[str, list[str]]:
    """Group messages by field name (order kept)."""
    out: dict[str, list[str]] = {}
    for e in errors:
        out.setdefault(e.field, []).append(e.message)
    return out


# ---- one-click transforms -------------------------------------------------------------------

def generate_link_state(log: TaskLog, params: Mapping[str, str]) -> dict[str, str]:
    """Widget state for a one-click link to the Generate page (``?op=cover_art&track=<audio id>``).

    Returns the session-state keys to set (operation and, for cover art, the source music task),
    or ``{}`` when the params name nothing the Generate page can do.
    """
    op = params.get("op")
    if op not in GENERATE_OPS:
        return {}
    state = {"generate_page.op": op}
    track = log.get_track(params["track"]) if params.get("track") else None
    task = log.get_task(track["task_id"]) if track else None
    if op == "cover_art" and task and task.get("provider_task_id"):
        state["cover_art.source_task"] = task["provider_task_id"]
    return state


def transform_link(op: str, track: Mapping[str, Any] | str) -> dict[str, str]:
    """Query params opening the Transform page on ``op`` with ``track`` as the source.

    ``track`` is a tracks row (its ``id``) or the audio id itself. Use with
    ``st.page_link("pages/transform.py", query_params=...)`` or ``st.switch_page``.
    """
    if op not in TRANSFORM_OPS:
        raise ValueError(f"{op!r} is not a transform; one of {', '.join(TRANSFORM_OPS)}")
    audio_id = track if isinstance(track, str) else track.get("id")
    if not audio_id:
        raise ValueError("track has no id")
    return {"op": op, "track": str(audio_id)}


def parse_link(params: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """``(op, audio_id)`` from the Transform page's query params (unknown op -> None)."""
    op = params.get("op")
    track = params.get("track")
    return (op if op in TRANSFORM_OPS else None), (str(track) if track else None)


def _window(duration: float | None) -> tuple[float, float] | None:
    """A valid replace window: 6-60 s, at most half the track, inside it."""
    if not duration or duration / 2 < 6:
        return None
    length = min(30.0, duration / 2)
    start = round(duration / 4, 2)
    return start, round(start + length, 2)


def prefill(op: str, source: Source) -> dict[str, Any]:
    """Form values for ``op`` started from ``source``: field defaults, the source ids or URL,
    its title/style/model, and a valid continueAt / replace window / persona segment."""
    d = source.duration
    spec = specs.SPECS[op]
    values: dict[str, Any] = {f.name: f.default for f in spec.form_fields if f.default is not None}
    values.update({"taskId": source.provider_task_id, "audioId": source.audio_id,
                   "uploadUrl": source.audio_url, "title": source.title, "style": source.tags,
                   "tags": source.tags})
    if source.model in MODELS and source.model in (spec.field("model").enum
                                                   if "model" in spec.names else ()):
        values["model"] = source.model
    if op in ("extend", "upload_extend") and d:
        values["continueAt"] = round(max(d / 2, d - 1), 2) if d > 1 else round(d / 2, 2)
    if op == "replace_section" and (window := _window(d)):
        values["infillStartS"], values["infillEndS"] = window
    if op == "persona":
        values.update(name=source.title, vocalStart=0.0,
                      vocalEnd=round(min(30.0, d), 2) if d else 30.0)
    return {k: v for k, v in values.items() if k in spec.names and v is not None}


# ---- validation -------------------------------------------------------------------------------

def _num(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def source_errors(op: str, body: Mapping[str, Any], *, duration: float | None = None,
                  source_model: str | None = None) -> list[FieldError]:
    """Checks the contract states but `specs.validate` cannot make without the source."""
    out: list[FieldError] = []
    if op == "extend" and source_model in MODELS and body.get("model") not in (None,
                                                                                source_model):
        out.append(FieldError("model", f"model: the source track was made with {source_model}; "
                                       f"extend must use the same model"))
    if op in ("upload_cover", "upload_extend") and duration:
        cap = MAX_SOURCE_S_V4_5ALL if body.get("model") == "V4_5ALL" else MAX_SOURCE_S
        if duration > cap:
            out.append(FieldError("uploadUrl", f"uploadUrl: the source is {duration:.0f} s; "
                                  f"{body.get('model')} accepts at most {cap // 60} min"))
    if not duration:
        return out
    if op in ("extend", "upload_extend") and (at := _num(body.get("continueAt"))) is not None:
        if at >= duration:
            out.append(FieldError("continueAt", f"continueAt: {at:g} s is not before the end of "
                                                f"the {duration:.2f} s source"))
    if op == "replace_section":
        start, end = _num(body.get("infillStartS")), _num(body.get("infillEndS"))
        if end is not None and end > duration:
            out.append(FieldError("infillEndS", f"infillEndS: {end:g} s is past the end of the "
                                                f"{duration:.2f} s track"))
        elif start is not None and end is not None and end - start > duration / 2:
            out.append(FieldError("infillEndS", f"infillEndS: the section is {end - start:g} s; "
                                  f"at most half the track ({duration / 2:.2f} s)"))
        elif duration / 2 < 6:
            out.append(FieldError("audioId", f"audioId: the track is {duration:.2f} s; replacing "
                                             f"needs a 6 s section, at most half the track"))
    if op == "persona":
        start = _num(body.get("vocalStart")) or 0.0
        end = _num(body.get("vocalEnd"))
        end = 30.0 if end is None else end
        if end > duration:
            out.append(FieldError("vocalEnd", f"vocalEnd: {end:g} s is past the end of the "
                                              f"{duration:.2f} s track (default 30 s)"))
        elif start >= duration:
            out.append(FieldError("vocalStart", f"vocalStart: {start:g} s is past the end of "
                                                f"the {duration:.2f} s track"))
    return out


@dataclass(frozen=True)
class Prepared:
    """The body that would be sent and every reason it may not be."""

    op: str
    body: dict[str, Any]
    errors: list[FieldError]

    @property
    def ok(self) -> bool:
        return not self.errors


def prepare(op: str, values: Mapping[str, Any], callback_url: str | None, *,
            duration: float | None = None, source_model: str | None = None) -> Prepared:
    """`specs.build_body` + `specs.validate` + `source_errors` (one error list, body order)."""
    body = specs.build_body(op, values, callback_url)
    errors = specs.validate(op, body)
    errors += [e for e in source_errors(op, body, duration=duration, source_model=source_model)
               if e not in errors]
    return Prepared(op, body, errors)


def request_line(op: str, settings: Any) -> dict[str, Any]:
    """Method, URL and headers of the create call, for the preview (the key is never shown)."""
    return {"method": "POST", "url": settings.base_url + specs.path_for(op, settings.dialect),
            "headers": {"Authorization": "Bearer ***", "Content-Type": "application/json"}}


# ---- submitting ---------------------------------------------------------------------------------

def recent_duplicate(log: TaskLog, op: str, body: Mapping[str, Any], *,
                     window: float = DUPLICATE_WINDOW_S, now: float | None = None) -> dict | None:
    """The newest task with the same op and the identical body created within ``window`` s.

    It reads the task log (written before every POST), so it also catches a second browser tab.
    Failed creates are ignored: the provider never accepted them, resending is harmless.
    """
    now = time.time() if now is None else now
    # the log masks our callback secret, so compare masked forms
    wanted = json.loads(mask_callback_secret(json.dumps(body, ensure_ascii=False, default=str)))
    for task in log.list_tasks(op=op, created_from=now - window, limit=50):
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


def outcome_of(task: Mapping[str, Any]) -> Outcome:
    state = task["state"]
    result = json.loads(task["result_json"]) if task.get("result_json") else None
    if state == "failed":
        code = f" (code {task['error_code']})" if task.get("error_code") is not None else ""
        return Outcome(task["id"], state, "failed",
                       f"Not accepted{code}: {task.get('error_message') or 'no reason given'}",
                       result)
    if state == "unknown":
        return Outcome(task["id"], state, "unknown",
                       "The request was sent but no answer came back, so the outcome is unknown. "
                       "It will not be resubmitted; check the board before trying again. "
                       f"({task.get('error_message') or 'no detail'})", result)
    what = "finished" if state == "succeeded" else "accepted by the provider"
    return Outcome(task["id"], state, "ok", f"Task {task['id'][:8]} {what} ({state}).", result)


def submit(tracker: Any, op: str, body: Mapping[str, Any]) -> Outcome:
    """Send through the tracker (never raises for provider errors) and read the outcome."""
    task_id = tracker.submit(op, dict(body))
    return outcome_of(tracker.log.get_task(task_id))


def describe_result(op: str, result: Any) -> str | None:
    """One line about a synchronous result (style boost, persona, timestamped lyrics)."""
    if not isinstance(result, dict):
        return None
    if op == "style_boost":
        return result.get("result")
    if op == "persona":
        return f"Persona “{result.get('name')}” ({result.get('personaId')})"
    if op == "timestamped_lyrics":
        words = result.get("alignedWords") or []
        end = max((_num(w.get("endS")) or 0 for w in words if isinstance(w, dict)), default=0)
        return f"{len(words)} aligned words over {math.ceil(end)} s"
    return None
