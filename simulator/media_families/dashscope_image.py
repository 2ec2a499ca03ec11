"""DashScope image tasks (`text2image/image-synthesis`, contract-media 2.3): queued ~5 s, done
~40 s after creation (real service: "typically 1 to 2 minutes", divided by `speed` like every
stage).

Poll payload: `output.{task_id, task_status, submit_time, scheduled_time, end_time, task_metrics
{TOTAL, SUCCEEDED, FAILED}}`, on success `output.results[] {url, orig_prompt, actual_prompt}`
(`actual_prompt` only with `prompt_extend`) and `usage.image_count`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator.media_families import MediaFamily
from simulator.media_families._dashscope import output, signed, status

if TYPE_CHECKING:
    from simulator.jobs import Job


def answer(job: Job, base: str) -> dict[str, Any]:
    images = job.result.get("images", [])
    total = int(job.result.get("n") or (job.body.get("parameters") or {}).get("n") or 4)  # n defaults to 4
    state = status(job)
    done = len(images) if state == "SUCCEEDED" else 0
    results = [{"url": signed(base, job, rel), "orig_prompt": job.result.get("prompt", ""),
                **({"actual_prompt": job.result["actual_prompt"]} if job.result.get("actual_prompt") else {})}
               for rel in images]
    out = output(job, {"results": results})
    out["task_metrics"] = {"TOTAL": total, "SUCCEEDED": done, "FAILED": total - done if job.failed else 0}
    body: dict[str, Any] = {"output": out}
    if state == "SUCCEEDED":
        body["usage"] = {"image_count": done}
    return body


FAMILY = MediaFamily(
    name="dashscope_image", api="dashscope", stages=(("running", 5.0), ("complete", 40.0)),
    failed_status="FAILED", canceled_status="CANCELED", answer=answer,
)
