"""add_instrumental — `POST /api/v1/generate/add-instrumental` | `/suno/add-instrumental`
(contract 5.5), music family.

Rules: `uploadUrl` (a vocal stem), `callBackUrl`, `title`, `tags` (style of the accompaniment)
and `negativeTags` (may be empty) required; optional `model` V4_5PLUS (default) | V5 (rules shared
with add_vocals: `_checks.add_fields`). Only the complete stage. The source is fetched when the job renders.
Render: the source as the vocal layer plus new accompaniment in its key and tempo; the tracks
are instrumental-flagged (no lyrics of their own).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator import synth
from simulator.ops import SimOp
from simulator.ops import _checks as c
from simulator.ops._jobs import SCREENED, known_persona, launch
from simulator.ops._music import ADD_DEFAULT_MODEL, render_songs, sung, upload_source

if TYPE_CHECKING:
    from simulator.engine import Engine
    from simulator.jobs import Job
    from simulator.render import Renderer


def _start(engine: Engine, body: dict[str, Any], key: str, base: str) -> Job:
    known_persona(engine, body)
    return launch(engine, OP, body, key, base)


def _render(r: Renderer, job: Job) -> None:
    b = job.body
    load, seconds = upload_source(r, job)
    render_songs(r, job, lambda spec: synth.add_instrumental(load(), spec), sung(b, True),
                 model=b.get("model") or ADD_DEFAULT_MODEL, instrumental=True, seconds=seconds)


OP = SimOp(
    name="add_instrumental", family="music",
    paths={"sunoapi": "/api/v1/generate/add-instrumental", "anyint": "/suno/add-instrumental"},
    cost=12, check=c.rules(lambda b: c.add_fields(b, ("title", "tags"))), start=_start,
    render=_render, stages=("complete",), screened=SCREENED,
)
