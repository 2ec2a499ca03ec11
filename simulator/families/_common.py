"""Payload pieces shared by several families' record-info and callback builders."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from simulator.formats import iso

if TYPE_CHECKING:
    from simulator.engine import Job


def ok(job: Job) -> bool:
    """Finished and not failed."""
    return job.done and not job.failed


def errors(job: Job) -> dict[str, Any]:
    """`errorCode`/`errorMessage` of a failed job (empty otherwise)."""
    if not job.failed:
        return {}
    return {"errorCode": job.error.code, "errorMessage": job.error.msg}


def flag(job: Job) -> str:
    """PENDING | SUCCESS | the failure status."""
    if job.failed:
        return job.error.status
    return "SUCCESS" if job.done else "PENDING"


def param(job: Job) -> str:
    """The original request as a JSON string (record-info `param`)."""
    return json.dumps(job.body, ensure_ascii=False)


def source_task_fields(job: Job) -> dict[str, Any]:
    """Fields shared by the wav, stems and mp4 record-info of a job made from one source track."""
    return {"taskId": job.task_id, "musicId": job.parent.get("taskId"), "audioId": job.parent.get("audioId"),
            "callbackUrl": job.callback_url or "", "createTime": iso(job.created),
            "completeTime": iso(job.completed), "successFlag": flag(job), **errors(job)}
