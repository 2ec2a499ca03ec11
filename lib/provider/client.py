"""``SunoClient``: the one place that talks HTTP to the provider (or the simulator).

* Create routes come from `lib.ops`, poll routes from `lib.families` (dialect ``sunoapi`` or
  ``anyint``); the credit and upload routes are the provider's own (below).
* Errors are read from the body ``code`` (usually with HTTP 200) and raised as
  `lib.provider.errors`.
* Retries (tenacity, bounded, injectable ``wait``/``sleep``):
  - GETs (poll, credits) and uploads (same ``fileName`` overwrites, so they are idempotent) on
    any transport error, HTTP 5xx / code 500 / unreadable body, 405/430 and 455;
  - creates ONLY when nothing can have been created: the connection was never made
    (``ConnectError``, ``ConnectTimeout``, pool timeout) or the body code is 405/430.
  A create that was sent but whose answer does not prove what happened (read/write timeout,
  connection dropped, a 502/503/504 gateway page, a 5xx or 200 answer that is not an envelope,
  body code 500, or success without a task id) raises `lib.provider.errors.UnknownOutcome` and
  is never retried: only a readable refusal is final.
* At most 20 create calls per rolling 10 s (`lib.provider.ratelimit.RateLimiter`), shared by
  threads.
* ``on_event(dict)`` sees every request/response/error with ``Authorization: Bearer ***``; the API
  key is redacted from every event, log line and exception message.
"""

from __future__ import annotations

import base64
import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential

from lib import families, ops
from lib.settings import Settings
from lib.provider.errors import (
    ApiError, Maintenance, NotFound, NotOffered, ProviderError, RateLimited, TransportError,
    UnknownOutcome, error_for,
)
from lib.provider.ratelimit import Limiter, RateLimiter
from lib.provider.redaction import deep_redact, excerpt, redact_headers, redact_text

log = logging.getLogger("songbench.client")

#: Creates: connect 10 s, read 30 s. Polls answer fast; uploads may carry megabytes.
CREATE_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
POLL_TIMEOUT = httpx.Timeout(20.0, connect=10.0)
UPLOAD_TIMEOUT = httpx.Timeout(120.0, connect=10.0)
ATTEMPTS = 3
#: Sent when no key is configured: only the embedded simulator runs then, and it accepts any
#: non-empty Bearer token.
LOCAL_SIMULATOR_KEY = "songbench-local"
BODY_PREVIEW = 4000
CREDIT_PATH = "/api/v1/generate/credit"
UPLOAD_PATHS = {
    "base64": "/api/file-base64-upload",
    "stream": "/api/file-stream-upload",
    "url": "/api/file-url-upload",
}

#: httpx errors raised before any byte of the request left this machine.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout,
             httpx.UnsupportedProtocol, httpx.LocalProtocolError)


@dataclass(frozen=True)
class SubmitResult:
    """Outcome of a create call: ``task_id`` (None for most sync ops), ``data`` and the envelope."""

    task_id: str | None
    data: Any
    envelope: dict


class _SentButLost(Exception):
    """Internal: the request may have reached the provider, and what came back (nothing, or
    ``response``) does not prove what happened; ``what`` says it in words."""

    def __init__(self, reason: str, response: httpx.Response | None = None, what: str = ""):
        super().__init__(reason)
        self.response, self.what = response, what


