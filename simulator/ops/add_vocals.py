"""add_vocals — `POST /api/v1/generate/add-vocals` | `/suno/add-vocals` (contract 5.6), music family.

Rules: `uploadUrl` (an instrumental), `callBackUrl`, `prompt`, `title`, `style` and
`negativeTags` (may be empty) required; optional `model` in V4_5PLUS (default) | V5, limits of
that model. The text and first stages are skipped ("may be skipped, directly returning
complete"). The source is fetched when the job renders (451 / 400 as for upload-cover).
Render: the source plus new vocal layers in its key and tempo, as long as the source. The
source's own layers are estimated (`unmix`, no vocals: it is an instrumental) so that stem
separations of the result find drums, bass, keyboard and fx rather than one opaque layer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator import synth, unmix
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
    instrumental = bool(b.get("instrumental"))
    render_songs(r, job, lambda spec: synth.add_vocals(unmix.song(load(), vocals=False), spec), sung(b, instrumental),
                 model=b.get("model") or ADD_DEFAULT_MODEL, instrumental=instrumental, seconds=seconds)


OP = SimOp(
    name="add_vocals", family="music",
    paths={"sunoapi": "/api/v1/generate/add-vocals", "anyint": "/suno/add-vocals"},
    cost=12, check=c.rules(lambda b: c.add_fields(b, ("prompt", "title", "style"))), start=_start,
    render=_render, stages=("complete",), screened=SCREENED,
)
