"""The DashScope task output shared by the image and video families (contract-media 2.3, 2.5, 2.6).

Statuses: PENDING (queued), RUNNING, SUCCEEDED, FAILED (`output.code`/`message`), CANCELED;
UNKNOWN (an unknown or expired id) is answered by the route. Times are DashScope's
`2024-03-01 17:38:24.817` form (UTC here). Result URLs carry their expiry like OSS signed URLs
(`?Expires=<epoch seconds>`).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from simulator.formats import media_url

if TYPE_CHECKING:
    from simulator.jobs import Job

# JobError.code -> DashScope error code of a failed task
CODES = {400: "InvalidParameter", 451: "BadRequest.InputDownloadFailed", 500: "InternalError",
         531: "InternalError.Algo"}


def ds_time(t: float | None) -> str | None:
    """Epoch seconds -> `2024-03-01 17:38:24.817` (None stays None)."""
    if t is None:
        return None
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(t)) + f".{int(t % 1 * 1000):03d}"


def status(job: Job) -> str:
    """PENDING | RUNNING | SUCCEEDED | the failure's status (FAILED, CANCELED)."""
    if job.failed:
        return job.error.status
    if job.stage == 0:
        return "PENDING"
    return "SUCCEEDED" if job.done else "RUNNING"


def signed(base: str, job: Job, rel: str) -> str:
    """A result URL with its expiry, like an OSS signed URL."""
    return f"{media_url(base, rel)}?Expires={int(job.result.get('expires', 0))}"


def output(job: Job, extra: dict[str, Any]) -> dict[str, Any]:
    """`output` for the job's status: id, status and times, plus `extra` once it succeeded, or
    the failure's `code`/`message`."""
    state = status(job)
    out: dict[str, Any] = {"task_id": job.task_id, "task_status": state, "submit_time": ds_time(job.created)}
    if state not in ("PENDING", "CANCELED"):
        out["scheduled_time"] = ds_time(job.due[0])
    if job.failed or job.done:
        out["end_time"] = ds_time(job.completed)
    if state == "SUCCEEDED":
        out.update(extra)
    elif job.failed and state != "CANCELED":
        out["code"] = CODES.get(job.error.code, str(job.error.code))
        out["message"] = job.error.msg
    return out
