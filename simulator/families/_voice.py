"""The two Suno Voice families (contract-newer 6), one family but for its name, route, result
key, ready and failure statuses and last stage's length (`family`): lowercase statuses, camelCase
`taskId` inside the callback's `data`.

A voice job goes `wait_processing` (queued) -> `processing_validate` (stage `processing`
reached) -> its ready status at `complete`; a failed job shows its failure status. The record
is `{taskId, <key>, status, errorCode, errorMessage}` with `<key>` (`validateInfo` or
`voiceId`) null until ready and the error fields null unless failed. Callbacks: success
`{code: 200, msg: "success", data: {taskId, <key>, status, errorCode: 0, errorMessage: ""}}`,
failure `{code: 400, msg, data: {taskId, <key>: "", status, errorCode, errorMessage}}`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator.families import SimFamily
from simulator.families._common import ok

if TYPE_CHECKING:
    from simulator.jobs import Job

WAITING, WORKING = "wait_processing", "processing_validate"


def status(job: Job, ready: str, failed: str) -> str:
    if job.failed:
        return failed
    if job.done:
        return ready
    return WORKING if job.stage >= 1 else WAITING


def record(job: Job, key: str, ready: str, failed: str) -> dict[str, Any]:
    return {"taskId": job.task_id, key: job.result.get(key) if ok(job) else None,
            "status": status(job, ready, failed),
            "errorCode": job.error.code if job.failed else None,
            "errorMessage": job.error.msg if job.failed else None}


def callback(job: Job, label: str, key: str, ready: str, failed: str) -> dict[str, Any]:
    if label == "error":
        return {"code": 400, "msg": job.error.msg,
                "data": {"taskId": job.task_id, key: "", "status": failed, "errorCode": job.error.code,
                         "errorMessage": job.error.msg}}
    return {"code": 200, "msg": "success",
            "data": {"taskId": job.task_id, key: job.result.get(key, ""), "status": ready, "errorCode": 0,
                     "errorMessage": ""}}


def family(name: str, poll_path: str, *, key: str, ready: str, failed: str, complete_s: float) -> SimFamily:
    """The voice family `name`, polled at `poll_path` (sunoapi only); stages `processing`
    (real-service 5 s) and `complete` (`complete_s`; neither is documented)."""
    return SimFamily(
        name=name,
        poll_paths={"sunoapi": poll_path, "anyint": None},
        id_param="taskId",
        stages=(("processing", 5.0), ("complete", complete_s)),
        callback_stages=("complete",),
        failed_status=failed,
        record=lambda job, base: record(job, key, ready, failed),
        callback=lambda job, label, base, shape: callback(job, label, key, ready, failed),
    )
