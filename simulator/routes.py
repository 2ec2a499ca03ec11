"""Provider API routes in both path styles (contract section 3): create, poll, credits.

Every create runs: latency fault -> Bearer auth (401) -> JSON body (400) -> per-key rate limit
(430) -> random faults (429/430/455/500) -> stateless rules (`rules.check`: 400/413) -> stateful
checks (sources exist and are complete, continueAt/window/segment inside the track, personaId
known: 400; duplicates: 409) -> credits (429) -> the job (async ops: `{"taskId"}`) or the answer
(sync ops) -> optional `create_timeout` delay. See `routes_common` for the status-code policy.
"""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from simulator import payloads, rules
from simulator.engine import COSTS, Engine, FAMILY, Job, JobError, Track, new_id
from simulator.routes_common import (ApiProblem, add_latency, base_url, bearer_key, envelope, json_body,
                                     problem_response)

# op -> (sunoapi.org path, AnyInt path)
OPS = {
    "generate": ("/api/v1/generate", "/suno/generate"),
    "extend": ("/api/v1/generate/extend", "/suno/extend"),
    "upload_cover": ("/api/v1/generate/upload-cover", "/suno/upload-cover"),
    "upload_extend": ("/api/v1/generate/upload-extend", "/suno/upload-extend"),
    "add_vocals": ("/api/v1/generate/add-vocals", "/suno/add-vocals"),
    "add_instrumental": ("/api/v1/generate/add-instrumental", "/suno/add-instrumental"),
    "replace_section": ("/api/v1/generate/replace-section", "/suno/replace-section"),
    "lyrics": ("/api/v1/lyrics", "/suno/generate-lyrics"),
    "cover_art": ("/api/v1/suno/cover/generate", "/suno/generate-cover"),
    "vocal_removal": ("/api/v1/vocal-removal/generate", "/suno/vocal-removal"),
    "split_stem": (None, "/suno/split-stem"),
    "wav": ("/api/v1/wav/generate", "/suno/wav-generate"),
    "mp4": ("/api/v1/mp4/generate", "/suno/mp4-generate"),
    "timestamped_lyrics": ("/api/v1/generate/get-timestamped-lyrics", "/suno/timestamped-lyrics"),
    "style_boost": ("/api/v1/style/generate", "/suno/style-generate"),
    "persona": ("/api/v1/generate/generate-persona", "/suno/generate-persona"),
}
POLLS = {
    "music": ("/api/v1/generate/record-info", "/suno/query/task"),
    "lyrics": ("/api/v1/lyrics/record-info", "/suno/query/lyrics"),
    "cover": ("/api/v1/suno/cover/record-info", "/suno/query/cover"),
    "stems": ("/api/v1/vocal-removal/record-info", "/suno/query/vocal-removal"),
    "wav": ("/api/v1/wav/record-info", "/suno/query/wav"),
    "mp4": ("/api/v1/mp4/record-info", "/suno/query/mp4"),
}
CREDIT_PATHS = ("/api/v1/generate/credit", "/suno/credit")
SENSITIVE_FIELDS = ("prompt", "style", "title", "tags", "negativeTags")
UNIQUE_KIND = {"wav": "wav", "mp4": "mp4", "cover_art": "cover"}
SOURCE_OPS = ("vocal_removal", "split_stem", "wav", "mp4", "timestamped_lyrics", "persona", "replace_section")


