"""A faulty gateway between Songbench and the simulator, for the soak.

`FaultyProxy(upstream, rate)` forwards every request; every ``1/rate``-th *create* call (POSTs
under /api/v1/) is answered with a fault instead, picked in turn from `FAULTS`, so a run of
``8/rate`` creates meets every fault: refusals the provider would send without making anything (429, 430, 455), and
answers that hide whether a job was made because they come *after* forwarding (a 500 body
code, an HTML 502 gateway page, an unreadable 200, a 200 without the task id, a hung answer).
``forwarded`` counts the creates that reached the simulator per prompt.

`MediaProxy(upstream, hold_s)` forwards the media routes (DashScope, Kling) and counts the
creates the simulator accepted per prompt; with ``hold_s`` it holds each create's answer after
the simulator made the job, for the kill -9 of the media scenario, and with ``lose_every``
answers every N-th accepted create with an HTML 502 page (the job was made).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

FAULTS = ("429", "502_after", "430", "malformed_after", "455", "500_after", "no_task_after",
          "hang_after")
HANG_S = 35.0  # longer than the client's 30 s read timeout


class FaultyProxy:
    def __init__(self, upstream: str, rate: float) -> None:
        self.upstream = upstream.rstrip("/")
        self.every = max(1, round(1 / rate))
        self.creates = 0
        self.kinds = itertools.cycle(FAULTS)
        self.injected: dict[str, int] = {}
        self.forwarded: dict[str, int] = {}
        self.lock = threading.Lock()
        self.http = httpx.AsyncClient(timeout=60.0)

    async def handle(self, request: Request) -> Response:
        raw = await request.body()
        is_create = request.method == "POST" and request.url.path.startswith("/api/v1/")
        fault = None
        if is_create:
            with self.lock:
                self.creates += 1
                if self.creates % self.every == 0:
                    fault = next(self.kinds)
                    self.injected[fault] = self.injected.get(fault, 0) + 1
        if fault in ("429", "430", "455"):
            return JSONResponse({"code": int(fault), "msg": f"injected {fault}"})
        upstream = await self.http.request(
            request.method, self.upstream + request.url.path, params=request.query_params,
            content=raw, headers={k: v for k, v in request.headers.items() if k != "host"})
        if is_create:
            prompt = (json.loads(raw or b"{}") or {}).get("prompt", "")
            with self.lock:
                if upstream.json().get("code") == 200:
                    self.forwarded[prompt] = self.forwarded.get(prompt, 0) + 1
        if fault == "502_after":
            return Response("<html><body><h1>502 Bad Gateway</h1></body></html>", 502,
                            media_type="text/html")
        if fault == "malformed_after":
            return Response('{"code": 200, "msg": "succ', 200, media_type="application/json")
        if fault == "500_after":
            return JSONResponse({"code": 500, "msg": "injected internal error"})
        if fault == "no_task_after":
            return JSONResponse({"code": 200, "msg": "success", "data": {}})
        if fault == "hang_after":
            await asyncio.sleep(HANG_S)
        return Response(upstream.content, upstream.status_code,
                        media_type=upstream.headers.get("content-type"))

    def serve(self, port: int) -> uvicorn.Server:
        app = Starlette(routes=[Route("/{path:path}", self.handle,
                                      methods=["GET", "POST", "HEAD"])])
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                               log_level="warning"))
        threading.Thread(target=server.run, daemon=True).start()
        while not server.started:
            threading.Event().wait(0.02)
        return server


#: The media creates: DashScope's service routes (video tasks, sync Qwen-Image) and Kling's.
MEDIA_CREATES = ("/dashscope/v1/services/", "/transtreams/kling/", "/openai/v1/videos")


def media_prompt(raw: bytes) -> str:
    """The prompt of a media create's wire body (Kling: ``prompt``; DashScope video:
    ``input.prompt``; Qwen-Image: the user message's text)."""
    try:
        body = json.loads(raw or b"{}")
    except ValueError:
        return ""
    if not isinstance(body, dict):
        return ""
    if isinstance(body.get("prompt"), str):
        return body["prompt"]
    given = body.get("input") if isinstance(body.get("input"), dict) else {}
    if isinstance(given.get("prompt"), str):
        return given["prompt"]
    try:
        return str(given["messages"][0]["content"][0]["text"])
    except (KeyError, IndexError, TypeError):
        return ""


class MediaProxy:
    """Forwards everything to the simulator and counts what reached it: ``accepted`` maps a
    media create's prompt to the answers the simulator accepted (its task id, or ``"sync"``
    for an answer that is the result), ``statuses`` counts the simulator's non-200 answers per
    ``(create|poll, status)`` and ``seen`` every request per kind. With ``hold_s`` > 0 a create's answer is held that long after the
    simulator answered (the job exists, the caller does not know yet: a kill then loses it);
    with ``lose_every`` = N every N-th accepted create is answered with a gateway's HTML 502
    page instead (the job exists, the answer does not say so)."""

    def __init__(self, upstream: str, hold_s: float = 0.0, lose_every: int = 0) -> None:
        self.upstream = upstream.rstrip("/")
        self.hold_s = hold_s
        self.lose_every = lose_every
        self.lost_answers = 0
        self.accepted: dict[str, list[str]] = {}
        self.statuses: dict[tuple[str, int], int] = {}
        self.seen: dict[str, int] = {}
        self.lock = threading.Lock()
        self.http = httpx.AsyncClient(timeout=60.0)

    async def handle(self, request: Request) -> Response:
        raw = await request.body()
        path = request.url.path
        is_create = request.method == "POST" and path.startswith(MEDIA_CREATES)
        upstream = await self.http.request(
            request.method, self.upstream + path, params=request.query_params,
            content=raw, headers={k: v for k, v in request.headers.items() if k != "host"})
        kind = "create" if is_create else "poll" if request.method == "GET" else "other"
        with self.lock:
            self.seen[kind] = self.seen.get(kind, 0) + 1
            if upstream.status_code != 200:
                key = (kind, upstream.status_code)
                self.statuses[key] = self.statuses.get(key, 0) + 1
            elif is_create:
                answer = upstream.json()
                data = answer.get("output") or answer.get("data") or {}
                task = data.get("task_id") if isinstance(data, dict) else None
                if answer.get("code") in (None, 0):
                    self.accepted.setdefault(media_prompt(raw), []).append(task or "sync")
                    n = sum(len(ids) for ids in self.accepted.values())
                    lose = bool(self.lose_every) and n % self.lose_every == 0
                    self.lost_answers += lose
                    if lose:  # the job is made; the caller gets a gateway's error page
                        return Response("<html><body><h1>502 Bad Gateway</h1></body></html>",
                                        502, media_type="text/html")
        if is_create and self.hold_s:
            await asyncio.sleep(self.hold_s)
        return Response(upstream.content, upstream.status_code,
                        media_type=upstream.headers.get("content-type"))

    serve = FaultyProxy.serve
