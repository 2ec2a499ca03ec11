"""vocal_removal — `POST /api/v1/vocal-removal/generate` | `/suno/vocal-removal` (contract 5.15),
stems family, `type=separate_vocal` (the default).

Rules and start are shared with split_stem (`_stems`): source track complete and in `taskId`.
Both routes also take `type=split_stem`, which selects the split_stem operation (see its
`selector`). Render: two stems, vocals (lead + backing) and instrumental (everything else).
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
    _stems.render(r, job, "separate_vocal")


OP = SimOp(
    name="vocal_removal", family="stems",
    paths={"sunoapi": "/api/v1/vocal-removal/generate", "anyint": "/suno/vocal-removal"},
    cost=10, check=c.rules(_stems.rules), start=_start, render=_render,
)
