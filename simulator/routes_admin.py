"""Admin routes under `/_sim/` (not part of the provider contract; no auth; plain JSON).

* `GET /_sim/faults` -> current faults plus `credits`; `POST /_sim/faults` merges a JSON object
  into them (`{"credits": N}` sets the balance). HTTP 400 `{"error"}` on unknown keys/bad values.
* `POST /_sim/credits {"credits": N}` -> `{"credits": N}`.
* `GET /_sim/clock` / `POST /_sim/clock {"advance_seconds": N}` -> `{"now", "iso"}`.
* `GET /_sim/tasks` -> `{"tasks": [ids]}`; `GET /_sim/tasks/{taskId}` -> the job: op, family,
  stages, stage, ready, error (with `refund`), `charged` (credits taken at create), `refunded`
  (whether they were returned on failure), parent, request body, tracks, result, callback
  attempts.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from simulator.engine import Engine
from simulator.formats import iso


async def _object(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(await request.body() or b"{}")
    except ValueError:
        raise ValueError("body must be JSON") from None
    if not isinstance(body, dict):
        raise ValueError("body must be a JSON object")
    return body


def _credits(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError("credits must be an integer >= 0")
    return value


class AdminApi:
    """The `/_sim/*` routes."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def routes(self) -> list[Route]:
        return [Route("/_sim/faults", self.faults, methods=["GET", "POST"]),
                Route("/_sim/credits", self.credits, methods=["GET", "POST"]),
                Route("/_sim/clock", self.clock, methods=["GET", "POST"]),
                Route("/_sim/tasks", self.task_list, methods=["GET"]),
                Route("/_sim/tasks/{task_id}", self.task, methods=["GET"])]

    async def faults(self, request: Request) -> JSONResponse:
        try:
            if request.method == "POST":
                changes = await _object(request)
                if "credits" in changes:
                    self.engine.set_credits(_credits(changes.pop("credits")))
                self.engine.faults.merge(changes)
        except ValueError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        return JSONResponse({**self.engine.faults.get().to_dict(), "credits": self.engine.credits})

    async def credits(self, request: Request) -> JSONResponse:
        try:
            if request.method == "POST":
                self.engine.set_credits(_credits((await _object(request)).get("credits")))
        except ValueError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        return JSONResponse({"credits": self.engine.credits})

    async def clock(self, request: Request) -> JSONResponse:
        try:
            if request.method == "POST":
                seconds = (await _object(request)).get("advance_seconds", 0)
                if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
                    raise ValueError("advance_seconds must be a number")
                self.engine.clock.advance(float(seconds))
        except ValueError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        now = self.engine.clock.now()
        return JSONResponse({"now": now, "iso": iso(now)})

    async def task_list(self, request: Request) -> JSONResponse:
        with self.engine.lock:
            return JSONResponse({"tasks": list(self.engine.jobs)})

    async def task(self, request: Request) -> JSONResponse:
        job = self.engine.get(request.path_params["task_id"])
        if job is None:
            return JSONResponse({"error": "task not found"}, status_code=404)
        with self.engine.lock:
            info = {
                "taskId": job.task_id, "op": job.op, "family": job.family, "stages": list(job.stages),
                "stage": job.stage, "ready": job.ready, "done": job.done, "failed": job.failed,
                "error": dataclasses.asdict(job.error) if job.error else None, "parent": job.parent,
                "charged": job.charged, "refunded": job.refunded,
                "created": job.created, "due": list(job.due), "completed": job.completed, "body": job.body,
                "tracks": [{"id": t.id, "title": t.title, "duration": t.duration, "audio": t.audio,
                            "image": t.image, "spec": dataclasses.asdict(t.spec) if t.spec else None}
                           for t in job.tracks],
                "result": job.result,
            }
        info["callbacks"] = self.engine.sender.history(job.task_id)
        return JSONResponse(info)
