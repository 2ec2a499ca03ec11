"""mashup — `POST /api/v1/generate/mashup` (contract-newer 2), music family, sunoapi only.

Rules (the Rev A body plus Rev B's extras): `uploadUrlList` exactly 2 http(s) URLs,
`customMode` (bool), `model` (the generate models) and `callBackUrl` required; `prompt`,
`style`, `title`, `lyrics` by generate's rules (custom: style + title, and prompt or lyrics
unless instrumental; non-custom: prompt <= 500, 3000 with V6*); optional `instrumental`
(default false), `vocalGender`, the 0..1 weights, `personaId` + `personaModel` (as on
generate), `variety` (whole number 0-4) and `duration` (10-360 s, V5_5/V6* only). Unlike
generate, `duration` and `variety` are taken in either mode (Rev B has no non-custom mode).

Render: both sources are fetched when the job renders (unreachable: 451; not decodable or
longer than 8 min (V4_5ALL: 1 min): 400, naming the list item) and mixed with new material
in the request's style and tempo (`blend.mashup`): each take holds both sources, in a different
order (`variety` 0: the same take twice). The tracks last `duration` seconds when given, else
`--track-seconds`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from simulator import audio_io, blend, synth
from simulator.jobs import RenderError
from simulator.ops import SimOp, _fetch
from simulator.ops import _checks as c
from simulator.ops._jobs import SCREENED, known_persona, launch
from simulator.ops._music import described, render_songs, sung, upload_limit_seconds

if TYPE_CHECKING:
    from simulator.engine import Engine
    from simulator.jobs import Job
    from simulator.render import Renderer

FIELD = "uploadUrlList"


def _rules(b: dict) -> None:
    urls = b.get(FIELD)
    if urls is None:
        c.fail(f"{FIELD} is required (exactly 2 audio URLs)")
    if not isinstance(urls, list) or len(urls) != 2:
        c.fail(f"{FIELD} must be a list of exactly 2 URLs (got {len(urls) if isinstance(urls, list) else type(urls).__name__})")
    for i, url in enumerate(urls):
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            c.fail(f"{FIELD}[{i}] must be an http(s) URL")
    c.http_url(b, "callBackUrl")
    model = c.model(b)
    c.mode_matrix(b, model, v6=True, instrumental_required=False)
    c.common_optional(b)
    c.v6_fields(b, model, custom_only=False)


def _start(engine: Engine, body: dict[str, Any], key: str, base: str) -> Job:
    known_persona(engine, body)
    return launch(engine, OP, body, key, base)


def _source(r: Renderer, job: Job, i: int) -> Callable[[], np.ndarray]:
    """Fetch (once), keep and check source `i`; a loader of its PCM (re-read for remakes)."""
    rel = f"tasks/{job.task_id}/source_{i}.bin"
    pcm = _fetch.kept(r, job, f"{FIELD}[{i}]", job.body[FIELD][i], rel)
    limit = upload_limit_seconds(job.body.get("model"))
    if len(pcm) / synth.SR > limit:
        raise RenderError(400, f"{FIELD}[{i}] is {len(pcm) / synth.SR:.1f} s; limit {limit:.0f} s "
                               f"for model {job.body.get('model')}")
    return lambda: audio_io.decode(r.store.path(rel))


def _render(r: Renderer, job: Job) -> None:
    b = job.body
    first, second = _source(r, job, 0), _source(r, job, 1)
    instrumental = bool(b.get("instrumental"))
    lyrics = sung(b, instrumental) if b.get("customMode") else described(b, instrumental)

    def make(spec: synth.SongSpec) -> synth.Song:
        return blend.mashup(first(), second(), spec, spec.variant)

    render_songs(r, job, make, lyrics, model=b["model"], instrumental=instrumental, seconds=b.get("duration"))


OP = SimOp(
    name="mashup", family="music",
    paths={"sunoapi": "/api/v1/generate/mashup", "anyint": None},
    cost=12, check=c.rules(_rules), start=_start, render=_render, screened=SCREENED,
)
