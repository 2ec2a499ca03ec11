"""Kling routes as AnyInt publishes them under `/transtreams/kling/v1` (contract-media 1.2, 1.5),
built from the media registry: for every Kling operation (`simulator.media_ops`) a POST route
and its query route `GET <path>/{task_id}` (a task is found only on its own operation's route).

Envelope (native Kling, [V-3p]): `{"code": 0, "message": "SUCCEED", "request_id", "data": {task_id,
task_status, task_status_msg, task_info, created_at, updated_at, task_result}}` with the statuses
submitted -> processing -> succeed | failed. Errors use Kling's numeric codes with their HTTP
status [I: Kling's published table]: 400 1201 (invalid parameters) / 1301 (content policy: a
sensitive word), 401 1000 (authentication), 404 1203 (unknown model or task), 429 1302 (too
fast), 500 5000, 503 5001. With the `gateway_errors` fault, auth and limit errors come in the
AnyInt gateway's `{"error": {...}}` shape. Result URLs stop being served after
`kling_retention_days` (30).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from simulator.engine import TASK_FAMILIES, Engine
from simulator.gateway import AUTH_MESSAGE, RATE_MESSAGE, bearer, gateway_error, json_object, request_id
from simulator.media_ops import MEDIA_OPERATIONS, Invalid, MediaOp
from simulator.routes_common import add_latency, base_url

STATUS = {1000: 401, 1201: 400, 1203: 404, 1301: 400, 1302: 429, 5000: 500, 5001: 503}


def error(code: int, message: str, rid: str) -> JSONResponse:
    """Kling's error body, with the HTTP status of its code."""
    return JSONResponse({"code": code, "message": message, "request_id": rid}, status_code=STATUS.get(code, 400))


def envelope(data: dict[str, Any], rid: str) -> JSONResponse:
    return JSONResponse({"code": 0, "message": "SUCCEED", "request_id": rid, "data": data})


class KlingApi:
    """The Kling routes bound to one engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine, self.config = engine, engine.config

    def routes(self) -> list[Route]:
        out = []
        for op in (op for op in MEDIA_OPERATIONS.values() if op.api == "kling"):
            out += [Route(op.paths[0], self._endpoint(self.create, op), methods=["POST"]),
                    Route(op.paths[0] + "/{task_id}", self._endpoint(self.query, op), methods=["GET"])]
        return out

    @staticmethod
    def _endpoint(handler, op: MediaOp):
        async def endpoint(request: Request) -> JSONResponse:
            return await handler(request, op)
        return endpoint

    def _refused(self, code: int, message: str, rid: str) -> JSONResponse:
        if self.engine.faults.get().gateway_errors:
            status = STATUS[code]
            return gateway_error(status, AUTH_MESSAGE if status == 401 else RATE_MESSAGE if status == 429 else message)
        return error(code, message, rid)

    async def _caller(self, request: Request, rid: str) -> JSONResponse | str:
        await add_latency(self.engine.faults.get().latency_ms)
        key = bearer(request, self.config.api_key)
        return key if key is not None else self._refused(1000, "Authentication failed: check the API key", rid)

    async def create(self, request: Request, op: MediaOp) -> JSONResponse:
        rid = request_id()
        key = await self._caller(request, rid)
        if isinstance(key, JSONResponse):
            return key
        faults, roll = self.engine.faults.get(), self.engine.faults.roll
        if roll(faults.rate_429_media):
            return self._refused(1302, "API request too fast, please slow down (simulated fault rate_429_media)", rid)
        if roll(faults.rate_503_media):
            return self._refused(5001, "Service temporarily unavailable (simulated fault rate_503_media)", rid)
        try:
            body = await json_object(request)
            if not isinstance(body, dict):
                raise Invalid("request body must be a JSON object")
            op.check(body)
        except Invalid as exc:
            return error(exc.code or 1201, exc.msg, rid)
        except ValueError as exc:
            return error(1201, str(exc), rid)
        if self.engine.faults.sensitive_hit(*op.prompts(body)):
            return error(1301, "Content security policy triggered: the prompt contains a sensitive word", rid)
        job = self.engine.create(op, body, key, base_url(request, self.config.public_url))
        with self.engine.lock:
            data = TASK_FAMILIES[job.family].answer(job, job.base_url)
        return envelope(data, rid)

    async def query(self, request: Request, op: MediaOp) -> JSONResponse:
        rid = request_id()
        key = await self._caller(request, rid)
        if isinstance(key, JSONResponse):
            return key
        if self.engine.faults.roll(self.engine.faults.get().rate_500_poll):
            return error(5000, "Server internal error (simulated fault rate_500_poll)", rid)
        task_id = request.path_params["task_id"]
        with self.engine.lock:
            job = self.engine.jobs.get(task_id)
            if job is None or job.op != op.name:
                return error(1203, f"Task not found: {task_id}", rid)
            data = TASK_FAMILIES[job.family].answer(job, base_url(request, self.config.public_url))
        return envelope(data, rid)