class SunoClient:
    """Typed access to the provider API (see module docstring for retry and redaction rules)."""

    def __init__(self, settings: Settings, *, transport: httpx.BaseTransport | None = None,
                 on_event: Callable[[dict], None] | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep,
                 wait: Any = None, attempts: int = ATTEMPTS,
                 create_timeout: httpx.Timeout = CREATE_TIMEOUT,
                 poll_timeout: httpx.Timeout = POLL_TIMEOUT,
                 limiter: Limiter | None = None):
        self.settings = settings
        self._on_event = on_event
        self._clock = clock
        self._sleep = sleep
        self._wait = wait if wait is not None else wait_exponential(multiplier=1, min=1, max=10)
        self._attempts = attempts
        self._create_timeout = create_timeout
        self._poll_timeout = poll_timeout
        self.limiter: Limiter = limiter or RateLimiter(20, 10.0, clock=clock, sleep=sleep)
        key = settings.api_key or LOCAL_SIMULATOR_KEY
        headers = {"Accept": "application/json", "User-Agent": "songbench",
                   "Authorization": f"Bearer {key}"}
        self._http = httpx.Client(transport=transport, headers=headers, follow_redirects=False)

    def __repr__(self) -> str:
        return f"SunoClient(base_url={self.settings.base_url!r}, dialect={self.settings.dialect!r})"

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> SunoClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- public API ------------------------------------------------------------------------

    def submit(self, op: str, body: Mapping[str, Any], *, slot_taken: bool = False
               ) -> SubmitResult:
        """POST a create call for ``op``. Sync ops return their ``data``; async ops ``data.taskId``.

        ``slot_taken``: the caller already took a slot of the create limit for the first
        attempt (the experiment queue does, before it writes the task row).

        Raises :class:`ApiError` subclasses, :class:`UnknownOutcome` (sent, no answer),
        :class:`TransportError` (never reached the provider, after retries) or
        :class:`NotOffered` (the dialect has no such route; nothing sent).
        """
        operation = ops.get(op)
        if not operation.offered(self.settings.dialect):
            raise NotOffered(op, self.settings.dialect)
        url = self.settings.base_url + ops.path_for(op, self.settings.dialect)

        caller_slot = [slot_taken]  # used by the first attempt only

        def attempt() -> dict:
            if not (caller_slot.pop() if caller_slot else False):
                self.limiter.acquire()
            response = self._exchange("POST", url, op, self._create_timeout, json=dict(body))
            _raise_if_ambiguous(response)
            return self._envelope(response, op)

        try:
            envelope = self._retry(attempt, _create_retryable)
        except _SentButLost as exc:
            raise self._unknown(op, exc) from None
        data = envelope.get("data")
        task_id = _task_id(data)
        if not operation.sync and not task_id:
            # the provider processed the request (code 200) but did not say which task it made
            raise UnknownOutcome(op, "the answer said success but named no task id",
                                 answered=True, http_status=200,
                                 what="a success that names no task id",
                                 excerpt=excerpt(_json_text(envelope), self.settings.api_key))
        return SubmitResult(task_id=task_id, data=data, envelope=envelope)

    def query(self, family: str, task_id: str) -> dict:
        """GET the record-info of a task; returns the record (the envelope's ``data``, ``{}``
        when null; the whole envelope for families whose status is the envelope code)."""
        fam = families.get(family)
        url = self.settings.base_url + families.poll_path(family, self.settings.dialect)
        op = f"query:{family}"
        envelope = self._get(url, op, params={fam.id_param: task_id}, accepts=fam.accepts,
                             missing=fam.says_missing)
        data = fam.unwrap(envelope)
        if not isinstance(data, dict):
            raise ProviderError(200, f"record-info data is {type(data).__name__}, not an object",
                                op=op)
        return data

    def credits(self) -> int:
        """The remaining credit balance (``GET /api/v1/generate/credit``)."""
        data = self._get(self.settings.base_url + CREDIT_PATH, "credits").get("data")
        if isinstance(data, bool) or not isinstance(data, (int, float)):
            raise ProviderError(200, f"credit data is {data!r}, not a number", op="credits")
        return int(data)

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

    # ---- internals ---------------------------------------------------------------------------

    def _retry(self, fn: Callable[[], dict], retryable: Callable[[BaseException], bool]) -> dict:
        retrying = Retrying(stop=stop_after_attempt(self._attempts), wait=self._wait,
                            retry=retry_if_exception(retryable), sleep=self._sleep, reraise=True,
                            before_sleep=_log_retry)
        return retrying(fn)

    def _get(self, url: str, op: str, params: Mapping[str, str] | None = None,
             accepts: Callable[[Mapping[str, Any]], bool] | None = None,
             missing: Callable[[Mapping[str, Any]], bool] | None = None) -> dict:
        def attempt() -> dict:
            response = self._exchange("GET", url, op, self._poll_timeout, params=params)
            if missing is not None:
                payload, _ = _payload(response)
                if isinstance(payload, dict) and missing(payload):
                    raise NotFound(404, self._redact(str(payload.get("msg") or "")),
                                   http_status=200, op=op)
            return self._envelope(response, op, accepts=accepts)

        try:
            return self._retry(attempt, _idempotent_retryable)
        except _SentButLost as exc:
            raise TransportError(op, self._redact(str(exc))) from None

    def _upload(self, kind: str, *, event_body: Mapping[str, Any], json: Any = None,
                files: Any = None, form: Mapping[str, str] | None = None) -> dict:
        op = f"upload:{kind}"
        url = self.settings.upload_base_url + UPLOAD_PATHS[kind]

        def attempt() -> dict:
            response = self._exchange("POST", url, op, UPLOAD_TIMEOUT, json=json, files=files,
                                      data=form, event_body=event_body)
            return self._envelope(response, op, upload=True)

        try:
            envelope = self._retry(attempt, _idempotent_retryable)
        except _SentButLost as exc:
            raise TransportError(op, self._redact(str(exc))) from None
        data = envelope.get("data")
        if not isinstance(data, dict) or not data.get("downloadUrl"):
            raise ProviderError(200, "upload answer without data.downloadUrl", op=op, data=data)
        return data

    def _exchange(self, method: str, url: str, op: str, timeout: httpx.Timeout, *,
                  json: Any = None, params: Mapping[str, str] | None = None, files: Any = None,
                  data: Mapping[str, str] | None = None,
                  event_body: Any = None) -> httpx.Response:
        """Send one request, emitting events; classify transport failures."""
        request = self._http.build_request(method, url, json=json, params=params, files=files,
                                           data=data, timeout=timeout)
        base = {"method": method, "url": str(request.url), "op": op}
        self._emit({**base, "kind": "request", "status_code": None,
                    "headers": redact_headers(request.headers),
                    "body": event_body if event_body is not None else json, "elapsed_ms": None})
        started = self._clock()
        log.debug("%s %s (%s)", method, request.url, op)
        try:
            response = self._http.send(request)
        except httpx.TransportError as exc:
            elapsed = round((self._clock() - started) * 1000)
            reason = f"{type(exc).__name__}: {exc}"
            self._emit({**base, "kind": "error", "status_code": None, "headers": {},
                        "body": None, "elapsed_ms": elapsed, "error": reason})
            log.debug("%s %s failed after %d ms: %s", method, request.url, elapsed,
                      self._redact(reason))
            if isinstance(exc, _NOT_SENT):
                raise TransportError(op, self._redact(reason)) from None
            raise _SentButLost(reason) from None
        elapsed = round((self._clock() - started) * 1000)
        self._emit({**base, "kind": "response", "status_code": response.status_code,
                    "headers": redact_headers(response.headers), "body": _body_of(response),
                    "elapsed_ms": elapsed})
        log.debug("%s %s -> HTTP %d in %d ms", method, request.url, response.status_code, elapsed)
        return response

    def _envelope(self, response: httpx.Response, op: str, upload: bool = False,
                  accepts: Callable[[Mapping[str, Any]], bool] | None = None) -> dict:
        """The JSON envelope, or the matching :class:`ApiError` (body code first, then HTTP).

        ``accepts(envelope)`` lets a family take other codes as answers (recovery's 201)."""
        status = response.status_code
        payload, code = _payload(response)
        if code is None:
            snippet = self._redact(response.text[:200])
            raise error_for(status if status >= 400 else None,
                            f"unreadable answer (HTTP {status}): {snippet}", status, op)
        msg = self._redact(str(payload.get("msg") or ""))
        if accepts is not None and status < 400 and accepts(payload):
            return payload
        failed = code != 200 or (upload and payload.get("success") is False)
        if failed:
            raise error_for(code, msg, status, op, data=payload.get("data"))
        if status >= 400:
            raise error_for(status, msg, status, op, data=payload.get("data"))
        return payload

    def _unknown(self, op: str, exc: _SentButLost) -> UnknownOutcome:
        """The `UnknownOutcome` of a create whose answer proved nothing: what came back."""
        response = exc.response
        if response is None:
            return UnknownOutcome(op, self._redact(str(exc)))
        return UnknownOutcome(op, self._redact(str(exc)), answered=True,
                              http_status=response.status_code, what=exc.what,
                              excerpt=excerpt(response.content, self.settings.api_key))

    def _redact(self, text: str) -> str:
        return redact_text(text, self.settings.api_key)

    def _emit(self, event: dict) -> None:
        if self._on_event is None:
            return
        try:
            self._on_event(deep_redact(event, self.settings.api_key))
        except Exception:  # an observer must never break a request
            log.exception("on_event handler failed")


