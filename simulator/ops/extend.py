"""extend — `POST /api/v1/generate/extend` | `/suno/extend` (contract 5.2), music family.

Rules: `audioId`, `callBackUrl`, `model`, `defaultParamFlag` required; with
`defaultParamFlag=true` also `continueAt` (> 0) and the custom-mode fields (`style`, `title`,
`prompt`) within the model's limits. Stateful: the source track must exist and be complete
(400), `model` must be the source's model ("must match the source audio's model": 400),
`continueAt` must lie inside it (400), a `personaId` must exist. With
`defaultParamFlag=false` the title, style and lyrics are inherited and the song continues at the
source's end. Render: the source song (its real layers) continued in its key and tempo; the
record names the source in `parentMusicId`. `personaModel` (contract-newer 1) as on generate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator import synth
from simulator.ops import SimOp
from simulator.ops import _checks as c
from simulator.ops._jobs import SCREENED, known_persona, launch, refuse, source_track
from simulator.ops._music import render_songs, sung
from simulator.routes_common import ApiProblem

if TYPE_CHECKING:
    from simulator.engine import Engine
    from simulator.jobs import Job
    from simulator.ops import Problem
    from simulator.render import Renderer


def _rules(b: dict) -> None:
    c.text(b, "audioId", required=True)
    c.http_url(b, "callBackUrl")
    model = c.model(b)
    c.extend_fields(b, model, instrumental=False)
    c.common_optional(b)
    c.persona_model(b, model)


def check_continue_at(at: float, duration: float) -> Problem | None:
    """continueAt must lie strictly inside the source track."""
    if not 0 < at < duration:
        return 400, f"continueAt must be > 0 and < the source duration {duration:.2f} s (got {at:g})"
    return None


def _start(engine: Engine, body: dict[str, Any], key: str, base: str) -> Job:
    known_persona(engine, body)
    src_job, track = source_track(engine, body, with_task=False)
    if body["model"] != track.model:
        raise ApiProblem(400, f"model {body['model']} does not match the source audio's model {track.model} "
                              f"(audioId {track.id}); extend must use the source's model")
    if body.get("defaultParamFlag"):
        refuse(check_continue_at(float(body["continueAt"]), track.duration))
    return launch(engine, OP, body, key, base, parent={"taskId": src_job.task_id, "audioId": track.id})


def _render(r: Renderer, job: Job) -> None:
    b = job.body
    _, src = r.parent_track(job)
    if not b.get("defaultParamFlag"):  # inherit the source's text and continue at its end
        b = {**b, "title": src.title, "style": src.tags, "prompt": src.prompt}
    at = float(b["continueAt"]) if job.body.get("defaultParamFlag") else src.duration

    def make(spec: synth.SongSpec) -> synth.Song:
        return synth.extend(r.song_of(src), at, spec)

    instrumental = bool(b.get("instrumental"))
    render_songs(r, job, make, sung(b, instrumental), model=src.model, body=b, instrumental=instrumental)


OP = SimOp(
    name="extend", family="music",
    paths={"sunoapi": "/api/v1/generate/extend", "anyint": "/suno/extend"},
    cost=12, check=c.rules(_rules), start=_start, render=_render, screened=SCREENED,
)
