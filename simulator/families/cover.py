"""Cover-art family: stages `generating` (at once, no callback) and `complete` (real 20 s).

Record-info `successFlag` is an integer (0 pending, 2 generating, 1 success, 3 failed) and
`errorCode` is 200|500 (schema); the callback (section 6.6) carries `{taskId, images}`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator.config import REAL_TEXT_S
from simulator.families import SimFamily
from simulator.families._common import ok
from simulator.formats import clean, iso, media_url

if TYPE_CHECKING:
    from simulator.jobs import Job


def _images(job: Job, base: str) -> list[str]:
    return [media_url(base, r) for r in job.result.get("images", [])]


def record(job: Job, base: str) -> dict[str, Any]:
    flag = 3 if job.failed else 1 if job.done else 2 if job.stage else 0
    return clean({
        "taskId": job.task_id, "parentTaskId": job.parent.get("taskId", ""),
        "callbackUrl": job.callback_url or "", "completeTime": iso(job.completed),
        "response": {"images": _images(job, base) if ok(job) else []},
        "successFlag": flag, "createTime": iso(job.created),
        "errorCode": (job.error.code if job.error.code in (200, 500) else 500) if job.failed else None,
        "errorMessage": job.error.msg if job.failed else None,
    })


def callback(job: Job, label: str, base: str, shape: str) -> dict[str, Any]:
    if label == "error":
        return {"code": 500, "msg": job.error.msg, "data": {"taskId": job.task_id, "images": None}}
    return {"code": 200, "msg": "success", "data": {"taskId": job.task_id, "images": _images(job, base)}}


FAMILY = SimFamily(
    name="cover",
    poll_paths={"sunoapi": "/api/v1/suno/cover/record-info", "anyint": "/suno/query/cover"},
    id_param="taskId",
    stages=(("generating", 0.0), ("complete", REAL_TEXT_S)),
    callback_stages=("complete",),
    failed_status="GENERATE_FAILED",
    record=record,
    callback=callback,
)
