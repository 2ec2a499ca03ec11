"""Parse provider callbacks (contract section 6) of every family and shape.

Accepted shapes:

* wrapped (sunoapi.org): ``{"code", "msg", "data": {"task_id"|"taskId", ...}}``;
* flat (AnyInt's example): ``{"callbackType", "task_id", "data": [tracks]}``;
* music tracks in snake_case (``audio_url``...), lyrics with camelCase ``taskId``, WAV
  (``audioWavUrl``), stems (``vocal_removal_info``), MP4 (``video_url``), cover art (``images``);
* failures: ``callbackType: "error"`` with ``data: null``, or the result field null.

Callbacks are only hints (the tracker re-reads the state from the authenticated poll route), so
this module extracts just enough to find the task and describe the delivery.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lib.tracking.results import Track, track_from


class CallbackError(ValueError):
    """The payload is not a recognisable callback (no task id, wrong types...)."""


@dataclass(frozen=True)
class CallbackInfo:
    """What a callback tells us. ``family_guess`` is None when the shape says nothing."""

    task_id: str
    callback_type: str
    code: int | None
    msg: str | None
    family_guess: str | None
    tracks: list[Track] = field(default_factory=list)


# result field -> family, for the single-stage families
_RESULT_FIELDS = {"audioWavUrl": "wav", "vocal_removal_info": "stems", "video_url": "mp4",
                  "images": "cover"}


def _body(payload: dict) -> dict:
    """The object that holds the task id: ``payload['data']`` when wrapped, else the payload."""
    inner = payload.get("data")
    if isinstance(inner, dict) and ("task_id" in inner or "taskId" in inner):
        return inner
    return payload


def _code(value: Any) -> int | None:
    if value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise CallbackError(f"callback code {value!r} is not an integer") from exc


def _guess(body: dict, items: Any) -> str | None:
    for key, family in _RESULT_FIELDS.items():
        if key in body:
            return family
    if isinstance(items, list) and items:
        return "lyrics" if any("text" in item for item in items) else "music"
    if "callbackType" in body:
        # error deliveries carry data: null; lyrics name the id taskId, music task_id
        return "lyrics" if "taskId" in body else "music"
    return None


def _failed(body: dict, family: str | None, code: int | None) -> bool:
    if code is not None and code != 200:
        return True
    if family in ("wav", "mp4", "stems", "cover"):
        key = next(k for k, f in _RESULT_FIELDS.items() if f == family)
        return not body.get(key)
    return False


def parse_callback(payload: Any) -> CallbackInfo:
    """Parse one delivery; raises `CallbackError` when it is not a callback at all."""
    if not isinstance(payload, dict):
        raise CallbackError(f"callback body must be a JSON object, got {type(payload).__name__}")
    body = _body(payload)
    task_id = body.get("task_id", body.get("taskId"))
    if not isinstance(task_id, (str, int)) or isinstance(task_id, bool) or not str(task_id):
        raise CallbackError("callback has no task_id/taskId")
    items = body.get("data")
    if items is not None and not isinstance(items, list):
        raise CallbackError("callback 'data' must be a list of tracks or null")
    if items and not all(isinstance(item, dict) for item in items):
        raise CallbackError("callback tracks must be JSON objects")
    code = _code(payload.get("code", body.get("code")))
    msg = payload.get("msg", body.get("msg"))
    family = _guess(body, items)
    callback_type = body.get("callbackType")
    if not isinstance(callback_type, str) or not callback_type:
        callback_type = "error" if _failed(body, family, code) else "complete"
    tracks = []
    if family == "music" and items:
        tracks = [track_from(item, i, snake=True) for i, item in enumerate(items)]
    return CallbackInfo(str(task_id), callback_type, code, None if msg is None else str(msg),
                        family, tracks)
