"""upload_cover — `POST /api/v1/generate/upload-cover` | `/suno/upload-cover` (contract 5.3),
music family.

Rules: `uploadUrl` plus everything generate requires (same customMode/instrumental matrix and
per-model limits). The source audio is fetched when the job renders: unreachable -> the task
fails with code 451, undecodable or longer than 8 min (V4_5ALL: 1 min) -> code 400. Render: the
source re-synthesised in the requested style, keeping its key, length and loudness shape.
`personaModel` (contract-newer 1) as on generate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator import synth
from simulator.ops import SimOp
from simulator.ops import _checks as c
from simulator.ops._jobs import SCREENED, known_persona, launch
from simulator.ops._music import described, render_songs, sung, upload_source

if TYPE_CHECKING:
    from simulator.engine import Engine
    from simulator.jobs import Job
    from simulator.render import Renderer


def _rules(b: dict) -> None:
    c.http_url(b, "uploadUrl")
    c.http_url(b, "callBackUrl")
    model = c.model(b)
    c.mode_matrix(b, model)
    c.common_optional(b)
    c.persona_model(b, model)


def _start(engine: Engine, body: dict[str, Any], key: str, base: str) -> Job:
    known_persona(engine, body)
    return launch(engine, OP, body, key, base)


def _render(r: Renderer, job: Job) -> None:
    b = job.body
    load, seconds = upload_source(r, job)
    instrumental = bool(b.get("instrumental"))
    lyrics = sung(b, instrumental) if b.get("customMode") else described(b, instrumental)
    render_songs(r, job, lambda spec: synth.cover(load(), spec), lyrics, model=b["model"],
                 instrumental=instrumental, seconds=seconds)


OP = SimOp(
    name="upload_cover", family="music",
    paths={"sunoapi": "/api/v1/generate/upload-cover", "anyint": "/suno/upload-cover"},
    cost=12, check=c.rules(_rules), start=_start, render=_render, screened=SCREENED,
)
