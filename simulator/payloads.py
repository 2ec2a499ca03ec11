"""Poll answers (record-info `data`, camelCase) and callback bodies (section 6) built from jobs.

Conformance choices (the poll answers are checked against sunoapi-music.openapi.yaml):
* null fields are omitted (the schema types `errorCode`, `errorMessage`, `completeTime`... as
  non-nullable);
* every poll time is ISO-8601 UTC (`2025-01-15T10:35:27.000Z`) because the schema says
  `format: date-time`; callbacks keep the documented `"2025-01-01 00:00:00"` form;
* music `type` (schema enum `chirp-v3-5|chirp-v4`, example `GENERATE`) is omitted, and
  `operationType` is given only for the schema's values (generate, extend, upload_cover,
  upload_extend) — add-vocals, add-instrumental and replace-section carry none.
* `musicId` (wav, stems, mp4) is the source music task id; `audioId` the source track id.
"""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from simulator.engine import Engine, Job, Track

MODEL_NAMES = {"V3_5": "chirp-v3-5", "V4": "chirp-v4", "V4_5": "chirp-auk", "V4_5ALL": "chirp-auk",
               "V4_5PLUS": "chirp-bluejay", "V5": "chirp-crow", "V5_5": "chirp-fenix"}
OPERATION_TYPES = ("generate", "extend", "upload_cover", "upload_extend")
MUSIC_STATUS = {"text": "TEXT_SUCCESS", "first": "FIRST_SUCCESS", "complete": "SUCCESS"}
LEVEL = {"text": 1, "first": 2, "complete": 3}
STEM_FIELDS = {  # synth stem name -> record-info field (callback field = snake_case of it)
    "vocals": "vocalUrl", "instrumental": "instrumentalUrl", "backing_vocals": "backingVocalsUrl",
    "drums": "drumsUrl", "bass": "bassUrl", "guitar": "guitarUrl", "keyboard": "keyboardUrl",
    "percussion": "percussionUrl", "strings": "stringsUrl", "synth": "synthUrl", "fx": "fxUrl",
    "brass": "brassUrl", "woodwinds": "woodwindsUrl", "origin": "originUrl",
}
MUSIC_MSG = {"text": "Text generation completed.", "first": "First track generated.",
             "complete": "All generated successfully."}


def iso(t: float | None) -> str | None:
    """Epoch seconds -> `2025-01-15T10:35:27.000Z` (None stays None)."""
    if t is None:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + f".{int(t % 1 * 1000):03d}Z"


def plain(t: float) -> str:
    """Epoch seconds -> `2025-01-01 00:00:00` (UTC)."""
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(t))


def snake(name: str) -> str:
    """`backingVocalsUrl` -> `backing_vocals_url`."""
    return "".join("_" + c.lower() if c.isupper() else c for c in name)


def _clean(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}


def url(base: str, rel: str | None) -> str:
    """Absolute `/files/` URL, or "" when the media does not exist (yet)."""
    return f"{base.rstrip('/')}/files/{rel}" if rel else ""


def _level(job: Job) -> int:
    return LEVEL[job.stages[job.stage - 1]] if job.stage and job.stages[job.stage - 1] in LEVEL else 0


def _track_camel(t: Track, base: str, level: int) -> dict[str, Any]:
    stream = url(base, t.stream) if level >= 2 else ""
    final = url(base, t.audio) if level >= 3 else ""
    image = url(base, t.image) if level >= 2 else ""
    return _clean({
        "id": t.id, "audioUrl": final, "sourceAudioUrl": final, "streamAudioUrl": stream,
        "sourceStreamAudioUrl": stream, "imageUrl": image, "sourceImageUrl": image,
        "prompt": t.prompt, "modelName": t.model_name, "title": t.title, "tags": t.tags,
        "createTime": iso(t.created), "duration": round(t.duration, 2) if level >= 3 and t.duration else None,
    })


def _track_snake(t: Track, base: str, level: int) -> dict[str, Any]:
    camel = _track_camel(t, base, level)
    out = {snake(k): v for k, v in camel.items() if k != "createTime"}
    out["createTime"] = plain(t.created)
    return out


def _errors(job: Job) -> dict[str, Any]:
    if not job.failed:
        return {}
    return {"errorCode": job.error.code, "errorMessage": job.error.msg}


def _flag(job: Job) -> str:
    if job.failed:
        return job.error.status
    return "SUCCESS" if job.done else "PENDING"


def record(engine: Engine, job: Job, base: str) -> dict[str, Any]:
    """The record-info `data` of a job (camelCase)."""
    with engine.lock:
        return _RECORD[job.family](job, base)


def _music_record(job: Job, base: str) -> dict[str, Any]:
    level = _level(job)
    status = job.error.status if job.failed else MUSIC_STATUS.get(job.stages[job.stage - 1], "PENDING") \
        if job.stage else "PENDING"
    return _clean({
        "taskId": job.task_id, "parentMusicId": job.parent.get("audioId", ""),
        "param": json.dumps(job.body, ensure_ascii=False),
        "response": {"taskId": job.task_id,
                     "sunoData": [_track_camel(t, base, level) for t in job.tracks] if level else []},
        "status": status, "operationType": job.op if job.op in OPERATION_TYPES else None,
        **_errors(job),
    })


