"""upload_extend — `POST /api/v1/generate/upload-extend` | `/suno/upload-extend` (contract 5.4),
music family.

Rules: `uploadUrl`, `callBackUrl`, `model`, `defaultParamFlag` required; `defaultParamFlag=true`
also needs `continueAt` (> 0) and `style` + `title` (+ `prompt` unless `instrumental`) within
the model's limits. The source is fetched when the job renders (451 unreachable; 400
undecodable, too long, or `continueAt` beyond its end). Render: the uploaded audio up to
`continueAt` (or its end), then new material in its key and tempo; the uploaded part's layers
are estimated (`unmix`) so that stem separations of the result stay meaningful.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator import synth, unmix
from simulator.jobs import RenderError
from simulator.ops import SimOp
from simulator.ops import _checks as c
from simulator.ops._jobs import SCREENED, known_persona, launch
from simulator.ops._music import render_songs, sung, upload_source

if TYPE_CHECKING:
    from simulator.engine import Engine
    from simulator.jobs import Job
    from simulator.render import Renderer


def _rules(b: dict) -> None:
    c.http_url(b, "uploadUrl")
    c.http_url(b, "callBackUrl")
    instrumental = c.boolean(b, "instrumental") or False
    c.extend_fields(b, c.model(b), instrumental=instrumental)
    c.common_optional(b)


def _start(engine: Engine, body: dict[str, Any], key: str, base: str) -> Job:
    known_persona(engine, body)
    return launch(engine, OP, body, key, base)


def _render(r: Renderer, job: Job) -> None:
    b = job.body
    load, duration = upload_source(r, job)
    at = float(b["continueAt"]) if b.get("defaultParamFlag") else duration
    if not 0 < at <= duration:
        raise RenderError(400, f"continueAt must be > 0 and < the uploaded duration {duration:.2f} s")
    instrumental = bool(b.get("instrumental"))
    render_songs(r, job, lambda spec: synth.extend(unmix.song(load(), vocals=True), at, spec), sung(b, instrumental), model=b["model"],
                 instrumental=instrumental)


OP = SimOp(
    name="upload_extend", family="music",
    paths={"sunoapi": "/api/v1/generate/upload-extend", "anyint": "/suno/upload-extend"},
    cost=12, check=c.rules(_rules), start=_start, render=_render, screened=SCREENED,
)
