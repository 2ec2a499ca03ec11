"""Shared HTTP helpers of the simulator: envelope, auth, body parsing, code mapping.

Status-code policy: every provider-API answer is HTTP 200 with the outcome in the body `code`
(200 success, 400/401/404/409/413/422/429/430/455/500 errors), like the real service. Only an
unknown path answers HTTP 404 (body code 404) and a wrong method HTTP 405 (body code 404,
"invalid request method or path"). Error envelopes carry no `data` key (the schema types `data`
as a non-nullable object), except 409 duplicates which return the existing `{"taskId"}`.

Cover art, replace-section and persona (`SimOp.alt_codes`) use the provider's second code list
(contract 4): validation and length errors -> 422, insufficient credits -> 402, rate limit -> 429.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

_ALT = {400: 422, 413: 422, 429: 402, 430: 429}


class ApiProblem(Exception):
    """An error answer: body `code` and `msg` (and optional `data`)."""

    def __init__(self, code: int, msg: str, data: Any = None) -> None:
        super().__init__(msg)
        self.code, self.msg, self.data = code, msg, data


def envelope(code: int = 200, msg: str = "success", data: Any = None, *, status: int = 200) -> JSONResponse:
    """`{"code","msg","data"}`; `data` is left out when None."""
    body: dict[str, Any] = {"code": code, "msg": msg}
    if data is not None:
        body["data"] = data
    return JSONResponse(body, status_code=status)


def problem_response(exc: ApiProblem, alt: bool = False) -> JSONResponse:
    """Render an ApiProblem, mapping codes to the alternative code list when `alt`."""
    code = _ALT.get(exc.code, exc.code) if alt else exc.code
    return envelope(code, exc.msg, exc.data)


def bearer_key(request: Request, required_key: str | None) -> str:
    """The caller's API key; raises ApiProblem(401) when missing or wrong."""
    header = request.headers.get("authorization", "")
    scheme, _, key = header.partition(" ")
    key = key.strip()
    if scheme.lower() != "bearer" or not key:
        raise ApiProblem(401, "Unauthorized: missing Authorization: Bearer <API key> header")
    if required_key is not None and key != required_key:
        raise ApiProblem(401, "Unauthorized: invalid API key")
    return key


async def json_body(request: Request) -> Any:
    """The parsed JSON body; raises ApiProblem(400) when it is not valid JSON."""
    raw = await request.body()
    try:
        return json.loads(raw or b"null")
    except (ValueError, UnicodeDecodeError):
        raise ApiProblem(400, "request body must be valid JSON") from None


def base_url(request: Request, public_url: str | None) -> str:
    """Base of absolute URLs: `--public-url` or the request's own base URL."""
    return (public_url or str(request.base_url)).rstrip("/")


async def add_latency(latency_ms: int) -> None:
    """The `latency_ms` fault."""
    if latency_ms > 0:
        await asyncio.sleep(latency_ms / 1000)


async def not_found(request: Request, exc: Exception) -> JSONResponse:
    """Unknown path (HTTP 404) or wrong method (HTTP 405), with a JSON envelope."""
    status = getattr(exc, "status_code", 404)
    return envelope(404, f"Invalid request method or path: {request.method} {request.url.path}",
                    status=405 if status == 405 else 404)
