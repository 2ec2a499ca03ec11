"""The AI Music provider (sunoapi.org, kie.ai, api.box, the AnyInt gateway): `MusicAdapter`.

* settings: ``SONGBENCH_API_BASE_URL``, ``SONGBENCH_API_KEY``, ``SONGBENCH_API_DIALECT``
  (`lib.settings`: the historic names) and ``SONGBENCH_UPLOAD_BASE_URL``; no key: the embedded
  simulator;
* two dialects (path styles): ``sunoapi`` (``/api/v1/...``) and ``anyint`` (``/suno/...``);
  create routes from `lib.ops`, poll routes from `lib.families`;
* the ``{code, msg, data}`` envelope, errors in the body ``code`` (usually with HTTP 200):
  429 means **out of credits** here, 405/430 rate limited (`lib.provider.errors.error_for`);
* the task id is ``data.taskId`` (``task_id`` for audio recovery) and goes back as a query
  parameter (the family's ``id_param``);
* 20 creates per 10 s (the runtime shares one limit through the task log with the experiment
  queue and the command line);
* balance: ``GET /api/v1/generate/credit``; uploads: the upload host's three routes.

A create is retried only when nothing can have been made; one whose answer does not prove what
happened (timeout after sending, a gateway page, an answer that is not an envelope, body code
500, success without a task id) is `UnknownOutcome`, never resent.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from lib.contract.family import Family
from lib.contract.operation import MUSIC, MUSIC_DIALECTS, Operation
from lib.provider.adapters.base import Connection, HttpAdapter, _SentButLost, json_of
from lib.provider.errors import (
    MUSIC_WORDS, ApiError, NotFound, ProviderError, TransportError, error_for,
)
from lib.settings import Settings

CREDIT_PATH = "/api/v1/generate/credit"
UPLOAD_PATHS = {
    "base64": "/api/file-base64-upload",
    "stream": "/api/file-stream-upload",
    "url": "/api/file-url-upload",
}
#: Uploads may carry megabytes.
UPLOAD_TIMEOUT = httpx.Timeout(120.0, connect=10.0)


def envelope_code(payload: Any) -> int | None:
    """The envelope's integer ``code`` (None without one)."""
    code = payload.get("code") if isinstance(payload, dict) else None
    return code if isinstance(code, int) and not isinstance(code, bool) else None


