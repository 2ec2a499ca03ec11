"""Kling video tasks of the OpenAI-style route (`/openai/v1/videos`): the timeline of the Kling
video family, answered as an OpenAI video object `{id, object: "video", model, status: queued |
in_progress | completed | failed, progress, created_at, completed_at, expires_at, seconds, size,
prompt, error: {code, message}}` (times in epoch seconds; `progress` is filled in by the route,
which knows the time; `expires_at` once the file exists)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator.media_families import MediaFamily

if TYPE_CHECKING:
    from simulator.jobs import Job


def status(job: Job) -> str:
    if job.failed:
        return "failed"
    if job.stage == 0:
        return "queued"
    return "completed" if job.done else "in_progress"


def answer(job: Job, base: str) -> dict[str, Any]:
    state, r = status(job), job.result
    return {"id": job.task_id, "object": "video", "model": job.body.get("model"), "status": state,
            "progress": 100 if state == "completed" else 0, "created_at": int(job.created),
            "completed_at": int(job.completed) if job.completed else None,
            "expires_at": int(r["expires"]) if state == "completed" and r.get("expires") else None,
            "seconds": str(job.body.get("duration") or 5), "size": r.get("size") or job.body.get("size"),
            "prompt": job.body.get("prompt"), "remixed_from_video_id": None,
            "error": {"code": "generation_failed", "message": job.error.msg} if job.failed else None}


FAMILY = MediaFamily(
    name="openai_video", api="openai", stages=(("running", 8.0), ("complete", 150.0)),
    failed_status="failed", answer=answer,
)
