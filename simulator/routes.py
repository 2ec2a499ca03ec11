"""Provider API routes in both path styles (contract section 3), built from the registries:
one POST route per operation path (`simulator.ops.OPERATIONS`), one GET poll route per family
and dialect (`simulator.families.FAMILIES`), and the credit routes.

Every create runs: latency fault -> Bearer auth (401) -> JSON body (400) -> the operation
(below) -> per-key rate limit (430) -> random faults (429/430/455/500) -> `op.check` (400/413)
-> `op.start` (stateful checks 400, duplicates 409, credits 429; answers `{"taskId"}`) or, for
synchronous operations, `op.answer` -> optional `create_timeout` delay (async operations only:
the task exists, the answer comes late). See `routes_common` for the status-code policy.

Choosing the operation of a route: when several operations share a path (sunoapi's
`/api/v1/vocal-removal/generate`), or a body names another operation of the route's family by
its `selector` (`type=split_stem` on `/suno/vocal-removal`), that operation runs; the route's
own operation otherwise. An operation alone on its route with a selector (`/suno/split-stem`)
gets the selector's value forced into the body.
"""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from simulator.engine import Engine
from simulator.families import FAMILIES, SimFamily
from simulator.ops import DIALECTS, OPERATIONS, SimOp
from simulator.routes_common import (
    ApiProblem, add_latency, base_url, bearer_key, envelope, json_body, problem_response,
)

CREDIT_PATHS = ("/api/v1/generate/credit", "/suno/credit")


def _ops_by_path() -> dict[str, list[SimOp]]:
    by_path: dict[str, list[SimOp]] = {}
    for op in OPERATIONS.values():
        for dialect in DIALECTS:
            path = op.paths.get(dialect)
            if path:
                by_path.setdefault(path, []).append(op)
    return by_path


def choose(ops: list[SimOp], body: Any) -> tuple[SimOp, Any]:
    """The operation a body sent to a route served by `ops` runs, and the body it runs with."""
    own = next((op for op in ops if op.selector is None), ops[0])
    if own.selector is not None:
        field, value = own.selector
        return own, {**body, field: value} if isinstance(body, dict) else body
    if isinstance(body, dict):
        for op in OPERATIONS.values():
            if op.family == own.family and op.selector and body.get(op.selector[0]) == op.selector[1]:
                return op, body
    return own, body


class Api:
    """The provider API bound to one engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.config = engine.config

    def routes(self) -> list[Route]:
        out = [Route(path, self._create_endpoint(ops), methods=["POST"]) for path, ops in _ops_by_path().items()]
        for family in FAMILIES.values():
            out.extend(Route(path, self._poll_endpoint(family), methods=["GET"])
                       for path in dict.fromkeys(family.poll_paths.values()) if path)
        out.extend(Route(p, self.credit, methods=["GET"]) for p in CREDIT_PATHS)
        return out

    def _create_endpoint(self, ops: list[SimOp]):
        async def endpoint(request: Request) -> JSONResponse:
            return await self.create(request, ops)
        return endpoint

    def _poll_endpoint(self, family: SimFamily):
        async def endpoint(request: Request) -> JSONResponse:
            return await self.poll(request, family)
        return endpoint

    async def credit(self, request: Request) -> JSONResponse:
        await add_latency(self.engine.faults.get().latency_ms)
        try:
            bearer_key(request, self.config.api_key)
        except ApiProblem as exc:
            return problem_response(exc)
        return envelope(data=self.engine.credits)

    async def poll(self, request: Request, family: SimFamily) -> JSONResponse:
        faults = self.engine.faults.get()
        await add_latency(faults.latency_ms)
        try:
            bearer_key(request, self.config.api_key)
            if self.engine.faults.roll(faults.rate_500_poll):
                raise ApiProblem(500, "Server error (simulated fault rate_500_poll)")
            task_id = request.query_params.get(family.id_param, "").strip()
            if not task_id:
                raise ApiProblem(400, f"{family.id_param} is required (query parameter)")
            job = self.engine.get(task_id)
            if family.poll_answer is not None:  # the status is the envelope's code (recovery)
                with self.engine.lock:
                    known = job if job is not None and job.family == family.name else None
                    return JSONResponse(family.poll_answer(known, task_id, base_url(request, self.config.public_url)))
            if job is None or job.family != family.name:
                raise ApiProblem(404, f"{family.id_param} not found: {task_id}")
        except ApiProblem as exc:
            return problem_response(exc)
        with self.engine.lock:
            data = family.record(job, base_url(request, self.config.public_url))
        return envelope(data=data)

    async def create(self, request: Request, ops: list[SimOp]) -> JSONResponse:
        faults = self.engine.faults.get()
        await add_latency(faults.latency_ms)
        op = ops[0]
        try:
            key = bearer_key(request, self.config.api_key)
            op, body = choose(ops, await json_body(request))
            if not self.engine.rate_ok(key):
                raise ApiProblem(430, "Call frequency too high: more than 20 create calls in 10 s; retry later")
            self._random_faults()
            problem = op.check(body)
            if problem:
                raise ApiProblem(*problem)
            if op.answer is not None:
                return envelope(data=await run_in_threadpool(op.answer, self.engine, body))
            job = op.start(self.engine, body, key, base_url(request, self.config.public_url))
        except ApiProblem as exc:
            return problem_response(exc, alt=op.alt_codes)
        if faults.create_timeout > 0:
            await asyncio.sleep(faults.create_timeout)
        return envelope(data={op.id_key: job.task_id})

    def _random_faults(self) -> None:
        f, roll = self.engine.faults.get(), self.engine.faults.roll
        if roll(f.rate_429):
            raise ApiProblem(429, "Insufficient credits (simulated fault rate_429)")
        if roll(f.rate_430):
            raise ApiProblem(430, "Call frequency too high, retry later (simulated fault rate_430)")
        if roll(f.rate_455):
            raise ApiProblem(455, "System maintenance, retry later (simulated fault rate_455)")
        if roll(f.rate_500):
            raise ApiProblem(500, "Server error (simulated fault rate_500)")
