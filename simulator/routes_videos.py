"""The OpenAI-style video routes of the gateway (contract-media 1.2: ANY-KV en recommends them for
new Kling integrations), built from the media registry's `openai` operation:

* `POST /openai/v1/videos`: a JSON body, or a form (the official `openai` SDK sends
  multipart/form-data: its fields are strings, an uploaded `input_reference` file is kept and
  passed on as a URL; JSON text in a field, e.g. `frame_images`, is read as JSON) -> the video
  object, `status: queued`;
* `GET /openai/v1/videos/{video_id}` -> the video object (`in_progress` with a `progress` that
  grows with the simulator clock, then `completed` or `failed` with `error`);
* `GET /openai/v1/videos/{video_id}/content[?variant=video|thumbnail]` -> the MP4 (or the first
  frame as PNG) once completed; 400 before, 404 unknown or expired (`kling_retention_days`).

Errors in the gateway's (OpenAI's) shape: 400, 401, 404, 429/503 (`rate_429_media` /
`rate_503_media` faults), content policy (a sensitive word) 400 `content_policy_violation`.
"""

from __future__ import annotations

import json
import re
import uuid
from pathlib import PurePosixPath
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from simulator.engine import TASK_FAMILIES, Engine
from simulator.gateway import AUTH_MESSAGE, RATE_MESSAGE, bearer, gateway_error, json_object
from simulator.media_ops import MEDIA_OPERATIONS, Invalid, MediaOp
from simulator.media_store import MediaStore
from simulator.routes_common import add_latency, base_url

PREFIX = "/openai/v1/videos"
_BOOLS = {"true": True, "false": False}


def _form_value(value: str) -> Any:
    """A multipart field: JSON arrays/objects and booleans read as such, the rest as text."""
    text = value.strip()
    if text[:1] in "[{":
        try:
            return json.loads(text)
        except ValueError:
            return value
    return _BOOLS.get(text.lower(), value)


class VideosApi:
    """The `/openai/v1/videos` routes bound to one engine and media store."""

    def __init__(self, engine: Engine, store: MediaStore) -> None:
        self.engine, self.store, self.config = engine, store, engine.config
        self.op: MediaOp = next(op for op in MEDIA_OPERATIONS.values() if op.api == "openai")

    def routes(self) -> list[Route]:
        return [Route(PREFIX, self.create, methods=["POST"]),
                Route(f"{PREFIX}/{{video_id}}", self.retrieve, methods=["GET"]),
                Route(f"{PREFIX}/{{video_id}}/content", self.content, methods=["GET"])]

    async def _gate(self, request: Request, create: bool = False) -> Response | None:
        faults, roll = self.engine.faults.get(), self.engine.faults.roll
        await add_latency(faults.latency_ms)
        if bearer(request, self.config.api_key) is None:
            return gateway_error(401, AUTH_MESSAGE)
        if create and roll(faults.rate_429_media):
            return gateway_error(429, f"{RATE_MESSAGE} (simulated fault rate_429_media)", headers={"retry-after": "1"})
        if create and roll(faults.rate_503_media):
            return gateway_error(503, "Upstream temporarily unavailable (simulated fault rate_503_media)")
        if not create and roll(faults.rate_500_poll):
            return gateway_error(500, "Server error (simulated fault rate_500_poll)")
        return None

    async def _body(self, request: Request) -> dict[str, Any]:
        if "json" in request.headers.get("content-type", "") or not request.headers.get("content-type"):
            body = await json_object(request)
            if not isinstance(body, dict):
                raise Invalid("request body must be a JSON object")
            return body
        out: dict[str, Any] = {}
        async with request.form() as form:
            for name, value in form.multi_items():
                if isinstance(value, UploadFile):
                    safe = re.sub(r"[^A-Za-z0-9._-]", "_", PurePosixPath(value.filename or name).name) or name
                    rel = f"uploads/videos/{uuid.uuid4().hex}/{safe}"
                    self.store.put(rel, await value.read(), kind="upload")
                    out[name] = f"{base_url(request, self.config.public_url)}/files/{rel}"
                else:
                    out[name] = _form_value(value)
        return out

    def _video(self, video_id: str) -> Any:
        job = self.engine.jobs.get(video_id)
        return job if job is not None and job.op == self.op.name else None

    def _object(self, job: Any, base: str) -> dict[str, Any]:
        video = TASK_FAMILIES[job.family].answer(job, base)
        if video["status"] == "in_progress":
            now, (start, end) = self.engine.clock.now(job.task_id), job.due
            video["progress"] = max(1, min(99, int(100 * (now - start) / max(end - start, 1e-6))))
        return video

    async def create(self, request: Request) -> Response:
        refused = await self._gate(request, create=True)
        if refused is not None:
            return refused
        try:
            body = await self._body(request)
            self.op.check(body)
            native = self.op.prepare(body) if self.op.prepare else body
        except Invalid as exc:
            return gateway_error(400, exc.msg, code=exc.code or "invalid_value")
        except ValueError as exc:
            return gateway_error(400, str(exc), code="invalid_json")
        if self.engine.faults.sensitive_hit(*self.op.prompts(body)):
            return gateway_error(400, "The prompt was blocked by the content policy", code="content_policy_violation")
        base = base_url(request, self.config.public_url)
        job = self.engine.create(self.op, native, bearer(request, self.config.api_key) or "", base,
                                 task_id=f"video_{uuid.uuid4().hex}")
        with self.engine.lock:
            return JSONResponse(self._object(job, base))

    async def retrieve(self, request: Request) -> Response:
        refused = await self._gate(request)
        if refused is not None:
            return refused
        with self.engine.lock:
            job = self._video(request.path_params["video_id"])
            if job is None:
                return gateway_error(404, f"No video found with id '{request.path_params['video_id']}'",
                                     code="video_not_found", param="video_id")
            return JSONResponse(self._object(job, base_url(request, self.config.public_url)))

    async def content(self, request: Request) -> Response:
        refused = await self._gate(request)
        if refused is not None:
            return refused
        variant = request.query_params.get("variant", "video")
        with self.engine.lock:
            job = self._video(request.path_params["video_id"])
            state = TASK_FAMILIES[job.family].answer(job, "")["status"] if job is not None else None
            rel = job.result.get("thumbnail" if variant == "thumbnail" else "video") if job is not None else None
        if job is None:
            return gateway_error(404, f"No video found with id '{request.path_params['video_id']}'",
                                 code="video_not_found", param="video_id")
        if variant not in ("video", "thumbnail"):
            return gateway_error(400, f"variant {variant!r} is not available (video, thumbnail)", param="variant")
        if state != "completed":
            return gateway_error(400, f"The video is not ready (status {state})", code="video_not_ready")
        entry = self.store.lookup(rel)
        if entry is None:
            return gateway_error(404, "The video's content has expired", code="video_expired")
        return Response(entry.path.read_bytes(), media_type=entry.content_type)
