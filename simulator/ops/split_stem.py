"""split_stem — `POST /api/v1/vocal-removal/generate` with `type=split_stem` | `/suno/split-stem`
(contract 5.15), stems family.

On sunoapi the route is vocal_removal's; the body's `type=split_stem` selects this operation.
AnyInt gives it its own route, where `type=split_stem` is forced into the body. Rules and start
are shared with vocal_removal (`_stems`). Render: one stem per layer the source song really has
(up to 12: vocals, backing_vocals, drums, bass, guitar, keyboard, strings, brass, woodwinds,
percussion, synth, fx).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator.ops import SimOp, _stems
from simulator.ops import _checks as c

if TYPE_CHECKING:
    from simulator.engine import Engine
    from simulator.jobs import Job
    from simulator.render import Renderer


def _start(engine: Engine, body: dict[str, Any], key: str, base: str) -> Job:
    return _stems.start(OP, engine, body, key, base)


def _render(r: Renderer, job: Job) -> None:
    _stems.render(r, job, "split_stem")


OP = SimOp(
    name="split_stem", family="stems",
    paths={"sunoapi": "/api/v1/vocal-removal/generate", "anyint": "/suno/split-stem"},
    cost=50, check=c.rules(_stems.rules), start=_start, render=_render, selector=("type", "split_stem"),
)
