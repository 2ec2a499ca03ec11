"""WAV family: one `complete` stage (real-service 40 s).

Record-info `{taskId, musicId, audioId, callbackUrl, createTime, completeTime, successFlag,
response: {audioWavUrl}}`; callback (section 6.3) `{task_id, audioWavUrl}`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator.config import REAL_FIRST_S
from simulator.families import SimFamily
from simulator.families._common import ok, source_task_fields
from simulator.formats import media_url

if TYPE_CHECKING:
    from simulator.jobs import Job


def record(job: Job, base: str) -> dict[str, Any]:
    resp = {"audioWavUrl": media_url(base, job.result.get("wav"))} if ok(job) else {}
    return {**source_task_fields(job), "response": resp}


def callback(job: Job, label: str, base: str, shape: str) -> dict[str, Any]:
    if label == "error":
        return {"code": job.error.code, "msg": job.error.msg, "data": {"task_id": job.task_id, "audioWavUrl": None}}
    return {"code": 200, "msg": "success",
            "data": {"task_id": job.task_id, "audioWavUrl": media_url(base, job.result.get("wav"))}}


FAMILY = SimFamily(
    name="wav",
    poll_paths={"sunoapi": "/api/v1/wav/record-info", "anyint": "/suno/query/wav"},
    id_param="taskId",
    stages=(("complete", REAL_FIRST_S),),
    callback_stages=("complete",),
    failed_status="GENERATE_WAV_FAILED",
    record=record,
    callback=callback,
)
