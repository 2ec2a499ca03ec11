"""DashScope routes as AnyInt publishes them under `/dashscope/v1` (contract-media 1.3, 1.4,
2.2-2.8), built from the media registry: one POST route per DashScope operation path
(`simulator.media_ops`), `GET /dashscope/v1/tasks/{task_id}` for every DashScope task and
`POST /dashscope/v1/tasks/{task_id}/cancel` (native DashScope; the official SDK calls it).

Answers use real HTTP status codes and DashScope's shapes: success `{"output", "usage"?,
"request_id"}`, errors `{"code", "message", "request_id"}` (contract-media 2.8): 400
`InvalidParameter` / `BadRequest.EmptyModel` / `BadRequest.EmptyInput` / `DataInspectionFailed`
/ `UnsupportedOperation` (cancel after PENDING), 401 `InvalidApiKey`, 403 `AccessDenied` (an
async-only route without `X-DashScope-Async: enable`), 429 `Throttling.RateQuota`, 500
`InternalError`, 503 `ServiceUnavailable`. With the `gateway_errors` fault, auth and limit
errors come in the AnyInt gateway's `{"error": {...}}` shape instead (contract-media 6.4).

Task polls: an unknown id, another API's task, or a task older than `media_retention_hours`
(24 h, on the task's simulator clock) answers HTTP 200 `task_status: UNKNOWN` (2.6); result URLs
stop being served 24 h after they were made (2.7).
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from simulator.engine import TASK_FAMILIES, Engine
from simulator.gateway import AUTH_MESSAGE, RATE_MESSAGE, bearer, gateway_error, json_object, request_id
from simulator.jobs import Job
from simulator.media_ops import MEDIA_OPERATIONS, Invalid, MediaOp
from simulator.render import Renderer
from simulator.routes_common import add_latency, base_url

PREFIX = "/dashscope/v1"
SENSITIVE = "Input data may contain inappropriate content."
CANCEL_REFUSED = "Failed to cancel the task, please confirm if the task is in PENDING status."


def error(status: int, code: str, message: str, rid: str) -> JSONResponse:
    """DashScope's error body."""
    return JSONResponse({"code": code, "message": message, "request_id": rid}, status_code=status)


class DashScopeApi:
    """The DashScope routes bound to one engine and renderer."""

    def __init__(self, engine: Engine, renderer: Renderer) -> None:
        self.engine, self.renderer, self.config = engine, renderer, engine.config

    def routes(self) -> list[Route]:
        ops = [op for op in MEDIA_OPERATIONS.values() if op.api == "dashscope"]
        out = [Route(path, self._create_endpoint(op), methods=["POST"]) for op in ops for path in op.paths]
        out += [Route(f"{PREFIX}/tasks/{{task_id}}", self.task, methods=["GET"]),
                Route(f"{PREFIX}/tasks/{{task_id}}/cancel", self.cancel, methods=["POST"])]
        return out

    def _create_endpoint(self, op: MediaOp):
        async def endpoint(request: Request) -> JSONResponse:
            return await self.create(request, op)
        return endpoint

    def _refused(self, status: int, code: str, message: str, rid: str) -> JSONResponse:
        """An auth or limit error: DashScope's shape, or the gateway's under `gateway_errors`."""
        if self.engine.faults.get().gateway_errors:
            return gateway_error(status, AUTH_MESSAGE if status == 401 else RATE_MESSAGE if status == 429 else message)
        return error(status, code, message, rid)

    async def _caller(self, request: Request, rid: str) -> JSONResponse | str:
        """Latency fault, then the key (or the 401 answer)."""
        await add_latency(self.engine.faults.get().latency_ms)
        key = bearer(request, self.config.api_key)
        return key if key is not None else self._refused(401, "InvalidApiKey", "Invalid API-key provided.", rid)

    async def create(self, request: Request, op: MediaOp) -> JSONResponse:
        rid = request_id()
        key = await self._caller(request, rid)
        if isinstance(key, JSONResponse):
            return key
        faults, roll = self.engine.faults.get(), self.engine.faults.roll
        if roll(faults.rate_429_media):
            return self._refused(429, "Throttling.RateQuota",
                                 "Requests rate limit exceeded, please try again later.", rid)
        if roll(faults.rate_503_media):
            return self._refused(503, "ServiceUnavailable",
                                 "The service is temporarily unavailable (simulated fault rate_503_media).", rid)
        if op.needs_async and request.headers.get("x-dashscope-async", "").lower() != "enable":
            return error(403, "AccessDenied", "current user api does not support synchronous calls", rid)
        try:
            body = self._checked(op, await json_object(request))
        except Invalid as exc:
            return error(400, exc.code or "InvalidParameter", exc.msg, rid)
        except ValueError as exc:
            return error(400, "InvalidParameter", str(exc), rid)
        if self.engine.faults.sensitive_hit(*op.prompts(body)):
            return error(400, "DataInspectionFailed", SENSITIVE, rid)
        base = base_url(request, self.config.public_url)
        if op.answer is not None:
            return JSONResponse(await run_in_threadpool(op.answer, self.renderer, body, rid, base))
        job = self.engine.create(op, body, key, base, doom=op.doom(body) if op.doom else None, task_id=request_id())
        return JSONResponse({"output": {"task_id": job.task_id, "task_status": "PENDING"}, "request_id": rid})

    @staticmethod
    def _checked(op: MediaOp, body: Any) -> dict[str, Any]:
        """The body after the checks every DashScope route makes, then the operation's own."""
        if not isinstance(body, dict):
            raise Invalid("request body must be a JSON object")
        model = body.get("model")
        if not model:
            raise Invalid("Required parameter(s) missing or invalid: model", "BadRequest.EmptyModel")
        if model not in op.models:
            raise Invalid(f"Model not exist: {model!r} is not served on this route "
                          f"(models: {', '.join(op.models)})")
        if body.get("input") is None:
            raise Invalid("Required parameter(s) missing or invalid: input", "BadRequest.EmptyInput")
        op.check(body)
        return body

    def _live(self, task_id: str) -> Job | None:
        """A DashScope task that exists and has not expired (caller holds the engine lock)."""
        job = self.engine.jobs.get(task_id)
        if job is None or getattr(TASK_FAMILIES[job.family], "api", None) != "dashscope":
            return None
        ttl = self.config.media_retention_hours * 3600
        return job if self.engine.clock.now(job.task_id) < job.created + ttl else None

    async def task(self, request: Request) -> JSONResponse:
        rid = request_id()
        key = await self._caller(request, rid)
        if isinstance(key, JSONResponse):
            return key
        if self.engine.faults.roll(self.engine.faults.get().rate_500_poll):
            return error(500, "InternalError", "Server error (simulated fault rate_500_poll).", rid)
        task_id, base = request.path_params["task_id"], base_url(request, self.config.public_url)
        with self.engine.lock:
            job = self._live(task_id)
            if job is None:
                return JSONResponse({"request_id": rid, "output": {"task_id": task_id, "task_status": "UNKNOWN"}})
            body = TASK_FAMILIES[job.family].answer(job, base)
        return JSONResponse({"request_id": rid, **body})

    async def cancel(self, request: Request) -> JSONResponse:
        rid = request_id()
        key = await self._caller(request, rid)
        if isinstance(key, JSONResponse):
            return key
        with self.engine.lock:
            job = self._live(request.path_params["task_id"])
            if job is None or not self.engine.cancel(job):
                return error(400, "UnsupportedOperation", CANCEL_REFUSED, rid)
        return JSONResponse({"request_id": rid})
