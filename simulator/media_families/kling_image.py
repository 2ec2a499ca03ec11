"""Kling image tasks (images/generations, images/omni-image): submitted ~4 s, done ~30 s after
creation (divided by `speed`). `task_result.images[] {index, url}`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator.media_families import MediaFamily
from simulator.formats import media_url
from simulator.media_families._kling import data

if TYPE_CHECKING:
    from simulator.jobs import Job


def answer(job: Job, base: str) -> dict[str, Any]:
    images = [{"index": i, "url": media_url(base, rel)} for i, rel in enumerate(job.result.get("images", []))]
    return data(job, {"images": images})


FAMILY = MediaFamily(
    name="kling_image", api="kling", stages=(("running", 4.0), ("complete", 30.0)),
    failed_status="failed", answer=answer,
)
