"""vocal_removal and split_stem (contract 5.15): one operation but for its name, `type`, AnyInt
route and cost (`operation`), with its request rule, start and render.

Both take `taskId` + `audioId` + `callBackUrl` of a complete source track and an optional `type`
(`separate_vocal` | `split_stem`). The render writes each stem of the source song as an MP3
(`<audioId>_<Stem>.mp3`) beside the task; `result["stems"]` maps stem names (plus `origin`, the
source audio) to media paths and `result["stem_ids"]` each produced stem to its own id (the
record's `originData`, which MIDI generation takes as `audioId`; see `families.stems`).
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from simulator import audio_io, synth
from simulator.ops import SimOp
from simulator.ops import _checks as c
from simulator.ops._jobs import launch, source_track

if TYPE_CHECKING:
    from simulator.engine import Engine
    from simulator.jobs import Job
    from simulator.render import Renderer

TYPES = ("separate_vocal", "split_stem")
SUNOAPI_ROUTE = "/api/v1/vocal-removal/generate"  # both operations'; `type` tells them apart


def operation(name: str, kind: str, *, anyint: str, cost: int, selected: bool) -> SimOp:
    """The stems operation `name` making stems of `kind` (one of `TYPES`). `selected`: the
    operation is picked on the shared route by `type=<kind>` (the other one is the default)."""

    def _start(engine: Engine, body: dict[str, Any], key: str, base: str) -> Job:
        return start(op, engine, body, key, base)

    def _render(r: Renderer, job: Job) -> None:
        render(r, job, kind)

    op = SimOp(name=name, family="stems", paths={"sunoapi": SUNOAPI_ROUTE, "anyint": anyint}, cost=cost,
               check=c.rules(rules), start=_start, render=_render,
               selector=("type", kind) if selected else None)
    return op


def rules(b: dict) -> None:
    c.task_audio(b)
    kind = c.text(b, "type")
    if kind is not None and kind not in TYPES:
        c.fail(f"type must be one of {', '.join(TYPES)} (got {kind!r})")


def start(op: SimOp, engine: Engine, body: dict[str, Any], key: str, base: str) -> Job:
    src_job, track = source_track(engine, body)
    return launch(engine, op, body, key, base, parent={"taskId": src_job.task_id, "audioId": track.id})


def render(r: Renderer, job: Job, kind: str) -> None:
    """Write the `kind` stems of the source track."""
    _, track = r.parent_track(job)
    urls = {"origin": track.audio}
    for name, pcm in synth.stems(r.song_of(track), kind).items():
        rel = f"tasks/{job.task_id}/{track.id}_{name.title()}.mp3"
        audio_io.encode_mp3(pcm, r.store.path(rel))
        urls[name] = r.publish(rel)
    job.result["stems"] = urls
    job.result["stem_ids"] = {name: str(uuid.uuid4()) for name in urls if name != "origin"}
    r.engine.reach(job, "complete")
