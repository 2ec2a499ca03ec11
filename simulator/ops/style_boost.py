"""style_boost — `POST /api/v1/style/generate` | `/suno/style-generate` (contract 5.10), synchronous.

Rules: `content` required. Answer: `{taskId, param, result, creditsConsumed, creditsRemaining,
successFlag: "1", createTime}` with `result` the expanded style text (`texts.boost_style`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator import texts
from simulator.jobs import new_id
from simulator.formats import iso
from simulator.ops import SimOp
from simulator.ops import _checks as c
from simulator.ops._jobs import charge

if TYPE_CHECKING:
    from simulator.engine import Engine


def _answer(engine: Engine, body: dict[str, Any]) -> dict[str, Any]:
    charge(engine, OP)
    result = texts.boost_style(body["content"])
    return {"taskId": new_id(), "param": body["content"], "result": result,
            "creditsConsumed": float(OP.cost), "creditsRemaining": float(engine.credits),
            "successFlag": "1", "createTime": iso(engine.clock.now())}


OP = SimOp(
    name="style_boost", family="sync",
    paths={"sunoapi": "/api/v1/style/generate", "anyint": "/suno/style-generate"},
    cost=1, check=c.rules(lambda b: c.text(b, "content", required=True)), answer=_answer,
)
