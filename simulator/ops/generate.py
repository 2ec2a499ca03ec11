"""generate — `POST /api/v1/generate` | `/suno/generate` (contract 5.1), music family.

Rules: `customMode`, `instrumental`, `model`, `callBackUrl` required. Custom mode needs `style`
and `title` (and `prompt`, sung verbatim, unless instrumental) within the model's limits
(`_checks.LIMITS`); non-custom mode needs only `prompt` (<= 500 characters), from which the
lyrics are written. Optional `personaId` (must exist), `negativeTags`, `vocalGender` m|f and
the 0..1 weights. Render: two new songs synthesised from the text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator import synth
from simulator.ops import SimOp
from simulator.ops import _checks as c
from simulator.ops._jobs import SCREENED, known_persona, launch
from simulator.ops._music import described, render_songs, sung

if TYPE_CHECKING:
    from simulator.engine import Engine, Job
    from simulator.render import Renderer


def _rules(b: dict) -> None:
    c.http_url(b, "callBackUrl")
    c.mode_matrix(b, c.model(b))
    c.common_optional(b)


def _start(engine: Engine, body: dict[str, Any], key: str, base: str) -> Job:
    known_persona(engine, body)
    return launch(engine, OP, body, key, base)


def _render(r: Renderer, job: Job) -> None:
    b = job.body
    instrumental = bool(b.get("instrumental"))
    lyrics = sung(b, instrumental) if b.get("customMode") else described(b, instrumental)
    render_songs(r, job, synth.render, lyrics, model=b["model"], instrumental=instrumental)


OP = SimOp(
    name="generate", family="music",
    paths={"sunoapi": "/api/v1/generate", "anyint": "/suno/generate"},
    cost=12, check=c.rules(_rules), start=_start, render=_render, screened=SCREENED,
)
