"""What every `TaskLog` backend does the same way: masking, task attribution (redaction rules
are `lib.provider.redaction`).

* `to_json` - JSON text for a column, with our callback secret masked;
* `task_scope` / `current_task` - which task the client events of this thread belong to;
* `client_event_fields` - a `SunoClient` ``on_event`` dict as `TaskLog.log_event` arguments.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
from collections.abc import Iterator, Mapping
from typing import Any

from lib.log.rows import EventKind
from lib.provider.redaction import mask_callback_secret

_current_task: contextvars.ContextVar[str | None] = contextvars.ContextVar("task", default=None)


def to_json(value: Any) -> str | None:
    """JSON text for a column; our callback secret never reaches the log."""
    if value is None:
        return None
    return mask_callback_secret(json.dumps(value, ensure_ascii=False, default=str))


#: Event bodies above this (JSON characters) are stored as a preview with their real size.
EVENT_BODY_CAP = 64 * 1024
PREVIEW_CHARS = 2000


def capped_json(value: Any, cap: int = EVENT_BODY_CAP) -> str | None:
    """`to_json`, or for a body over ``cap`` characters ``{"truncated": true, "chars": n,
    "preview": "<the first characters>"}``: the log and the pages never hold megabytes."""
    text = to_json(value)
    if text is None or len(text) <= cap:
        return text
    return json.dumps({"truncated": True, "chars": len(text), "preview": text[:PREVIEW_CHARS]},
                      ensure_ascii=False)


@contextlib.contextmanager
def task_scope(task_id: str | None) -> Iterator[None]:
    """Attribute client events logged inside the block (same thread) to ``task_id``."""
    token = _current_task.set(task_id)
    try:
        yield
    finally:
        _current_task.reset(token)


def current_task() -> str | None:
    """The task declared by the innermost `task_scope` of this thread, or None."""
    return _current_task.get()


def client_event_fields(event: Mapping[str, Any]) -> dict[str, Any]:
    """`TaskLog.log_event` keyword arguments (and ``kind``) for one `SunoClient` event."""
    return {
        "kind": event.get("kind", EventKind.REQUEST.value), "method": event.get("method"),
        "url": event.get("url"), "status_code": event.get("status_code"),
        "headers": event.get("headers"), "body": event.get("body"),
        "note": " ".join(str(event[k]) for k in ("op", "error") if event.get(k)) or None,
        "elapsed_ms": event.get("elapsed_ms"),
    }