def _lyrics_record(job: Job, base: str) -> dict[str, Any]:
    items = [{"text": v["text"], "title": v["title"], "status": "complete", "errorMessage": ""}
             for v in job.result.get("variants", [])] if job.done and not job.failed else []
    return _clean({
        "taskId": job.task_id, "param": json.dumps(job.body, ensure_ascii=False),
        "response": {"taskId": job.task_id, "data": items},
        "status": _flag(job), "type": "LYRICS", **_errors(job),
    })


def _sub_common(job: Job) -> dict[str, Any]:
    return {"taskId": job.task_id, "musicId": job.parent.get("taskId"), "audioId": job.parent.get("audioId"),
            "callbackUrl": job.callback_url or "", "createTime": iso(job.created),
            "completeTime": iso(job.completed), "successFlag": _flag(job), **_errors(job)}


def _ok(job: Job) -> bool:
    return job.done and not job.failed


def _wav_record(job: Job, base: str) -> dict[str, Any]:
    resp = {"audioWavUrl": url(base, job.result.get("wav"))} if _ok(job) else {}
    return _clean({**_sub_common(job), "response": resp})


def _mp4_record(job: Job, base: str) -> dict[str, Any]:
    resp = {"videoUrl": url(base, job.result.get("video"))} if _ok(job) else {}
    return _clean({**_sub_common(job), "response": resp})


def _stem_urls(job: Job, base: str) -> dict[str, str]:
    return {STEM_FIELDS[name]: url(base, rel) for name, rel in job.result.get("stems", {}).items()}


def _stems_record(job: Job, base: str) -> dict[str, Any]:
    return _clean({**_sub_common(job), "response": _stem_urls(job, base) if _ok(job) else {}})


def _cover_record(job: Job, base: str) -> dict[str, Any]:
    flag = 3 if job.failed else 1 if job.done else 2 if job.stage else 0
    return _clean({
        "taskId": job.task_id, "parentTaskId": job.parent.get("taskId", ""),
        "callbackUrl": job.callback_url or "", "completeTime": iso(job.completed),
        "response": {"images": [url(base, r) for r in job.result.get("images", [])] if _ok(job) else []},
        "successFlag": flag, "createTime": iso(job.created),
        "errorCode": (job.error.code if job.error.code in (200, 500) else 500) if job.failed else None,
        "errorMessage": job.error.msg if job.failed else None,
    })


_RECORD = {"music": _music_record, "lyrics": _lyrics_record, "wav": _wav_record, "mp4": _mp4_record,
           "stems": _stems_record, "cover": _cover_record}


# --- callbacks ----------------------------------------------------------------------------------
def callback(engine: Engine, job: Job, label: str) -> dict[str, Any]:
    """The callback body for a stage label (`text|first|complete|error`) of a job."""
    base = engine.config.public_url or job.base_url
    with engine.lock:
        if job.family == "music":
            return _music_callback(job, label, base, engine.config.callback_shape)
        ok = label != "error"
        code, msg = (200, "success") if ok else (job.error.code, job.error.msg)
        if job.family == "lyrics":
            items = [{"text": v["text"], "title": v["title"], "status": "complete", "errorMessage": ""}
                     for v in job.result.get("variants", [])]
            data = {"callbackType": "complete" if ok else "error", "taskId": job.task_id,
                    "data": items if ok else None}
            msg = "All generated successfully." if ok else msg
        elif job.family == "wav":
            data = {"task_id": job.task_id, "audioWavUrl": url(base, job.result.get("wav")) if ok else None}
        elif job.family == "mp4":
            data = {"task_id": job.task_id, "video_url": url(base, job.result.get("video")) if ok else None}
            msg = "MP4 generated successfully." if ok else msg
        elif job.family == "stems":
            info = {snake(k): v for k, v in _stem_urls(job, base).items()} if ok else None
            data = {"task_id": job.task_id, "vocal_removal_info": info}
            msg = "vocal Removal generated successfully." if ok else msg
        else:  # cover
            code = 200 if ok else 500
            data = {"taskId": job.task_id,
                    "images": [url(base, r) for r in job.result.get("images", [])] if ok else None}
        return {"code": code, "msg": msg, "data": data}


def _music_callback(job: Job, label: str, base: str, shape: str) -> dict[str, Any]:
    if label == "error":
        code, msg, tracks = job.error.code, job.error.msg, None
    else:
        code, msg = 200, MUSIC_MSG[label]
        tracks = [_track_snake(t, base, LEVEL[label]) for t in job.tracks]
    inner = {"callbackType": label, "task_id": job.task_id, "data": tracks}
    if shape == "flat":
        return inner if label != "error" else {**inner, "code": code, "msg": msg}
    return {"code": code, "msg": msg, "data": inner}
