"""DashScope video tasks (`video-generation/video-synthesis`, contract-media 2.5): queued ~8 s,
done ~120 s after creation (real service: "typically 1 to 5 minutes", divided by `speed`).

Poll payload: `output.{task_id, task_status, submit_time, scheduled_time, end_time}`, on success
`output.{video_url, orig_prompt, actual_prompt}` (`actual_prompt` only with `prompt_extend`) and
`usage.{video_count, video_duration, video_ratio, SR}` (DSPY's usage fields plus QC's `SR`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator.media_families import MediaFamily
from simulator.media_families._dashscope import output, signed, status

if TYPE_CHECKING:
    from simulator.jobs import Job


def answer(job: Job, base: str) -> dict[str, Any]:
    r = job.result
    extra = {"video_url": signed(base, job, r["video"]) if r.get("video") else "",
             "orig_prompt": r.get("prompt", ""),
             **({"actual_prompt": r["actual_prompt"]} if r.get("actual_prompt") else {})}
    body: dict[str, Any] = {"output": output(job, extra)}
    if status(job) == "SUCCEEDED":
        body["usage"] = {"video_count": 1, "video_duration": r.get("duration"), "video_ratio": r.get("size"),
                         "SR": r.get("sr")}
    return body


FAMILY = MediaFamily(
    name="dashscope_video", api="dashscope", stages=(("running", 8.0), ("complete", 120.0)),
    failed_status="FAILED", canceled_status="CANCELED", answer=answer,
)
