"""Kling video tasks (text2video, image2video, omni-video): submitted ~8 s, done ~150 s after
creation (divided by `speed`). `task_result.videos[] {id, url, duration}` (duration a string of
seconds, as native Kling writes it)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator.media_families import MediaFamily
from simulator.formats import media_url
from simulator.media_families._kling import data

if TYPE_CHECKING:
    from simulator.jobs import Job


def answer(job: Job, base: str) -> dict[str, Any]:
    r = job.result
    videos = [{"id": f"{job.task_id}-0", "url": media_url(base, r["video"]), "duration": f"{r.get('duration', 0):g}"}] \
        if r.get("video") else []
    return data(job, {"videos": videos})


FAMILY = MediaFamily(
    name="kling_video", api="kling", stages=(("running", 8.0), ("complete", 150.0)),
    failed_status="failed", answer=answer,
)
