"""File upload API (contract 5.18), served on the simulator's own base URL.

Its envelope differs from the music API: `{"success", "code", "msg", "data"}` with `data =
{fileName, filePath, downloadUrl, fileSize, mimeType, uploadedAt}`. Errors: 400 (missing
parameter, bad base64, bad URL, download failed, too large), 401 (auth). Files are stored under
`uploads/<uploadPath>/<fileName>` (same name overwrites) and expire after
`upload_retention_days`. Always HTTP 200, like the music API.
"""

from __future__ import annotations

import base64
import binascii
import re
import uuid
from typing import Any
from urllib.parse import urlparse

import httpx
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from simulator.engine import Engine
from simulator.formats import iso
from simulator.media_store import MediaStore, content_type_for, extension_for
from simulator.routes_common import ApiProblem, add_latency, base_url, bearer_key, json_body

MAX_UPLOAD_BYTES = 100 * 1024 * 1024
_SAFE_SEGMENT = re.compile(r"^[A-Za-z0-9._-]+$")


def _answer(code: int, msg: str, data: dict[str, Any] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"success": code == 200, "code": code, "msg": msg}
    if data is not None:
        body["data"] = data
    return JSONResponse(body)


def _clean_path(upload_path: Any) -> str:
    if not isinstance(upload_path, str) or not upload_path.strip():
        raise ApiProblem(400, "Missing required parameter: uploadPath")
    if upload_path != upload_path.strip("/"):
        raise ApiProblem(400, "uploadPath must not start or end with a slash")
    if not all(_SAFE_SEGMENT.match(part) and part not in (".", "..") for part in upload_path.split("/")):
        raise ApiProblem(400, "uploadPath may only contain letters, digits, '.', '_', '-' and '/'")
    return upload_path


def _clean_name(name: Any, fallback: str) -> str:
    if name is None or name == "":
        name = fallback
    if not isinstance(name, str) or not _SAFE_SEGMENT.match(name) or name in (".", ".."):
        raise ApiProblem(400, "fileName may only contain letters, digits, '.', '_' and '-'")
    return name


class UploadApi:
    """The three upload routes."""

    def __init__(self, engine: Engine, store: MediaStore) -> None:
        self.engine, self.store, self.config = engine, store, engine.config

    def routes(self) -> list[Route]:
        return [Route("/api/file-base64-upload", self.base64_upload, methods=["POST"]),
                Route("/api/file-stream-upload", self.stream_upload, methods=["POST"]),
                Route("/api/file-url-upload", self.url_upload, methods=["POST"])]

    async def _guarded(self, request: Request, work) -> JSONResponse:
        await add_latency(self.engine.faults.get().latency_ms)
        try:
            bearer_key(request, self.config.api_key)
            return await work()
        except ApiProblem as exc:
            return _answer(exc.code, exc.msg)

    def _save(self, request: Request, upload_path: str, name: str, data: bytes) -> JSONResponse:
        if not data:
            raise ApiProblem(400, "the uploaded file is empty")
        if len(data) > MAX_UPLOAD_BYTES:
            raise ApiProblem(400, f"file too large: {len(data)} bytes, limit {MAX_UPLOAD_BYTES}")
        rel = f"uploads/{upload_path}/{name}"
        path = self.store.put(rel, data, kind="upload")
        return _answer(200, "File uploaded successfully", {
            "fileName": name, "filePath": f"{upload_path}/{name}",
            "downloadUrl": base_url(request, self.config.public_url) + path, "fileSize": len(data),
            "mimeType": content_type_for(name), "uploadedAt": iso(self.engine.clock.now())})

    async def base64_upload(self, request: Request) -> JSONResponse:
        async def work() -> JSONResponse:
            body = await json_body(request)
            if not isinstance(body, dict):
                raise ApiProblem(400, "request body must be a JSON object")
            raw = body.get("base64Data")
            if not isinstance(raw, str) or not raw:
                raise ApiProblem(400, "Missing required parameter: base64Data")
            upload_path = _clean_path(body.get("uploadPath"))
            mime = None
            if raw.startswith("data:"):
                header, _, raw = raw.partition(",")
                mime = header[5:].split(";")[0] or None
            try:
                data = base64.b64decode(raw, validate=True)
            except (binascii.Error, ValueError):
                raise ApiProblem(400, "base64Data is not valid base64") from None
            name = _clean_name(body.get("fileName"), f"{uuid.uuid4().hex}{extension_for(mime)}")
            return self._save(request, upload_path, name, data)
        return await self._guarded(request, work)

    async def stream_upload(self, request: Request) -> JSONResponse:
        async def work() -> JSONResponse:
            try:
                form = await request.form(max_part_size=MAX_UPLOAD_BYTES)
            except Exception:  # malformed multipart of any kind
                raise ApiProblem(400, "request must be multipart/form-data with a file part") from None
            upload = form.get("file")
            if not isinstance(upload, UploadFile):
                raise ApiProblem(400, "Missing required parameter: file")
            upload_path = _clean_path(form.get("uploadPath"))
            name = _clean_name(form.get("fileName"), upload.filename or f"{uuid.uuid4().hex}.bin")
            return self._save(request, upload_path, name, await upload.read())
        return await self._guarded(request, work)

    async def url_upload(self, request: Request) -> JSONResponse:
        async def work() -> JSONResponse:
            body = await json_body(request)
            if not isinstance(body, dict):
                raise ApiProblem(400, "request body must be a JSON object")
            url = body.get("fileUrl")
            if not isinstance(url, str) or not url.startswith(("http://", "https://")):
                raise ApiProblem(400, "Missing required parameter: fileUrl (http or https URL)")
            upload_path = _clean_path(body.get("uploadPath"))
            fallback = urlparse(url).path.rsplit("/", 1)[-1] or f"{uuid.uuid4().hex}.bin"
            name = _clean_name(body.get("fileName"), fallback if _SAFE_SEGMENT.match(fallback) else "download.bin")
            try:
                async with httpx.AsyncClient(timeout=30.0, follow_redirects=True) as client:
                    resp = await client.get(url)
                    resp.raise_for_status()
            except httpx.HTTPError as exc:
                raise ApiProblem(400, f"could not download fileUrl: {type(exc).__name__}: {exc}") from None
            return self._save(request, upload_path, name, resp.content)
        return await self._guarded(request, work)
