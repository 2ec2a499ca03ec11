"""Pieces of the AnyInt gateway shared by the text (`routes_openai`) and media (`routes_dashscope`,
`routes_kling`) routes: request ids, the Bearer check, and the gateway's own error body
(contract-media 1.6: `{"error": {"message", "type", "code"}}`, plus OpenAI's `param`).

Unlike the music routes (HTTP 200, outcome in the body `code`), these routes answer real HTTP
status codes: 400 invalid body, 401 auth, 403 access, 404 unknown, 429 limits, 5xx upstream."""

from __future__ import annotations

import json
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

# HTTP status -> (OpenAI error `type`, default `code`) of the gateway's error body
_TYPES = {400: ("invalid_request_error", None), 401: ("authentication_error", "invalid_api_key"),
          403: ("permission_error", "access_denied"), 404: ("not_found_error", "not_found"),
          429: ("rate_limit_error", "rate_limit_exceeded"), 500: ("api_error", "internal_error"),
          503: ("api_error", "upstream_unavailable")}


def request_id() -> str:
    """A DashScope-style request id (a UUID with dashes)."""
    return str(uuid.uuid4())


def bearer(request: Request, required_key: str | None) -> str | None:
    """The caller's key, or None when the `Authorization: Bearer` header is missing or wrong
    (any non-empty key is accepted unless the simulator was given `--api-key`)."""
    scheme, _, key = request.headers.get("authorization", "").partition(" ")
    key = key.strip()
    if scheme.lower() != "bearer" or not key or (required_key is not None and key != required_key):
        return None
    return key


def gateway_error(status: int, message: str, *, code: str | None = None, param: str | None = None,
                  headers: dict[str, str] | None = None) -> JSONResponse:
    """The gateway's error answer (`type` and default `code` follow the HTTP status)."""
    kind, default = _TYPES.get(status, ("api_error", None))
    body = {"error": {"message": message, "type": kind, "param": param, "code": code or default}}
    return JSONResponse(body, status_code=status, headers=headers)


AUTH_MESSAGE = "Invalid or missing API key"
RATE_MESSAGE = "Rate limit exceeded"


async def json_object(request: Request) -> Any:
    """The parsed JSON body, or raises ValueError (not JSON)."""
    raw = await request.body()
    try:
        return json.loads(raw or b"null")
    except (ValueError, UnicodeDecodeError):
        raise ValueError("request body must be valid JSON") from None
