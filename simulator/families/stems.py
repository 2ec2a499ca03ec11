"""Stems family (vocal removal and split stems): one `complete` stage (real-service 40 s).

Record-info `{taskId, musicId, audioId, callbackUrl, createTime, completeTime, successFlag,
response: {originUrl, instrumentalUrl, vocalUrl, backingVocalsUrl, drumsUrl, ...}}` with all 14
stem keys, null when not produced (as the docs' examples show); callback (section 6.4)
`{task_id, vocal_removal_info: {origin_url, vocal_url, ...}}` with the produced stems only.
A job's `result["stems"]` maps synth stem names (plus "origin") to media paths.

`response.originData` (newer docs, contract 5.15) lists every produced stem (not the origin) as
`{id, stem_type_group_name, audio_url}`; its `id` is what MIDI generation takes as `audioId`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator.config import REAL_FIRST_S
from simulator.families import SimFamily
from simulator.families._common import ok, source_task_fields
from simulator.formats import media_url, snake
from simulator.notes import NAMES

if TYPE_CHECKING:
    from simulator.jobs import Job

FIELDS = {  # synth stem name -> record-info field (callback field = snake_case of it)
    "vocals": "vocalUrl", "instrumental": "instrumentalUrl", "backing_vocals": "backingVocalsUrl",
    "drums": "drumsUrl", "bass": "bassUrl", "guitar": "guitarUrl", "keyboard": "keyboardUrl",
    "percussion": "percussionUrl", "strings": "stringsUrl", "synth": "synthUrl", "fx": "fxUrl",
    "brass": "brassUrl", "woodwinds": "woodwindsUrl", "origin": "originUrl",
}
RESPONSE_KEYS = ("originUrl", "instrumentalUrl", "vocalUrl", "backingVocalsUrl", "drumsUrl", "bassUrl", "guitarUrl",
                 "keyboardUrl", "percussionUrl", "stringsUrl", "synthUrl", "fxUrl", "brassUrl", "woodwindsUrl")


def _urls(job: Job, base: str) -> dict[str, str]:
    return {FIELDS[name]: media_url(base, rel) for name, rel in job.result.get("stems", {}).items()}


def origin_data(job: Job, base: str) -> list[dict[str, Any]]:
    """One `{id, stem_type_group_name, audio_url}` per produced stem, in stem order."""
    stems = job.result.get("stems", {})
    return [{"id": stem_id, "stem_type_group_name": NAMES[name], "audio_url": media_url(base, stems[name])}
            for name, stem_id in job.result.get("stem_ids", {}).items()]


def record(job: Job, base: str) -> dict[str, Any]:
    produced = _urls(job, base) if ok(job) else {}
    response = {key: produced.get(key) for key in RESPONSE_KEYS}
    response["originData"] = origin_data(job, base) if ok(job) else []
    return {**source_task_fields(job), "response": response}


def callback(job: Job, label: str, base: str, shape: str) -> dict[str, Any]:
    if label == "error":
        return {"code": job.error.code, "msg": job.error.msg,
                "data": {"task_id": job.task_id, "vocal_removal_info": None}}
    info = {snake(k): v for k, v in _urls(job, base).items()}
    return {"code": 200, "msg": "vocal Removal generated successfully.",
            "data": {"task_id": job.task_id, "vocal_removal_info": info}}


FAMILY = SimFamily(
    name="stems",
    poll_paths={"sunoapi": "/api/v1/vocal-removal/record-info", "anyint": "/suno/query/vocal-removal"},
    id_param="taskId",
    stages=(("complete", REAL_FIRST_S),),
    callback_stages=("complete",),
    failed_status="GENERATE_AUDIO_FAILED",
    record=record,
    callback=callback,
)
