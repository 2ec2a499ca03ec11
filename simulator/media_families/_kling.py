"""The Kling task data shared by the video and image families (contract-media 1.5, native Kling
as seen through third parties [V-3p]): `{task_id, task_status, task_status_msg, task_info:
{external_task_id}, created_at, updated_at (ms), task_result}` with the statuses submitted ->
processing -> succeed | failed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from simulator.jobs import Job


def status(job: Job) -> str:
    """submitted | processing | succeed | failed."""
    if job.failed:
        return job.error.status
    if job.stage == 0:
        return "submitted"
    return "succeed" if job.done else "processing"


def updated(job: Job) -> float:
    """When the task last changed (the time its current status began)."""
    if job.failed or job.done:
        return job.completed or job.created
    return job.due[0] if job.stage else job.created


def data(job: Job, result: dict[str, Any] | None) -> dict[str, Any]:
    """The envelope's `data`; `result` (the task_result) only once succeeded."""
    state = status(job)
    out: dict[str, Any] = {"task_id": job.task_id, "task_status": state,
                           "task_status_msg": job.error.msg if job.failed else "",
                           "task_info": {"external_task_id": job.body.get("external_task_id") or ""},
                           "created_at": int(job.created * 1000), "updated_at": int(updated(job) * 1000)}
    if state == "succeed" and result is not None:
        out["task_result"] = result
    return out
