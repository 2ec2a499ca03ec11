"""voice_check — `POST /api/v1/voice/check-voice` (contract-newer 6), synchronous, sunoapi only;
free.

Rules: `task_id` (snake_case) required: the voice generate task id. Stateful: an unknown id, or
one that is not a voice generate task, is 400. Answer: `{"isAvailable": bool}`, true once the
voice task has succeeded (false while it runs and after it failed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator.ops import SimOp
from simulator.ops import _checks as c
from simulator.routes_common import ApiProblem

if TYPE_CHECKING:
    from simulator.engine import Engine


def _answer(engine: Engine, body: dict[str, Any]) -> dict[str, Any]:
    job = engine.get(body["task_id"])
    if job is None or job.op != "voice_generate":
        raise ApiProblem(400, f"task_id is not a known voice generate task: {body['task_id']}")
    with engine.lock:
        return {"isAvailable": job.done and not job.failed}


OP = SimOp(
    name="voice_check", family="sync",
    paths={"sunoapi": "/api/v1/voice/check-voice", "anyint": None},
    cost=0, check=c.rules(lambda b: c.text(b, "task_id", required=True)), answer=_answer,
)