class MusicAdapter(HttpAdapter):
    """Creates, polls, credits and uploads against the AI Music provider."""

    name = MUSIC
    dialects = MUSIC_DIALECTS
    words = MUSIC_WORDS
    limit = (20, 10.0)
    balance_source = "the provider's credit route"
    label = "AI Music"  # its variables are `lib.settings.ENV_KEYS`

    @classmethod
    def connect(cls, settings: Settings) -> Connection:
        return Connection(MUSIC, settings.base_url, settings.dialect, settings.api_key,
                          simulated=settings.api_key is None)

    @classmethod
    def error(cls, code: Any, message: str = "", http_status: int | None = None,
              op: str | None = None) -> ApiError:
        """The body code's error (429: out of credits here)."""
        return error_for(code if isinstance(code, int) else None, message, http_status, op)

    # ---- answers ------------------------------------------------------------------------------
    def readable(self, payload: Any) -> bool:
        return envelope_code(payload) is not None

    def ambiguous(self, response: httpx.Response) -> None:
        super().ambiguous(response)
        if envelope_code(json_of(response)) == 500:
            raise _SentButLost("the provider answered code 500; it may have made the job",
                               response, "body code 500 (the provider read the request and "
                               "failed after it)")

    def read(self, response: httpx.Response, op: str, family: Family | None = None) -> Any:
        """The JSON envelope, or the matching `ApiError` (body code first, then HTTP); a
        family may take other codes as answers (recovery's 201) or say "missing" its way."""
        payload = json_of(response)
        if family is not None and isinstance(payload, dict) and family.says_missing(payload):
            raise NotFound(404, self._redact(str(payload.get("msg") or "")), http_status=200,
                           op=op)
        accepts: Callable[[Mapping[str, Any]], bool] | None = (
            family.accepts if family is not None else None)
        return self._envelope(response, op, accepts=accepts)

    def _envelope(self, response: httpx.Response, op: str, upload: bool = False,
                  accepts: Callable[[Mapping[str, Any]], bool] | None = None) -> dict:
        status = response.status_code
        payload = json_of(response)
        code = envelope_code(payload)
        if code is None:
            snippet = self._redact(response.text[:200])
            raise error_for(status if status >= 400 else None,
                            f"unreadable answer (HTTP {status}): {snippet}", status, op)
        msg = self._redact(str(payload.get("msg") or ""))
        if accepts is not None and status < 400 and accepts(payload):
            return payload
        if code != 200 or (upload and payload.get("success") is False):
            raise error_for(code, msg, status, op, data=payload.get("data"))
        if status >= 400:
            raise error_for(status, msg, status, op, data=payload.get("data"))
        return payload

    def task_id_of(self, answer: Any) -> str | None:
        """``data.taskId``, or ``data.task_id`` (audio recovery answers snake_case)."""
        data = answer.get("data") if isinstance(answer, dict) else None
        if not isinstance(data, dict):
            return None
        value = data.get("taskId") or data.get("task_id")
        return str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) \
            else None

    def sync_data(self, answer: Any) -> Any:
        return answer.get("data") if isinstance(answer, dict) else None

    def poll_request(self, family: Family, task_id: str, operation: Operation | None
                     ) -> tuple[str, Mapping[str, str] | None]:
        """The family's record-info route, the id as its query parameter."""
        path = family.poll.get(self.connection.dialect)
        if path is None:
            raise KeyError(f"family {family.name!r} has no poll route in dialect "
                           f"{self.connection.dialect!r}")
        return self.connection.base_url + path, {family.id_param: task_id}

    def record_of(self, family: Family, answer: Any) -> Any:
        return family.unwrap(answer)

    # ---- credits and uploads ---------------------------------------------------------------------
    def credits(self) -> int:
        """The remaining credit balance (``GET /api/v1/generate/credit``)."""
        answer = self._get(self.connection.base_url + CREDIT_PATH, "credits", None,
                           lambda response: self._envelope(response, "credits"))
        data = answer.get("data")
        if isinstance(data, bool) or not isinstance(data, (int, float)):
            raise ProviderError(200, f"credit data is {data!r}, not a number", op="credits")
        return int(data)

    def balance(self) -> int | None:
        return self.credits()

    def upload_bytes(self, data: bytes, filename: str, upload_path: str = "songbench") -> dict:
        """Upload a file (multipart ``file-stream-upload``); returns ``data`` with
        ``downloadUrl``."""
        form = {"uploadPath": upload_path.strip("/"), "fileName": filename}
        return self._upload("stream", files={"file": (filename, data)}, form=form,
                            event_body={**form, "file": f"<{len(data)} bytes>"})

    def upload_base64(self, data: bytes, filename: str, upload_path: str = "songbench") -> dict:
        """Upload a file as base64 JSON (``file-base64-upload``), for hosts without multipart."""
        payload = {"base64Data": base64.b64encode(data).decode(), "uploadPath":
                   upload_path.strip("/"), "fileName": filename}
        return self._upload("base64", json=payload,
                            event_body={**payload, "base64Data": f"<{len(data)} bytes>"})

    def upload_url(self, url: str, upload_path: str = "songbench",
                   filename: str | None = None) -> dict:
        """Have the upload host fetch ``url`` (``file-url-upload``); returns ``data``."""
        payload = {"fileUrl": url, "uploadPath": upload_path.strip("/")}
        if filename:
            payload["fileName"] = filename
        return self._upload("url", json=payload, event_body=payload)

    def _upload(self, kind: str, *, event_body: Mapping[str, Any], json: Any = None,
                files: Any = None, form: Mapping[str, str] | None = None) -> dict:
        """Uploads are idempotent (the same ``fileName`` overwrites): retried like GETs."""
        op = f"upload:{kind}"
        url = self.settings.upload_base_url + UPLOAD_PATHS[kind]

        def attempt() -> dict:
            response = self._exchange("POST", url, op, UPLOAD_TIMEOUT, json=json, files=files,
                                      data=form, event_body=event_body)
            return self._envelope(response, op, upload=True)

        try:
            envelope = self._retry(attempt, self.idempotent_retryable)
        except _SentButLost as exc:
            raise TransportError(op, self._redact(str(exc))) from None
        data = envelope.get("data")
        if not isinstance(data, dict) or not data.get("downloadUrl"):
            raise ProviderError(200, "upload answer without data.downloadUrl", op=op, data=data)
        return data


ADAPTER = MusicAdapter
