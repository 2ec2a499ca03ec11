"""HTTP routes served beside the UI (through `st.App`) and the process lifespan.

- `POST /api/callbacks/{secret}/{task}` (and the older `/api/callbacks/{secret}`): provider
  callbacks. The secret in the path is compared in constant time; ``task`` is our local task id
  (it lets the first callback link a task that never learnt its provider id). The payload is
  only a hint (the tracker re-reads state from the query route). Bodies over 1 MB get 413
  before being read whole; anything but a finite, shallow JSON object gets 400
  (`lib.app.callback_body`); the route never answers 500. Nothing else happens on the request
  path: the delivery goes to the runtime's inbox (`lib.tracking.inbox`), answered at once when
  it is a hint for a task we know, else once its batch is recorded (a link is durable before
  the 200); a batch whose write fails is written once more after 0.5 s; a full inbox or a
  second failure is 503, so the provider delivers again.
- `GET /api/health`: liveness of the tracker loop and the provider configuration (never the key).
- `GET /api/assets/{path}`: archived assets and uploaded sources, served with Range support so
  the browser can seek and the provider (or the simulator) can fetch uploads on loopback, and
  with a private one-hour cache (`ASSET_CACHE_CONTROL`) so a second visit reuses covers and
  audio.
- `GET /api/blind/{session token}/{trial token}/{a|b}`: the archived audio of one side of a
  blind A/B trial (`lib.review.sessions.audio_path`). The URL holds only random tokens and the
  response names nothing: no Content-Disposition, no ETag or Last-Modified (they would tell
  two takes apart across trials), ``Cache-Control: private, no-transform``. Level matching
  is applied by the player (each side's gain, always <= 0 dB, as the element's volume).
- `GET /api/experiments/{id}/{results.csv|results.json|report.html|report.zip}`: an
  experiment's exports and reports, made when asked, as attachments
  (`lib.app.experiment_files`).
- `GET /play/{slug}/{n}/{audio|cover}`: the n-th take a demo playlist shows now (only
  approved, archived takes; `lib.demo`), so demo pages carry no track or task id.
- `POST /api/session/reviewer` (JSON ``{"name": ...}``) and `DELETE` on the same path: keep
  the reviewer's name in a session cookie for this browser, or forget it
  (`lib.review.reviewer`: the checks, the cookie and its attributes). A name it refuses gets
  400 with the reason; a request from another site (``Sec-Fetch-Site`` other than
  ``same-origin``, or an ``Origin`` that is not this host) gets 403, a body that is not JSON
  415.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import os
from concurrent.futures import Future
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from lib.app import experiment_files, nodelay, pages_mode, runtime
from lib.app.callback_body import BadBody, parse_object, read_capped
from lib.app.page_shell import PageShellMiddleware
from lib.review import reviewer

logger = logging.getLogger(__name__)


@asynccontextmanager
async def lifespan(_app: Any):
    """Start the runtime (simulator + tracker loop) once per process; stop it on shutdown."""
    nodelay.enable()  # before the server accepts its first connection
    pages_mode.disable()  # before any session starts
    rt = await asyncio.to_thread(runtime.get_runtime, serving=True)
    rt.start_background()
    try:
        yield {}
    finally:
        await asyncio.to_thread(rt.stop_background)


async def callback(request: Request) -> Response:
    rt = runtime.get_runtime()
    secret = request.path_params.get("secret", "")
    if not hmac.compare_digest(secret.encode(), rt.callback_secret.encode()):
        return JSONResponse({"ok": False, "error": "unknown callback path"}, status_code=404)
    try:
        raw = await read_capped(request.stream(), request.headers.get("content-length"))
        payload = parse_object(raw)
    except BadBody as exc:
        return JSONResponse({"ok": False, "error": exc.reason}, status_code=exc.status)
    try:
        queued = rt.callbacks.put(payload, dict(request.headers), request.path_params.get("task"))
        answer: dict = (await asyncio.wait_for(asyncio.wrap_future(queued), RECORD_WAIT_S)
                        if isinstance(queued, Future) else queued)
    except Exception as exc:
        logger.warning("callback not processed: %r", exc)
        return JSONResponse({"ok": False, "error": f"not processed: {type(exc).__name__}"},
                            status_code=503)
    return JSONResponse({"ok": True, **answer})


#: How long a delivery that must be recorded first may wait for its batch (the provider gives
#: up after 15 s and delivers again).
RECORD_WAIT_S = 10.0


async def task_export(request: Request) -> Response:
    """``GET /api/export/tasks.csv|json?state=&op=&q=``: the tasks the board's filters match."""
    from lib.views import task_export as export

    fmt = request.path_params["fmt"]
    if fmt not in ("csv", "json"):
        return JSONResponse({"error": f"no such format: {fmt} (csv or json)"}, status_code=404)
    rt = runtime.get_runtime()
    rows = await asyncio.to_thread(export.export_rows, rt.log,
                                   export.filters_from(request.query_params))
    data = export.export_csv(rows) if fmt == "csv" else export.export_json(rows)
    media = "text/csv; charset=utf-8" if fmt == "csv" else "application/json"
    return Response(data, media_type=media, headers={
        "Content-Disposition": f'attachment; filename="songbench-tasks.{fmt}"',
        "Cache-Control": "no-store"})


async def health(_request: Request) -> Response:
    rt = runtime.get_runtime()
    return JSONResponse(await asyncio.to_thread(rt.health))


