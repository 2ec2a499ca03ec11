"""generate — `POST /api/v1/generate` | `/suno/generate` (contract 5.1), music family.

Rules: `customMode`, `instrumental`, `model`, `callBackUrl` required. Custom mode needs `style`
and `title` (and `prompt`, sung verbatim, unless instrumental) within the model's limits
(`_checks.LIMITS`); non-custom mode needs only `prompt` (<= 500 characters), from which the
lyrics are written. Optional `personaId` (must exist), `negativeTags`, `vocalGender` m|f and
the 0..1 weights. Render: two new songs synthesised from the text.

V6-era fields (contract-newer 1, `_checks.v6_fields`): `lyrics` (<= 5000, sung ahead of
`prompt`; custom mode with vocals needs `prompt` or `lyrics`), `duration` (10-360 s, custom mode,
V5_5/V6* only: the tracks last exactly that long; without it they last `--track-seconds`),
`variety` (0-4, custom mode; see `_music.vary`), `personaModel` (style_persona | voice_persona,
V5 and later; a voice persona's `personaId` is a Suno Voice id). The non-custom prompt may hold
3000 characters with the V6 models (500 otherwise).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator import synth
from simulator.ops import SimOp
from simulator.ops import _checks as c
from simulator.ops._jobs import SCREENED, known_persona, launch
from simulator.ops._music import described, render_songs, sung

if TYPE_CHECKING:
    from simulator.engine import Engine
    from simulator.jobs import Job
    from simulator.render import Renderer


def _rules(b: dict) -> None:
    c.http_url(b, "callBackUrl")
    model = c.model(b)
    c.mode_matrix(b, model, v6=True)
    c.common_optional(b)
    c.v6_fields(b, model)


def _start(engine: Engine, body: dict[str, Any], key: str, base: str) -> Job:
    known_persona(engine, body)
    return launch(engine, OP, body, key, base)


def _render(r: Renderer, job: Job) -> None:
    b = job.body
    instrumental = bool(b.get("instrumental"))
    lyrics = sung(b, instrumental) if b.get("customMode") else described(b, instrumental)
    render_songs(r, job, synth.render, lyrics, model=b["model"], instrumental=instrumental,
                 seconds=b.get("duration"))


OP = SimOp(
    name="generate", family="music",
    paths={"sunoapi": "/api/v1/generate", "anyint": "/suno/generate"},
    cost=12, check=c.rules(_rules), start=_start, render=_render, screened=SCREENED,
)
