"""Music family (generate, extend, upload-*, add-*, replace-section): record-info and callbacks.

Stages text -> first -> complete (real-service 20 s / 40 s / 150 s). A record-info answer lists
the job's two tracks in camelCase with the URLs that exist at its stage (stream URL and image from
`first`, the final audio URL and duration at `complete`); callbacks carry the same tracks in
snake_case (section 6.1), wrapped in `{code, msg, data}` or flat (AnyInt's example).

Conformance choices: null track fields are omitted; `errorCode`/`errorMessage` are always
present (null until the job fails), as in the docs' example. `type` is always present and null:
the docs contradict themselves (schema enum `chirp-v3-5|chirp-v4`, example `"GENERATE"`), so the
simulator commits to neither value. `operationType` is given only for the schema's values
(generate, extend, upload_cover, upload_extend).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator.config import REAL_COMPLETE_S, REAL_FIRST_S, REAL_TEXT_S
from simulator.families import SimFamily
from simulator.families._common import errors, param
from simulator.formats import clean, iso, media_url, plain, snake

if TYPE_CHECKING:
    from simulator.jobs import Job, Track

OPERATION_TYPES = ("generate", "extend", "upload_cover", "upload_extend")
STATUS = {"text": "TEXT_SUCCESS", "first": "FIRST_SUCCESS", "complete": "SUCCESS"}
LEVEL = {"text": 1, "first": 2, "complete": 3}
MESSAGES = {"text": "Text generation completed.", "first": "First track generated.",
            "complete": "All generated successfully."}


def _level(job: Job) -> int:
    return LEVEL.get(job.stages[job.stage - 1], 0) if job.stage else 0


def track_camel(t: Track, base: str, level: int) -> dict[str, Any]:
    """A track as record-info shows it at `level` (1 text, 2 first, 3 complete)."""
    stream = media_url(base, t.stream) if level >= 2 else ""
    final = media_url(base, t.audio) if level >= 3 else ""
    image = media_url(base, t.image) if level >= 2 else ""
    return clean({
        "id": t.id, "audioUrl": final, "sourceAudioUrl": final, "streamAudioUrl": stream,
        "sourceStreamAudioUrl": stream, "imageUrl": image, "sourceImageUrl": image,
        "prompt": t.prompt, "modelName": t.model_name, "title": t.title, "tags": t.tags,
        "createTime": iso(t.created), "duration": round(t.duration, 2) if level >= 3 and t.duration else None,
    })


def _track_snake(t: Track, base: str, level: int) -> dict[str, Any]:
    camel = track_camel(t, base, level)
    out = {snake(k): v for k, v in camel.items() if k != "createTime"}
    out["createTime"] = plain(t.created)
    return out


def record(job: Job, base: str) -> dict[str, Any]:
    level = _level(job)
    status = job.error.status if job.failed else STATUS.get(job.stages[job.stage - 1], "PENDING") \
        if job.stage else "PENDING"
    data = {"taskId": job.task_id, "parentMusicId": job.parent.get("audioId", ""), "param": param(job),
            "response": {"taskId": job.task_id,
                         "sunoData": [track_camel(t, base, level) for t in job.tracks] if level else []},
            "status": status, "type": None}
    if job.op in OPERATION_TYPES:
        data["operationType"] = job.op
    return {**data, **errors(job)}


def callback(job: Job, label: str, base: str, shape: str) -> dict[str, Any]:
    if label == "error":
        code, msg, tracks = job.error.code, job.error.msg, None
    else:
        code, msg = 200, MESSAGES[label]
        tracks = [_track_snake(t, base, LEVEL[label]) for t in job.tracks]
    inner = {"callbackType": label, "task_id": job.task_id, "data": tracks}
    if shape == "flat":
        return inner if label != "error" else {**inner, "code": code, "msg": msg}
    return {"code": code, "msg": msg, "data": inner}


FAMILY = SimFamily(
    name="music",
    poll_paths={"sunoapi": "/api/v1/generate/record-info", "anyint": "/suno/query/task"},
    id_param="taskId",
    stages=(("text", REAL_TEXT_S), ("first", REAL_FIRST_S), ("complete", REAL_COMPLETE_S)),
    callback_stages=("text", "first", "complete"),
    failed_status="GENERATE_AUDIO_FAILED",
    record=record,
    callback=callback,
)