def _payload(response: httpx.Response) -> tuple[Any, int | None]:
    """The parsed JSON body (None when unreadable) and its integer ``code`` (None without)."""
    try:
        payload = response.json()
    except ValueError:
        payload = None
    code = payload.get("code") if isinstance(payload, dict) else None
    return payload, (code if isinstance(code, int) and not isinstance(code, bool) else None)


#: HTTP statuses a gateway in front of the provider answers after forwarding the request.
_GATEWAY = (502, 503, 504)


def _raise_if_ambiguous(response: httpx.Response) -> None:
    """A create answer that does not prove whether a job was made raises `_SentButLost`: a
    gateway error (the request may have been forwarded), any 5xx or 200 whose body is not an
    envelope (the provider processed something), or body code 500 (it failed somewhere after
    reading the request). Only a readable refusal is final."""
    status = response.status_code
    payload, code = _payload(response)
    readable = code is not None
    if status in _GATEWAY:
        raise _SentButLost(f"HTTP {status} from a gateway: the request may have been forwarded",
                           response, "an error page from a gateway in front of the provider "
                           "(the request may have been forwarded)")
    if not readable and (status < 300 or status >= 500):
        cut = status < 300 and response.content.lstrip()[:1] in (b"{", b"[")
        raise _SentButLost(f"HTTP {status} with an unreadable answer", response,
                           "an answer cut off before its end" if cut
                           else "an answer that is not the provider's JSON")
    if code == 500:
        raise _SentButLost("the provider answered code 500; it may have made the job", response,
                           "body code 500 (the provider read the request and failed after it)")


def _json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _task_id(data: Any) -> str | None:
    """The new task's id: ``taskId``, or ``task_id`` (audio recovery answers snake_case)."""
    if not isinstance(data, dict):
        return None
    value = data.get("taskId") or data.get("task_id")
    return str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else None


def _create_retryable(exc: BaseException) -> bool:
    """Creates: retry only when no job can exist (never connected, or rejected by rate limit)."""
    return isinstance(exc, (TransportError, RateLimited))


def _idempotent_retryable(exc: BaseException) -> bool:
    """GETs and uploads: retry transport trouble, server errors, rate limits and maintenance."""
    return isinstance(exc, (TransportError, _SentButLost, ProviderError, RateLimited, Maintenance))


def _log_retry(state: Any) -> None:
    exc = state.outcome.exception() if state.outcome else None
    log.info("retrying after %s (attempt %d)", type(exc).__name__, state.attempt_number)


def _body_of(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return response.text[:BODY_PREVIEW]


__all__ = ["SunoClient", "SubmitResult", "ApiError", "UnknownOutcome", "TransportError"]
