"""MP4 family: one `complete` stage (real-service 40 s).

Record-info `{taskId, musicId, audioId, callbackUrl, createTime, completeTime, successFlag,
response: {videoUrl}}`; callback (section 6.5) `{task_id, video_url}`.
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
    resp = {"videoUrl": media_url(base, job.result.get("video"))} if ok(job) else {}
    return {**source_task_fields(job), "response": resp}


def callback(job: Job, label: str, base: str, shape: str) -> dict[str, Any]:
    if label == "error":
        return {"code": job.error.code, "msg": job.error.msg, "data": {"task_id": job.task_id, "video_url": None}}
    return {"code": 200, "msg": "MP4 generated successfully.",
            "data": {"task_id": job.task_id, "video_url": media_url(base, job.result.get("video"))}}


FAMILY = SimFamily(
    name="mp4",
    poll_paths={"sunoapi": "/api/v1/mp4/record-info", "anyint": "/suno/query/mp4"},
    id_param="taskId",
    stages=(("complete", REAL_FIRST_S),),
    callback_stages=("complete",),
    failed_status="GENERATE_MP4_FAILED",
    record=record,
    callback=callback,
)