class Api:
    """The provider API bound to one engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.config = engine.config

    def routes(self) -> list[Route]:
        out: list[Route] = []
        for op, paths in OPS.items():
            for path in filter(None, paths):
                out.append(Route(path, self._create_endpoint(op, forced=path == "/suno/split-stem"), methods=["POST"]))
        for family, paths in POLLS.items():
            for path in paths:
                out.append(Route(path, self._poll_endpoint(family), methods=["GET"]))
        out.extend(Route(p, self.credit, methods=["GET"]) for p in CREDIT_PATHS)
        return out

    # --- endpoints ---------------------------------------------------------------------------
    def _create_endpoint(self, op: str, forced: bool):
        async def endpoint(request: Request) -> JSONResponse:
            return await self.create(request, op, forced)
        return endpoint

    def _poll_endpoint(self, family: str):
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

    async def poll(self, request: Request, family: str) -> JSONResponse:
        faults = self.engine.faults.get()
        await add_latency(faults.latency_ms)
        try:
            bearer_key(request, self.config.api_key)
            if self.engine.faults.roll(faults.rate_500_poll):
                raise ApiProblem(500, "Server error (simulated fault rate_500_poll)")
            task_id = request.query_params.get("taskId", "").strip()
            if not task_id:
                raise ApiProblem(400, "taskId is required (query parameter)")
            job = self.engine.get(task_id)
            if job is None or job.family != family:
                raise ApiProblem(404, f"taskId not found: {task_id}")
        except ApiProblem as exc:
            return problem_response(exc)
        return envelope(data=payloads.record(self.engine, job, base_url(request, self.config.public_url)))

    async def create(self, request: Request, op: str, forced: bool) -> JSONResponse:
        faults = self.engine.faults.get()
        await add_latency(faults.latency_ms)
        try:
            key = bearer_key(request, self.config.api_key)
            body = await json_body(request)
            if forced and isinstance(body, dict):
                body = {**body, "type": "split_stem"}
            if op == "vocal_removal" and isinstance(body, dict) and body.get("type") == "split_stem":
                op = "split_stem"
            if not self.engine.rate_ok(key):
                raise ApiProblem(430, "Call frequency too high: more than 20 create calls in 10 s; retry later")
            self._random_faults()
            problem = rules.check(op, body)
            if problem:
                raise ApiProblem(*problem)
            base = base_url(request, self.config.public_url)
            if op in ("timestamped_lyrics", "style_boost", "persona"):
                return await self._sync(op, body)
            job = self._start(op, body, key, base)
        except ApiProblem as exc:
            return problem_response(exc, op)
        if faults.create_timeout > 0:
            await asyncio.sleep(faults.create_timeout)
        return envelope(data={"taskId": job.task_id})

    # --- helpers -----------------------------------------------------------------------------
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

    def _charge(self, op: str) -> None:
        if not self.engine.charge(op):
            raise ApiProblem(429, f"Insufficient credits: {op} costs {COSTS[op]}, balance {self.engine.credits}")

    def _source(self, body: dict[str, Any], *, with_task: bool = True) -> tuple[Job, Track]:
        """The completed source track named by audioId (and taskId)."""
        task_id = body.get("taskId") if with_task else None
        hit = self.engine.find_track(body["audioId"], task_id)
        if hit is None:
            where = f" in taskId {task_id}" if task_id else ""
            raise ApiProblem(400, f"audioId not found{where}: {body['audioId']}")
        job, track = hit
        if not job.done or job.failed or track.duration is None:
            raise ApiProblem(400, f"source music of audioId {track.id} is not complete (status must be SUCCESS)")
        return hit

    def _doom(self, op: str, body: dict[str, Any]) -> JobError | None:
        if FAMILY.get(op) not in ("music", "lyrics"):
            return None
        word = self.engine.faults.sensitive_hit(*(body.get(f) for f in SENSITIVE_FIELDS))
        if word is None:
            return None
        return JobError("SENSITIVE_WORD_ERROR", 400, f"The request contains a sensitive word: {word!r}")

    def _start(self, op: str, body: dict[str, Any], key: str, base: str) -> Job:
        parent: dict[str, str] = {}
        if body.get("personaId") and body["personaId"] not in self.engine.personas:
            raise ApiProblem(400, f"personaId not found: {body['personaId']}")
        if op == "extend":
            src_job, track = self._source(body, with_task=False)
            if body.get("defaultParamFlag"):
                problem = rules.check_continue_at(float(body["continueAt"]), track.duration)
                if problem:
                    raise ApiProblem(*problem)
            parent = {"taskId": src_job.task_id, "audioId": track.id}
        elif op == "cover_art":
            src = self.engine.get(body["taskId"])
            if src is None or src.family != "music":
                raise ApiProblem(400, f"taskId is not a known music task: {body['taskId']}")
            parent = {"taskId": src.task_id}
        elif op in SOURCE_OPS:
            src_job, track = self._source(body)
            if op == "replace_section":
                problem = rules.check_window(float(body["infillStartS"]), float(body["infillEndS"]), track.duration)
                if problem:
                    raise ApiProblem(*problem)
            parent = {"taskId": src_job.task_id, "audioId": track.id}
        kind = UNIQUE_KIND.get(op)
        unique_key = (kind, parent.get("audioId") or parent.get("taskId")) if kind else None
        with self.engine.lock:
            if unique_key and unique_key in self.engine.unique:
                existing = self.engine.unique[unique_key]
                raise ApiProblem(409, f"Conflict: a {kind} record already exists for this source",
                                 {"taskId": existing})
            self._charge(op)
            job = self.engine.create(op, body, key, base, parent=parent, doom=self._doom(op, body))
            if unique_key:
                self.engine.unique[unique_key] = job.task_id
        return job

    async def _sync(self, op: str, body: dict[str, Any]) -> JSONResponse:
        renderer = self.engine.renderer
        if op == "style_boost":
            self._charge(op)
            result = await run_in_threadpool(renderer.boost_style, body["content"])
            now = self.engine.clock.now()
            return envelope(data={
                "taskId": new_id(), "param": body["content"], "result": result,
                "creditsConsumed": float(COSTS[op]), "creditsRemaining": float(self.engine.credits),
                "successFlag": "1", "createTime": payloads.iso(now)})
        job, track = self._source(body)
        if op == "timestamped_lyrics":
            self._charge(op)
            return envelope(data=await run_in_threadpool(renderer.timestamped_lyrics, track))
        start = float(body.get("vocalStart", 0.0) or 0.0)
        end = float(body["vocalEnd"]) if body.get("vocalEnd") is not None else min(start + 30.0, track.duration)
        problem = rules.check_persona_segment(start, end, track.duration)
        if problem:
            raise ApiProblem(*problem)
        key = ("persona", track.id)
        with self.engine.lock:
            if key in self.engine.unique:
                raise ApiProblem(409, "Conflict: a persona already exists for this audioId",
                                 {"personaId": self.engine.unique[key]})
            self._charge(op)
            persona_id = new_id()
            self.engine.unique[key] = persona_id
        persona = renderer.persona(persona_id, track, start, end)
        with self.engine.lock:
            self.engine.personas[persona_id] = persona
        return envelope(data={"personaId": persona_id, "name": body["name"], "description": body["description"]})
