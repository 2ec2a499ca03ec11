"""What every provider adapter is: its connection, and the shared HTTP exchange.

An adapter (one module per API family in this package) owns everything that differs between
providers: its settings (base URL and key variables, defaults), its auth header, its envelope
and error parsing (onto the one vocabulary of `lib.provider.errors`, its own meaning of 429),
where the task id goes and its poll route, its rate limit and its balance source. What they
share lives here (`HttpAdapter`):

* the log-before-send rule's other half: every request is an ``on_event`` event (headers
  redacted, the key masked everywhere) before it is sent, then its response or error;
* retries (tenacity, bounded, injectable ``wait``/``sleep``): GETs on any transport trouble,
  server error or rate limit; creates ONLY when nothing can have been created (never
  connected, or a rate-limit refusal). A create that was sent but whose answer does not prove
  what happened raises `UnknownOutcome` and is never retried (`_SentButLost`);
* the create limit: one `Limiter` per provider, taken before each create attempt;
* an injected ``transport`` (``httpx.MockTransport`` in tests).

A subclass says how to read its answers: `read` (envelope and errors), `ambiguous` (which
create answers prove nothing), `task_id_of`, `sync_data`, `poll_request`, `record_of`, and
its balance (`balance`, None: the provider has no balance route).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import httpx
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential

from lib import families, ops
from lib.contract.family import Family
from lib.contract.operation import Operation
from lib.provider.adapters.connection import LOCAL_SIMULATOR_KEY, Connection
from lib.provider.errors import (
    ApiError, AuthError, Maintenance, NotConfigured, NotOffered, ProviderError, ProviderWords,
    RateLimited, TransportError, UnknownOutcome, for_http_status,
)
from lib.provider.ratelimit import Limiter, RateLimiter
from lib.provider.redaction import deep_redact, excerpt, redact_headers, redact_text
from lib.settings import Settings

__all__ = ["HttpAdapter", "SubmitResult", "Connection", "LOCAL_SIMULATOR_KEY", "json_of"]

log = logging.getLogger("songbench.client")

#: Creates: connect 10 s, read 30 s. Polls answer fast.
CREATE_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
POLL_TIMEOUT = httpx.Timeout(20.0, connect=10.0)
ATTEMPTS = 3
BODY_PREVIEW = 4000

#: httpx errors raised before any byte of the request left this machine.
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout,
            httpx.UnsupportedProtocol, httpx.LocalProtocolError)
#: HTTP statuses a gateway in front of the provider answers after forwarding the request.
GATEWAY = (502, 503, 504)


@dataclass(frozen=True)
class SubmitResult:
    """Outcome of a create call: ``task_id`` (None for most sync ops), ``data`` (what a
    synchronous operation's family parses) and the whole answer."""

    task_id: str | None
    data: Any
    envelope: dict


class _SentButLost(Exception):
    """The request may have reached the provider, and what came back (nothing, or
    ``response``) does not prove what happened; ``what`` says it in words."""

    def __init__(self, reason: str, response: httpx.Response | None = None, what: str = ""):
        super().__init__(reason)
        self.response, self.what = response, what


def json_of(response: httpx.Response) -> Any:
    """The parsed JSON body, or None when it is not JSON."""
    try:
        return response.json()
    except ValueError:
        return None


class HttpAdapter:
    """A provider adapter over httpx (see the module docstring). Subclasses set the class
    attributes and the reading hooks."""

    #: the provider's name, as operations, families and task rows say it
    name: ClassVar[str] = ""
    #: its path styles (the first is the default)
    dialects: ClassVar[tuple[str, ...]] = ("default",)
    #: its words in errors (key setting, limit, what to check on "not found")
    words: ClassVar[ProviderWords] = ProviderWords()
    #: creates per window in this process when no limiter is given: (calls, seconds)
    limit: ClassVar[tuple[int, float]] = (20, 10.0)
    #: where the balance comes from in words (None: the provider has no balance route)
    balance_source: ClassVar[str | None] = None
    #: the provider in words, and its variables (``base_url`` / ``api_key`` -> name) for the
    #: Settings page
    label: ClassVar[str] = ""
    variables: ClassVar[tuple[tuple[str, str], ...]] = ()
    #: the API family it belongs to (``music``, ``media``, ``text``): what a configured
    #: provider offers (`connection.OFFERED_BY_DIALECT`)
    api_family: ClassVar[str] = "music"

    def __init__(self, settings: Settings, *, connection: Connection | None = None,
                 transport: httpx.BaseTransport | None = None,
                 on_event: Callable[[dict], None] | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep,
                 wait: Any = None, attempts: int = ATTEMPTS,
                 create_timeout: httpx.Timeout = CREATE_TIMEOUT,
                 poll_timeout: httpx.Timeout = POLL_TIMEOUT,
                 limiter: Limiter | None = None):
        self.settings = settings
        self.connection = connection or self.connect(settings)
        self._options = {"transport": transport, "on_event": on_event, "clock": clock,
                         "sleep": sleep, "wait": wait, "attempts": attempts,
                         "create_timeout": create_timeout, "poll_timeout": poll_timeout}
        self._on_event = on_event
        self._clock = clock
        self._sleep = sleep
        self._wait = wait if wait is not None else wait_exponential(multiplier=1, min=1, max=10)
        self._attempts = attempts
        self._create_timeout = create_timeout
        self._poll_timeout = poll_timeout
        calls, period = self.limit
        self.limiter: Limiter = limiter or RateLimiter(calls, period, clock=clock, sleep=sleep)
        self._http = self._client(transport)

    # ---- settings (each adapter owns its variables) --------------------------------------------
    @classmethod
    def connect(cls, settings: Settings) -> Connection:
        """This provider's connection under ``settings``."""
        raise NotImplementedError

    def _client(self, transport: httpx.BaseTransport | None) -> httpx.Client:
        headers = {"Accept": "application/json", "User-Agent": "songbench",
                   **self.auth_headers()}
        return httpx.Client(transport=transport, headers=headers, follow_redirects=False)

    def auth_headers(self) -> dict[str, str]:
        """The credential headers (``Authorization: Bearer <key>`` unless an adapter says
        otherwise)."""
        return {"Authorization": f"Bearer {self.connection.bearer}"}

    def at(self, connection: Connection, *, limiter: Limiter | None = None) -> HttpAdapter:
        """An adapter like this one (same transport, observer, retries and limiter) for another
        connection (a task created on another base URL or dialect)."""
        return type(self)(self.settings, connection=connection,
                          limiter=limiter or self.limiter, **self._options)

    def __repr__(self) -> str:
        c = self.connection
        return f"{type(self).__name__}(base_url={c.base_url!r}, dialect={c.dialect!r})"

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> HttpAdapter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- what is offered ---------------------------------------------------------------------
    def refusal(self, op: str | None = None) -> NotConfigured | None:
        """Why nothing may be sent (None: it may): the configured provider does not offer this
        adapter's API family (`Connection.not_offered`), or ``op`` is an operation the user has
        not switched on (`Operation.opt_in`)."""
        if self.connection.not_offered:
            return NotConfigured(op, self.connection.not_offered, words=self.words)
        operation = ops.OPERATIONS.get(op) if op else None
        if operation is not None and operation.opt_in and not self.settings.flag(
                operation.opt_in):
            return NotConfigured(op, f"{operation.title} uses a route the provider does not "
                                 f"publish; it is off unless {operation.opt_in}=1 is set. "
                                 "Nothing was sent.", words=self.words)
        return None

    def refuse_unoffered(self, op: str | None = None) -> None:
        """Raise `refusal` (`NotConfigured`, a `NotOffered`) when there is one."""
        if (refused := self.refusal(op)) is not None:
            raise refused

    # ---- public API ------------------------------------------------------------------------------
    def submit(self, op: str, body: Mapping[str, Any], *, slot_taken: bool = False
               ) -> SubmitResult:
        """POST a create call for ``op``: sync operations return their data, async ones their
        task id. ``slot_taken``: the caller already took the first attempt's slot of the create
        limit (the experiment queue does, before it writes the task row).

        Raises `ApiError` subclasses, `UnknownOutcome` (sent, no proof), `TransportError`
        (never reached the provider, after retries) or `NotOffered` (no route; nothing sent).
        """
        operation = ops.get(op)
        dialect = self.connection.dialect
        if not operation.offered(dialect):
            raise NotOffered(op, dialect, words=self.words)
        self.refuse_unoffered(op)
        url = self.connection.base_url + operation.path(dialect)
        wire = self.create_body(operation, body)
        headers = self.create_headers(operation)
        caller_slot = [slot_taken]  # used by the first attempt only

        def attempt() -> Any:
            if not (caller_slot.pop() if caller_slot else False):
                self.limiter.acquire()
            response = self._exchange("POST", url, op, self._create_timeout, json=wire,
                                      headers=headers)
            self.ambiguous(response)
            return self.read(response, op)

        try:
            answer = self._retry(attempt, self.create_retryable)
        except _SentButLost as exc:
            raise self._unknown(op, exc) from None
        task_id = self.task_id_of(answer)
        if not operation.sync and not task_id:
            # the provider processed the request but did not say which task it made
            shown = json.dumps(answer, ensure_ascii=False, default=str)
            raise UnknownOutcome(op, "the answer said success but named no task id",
                                 answered=True, http_status=200,
                                 what="a success that names no task id",
                                 excerpt=excerpt(shown, self.connection.api_key),
                                 words=self.words)
        return SubmitResult(task_id=task_id, data=self.sync_data(answer),
                            envelope=answer if isinstance(answer, dict) else {"data": answer})

    def query(self, family: str, task_id: str, *, op: str | None = None) -> dict:
        """GET a task's record through ``family``'s poll route (``op``: the task's operation,
        for providers whose poll route is the create route's)."""
        fam = families.get(family)
        operation = ops.get(op) if op else None
        url, params = self.poll_request(fam, task_id, operation)
        name = f"query:{family}"
        answer = self._get(url, name, params, lambda response: self.read(response, name, fam))
        record = self.record_of(fam, answer)
        if not isinstance(record, dict):
            raise ProviderError(200, f"record data is {type(record).__name__}, not an object",
                                op=name, words=self.words)
        return record

    def poll_url(self, family: str, task_id: str, op: str | None = None) -> str:
        """The poll route of a task as the log shows it (path and query)."""
        url, params = self.poll_request(families.get(family), task_id,
                                        ops.get(op) if op else None)
        path = url[len(self.connection.base_url):]
        query = "&".join(f"{k}={v}" for k, v in (params or {}).items())
        return f"{path}?{query}" if query else path

    def balance(self) -> int | None:
        """The remaining balance; None: this provider has no balance route."""
        return None

    @classmethod
    def error(cls, code: Any, message: str = "", http_status: int | None = None,
              op: str | None = None) -> ApiError:
        """The shared error for one of this provider's codes (a refusal, or a failed task's
        code read by a poll): how the board words a failure, whoever answered."""
        return for_http_status(http_status)(code, message, http_status=http_status, op=op,
                                            words=cls.words)

    # ---- what a subclass says about its answers -----------------------------------------
    def create_body(self, operation: Operation, body: Mapping[str, Any]) -> Any:
        """The body on the wire (the log keeps ``body``; the request event shows this)."""
        return dict(body)

    def create_headers(self, operation: Operation) -> dict[str, str]:
        """Headers a create adds (DashScope's ``X-DashScope-Async``)."""
        return {}

    def ambiguous(self, response: httpx.Response) -> None:
        """Raise `_SentButLost` when a create's answer does not prove whether a job was made:
        a gateway error page, or a 5xx or 200 whose body is not the provider's JSON."""
        status = response.status_code
        if status in GATEWAY:
            raise _SentButLost(f"HTTP {status} from a gateway: the request may have been "
                               "forwarded", response, "an error page from a gateway in front "
                               "of the provider (the request may have been forwarded)")
        if not self.readable(json_of(response)) and (status < 300 or status >= 500):
            cut = status < 300 and response.content.lstrip()[:1] in (b"{", b"[")
            raise _SentButLost(f"HTTP {status} with an unreadable answer", response,
                               "an answer cut off before its end" if cut
                               else "an answer that is not the provider's JSON")

    def readable(self, payload: Any) -> bool:
        """Whether a parsed body is one of the provider's answers (success or refusal)."""
        return isinstance(payload, dict)

    def read(self, response: httpx.Response, op: str, family: Family | None = None) -> Any:
        """The answer of a response, or the `ApiError` it means (``family``: a poll's)."""
        raise NotImplementedError

    def task_id_of(self, answer: Any) -> str | None:
        raise NotImplementedError

    def sync_data(self, answer: Any) -> Any:
        """What a synchronous operation's family parses (the whole answer by default)."""
        return answer

    def poll_request(self, family: Family, task_id: str, operation: Operation | None
                     ) -> tuple[str, Mapping[str, str] | None]:
        """The poll's URL and query parameters (where the task id goes)."""
        raise NotImplementedError

    def record_of(self, family: Family, answer: Any) -> Any:
        """The record a family parses, from a poll's answer (the whole answer by default)."""
        return answer

    @staticmethod
    def create_retryable(exc: BaseException) -> bool:
        """Creates: retry only when no job can exist (never connected, or rate-limited)."""
        return isinstance(exc, (TransportError, RateLimited))

    @staticmethod
    def idempotent_retryable(exc: BaseException) -> bool:
        """GETs: retry transport trouble, server errors, rate limits and maintenance."""
        return isinstance(exc, (TransportError, _SentButLost, ProviderError, RateLimited,
                                Maintenance))

    # ---- the exchange -----------------------------------------------------------------------
    def _retry(self, fn: Callable[[], Any], retryable: Callable[[BaseException], bool]) -> Any:
        retrying = Retrying(stop=stop_after_attempt(self._attempts), wait=self._wait,
                            retry=retry_if_exception(retryable), sleep=self._sleep,
                            reraise=True, before_sleep=_log_retry)
        return retrying(fn)

    def _get(self, url: str, op: str, params: Mapping[str, str] | None,
             read: Callable[[httpx.Response], Any]) -> Any:
        def attempt() -> Any:
            return read(self._exchange("GET", url, op, self._poll_timeout, params=params))

        try:
            return self._retry(attempt, self.idempotent_retryable)
        except _SentButLost as exc:
            raise TransportError(op, self._redact(str(exc)), words=self.words) from None

    def _exchange(self, method: str, url: str, op: str, timeout: httpx.Timeout, *,
                  json: Any = None, params: Mapping[str, str] | None = None,
                  files: Any = None, data: Mapping[str, str] | None = None,
                  headers: Mapping[str, str] | None = None,
                  event_body: Any = None) -> httpx.Response:
        """Send one request, emitting events; classify transport failures."""
        if self.connection.withheld:
            raise AuthError(None, f"this task was created on {self.connection.base_url}; the "
                            f"key set now belongs to {self.connection.key_site} and is not sent "
                            "to another site (nothing was sent)", op=op, words=self.words)
        request = self._http.build_request(method, url, json=json, params=params, files=files,
                                           data=data, timeout=timeout, headers=headers)
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
            if isinstance(exc, NOT_SENT):
                raise TransportError(op, self._redact(reason), words=self.words) from None
            raise _SentButLost(reason) from None
        elapsed = round((self._clock() - started) * 1000)
        self._emit({**base, "kind": "response", "status_code": response.status_code,
                    "headers": redact_headers(response.headers), "body": _body_of(response),
                    "elapsed_ms": elapsed})
        log.debug("%s %s -> HTTP %d in %d ms", method, request.url, response.status_code,
                  elapsed)
        return response

    def _unknown(self, op: str, exc: _SentButLost) -> UnknownOutcome:
        """The `UnknownOutcome` of a create whose answer proved nothing: what came back."""
        response = exc.response
        if response is None:
            return UnknownOutcome(op, self._redact(str(exc)), words=self.words)
        return UnknownOutcome(op, self._redact(str(exc)), answered=True,
                              http_status=response.status_code, what=exc.what,
                              excerpt=excerpt(response.content, self.connection.api_key),
                              words=self.words)

    def _redact(self, text: str) -> str:
        return redact_text(text, self.connection.api_key)

    def _emit(self, event: dict) -> None:
        if self._on_event is None:
            return
        try:
            self._on_event(deep_redact(event, self.connection.api_key))
        except Exception:  # an observer must never break a request
            log.exception("on_event handler failed")


def _log_retry(state: Any) -> None:
    exc = state.outcome.exception() if state.outcome else None
    log.info("retrying after %s (attempt %d)", type(exc).__name__, state.attempt_number)


def _body_of(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return response.text[:BODY_PREVIEW]
