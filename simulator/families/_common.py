"""Payload pieces shared by several families' record-info and callback builders.

Keys the docs' record-info examples show as `null` are always present, `null` until they apply:
`errorCode` and `errorMessage` (every family but cover, whose example shows `200` and `""`).
In the wav, stems and mp4 records `musicId` is the source *track* id (the docs: "The ID of the
source music track"; the examples show a track UUID), like `audioId`.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from simulator.formats import clean, iso

if TYPE_CHECKING:
    from simulator.jobs import Job


def ok(job: Job) -> bool:
    """Finished and not failed."""
    return job.done and not job.failed


def errors(job: Job) -> dict[str, Any]:
    """`errorCode`/`errorMessage`: a failed job's, else both null."""
    if not job.failed:
        return {"errorCode": None, "errorMessage": None}
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
    """Fields shared by the wav, stems and mp4 record-info of a job made from one source track
    (`completeTime` only once complete)."""
    return {**clean({"taskId": job.task_id, "musicId": job.parent.get("audioId"),
                     "audioId": job.parent.get("audioId"), "callbackUrl": job.callback_url or "",
                     "createTime": iso(job.created), "completeTime": iso(job.completed),
                     "successFlag": flag(job)}),
            **errors(job)}
