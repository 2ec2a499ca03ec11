"""recovery — `POST /api/v1/suno/recovery` (contract-newer 5), recovery family, sunoapi only.

Rules: `sunoTaskId` (sunoapi's name; kie's `task_id` is accepted too) and `callBackUrl`
required. Stateful: it must name a music task (400 "The original Suno task does not exist.")
that finished with SUCCESS (400 otherwise). Free. The create answer is
`{"code": 200, "msg": "success", "data": {"task_id": <recovery id>}}` (snake_case).

Render, per track of the original task in its order: a new URL (`tasks/<recovery id>/<audio
id>.mp3`) with fresh retention. While the original file is still served, the new URL serves the
same bytes; once it has expired, the track is re-rendered from its recipe (same audio) - the
point of recovery. A track that cannot be rebuilt is `failed` with `no_audio_id_mappings`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator import audio_io
from simulator.ops import SimOp
from simulator.ops import _checks as c
from simulator.ops._jobs import launch
from simulator.routes_common import ApiProblem

if TYPE_CHECKING:
    from simulator.engine import Engine
    from simulator.jobs import Job, Track
    from simulator.render import Renderer

UNKNOWN = "The original Suno task does not exist."
NOT_REBUILT = "no_audio_id_mappings"


def _rules(b: dict) -> None:
    names = [name for name in ("sunoTaskId", "task_id") if c.text(b, name) is not None]
    if not any((b[name] or "").strip() for name in names):
        c.fail("sunoTaskId is required (the original music task id; kie's task_id is accepted too)")
    c.http_url(b, "callBackUrl")


def original_id(body: dict[str, Any]) -> str:
    return (body.get("sunoTaskId") or "").strip() or body["task_id"].strip()


def _start(engine: Engine, body: dict[str, Any], key: str, base: str) -> Job:
    src = engine.get(original_id(body))
    if src is None or src.family != "music":
        raise ApiProblem(400, UNKNOWN)
    if not src.done or src.failed:
        status = src.error.status if src.failed else "still running"
        raise ApiProblem(400, f"The original Suno task is not finished with SUCCESS ({status}): {src.task_id}")
    job = launch(engine, OP, body, key, base, parent={"taskId": src.task_id})
    with engine.lock:
        job.result["audio_ids"] = [t.id for t in src.tracks]
    return job


def recover(r: Renderer, job: Job, track: Track) -> dict[str, Any]:
    """One track's recovery item (media-store relative `audio_url`)."""
    rel = f"tasks/{job.task_id}/{track.id}.mp3"
    try:
        if track.audio and r.store.lookup(track.audio) is not None:
            r.store.register(rel, target=track.audio)   # same bytes, fresh retention
        else:
            audio_io.encode_mp3(r.song_of(track).mix(), r.store.path(rel))
            r.publish(rel)
    except Exception:
        return {"id": track.id, "status": "failed", "error": NOT_REBUILT}
    return {"id": track.id, "audio_url": rel, "title": track.title, "status": "success", "error": ""}


def _render(r: Renderer, job: Job) -> None:
    src = r.engine.get(job.parent["taskId"])
    job.result["items"] = [recover(r, job, track) for track in list(src.tracks)]
    r.engine.reach(job, "complete")


OP = SimOp(
    name="recovery", family="recovery",
    paths={"sunoapi": "/api/v1/suno/recovery", "anyint": None},
    cost=0, check=c.rules(_rules), start=_start, render=_render, id_key="task_id",
)
