"""Lyrics family: one `complete` stage (real-service 20 s), several text variants.

Record-info `{taskId, param, response: {taskId, data: [{text, title, status, errorMessage}]},
status, type: "LYRICS"}`; the callback (section 6.2) uses camelCase `taskId`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator.config import REAL_TEXT_S
from simulator.families import SimFamily
from simulator.families._common import errors, flag, ok, param

if TYPE_CHECKING:
    from simulator.jobs import Job


def _items(job: Job) -> list[dict[str, Any]]:
    return [{"text": v["text"], "title": v["title"], "status": "complete", "errorMessage": ""}
            for v in job.result.get("variants", [])]


def record(job: Job, base: str) -> dict[str, Any]:
    return {"taskId": job.task_id, "param": param(job),
            "response": {"taskId": job.task_id, "data": _items(job) if ok(job) else []},
            "status": flag(job), "type": "LYRICS", **errors(job)}


def callback(job: Job, label: str, base: str, shape: str) -> dict[str, Any]:
    if label == "error":
        return {"code": job.error.code, "msg": job.error.msg,
                "data": {"callbackType": "error", "taskId": job.task_id, "data": None}}
    return {"code": 200, "msg": "All generated successfully.",
            "data": {"callbackType": "complete", "taskId": job.task_id, "data": _items(job)}}


FAMILY = SimFamily(
    name="lyrics",
    poll_paths={"sunoapi": "/api/v1/lyrics/record-info", "anyint": "/suno/query/lyrics"},
    id_param="taskId",
    stages=(("complete", REAL_TEXT_S),),
    callback_stages=("complete",),
    failed_status="GENERATE_LYRICS_FAILED",
    record=record,
    callback=callback,
)
