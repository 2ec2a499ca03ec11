"""cover_art — `POST /api/v1/suno/cover/generate` | `/suno/generate-cover` (contract 5.11), cover
family; answers use the second code list (validation 422, credits 402).

Rules: `taskId` (a music task) and `callBackUrl` required. Stateful: the task must be a known
music task (422); one cover per music task (409 with the existing `taskId`). Render: two PNG
images drawn from the music task's title and style.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator import art
from simulator.ops import SimOp
from simulator.ops import _checks as c
from simulator.ops._jobs import launch
from simulator.ops._music import seed
from simulator.routes_common import ApiProblem

if TYPE_CHECKING:
    from simulator.engine import Engine
    from simulator.jobs import Job
    from simulator.render import Renderer


def _rules(b: dict) -> None:
    c.text(b, "taskId", required=True)
    c.http_url(b, "callBackUrl")


def _start(engine: Engine, body: dict[str, Any], key: str, base: str) -> Job:
    src = engine.get(body["taskId"])
    if src is None or src.family != "music":
        raise ApiProblem(400, f"taskId is not a known music task: {body['taskId']}")
    return launch(engine, OP, body, key, base, parent={"taskId": src.task_id}, unique=("cover", src.task_id))


def _render(r: Renderer, job: Job) -> None:
    r.engine.reach(job, "generating")
    parent = r.engine.get(job.parent["taskId"]).body
    title = parent.get("title") or parent.get("prompt") or "Untitled"
    style = parent.get("style") or parent.get("tags") or ""
    job.result["images"] = [
        r.store.put(f"tasks/{job.task_id}/cover_{i}.png",
                    art.cover_image(seed(job.task_id, i), title, style, fmt="png")).removeprefix("/files/")
        for i in range(2)]
    r.engine.reach(job, "complete")


OP = SimOp(
    name="cover_art", family="cover",
    paths={"sunoapi": "/api/v1/suno/cover/generate", "anyint": "/suno/generate-cover"},
    cost=2, check=c.rules(_rules), start=_start, render=_render, alt_codes=True,
)
