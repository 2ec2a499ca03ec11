"""OpenAI-compatible text (the text helper's chat completions): `TextAdapter`.

Contract: ``../shared/contract-media.md`` section 3. It speaks through the official ``openai``
package (3.x: its HTTP client is ``httpx2``, pydantic's httpx), which builds the requests,
parses the SSE stream and types its errors; we inject the HTTP client (a ``MockTransport`` in
tests), turn its retries off and map its errors onto the shared vocabulary.

* settings: ``SONGBENCH_TEXT_BASE_URL`` (default ``https://gateway.api.anyint.ai/openai/v1``:
  any OpenAI-compatible server, a local one included) and ``SONGBENCH_TEXT_API_KEY``; no key:
  the embedded simulator's ``/openai/v1``;
* auth ``Authorization: Bearer`` (the SDK's); models from ``GET /models`` (never hard-coded),
  `chat` for one answer, `stream` for the answer as it is written;
* errors (`error_class`): 401/403 authentication, 429 a **rate limit** (``insufficient_quota``:
  out of credits), 400 invalid (``content_filter``: a content refusal, ``context_length_
  exceeded``: too long), 404 an unknown model or route; a timeout after sending is
  `UnknownOutcome` (never resent), a connection never made `TransportError`;
* no task ids or polls (answers come at once); no balance route; 60 calls per 60 s of our own.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

import httpx2
import openai

from lib import ops
from lib.contract.family import Family
from lib.contract.operation import Operation
from lib.provider.adapters.base import HttpAdapter, SubmitResult
from lib.provider.adapters.connection import Connection, connect_from
from lib.provider.errors import (
    ApiError, ContentRejected, InsufficientCredits, NotFound, ProviderError, ProviderWords,
    TextTooLong, TransportError, UnknownOutcome, for_http_status,
)
from lib.provider.redaction import redact_headers
from lib.settings import Settings

NAME = "text"
BASE_ENV, KEY_ENV = "SONGBENCH_TEXT_BASE_URL", "SONGBENCH_TEXT_API_KEY"
DEFAULT_URL = "https://gateway.api.anyint.ai/openai/v1"
WORDS = ProviderWords(NAME, KEY_ENV, None, f"Check {BASE_ENV} points at an OpenAI-compatible "
                      "server (/openai/v1 on the AnyInt gateway) and that the model is in its "
                      "model list.")
#: openai's own timeouts: a long answer may take a while to finish, not to start.
TIMEOUT = httpx2.Timeout(120.0, connect=10.0)
#: httpx2 errors raised before any byte of the request left this machine.
NOT_SENT = (httpx2.ConnectError, httpx2.ConnectTimeout, httpx2.PoolTimeout,
            httpx2.UnsupportedProtocol, httpx2.LocalProtocolError)
T = TypeVar("T")


def error_class(status: int | None, code: Any) -> type[ApiError]:
    """The shared type of an OpenAI-style error (HTTP status, then the body's ``code``)."""
    text = str(code or "")
    if text == "insufficient_quota":
        return InsufficientCredits
    if text in ("content_filter", "content_policy_violation"):
        return ContentRejected
    if text == "context_length_exceeded":
        return TextTooLong
    if text == "model_not_found":  # OpenAI answers 404, some compatible servers 400
        return NotFound
    return for_http_status(status)


@dataclass
class ChatAnswer:
    """One chat completion: the text, why it stopped, the token usage and the raw answer."""

    text: str
    model: str | None = None
    finish_reason: str | None = None
    usage: dict[str, Any] | None = None
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass
class ChatStream:
    """The answer as it is written: iterate for the text pieces; afterwards ``text``,
    ``finish_reason``, ``usage`` (when the server sends it) and ``first_token_s`` (seconds from
    the request to the first piece) say the rest."""

    pieces: Iterator[str]
    text: str = ""
    finish_reason: str | None = None
    usage: dict[str, Any] | None = None
    first_token_s: float | None = None

    def __iter__(self) -> Iterator[str]:
        return self.pieces


class TextAdapter(HttpAdapter):
    """Chat completions and the model list of an OpenAI-compatible server."""

    name = NAME
    dialects = ("openai",)
    words = WORDS
    limit = (60, 60.0)
    balance_source = None
    label = "Text (OpenAI-compatible)"
    variables = (("base_url", BASE_ENV), ("api_key", KEY_ENV))
    api_family = "text"

    @classmethod
    def connect(cls, settings: Settings) -> Connection:
        return connect_from(settings, NAME, base_env=BASE_ENV, key_env=KEY_ENV,
                            default_url=DEFAULT_URL, dialect=cls.dialects[0],
                            simulator_path="/openai/v1", family=cls.api_family,
                            what="text (OpenAI-compatible chat)")

    @classmethod
    def error(cls, code: Any, message: str = "", http_status: int | None = None,
              op: str | None = None) -> ApiError:
        return error_class(http_status, code)(code, message, http_status=http_status, op=op,
                                              words=WORDS)

    def _client(self, transport: Any) -> Any:
        """The SDK's client over an httpx2 client we own (``transport``: an httpx2 one)."""
        self._http2 = httpx2.Client(transport=transport, timeout=TIMEOUT,
                                    event_hooks={"request": [self._on_request],
                                                 "response": [self._on_response]})
        self.sdk = openai.OpenAI(api_key=self.connection.bearer,
                                 base_url=self.connection.base_url, http_client=self._http2,
                                 max_retries=0)
        return self._http2

    # ---- the calls ------------------------------------------------------------------------
    def models(self) -> list[str]:
        """The model ids the server offers (``GET /models``)."""
        page = self._call("models", lambda: self.sdk.models.list(), create=False)
        return [m.id for m in page]

    def chat(self, model: str, messages: list[dict[str, Any]], *, op: str = "chat",
             **params: Any) -> ChatAnswer:
        """One chat completion (``stream`` false), after taking a slot of the limit."""
        self.limiter.acquire()
        done: Any = self._call(op, lambda: self.sdk.chat.completions.create(
            model=model, messages=cast(Any, messages), **params), create=True)
        raw = done.model_dump(mode="json")
        choice = done.choices[0] if done.choices else None
        return ChatAnswer(text=(choice.message.content or "") if choice else "",
                          model=done.model, finish_reason=choice.finish_reason if choice
                          else None, usage=raw.get("usage"), raw=raw)

    def stream(self, model: str, messages: list[dict[str, Any]], *, op: str = "chat",
               **params: Any) -> ChatStream:
        """The chat completion as it is written (``stream`` true, SSE parsed by the SDK). The
        request is sent here; an error while it streams raises the shared type too."""
        self.limiter.acquire()
        started = time.monotonic()
        chunks: Any = self._call(op, lambda: self.sdk.chat.completions.create(
            model=model, messages=cast(Any, messages), stream=True, **params), create=True)
        result = ChatStream(iter(()))

        def pieces() -> Iterator[str]:
            try:
                for chunk in chunks:
                    if chunk.usage is not None:
                        result.usage = chunk.usage.model_dump(mode="json", exclude_none=True)
                    for choice in chunk.choices:
                        result.finish_reason = choice.finish_reason or result.finish_reason
                        piece = choice.delta.content if choice.delta else None
                        if piece:
                            if result.first_token_s is None:
                                result.first_token_s = time.monotonic() - started
                            result.text += piece
                            yield piece
            except openai.OpenAIError as exc:
                raise self._mapped(exc, op, create=True) from None

        result.pieces = pieces()
        return result

    def submit(self, op: str, body: Mapping[str, Any], *, slot_taken: bool = False
               ) -> SubmitResult:
        """A text operation's create: one chat completion of ``body`` (``model``,
        ``messages`` and the other OpenAI fields); its answer is the data."""
        if not slot_taken:
            self.limiter.acquire()
        fields = (self.create_body(ops.get(op), body) if op in ops.OPERATIONS
                  else dict(body))
        fields.pop("stream", None)
        done: Any = self._call(op, lambda: self.sdk.chat.completions.create(**fields),
                               create=True)
        raw = done.model_dump(mode="json")
        return SubmitResult(task_id=None, data=raw, envelope=raw)

    def create_body(self, operation: Operation, body: Mapping[str, Any]) -> Any:
        """The Chat Completions body (the form's prompt as ``messages``: `Operation.wire`)."""
        return operation.wire(body)

    def query(self, family: str, task_id: str, *, op: str | None = None) -> dict:
        raise TransportError(f"query:{family}", "text answers come at once; nothing to poll",
                             words=WORDS)

    def poll_request(self, family: Family, task_id: str, operation: Operation | None
                     ) -> tuple[str, Mapping[str, str] | None]:
        raise KeyError("text answers come at once; there is no poll route")

    def close(self) -> None:
        self.sdk.close()

    # ---- errors ---------------------------------------------------------------------------
    def _call(self, op: str, fn: Callable[[], T], *, create: bool) -> T:
        self.refuse_unoffered(op)  # nothing is sent where the text family is not offered
        try:
            return fn()
        except openai.OpenAIError as exc:
            raise self._mapped(exc, op, create=create) from None

    def _mapped(self, exc: openai.OpenAIError, op: str, *, create: bool) -> Exception:
        """The shared error for an SDK error: a timeout after sending is an unknown outcome
        for a create; a connection never made is a transport error."""
        reason = self._redact(f"{type(exc).__name__}: {exc}")
        if isinstance(exc, openai.APIStatusError):
            body = exc.body if isinstance(exc.body, dict) else {}
            code = getattr(exc, "code", None) or body.get("code") or body.get("type")
            message = self._redact(str(body.get("message") or exc.message))
            return error_class(exc.status_code, code)(code, message, http_status=exc.status_code,
                                                      op=op, words=WORDS)
        if isinstance(exc, openai.APIConnectionError):
            if isinstance(exc.__cause__, NOT_SENT) or not create:
                return TransportError(op, reason, words=WORDS)
            return UnknownOutcome(op, reason, words=WORDS)
        return ProviderError(None, reason, op=op, words=WORDS)

    # ---- events: every request before it is sent, then its status -----------------------------
    def _on_request(self, request: httpx2.Request) -> None:
        request.extensions["songbench_started"] = time.monotonic()
        try:
            body = json.loads(request.content) if request.content else None
        except (ValueError, httpx2.RequestNotRead):
            body = None
        self._emit({"method": request.method, "url": str(request.url), "op": "text",
                    "kind": "request", "status_code": None,
                    "headers": redact_headers(request.headers), "body": body,
                    "elapsed_ms": None})

    def _on_response(self, response: httpx2.Response) -> None:
        started = response.request.extensions.get("songbench_started")
        elapsed = None if started is None else round((time.monotonic() - started) * 1000)
        self._emit({"method": response.request.method, "url": str(response.request.url),
                    "op": "text", "kind": "response", "status_code": response.status_code,
                    "headers": redact_headers(response.headers), "body": None,
                    "elapsed_ms": elapsed})


ADAPTER = TextAdapter
