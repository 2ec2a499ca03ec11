"""Shared by the two Suno Voice families (contract-newer 6): lowercase statuses, camelCase
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
