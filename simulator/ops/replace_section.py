"""replace_section — `POST /api/v1/generate/replace-section` | `/suno/replace-section`
(contract 5.7), music family; answers use the second code list (validation 422, credits 402).

Rules: `taskId`, `audioId`, `prompt`, `tags`, `title`, `infillStartS` (>= 0) and `infillEndS`
required, start < end, the window 6-60 s; prompt/tags/title within V5's limits; optional
`negativeTags`, `callBackUrl`. Stateful: the source track must belong to `taskId` and be
complete, the window must end inside it and cover at most 50 % of it, a `personaId` must exist.
Render: the source unchanged outside the window, new material inside (short crossfades).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator import synth
from simulator.ops import SimOp
from simulator.ops import _checks as c
from simulator.ops._jobs import SCREENED, known_persona, launch, refuse, source_track
from simulator.ops._music import render_songs, sung

if TYPE_CHECKING:
    from simulator.engine import Engine
    from simulator.jobs import Job
    from simulator.ops import Problem
    from simulator.render import Renderer

WINDOW_MIN_S, WINDOW_MAX_S = 6.0, 60.0


def _rules(b: dict) -> None:
    for name in ("taskId", "audioId", "prompt", "tags", "title"):
        c.text(b, name, required=True)
    c.text(b, "negativeTags")
    c.http_url(b, "callBackUrl", required=False)
    start = c.number(b, "infillStartS", required=True)
    end = c.number(b, "infillEndS", required=True)
    p_max, s_max, t_max = c.LIMITS["V5"]
    c.max_len("prompt", b["prompt"], p_max, "")
    c.max_len("tags", b["tags"], s_max, "")
    c.max_len("title", b["title"], t_max, "")
    if start < 0:
        c.fail(f"infillStartS must be >= 0 (got {start:g})")
    if start >= end:
        c.fail(f"infillStartS ({start:g}) must be less than infillEndS ({end:g})")
    length = end - start
    if not WINDOW_MIN_S <= length <= WINDOW_MAX_S:
        c.fail(f"replaced window infillEndS-infillStartS must be {WINDOW_MIN_S:g}-{WINDOW_MAX_S:g} s "
               f"(got {length:g} s)")


def check_window(start: float, end: float, duration: float) -> Problem | None:
    """The replaced window must end inside the track and cover at most 50 % of it."""
    if end > duration:
        return 400, f"infillEndS ({end:g}) must not exceed the track duration {duration:.2f} s"
    if end - start > duration / 2:
        return 400, f"replaced window ({end - start:g} s) must not exceed 50% of the track ({duration / 2:.2f} s)"
    return None


def _start(engine: Engine, body: dict[str, Any], key: str, base: str) -> Job:
    known_persona(engine, body)
    src_job, track = source_track(engine, body)
    refuse(check_window(float(body["infillStartS"]), float(body["infillEndS"]), track.duration))
    return launch(engine, OP, body, key, base, parent={"taskId": src_job.task_id, "audioId": track.id})


def _render(r: Renderer, job: Job) -> None:
    b = job.body
    _, src = r.parent_track(job)
    start, end = float(b["infillStartS"]), float(b["infillEndS"])

    def make(spec: synth.SongSpec) -> synth.Song:
        return synth.replace_section(r.song_of(src), start, end, spec)

    instrumental = bool(b.get("instrumental"))
    render_songs(r, job, make, sung(b, instrumental), model=b.get("model") or src.model, instrumental=instrumental)


OP = SimOp(
    name="replace_section", family="music",
    paths={"sunoapi": "/api/v1/generate/replace-section", "anyint": "/suno/replace-section"},
    cost=5, check=c.rules(_rules), start=_start, render=_render, screened=SCREENED, alt_codes=True,
)
