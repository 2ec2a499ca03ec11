"""Parse provider callbacks (contract §6, contract-newer.md §4-6) of every family and shape.

The object holding the task id is ``payload['data']`` when wrapped (sunoapi.org), else the
payload itself (AnyInt's flat example, MIDI and recovery put ``task_id`` at the top level).
Which family sent it is read from the shape by the families themselves
(`lib.contract.family.Family.claims_callback`, most specific first); a failure is a ``code``
other than 200, ``callbackType: "error"`` or the family's own failure sign (a null result).

Callbacks are only hints (the tracker re-reads the state from the authenticated poll route), so
this module extracts just enough to find the task and describe the delivery.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from lib import families
from lib.contract.family import Family, Track


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


def _body(payload: Mapping[str, Any]) -> Mapping[str, Any]:
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
    except (TypeError, ValueError, OverflowError) as exc:
        raise CallbackError(f"callback code {str(value)[:40]!r} is not an integer") from exc


def _family(payload: Mapping[str, Any], body: Mapping[str, Any]) -> Family | None:
    return next((f for f in families.by_callback_priority() if f.claims_callback(payload, body)),
                None)


def parse_callback(payload: Any) -> CallbackInfo:
    """Parse one delivery; raises `CallbackError` when it is not a callback at all."""
    if not isinstance(payload, dict):
        raise CallbackError(f"callback body must be a JSON object, got {type(payload).__name__}")
    body = _body(payload)
    task_id = body.get("task_id", body.get("taskId"))
    if not isinstance(task_id, (str, int)) or isinstance(task_id, bool) or not str(task_id):
        raise CallbackError("callback has no task_id/taskId")
    items = body.get("data")
    family = _family(payload, body)
    if items is not None and not isinstance(items, list) and family is None:
        raise CallbackError("callback 'data' must be a list of tracks or null")
    if isinstance(items, list) and not all(isinstance(item, dict) for item in items):
        raise CallbackError("callback tracks must be JSON objects")
    code = _code(payload.get("code", body.get("code")))
    msg = payload.get("msg", body.get("msg"))
    callback_type = body.get("callbackType")
    if not isinstance(callback_type, str) or not callback_type:
        failed = (code is not None and code != 200) or bool(
            family and family.callback_failed(payload, body))
        callback_type = "error" if failed else "complete"
    tracks = family.callback_tracks(body) if family else []
    return CallbackInfo(str(task_id), callback_type, code, None if msg is None else str(msg),
                        family.name if family else None, tracks)