async def asset(request: Request) -> Response:
    rt = runtime.get_runtime()
    path = rt.resolve_asset_path(request.path_params["path"])
    if path is None:
        return JSONResponse({"error": "not found"}, status_code=404)
    answer = FileResponse(path, headers={"Cache-Control": ASSET_CACHE_CONTROL},
                          stat_result=await asyncio.to_thread(os.stat, path))
    etag = answer.headers.get("etag")
    if etag and etag in _etags(request.headers.get("if-none-match")):
        return Response(status_code=304, headers={"ETag": etag,
                                                  "Cache-Control": ASSET_CACHE_CONTROL})
    return answer


def _etags(header: str | None) -> set[str]:
    """The entity tags of an ``If-None-Match`` header (weak ones compare as strong)."""
    return {t.strip().removeprefix("W/") for t in (header or "").split(",") if t.strip()}


#: Archived files never change under their path (a task's folder, the track id and kind):
#: a browser may reuse them for an hour, then revalidates with the ETag (304). Private: they
#: are the team's audio, not for shared caches.
ASSET_CACHE_CONTROL = "private, max-age=3600"


async def blind_audio(request: Request) -> Response:
    rt = runtime.get_runtime()
    p = request.path_params
    found = await asyncio.to_thread(rt.log.blind_audio_path, p["session"], p["trial"],
                                    p["side"])
    if not found or not Path(found).is_file():
        return JSONResponse({"error": "not found"}, status_code=404)
    kind = _AUDIO_TYPES.get(Path(found).suffix.lower(), "application/octet-stream")
    return _NamelessFile(found, media_type=kind,
                         headers={"cache-control": "private, no-transform"})


class _NamelessFile(FileResponse):
    """A file response with its length only: no ETag, Last-Modified or file name."""

    def set_stat_headers(self, stat_result: os.stat_result) -> None:
        self.headers.setdefault("content-length", str(stat_result.st_size))


_AUDIO_TYPES = {".mp3": "audio/mpeg", ".wav": "audio/wav", ".m4a": "audio/mp4",
                ".ogg": "audio/ogg", ".flac": "audio/flac", ".aac": "audio/aac"}


async def demo_file(request: Request) -> Response:
    from lib.demo import file_for

    rt = runtime.get_runtime()
    params = request.path_params
    rel = await asyncio.to_thread(file_for, rt.log, params["slug"], params["number"],
                                  params["kind"], rt.assets_dir)
    path = rt.resolve_asset_path(rel) if rel else None
    if path is None:
        return JSONResponse({"error": "not found"}, status_code=404)
    return FileResponse(path, headers={"Cache-Control": "no-store"})


def _same_site(request: Request) -> bool:
    """The request comes from one of our own pages (a form on another site could otherwise
    choose the name your decisions are recorded under): the browser says so
    (``Sec-Fetch-Site``), or, from a browser that does not send it, the ``Origin`` is this
    host."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site in ("same-origin", "none")
    origin = request.headers.get("origin")
    if origin is None:  # not a browser's cross-origin request (curl, a test client)
        return True
    return urlsplit(origin).netloc.lower() == (request.headers.get("host") or "").lower()


def _answer(body: dict[str, Any], status: int = 200,
            cookie: str | None = None) -> JSONResponse:
    answer = JSONResponse(body, status_code=status, headers={"Cache-Control": "no-store"})
    if cookie:
        answer.headers.append("set-cookie", cookie)
    return answer


async def session_reviewer(request: Request) -> Response:
    """Keep (POST) or forget (DELETE) the reviewer's name for this browser session."""
    if not _same_site(request):
        return _answer({"ok": False, "error": "only Songbench's own pages may set the name"},
                       403)
    secure = request.url.scheme == "https"
    if request.method == "DELETE":
        return _answer({"ok": True, "name": None}, cookie=reviewer.clear_cookie(secure=secure))
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        return _answer({"ok": False, "error": 'send JSON: {"name": "..."}'}, 415)
    try:
        payload = parse_object(await read_capped(request.stream(),
                                                 request.headers.get("content-length"),
                                                 cap=reviewer.MAX_BODY))
        name = reviewer.check(payload.get("name"))
    except BadBody as exc:
        return _answer({"ok": False, "error": exc.reason}, exc.status)
    except reviewer.BadName as exc:
        return _answer({"ok": False, "error": str(exc)}, 400)
    return _answer({"ok": True, "name": name}, cookie=reviewer.set_cookie(name, secure=secure))


def middleware() -> list[Middleware]:
    """Around Streamlit's own: the page shell announces the server and the element code up
    front (`lib.app.page_shell`)."""
    return [Middleware(PageShellMiddleware)]


def routes() -> list[Route]:
    return [
        Route("/api/callbacks/{secret}", callback, methods=["POST"]),
        Route("/api/callbacks/{secret}/{task}", callback, methods=["POST"]),
        Route("/api/health", health, methods=["GET"]),
        Route("/api/export/tasks.{fmt}", task_export, methods=["GET"]),
        Route("/api/assets/{path:path}", asset, methods=["GET", "HEAD"]),
        Route("/api/blind/{session}/{trial}/{side}", blind_audio, methods=["GET", "HEAD"]),
        Route("/play/{slug}/{number:int}/{kind}", demo_file, methods=["GET", "HEAD"]),
        Route("/api/experiments/{experiment}/{file}", experiment_files.experiment_file,
              methods=["GET"]),
        Route(reviewer.ROUTE, session_reviewer, methods=["POST", "DELETE"]),
    ]
