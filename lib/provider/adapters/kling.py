"""Kling on the AnyInt gateway (Transtreams routes, images and video): `KlingAdapter`.

Contract: ``../shared/contract-media.md`` sections 1.2 and 1.5 (the response shape there is
[V-3p]; the code table below is Kling's published one [I]: confirm against the live service).

* settings: ``SONGBENCH_MEDIA_BASE_URL`` / ``SONGBENCH_MEDIA_API_KEY`` (the gateway's media
  routes share them with DashScope); no key: the embedded simulator;
* auth ``Authorization: Bearer``; flat JSON bodies (``model_name``, ``prompt``, ``mode``...);
* the envelope ``{"code": 0, "message", "request_id", "data": {"task_id", "task_status",
  "task_result"}}``: ``code`` 0 is success, any other a refusal (`CODES`); the gateway's own
  ``{"error": {...}}`` is read too; HTTP 429 is a rate limit;
* the task id is ``data.task_id`` and goes in the path of the create route's own GET
  (``/transtreams/kling/v1/videos/text2video/{task_id}``): the family's poll route is
  ``{create}/{task_id}``;
* no balance route; 10 creates per 10 s of our own.
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
    ProviderError, ProviderWords, RateLimited, TaskNotFound, for_http_status,
)

NAME = "kling"
WORDS = ProviderWords(NAME, KEY_ENV, None, f"Check {BASE_ENV} points at a gateway that serves "
                      "this Kling route, and that your key has the model.")
#: Kling's codes [I]: 1000-1004 authentication, 1100-1103 the account, 1200-1203 the request,
#: 1300-1304 policy and limits, 5000-5002 the server. 1203 on a poll: the task is unknown
#: (expired or a wrong id; `TaskNotFound`, whatever the HTTP status), not a wrong route.
CODES: dict[int, type[ApiError]] = {
    **{c: AuthError for c in (1000, 1001, 1002, 1003, 1004, 1100, 1103)},
    1101: InsufficientCredits, 1102: InsufficientCredits,
    **{c: InvalidRequest for c in (1200, 1201, 1202)}, 1203: NotFound,
    1300: InvalidRequest, 1301: ContentRejected, 1302: RateLimited, 1303: RateLimited,
    1304: AuthError, 5000: ProviderError, 5001: ProviderError, 5002: ProviderError,
}

UNKNOWN_TASK = 1203


def error_class(code: Any, http_status: int | None) -> type[ApiError]:
    if isinstance(code, int) and code in CODES:
        return CODES[code]
    return for_http_status(http_status)


class KlingAdapter(GatewayAdapter):
    """Kling image and video tasks (Transtreams routes) on the AnyInt gateway."""

    name = NAME
    words = WORDS

    @classmethod
    def error(cls, code: Any, message: str = "", http_status: int | None = None,
              op: str | None = None) -> ApiError:
        return error_class(code, http_status)(code, message, http_status=http_status, op=op,
                                              words=WORDS)

    def create_body(self, operation: Operation, body: Mapping[str, Any]) -> Any:
        """The flat native body (``model`` beside ``model_name``: the operation's shape)."""
        return operation.wire(body)

    def create_headers(self, operation: Operation) -> dict[str, str]:
        return {"Content-Type": "application/json"}

    def readable(self, payload: Any) -> bool:
        return isinstance(payload, dict) and (isinstance(payload.get("code"), int)
                                              or isinstance(payload.get("error"), dict))

    def ambiguous(self, response: httpx.Response) -> None:
        super().ambiguous(response)
        payload = json_of(response)
        code = payload.get("code") if isinstance(payload, dict) else None
        if response.status_code >= 500 or code in (5000, 5001, 5002):
            raise _SentButLost(f"HTTP {response.status_code}, code {code}: the provider may "
                               "have made the task", response, "a server error after the "
                               "provider read the request")

    def read(self, response: httpx.Response, op: str, family: Family | None = None) -> Any:
        status = response.status_code
        payload = json_of(response)
        if isinstance(payload, dict) and isinstance(payload.get("error"), dict):
            err = payload["error"]
            raise self.error(err.get("code") or err.get("type"),
                             self._redact(str(err.get("message") or "")), status, op)
        if not self.readable(payload):
            snippet = self._redact(response.text[:200])
            raise for_http_status(status if status >= 400 else None)(
                None, f"unreadable answer (HTTP {status}): {snippet}", http_status=status,
                op=op, words=WORDS)
        if payload["code"] != 0 or status >= 400:
            message = self._redact(str(payload.get("message") or ""))
            if payload["code"] == UNKNOWN_TASK and op.startswith("query:"):
                raise TaskNotFound(UNKNOWN_TASK, message, http_status=status, op=op,
                                   words=WORDS)
            raise self.error(payload["code"], message, status, op)
        return payload

    def task_id_of(self, answer: Any) -> str | None:
        data = answer.get("data") if isinstance(answer, dict) else None
        value = data.get("task_id") if isinstance(data, dict) else None
        return str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) \
            else None

    def sync_data(self, answer: Any) -> Any:
        return answer.get("data") if isinstance(answer, dict) else None

    def poll_request(self, family: Family, task_id: str, operation: Operation | None
                     ) -> tuple[str, Mapping[str, str] | None]:
        """The create route's own GET: ``{create}/{task_id}``."""
        template = family.poll.get(self.connection.dialect)
        if template is None or operation is None:
            raise KeyError(f"family {family.name!r}: a Kling poll needs the task's operation")
        path = template.format(create=operation.path(self.connection.dialect),
                               task_id=quote(task_id, safe=""))
        return self.connection.base_url + path, None

    def record_of(self, family: Family, answer: Any) -> Any:
        data = answer.get("data")
        return {} if data is None else data


ADAPTER = KlingAdapter
