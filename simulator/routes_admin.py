"""Admin routes under `/_sim/` (not part of the provider contract; no auth; plain JSON). Errors
are HTTP 400 (404 for an unknown task) with `{"error": "<reason>"}`.

* `GET /_sim/config` -> the run-time settings `{"speed", "track_seconds", "credits",
  "retention_days", "upload_retention_days", "callback_shape"}` (`credits` is the live balance);
  `POST /_sim/config` merges a JSON object of those keys and answers the new settings. All keys
  are validated before any applies (`config.check_runtime`): speed > 0 and <= 10000,
  track_seconds 1..480, credits an integer >= 0, retention days > 0, callback_shape
  wrapped|flat; a bad value or an unknown key is 400 `{"error": "<field>: <reason>"}`. Speed
  applies to tasks created afterwards, track length to songs rendered afterwards, retention to
  files made afterwards, the callback shape to callbacks sent afterwards.
* `GET /_sim/faults` -> current faults plus `credits`; `POST /_sim/faults` merges a JSON object
  into them (`{"credits": N}` sets the balance), 400 on unknown keys/bad values;
  `POST /_sim/faults/reset` restores the default faults (answers like GET).
* `GET /_sim/credits`, `POST /_sim/credits {"credits": N}` -> `{"credits": N}`.
* `GET /_sim/clock` / `POST /_sim/clock {"advance_seconds": N}` -> `{"now", "iso"}`: the clock
  of every task. With `"task_id"` in the body (or `?task_id=` on GET) only that task ages: its
  files expire as if N seconds had passed for it alone, nobody else's do (404 for an unknown
  task); the answer is that task's time, with `"task_id"`.
* `GET /_sim/tasks` -> `{"tasks": [ids]}`; `GET /_sim/tasks/{taskId}` -> the job: op, family,
  stages, stage, ready, error (with `refund`), `charged` (credits taken at create), `refunded`
  (whether they were returned on failure), parent, request body, tracks, result, callback
  attempts and `callbacks_pending` (labels queued or being delivered; empty once the sender is
  done with the task, delivered or given up).

With a data dir (`simulator.persistence`) the credit balance and the clock offset are saved (so
they survive a restart); the run-time settings and faults are not (the next start's options
apply).
"""

from __future__ import annotations

import dataclasses
import json
import math
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from simulator.config import RUNTIME_SETTINGS, check_runtime
from simulator.engine import Engine
from simulator.formats import iso
from simulator.media_store import MediaStore


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

    def __init__(self, engine: Engine, store: MediaStore) -> None:
        self.engine = engine
        self.store = store

    def routes(self) -> list[Route]:
        return [Route("/_sim/config", self.config, methods=["GET", "POST"]),
                Route("/_sim/faults", self.faults, methods=["GET", "POST"]),
                Route("/_sim/faults/reset", self.reset_faults, methods=["POST"]),
                Route("/_sim/credits", self.credits, methods=["GET", "POST"]),
                Route("/_sim/clock", self.clock, methods=["GET", "POST"]),
                Route("/_sim/tasks", self.task_list, methods=["GET"]),
                Route("/_sim/tasks/{task_id}", self.task, methods=["GET"])]

    def _settings(self) -> dict[str, Any]:
        config = self.engine.config
        return {**{name: getattr(config, name) for name in RUNTIME_SETTINGS}, "credits": self.engine.credits}

    async def config(self, request: Request) -> JSONResponse:
        if request.method == "POST":
            try:
                body = json.loads(await request.body() or b"{}")
            except ValueError:
                return JSONResponse({"error": "body: must be JSON"}, status_code=400)
            try:
                changes = check_runtime(body)
            except ValueError as exc:
                return JSONResponse({"error": str(exc)}, status_code=400)
            self._apply(changes)
        return JSONResponse(self._settings())

    def _apply(self, changes: dict[str, Any]) -> None:
        config = self.engine.config
        if "credits" in changes:
            self.engine.set_credits(changes.pop("credits"))
        for name, value in changes.items():
            setattr(config, name, value)
        self.store.set_retention(config.retention_days, config.upload_retention_days)

    async def reset_faults(self, request: Request) -> JSONResponse:
        self.engine.faults.reset()
        return JSONResponse({**self.engine.faults.get().to_dict(), "credits": self.engine.credits})

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
            body = await _object(request) if request.method == "POST" else {}
            task_id = body.get("task_id", request.query_params.get("task_id"))
            if task_id is not None and (not isinstance(task_id, str) or not task_id):
                raise ValueError("task_id must be a task id (a non-empty string)")
            if task_id is not None and self.engine.get(task_id) is None:
                return JSONResponse({"error": f"task_id: no task {task_id!r}"}, status_code=404)
            if request.method == "POST":
                seconds = body.get("advance_seconds", 0)
                if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) \
                        or not math.isfinite(seconds):
                    raise ValueError("advance_seconds must be a number")
                self.engine.clock.advance(float(seconds), task_id)
        except ValueError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        now = self.engine.clock.now(task_id)
        return JSONResponse({"now": now, "iso": iso(now), **({"task_id": task_id} if task_id else {})})

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
        sent = self.engine.sender.saved_form(job.task_id)
        info["callbacks"], info["callbacks_pending"] = sent["history"], sent["pending"]
        return JSONResponse(info)
