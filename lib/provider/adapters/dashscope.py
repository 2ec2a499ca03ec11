"""DashScope on the AnyInt gateway (the Media API's images and video): `DashScopeAdapter`.

Contract: ``../shared/contract-media.md`` sections 1.1-1.4, 2.5-2.8.

* settings: ``SONGBENCH_MEDIA_BASE_URL`` (default ``https://gateway.api.anyint.ai``) and
  ``SONGBENCH_MEDIA_API_KEY`` (shared with Kling, the gateway's other media routes); no key:
  the embedded simulator;
* auth ``Authorization: Bearer``; a task route's create carries ``X-DashScope-Async: enable``
  (contract-media 6.1 asks whether AnyInt needs, adds or rejects it: sent by default,
  ``SONGBENCH_MEDIA_ASYNC_HEADER=0`` leaves it out);
* the body is ``{model, input: {...}, parameters: {...}}`` (each field's ``at``);
* success is HTTP 200 with ``output``; the task id is ``output.task_id`` and goes in the path
  of the poll route (``/dashscope/v1/tasks/{task_id}``, the family's);
* errors come in two shapes: DashScope's ``{"code", "message", "request_id"}`` and the
  gateway's ``{"error": {"message", "type", "code"}}``; codes map onto the shared vocabulary
  (`error`: ``Throttling*`` and HTTP 429 are a **rate limit** here, ``Arrearage`` out of
  credits, ``DataInspectionFailed`` a content refusal). A failed task is an answer (HTTP 200,
  ``output.code``): its family reads it, and `error` words it for the board;
* a create whose answer proves nothing (a gateway page, an unreadable body, HTTP 5xx such as
  ``InternalError``, 408 ``RequestTimeOut``) is `UnknownOutcome`: "do not create duplicate
  tasks; poll instead";
* no balance route; 10 creates per 10 s of our own (the gateway publishes no limit).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import httpx

from lib.contract.family import Family
from lib.contract.operation import Operation
from lib.provider.adapters._gateway import BASE_ENV, KEY_ENV, GatewayAdapter
from lib.provider.adapters.base import _SentButLost, json_of
from lib.provider.errors import (
    ApiError, AuthError, ContentRejected, InsufficientCredits, InvalidRequest, NotFound,
    ProviderError, ProviderWords, RateLimited, SourceUnreachable, TextTooLong, for_http_status,
)

NAME = "dashscope"
#: contract-media 6.1: whether the gateway wants ``X-DashScope-Async`` (default: sent).
ASYNC_HEADER_ENV = "SONGBENCH_MEDIA_ASYNC_HEADER"
WORDS = ProviderWords(NAME, KEY_ENV, None, f"Check {BASE_ENV} points at a gateway that serves "
                      "this DashScope route, and that your key has the model.")

#: DashScope's codes (contract-media 2.8); a code not here goes by its prefix, then HTTP.
CODES: dict[str, type[ApiError]] = {
    "InvalidParameter": InvalidRequest, "InvalidParameter.DataInspection": InvalidRequest,
    "DataInspectionFailed": ContentRejected, "BadRequest.EmptyInput": InvalidRequest,
    "BadRequest.EmptyParameters": InvalidRequest, "BadRequest.EmptyModel": InvalidRequest,
    "InvalidURL": InvalidRequest, "UnsupportedOperation": InvalidRequest,
    "BadRequest.InputDownloadFailed": SourceUnreachable, "BadRequest.TooLarge": TextTooLong,
    "Arrearage": InsufficientCredits, "InvalidApiKey": AuthError, "AccessDenied": AuthError,
    "AccessDenied.Unpurchased": AuthError, "ModelNotFound": NotFound,
}
PREFIXES: tuple[tuple[str, type[ApiError]], ...] = (
    ("Throttling", RateLimited), ("InternalError", ProviderError), ("DataInspection",
                                                                    ContentRejected),
    ("AccessDenied", AuthError), ("BadRequest", InvalidRequest),
)
#: A create answered with these HTTP statuses may have made a task (timeout, server error).
UNSURE = (408,)


def error_class(code: Any, http_status: int | None) -> type[ApiError]:
    """The shared type of a DashScope (or gateway) code, else of the HTTP status."""
    text = str(code or "")
    if text in CODES:
        return CODES[text]
    for prefix, cls in PREFIXES:
        if text.startswith(prefix):
            return cls
    if text in ("insufficient_quota", "insufficient_balance"):
        return InsufficientCredits
    return for_http_status(http_status)


def error_shape(payload: Any) -> tuple[Any, str] | None:
    """``(code, message)`` of either error shape, or None when ``payload`` is not an error."""
    if not isinstance(payload, dict):
        return None
    gateway = payload.get("error")
    if isinstance(gateway, dict):
        return gateway.get("code") or gateway.get("type"), str(gateway.get("message") or "")
    if payload.get("code") and not isinstance(payload.get("output"), dict):
        return payload.get("code"), str(payload.get("message") or "")
    return None


class DashScopeAdapter(GatewayAdapter):
    """DashScope image and video routes on the AnyInt gateway."""

    name = NAME
    words = WORDS

    @classmethod
    def error(cls, code: Any, message: str = "", http_status: int | None = None,
              op: str | None = None) -> ApiError:
        """The shared error for a DashScope code (a refusal, or a failed task's
        ``output.code``)."""
        return error_class(code, http_status)(code, message, http_status=http_status, op=op,
                                              words=WORDS)

    def create_body(self, operation: Operation, body: Mapping[str, Any]) -> Any:
        return operation.wire(body)

    def create_headers(self, operation: Operation) -> dict[str, str]:
        asks = not operation.sync and self.settings.flag(ASYNC_HEADER_ENV, default=True)
        return {"Content-Type": "application/json",
                **({"X-DashScope-Async": "enable"} if asks else {})}

    def readable(self, payload: Any) -> bool:
        return isinstance(payload, dict) and (isinstance(payload.get("output"), dict)
                                              or error_shape(payload) is not None)

    def ambiguous(self, response: httpx.Response) -> None:
        super().ambiguous(response)
        status = response.status_code
        if status >= 500 or status in UNSURE:
            raise _SentButLost(f"HTTP {status}: the provider may have made the task", response,
                               f"HTTP {status} (the provider read the request and failed or "
                               "timed out after it)")

    def read(self, response: httpx.Response, op: str, family: Family | None = None) -> Any:
        status = response.status_code
        payload = json_of(response)
        shape = error_shape(payload)
        if shape is not None:
            code, message = shape
            raise self.error(code, self._redact(message), status, op)
        if status >= 400 or not self.readable(payload):
            snippet = self._redact(response.text[:200])
            raise for_http_status(status if status >= 400 else None)(
                None, f"unreadable answer (HTTP {status}): {snippet}", http_status=status,
                op=op, words=WORDS)
        return payload

    def task_id_of(self, answer: Any) -> str | None:
        output = answer.get("output") if isinstance(answer, dict) else None
        value = output.get("task_id") if isinstance(output, dict) else None
        return str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) \
            else None

    def poll_request(self, family: Family, task_id: str, operation: Operation | None
                     ) -> tuple[str, Mapping[str, str] | None]:
        """The id goes in the path: ``/dashscope/v1/tasks/{task_id}``."""
        path = family.poll.get(self.connection.dialect)
        if path is None:
            raise KeyError(f"family {family.name!r} has no poll route")
        return self.connection.base_url + path.format(task_id=quote(task_id, safe="")), None


ADAPTER = DashScopeAdapter
