"""wav — `POST /api/v1/wav/generate` | `/suno/wav-generate` (contract 5.14), wav family.

Rules: `taskId`, `audioId`, `callBackUrl` required. Stateful: the source track must belong to
`taskId` and be complete; one WAV per track (409 with the existing `taskId`). Render: the source
track's audio as 16-bit WAV.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator import audio_io
from simulator.ops import SimOp
from simulator.ops import _checks as c
from simulator.ops._jobs import launch, source_track

if TYPE_CHECKING:
    from simulator.engine import Engine
    from simulator.jobs import Job
    from simulator.render import Renderer


def _start(engine: Engine, body: dict[str, Any], key: str, base: str) -> Job:
    src_job, track = source_track(engine, body)
    return launch(engine, OP, body, key, base, parent={"taskId": src_job.task_id, "audioId": track.id},
                  unique=("wav", track.id))


def _render(r: Renderer, job: Job) -> None:
    _, track = r.parent_track(job)
    rel = f"tasks/{job.task_id}/{track.id}.wav"
    audio_io.encode_wav(audio_io.decode(r.store.path(track.audio)), r.store.path(rel))
    job.result["wav"] = r.publish(rel)
    r.engine.reach(job, "complete")


OP = SimOp(
    name="wav", family="wav",
    paths={"sunoapi": "/api/v1/wav/generate", "anyint": "/suno/wav-generate"},
    cost=2, check=c.rules(c.task_audio), start=_start, render=_render,
)
