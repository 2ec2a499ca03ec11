"""Recovery family (contract-newer 5): fresh links for every track of a finished music task. One
`complete` stage (real-service 20 s; not documented).

The poll (`GET /api/v1/suno/recovery/record-info?task_id=`, snake_case, sunoapi only) carries its
status in the envelope's own `code`, so this family builds the whole answer (`poll_answer`):

* running: `{"code": 201, "msg": "processing", "task_id", "data": null}`;
* finished: `{"code": 200, "msg": "success", "task_id", "data": [item, ...]}` when at least one
  track was recovered, else `code` 500 with the same list; items keep the original track order:
  `{id (the original audioId), audio_url (new URL), title, status: "success", error: ""}` or
  `{id, status: "failed", error}`;
* a failed task (the `fail_rate` fault, a render error): code 500, its message, and every track
  failed with `mango_transfer_failed` (the list is there, so a client can tell it from a server
  error);
* an unknown id: `{"code": 500, "msg": "The music link recovery task does not exist.", "data":
  null}`.

The callback is one POST of the same flat body (no `callbackType`, no inner wrapper).
A job's `result["items"]` holds the items with media-store relative `audio_url`s; its parent
`taskId` is the original music task.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator.config import REAL_TEXT_S
from simulator.families import SimFamily
from simulator.formats import media_url

if TYPE_CHECKING:
    from simulator.jobs import Job

UNKNOWN = "The music link recovery task does not exist."
FAILED_ERROR = "mango_transfer_failed"


def _items(job: Job, base: str) -> list[dict[str, Any]]:
    if job.failed:
        return [{"id": audio_id, "status": "failed", "error": FAILED_ERROR}
                for audio_id in job.result.get("audio_ids", [])]
    return [{**item, "audio_url": media_url(base, item["audio_url"])} if "audio_url" in item else dict(item)
            for item in job.result.get("items", [])]


def _finished(job: Job, base: str) -> dict[str, Any]:
    items = _items(job, base)
    if job.failed:
        return {"code": 500, "msg": job.error.msg, "task_id": job.task_id, "data": items}
    if any(item["status"] == "success" for item in items):
        return {"code": 200, "msg": "success", "task_id": job.task_id, "data": items}
    return {"code": 500, "msg": "No track could be recovered", "task_id": job.task_id, "data": items}


def poll_answer(job: Job | None, task_id: str, base: str) -> dict[str, Any]:
    if job is None:
        return {"code": 500, "msg": UNKNOWN, "data": None}
    if not job.done:
        return {"code": 201, "msg": "processing", "task_id": job.task_id, "data": None}
    return _finished(job, base)


def record(job: Job, base: str) -> dict[str, Any]:
    """The list part of the answer (the poll itself uses `poll_answer`)."""
    return {"task_id": job.task_id, "data": _items(job, base) if job.done else None}


def callback(job: Job, label: str, base: str, shape: str) -> dict[str, Any]:
    return _finished(job, base)


FAMILY = SimFamily(
    name="recovery",
    poll_paths={"sunoapi": "/api/v1/suno/recovery/record-info", "anyint": None},
    id_param="task_id",
    stages=(("complete", REAL_TEXT_S),),
    callback_stages=("complete",),
    failed_status="RECOVERY_FAILED",
    record=record,
    callback=callback,
    poll_answer=poll_answer,
)
