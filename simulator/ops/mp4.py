"""mp4 — `POST /api/v1/mp4/generate` | `/suno/mp4-generate` (contract 5.16), mp4 family.

Rules: `taskId`, `audioId`, `callBackUrl` required; optional `author` and `domainName`, each
<= 50 characters (413). Stateful: the source track must belong to `taskId` and be complete; one
MP4 per track (409 with the existing `taskId`). Render: the track's cover image and audio as an
H.264/AAC video with the author and domain drawn in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator import video
from simulator.ops import SimOp
from simulator.ops import _checks as c
from simulator.ops._jobs import launch, source_track

if TYPE_CHECKING:
    from simulator.engine import Engine
    from simulator.jobs import Job
    from simulator.render import Renderer

TEXT_MAX = 50


def _rules(b: dict) -> None:
    c.task_audio(b)
    for name in ("author", "domainName"):
        c.max_len(name, c.text(b, name), TEXT_MAX, "")


def _start(engine: Engine, body: dict[str, Any], key: str, base: str) -> Job:
    src_job, track = source_track(engine, body)
    return launch(engine, OP, body, key, base, parent={"taskId": src_job.task_id, "audioId": track.id},
                  unique=("mp4", track.id))


def _render(r: Renderer, job: Job) -> None:
    _, track = r.parent_track(job)
    rel = f"tasks/{job.task_id}/{track.id}.mp4"
    video.make_mp4(r.store.path(track.image), r.store.path(track.audio), r.store.path(rel),
                   author=job.body.get("author"), domain=job.body.get("domainName"))
    job.result["video"] = r.publish(rel)
    r.engine.reach(job, "complete")


OP = SimOp(
    name="mp4", family="mp4",
    paths={"sunoapi": "/api/v1/mp4/generate", "anyint": "/suno/mp4-generate"},
    cost=4, check=c.rules(_rules), start=_start, render=_render,
)
