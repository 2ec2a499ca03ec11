"""voice_regenerate — `POST /api/v1/voice/regenerate` (contract-newer 6), voice_phrase family,
sunoapi only; free.

Rules: `taskId` required; the callback URL is `calBackUrl` (the documented spelling) or
`callBackUrl`, one of them required. Stateful: `taskId` must be a validate (or regenerate) task
whose phrase is ready (400 otherwise). Creates a NEW task (its own id, polled at validate-info)
whose phrase is another sentence for the same clip, never the one it replaces.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator.ops import SimOp, _voice
from simulator.ops import _checks as c
from simulator.ops._jobs import launch

if TYPE_CHECKING:
    from simulator.engine import Engine
    from simulator.jobs import Job


def _rules(b: dict) -> None:
    c.text(b, "taskId", required=True)
    given = [name for name in ("calBackUrl", "callBackUrl") if b.get(name) is not None]
    if not given:
        c.fail("calBackUrl is required (callBackUrl is accepted too)")
    for name in given:
        c.http_url(b, name)


def _start(engine: Engine, body: dict[str, Any], key: str, base: str) -> Job:
    parent = _voice.phrase_job(engine, body["taskId"])
    body = {**body, "callBackUrl": body.get("calBackUrl") or body["callBackUrl"]}
    return launch(engine, OP, body, key, base, parent={"taskId": parent.task_id})


OP = SimOp(
    name="voice_regenerate", family="voice_phrase",
    paths={"sunoapi": "/api/v1/voice/regenerate", "anyint": None},
    cost=0, check=c.rules(_rules), start=_start, render=_voice.render_regenerate,
)
