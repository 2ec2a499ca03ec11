"""Typed errors for the provider API, keyed by the envelope's body ``code``.

The provider signals failures in the JSON body (``{"code": 430, "msg": ...}``), usually with HTTP
200, so :func:`error_for` maps a body code (or an HTTP status when there is no usable body) to a
class. Every error has ``explain()``: one or two plain sentences for the UI. Messages are built only
from the provider's ``msg`` and our own text; the client redacts the key from ``msg`` before it gets
here, so ``str()`` of any error never contains the API key.
"""

from __future__ import annotations

from typing import Any


class SongbenchError(Exception):
    """Base of every error raised by the provider-facing library."""

    def explain(self) -> str:
        """A plain-language explanation for the user."""
        return str(self)


class ApiError(SongbenchError):
    """The provider answered with an error ``code`` (body code, or HTTP status if no body)."""

    def __init__(self, code: int | None, message: str = "", http_status: int | None = None,
                 op: str | None = None, data: Any = None):
        self.code = code
        self.message = message or ""
        self.http_status = http_status
        self.op = op
        self.data = data  # the envelope's data (e.g. the existing taskId of a 409/400 cover)
        super().__init__(self._text())

    def _text(self) -> str:
        where = f" on {self.op}" if self.op else ""
        http = f", HTTP {self.http_status}" if self.http_status not in (None, 200) else ""
        return f"{type(self).__name__}{where}: code {self.code}{http}: {self.message}".rstrip(": ")

    #: The first sentence of `explain`: what this kind of refusal means (see `HINTS`).
    hint: str = "The provider rejected the request."

    def explain(self) -> str:
        detail = f" (provider says: {self.message})" if self.message else ""
        return f"{self.hint}{detail}"


class InvalidRequest(ApiError):
    """400 / 422 (validation, sensitive words) and 451 (could not fetch the source)."""

    def explain(self) -> str:
        if self.code == 451:
            return ("The provider could not download the source (audio or image): check that the "
                    f"URL is public and has not expired (provider says: {self.message}).")
        if "sensitive" in self.message.lower() or "artist" in self.message.lower():
            return ("Rejected for content: the text contains sensitive words or an artist name. "
                    f"Rephrase the prompt, lyrics or style (provider says: {self.message}).")
        return super().explain()


class AuthError(ApiError):
    """401: missing, wrong or revoked API key."""


class NotFound(ApiError):
    """404: with HTTP 404, a wrong method or path (often: the wrong dialect for this base URL);
    with HTTP 200, the provider does not know the task id."""

    def explain(self) -> str:
        if self.http_status == 200:
            return f"Not found: the provider does not know this task (provider says: " \
                   f"{self.message})." if self.message else "Not found: unknown task."
        return super().explain()


class Conflict(ApiError):
    """409: the record already exists (WAV, MP4, cover, persona)."""


class TextTooLong(ApiError):
    """413: prompt, theme or lyrics too long."""


class InsufficientCredits(ApiError):
    """429 / 402: no credits left."""


class RateLimited(ApiError):
    """405 / 430: too many calls; nothing was created, retrying later is safe."""


class Maintenance(ApiError):
    """455: the provider is in maintenance."""


class ProviderError(ApiError):
    """500, other unknown codes, HTTP 5xx or a non-JSON answer."""


class _OpError(SongbenchError):
    """An error about one operation that has no provider answer: ``op`` and ``reason``."""

    template = "{name} on {op}: {reason}"

    def __init__(self, op: str | None, reason: str):
        self.op = op
        self.reason = reason
        super().__init__(self.template.format(name=type(self).__name__, op=op, reason=reason))


class UnknownOutcome(_OpError):
    """A create request was sent but what came back does not say whether a task was made: no
    answer at all (read timeout, connection lost after send), or an answer that proves nothing
    (a gateway's error page, a cut-off or non-JSON body, body code 500, success without a task
    id). ``answered`` tells the two apart; ``http_status`` and ``excerpt`` (short, redacted)
    say what came back.

    The provider may or may not have created a task (and charged credits). Never resubmit
    automatically; the tracker marks the task ``unknown``.
    """

    template = "{name} on {op}: request sent, outcome unknown ({reason})"

    def __init__(self, op: str | None, reason: str, *, answered: bool = False,
                 http_status: int | None = None, excerpt: str = "", what: str = ""):
        self.answered, self.http_status, self.excerpt = answered, http_status, excerpt
        #: what the answer was, in words ("an error page from a gateway", ...)
        self.what = what
        super().__init__(op, reason)

    #: what the user can do, whatever came back
    ADVICE = ("It was not resubmitted. If the provider made the job, its callback links it here; "
              "otherwise look in the provider's history before trying again, and link the task "
              "by its provider id or mark it not created on its page.")

    def explain(self) -> str:
        if not self.answered:
            return ("No answer came back after the request was sent "
                    f"({self.reason}): the provider may have started the job (and charged "
                    f"credits). {self.ADVICE}")
        status = f"HTTP {self.http_status}" if self.http_status is not None else "An answer"
        came = f"{status} came back: {self.what}" if self.what else f"{status} came back"
        shown = f' ("{self.excerpt}")' if self.excerpt else " (an empty body)"
        return (f"{came}{shown}. It does not say whether the job was made, so the outcome is "
                f"unknown: the provider may have started it (and charged credits). {self.ADVICE}")


class TransportError(_OpError):
    """Nothing reached the provider (DNS, refused connection, connect timeout, retries
    exhausted)."""

    def explain(self) -> str:
        return ("Could not reach the provider (network or base URL problem); nothing was sent. "
                f"Details: {self.reason}")


class NotOffered(_OpError):
    """The configured dialect has no route for this operation (``reason``: the dialect);
    nothing was sent."""

    template = "{name}: {op} has no route in the {reason} dialect"

    @property
    def dialect(self) -> str:
        return self.reason

    def explain(self) -> str:
        return (f"This provider ({self.reason} dialect) has no route for {self.op}; nothing was "
                "sent. Use a provider that offers it (e.g. sunoapi.org).")


#: What each kind of refusal means for the user (the start of `ApiError.explain`).
HINTS: dict[type[ApiError], str] = {
    InvalidRequest: "Invalid request: a field is missing or out of range.",
    AuthError: "Authentication failed: check SONGBENCH_API_KEY (the key was missing or "
               "rejected).",
    NotFound: "Not found: the provider does not know this route. Check SONGBENCH_API_DIALECT "
              "(anyint vs sunoapi) matches the base URL.",
    Conflict: "Already exists: this conversion was already made for that track; look for the "
              "earlier task instead of paying again.",
    TextTooLong: "Text too long: shorten the prompt, lyrics or style (limits depend on the "
                 "model; the form shows live counters).",
    InsufficientCredits: "Out of credits: top up the account at the provider, then resubmit.",
    RateLimited: "Too many requests: the provider allows 20 create calls per 10 seconds. Wait "
                 "a few seconds and try again.",
    Maintenance: "The provider is under maintenance; try again later.",
    ProviderError: "The provider had an internal error or sent an unreadable answer; try again "
                   "later.",
}

for _kind, _hint in HINTS.items():
    _kind.hint = _hint

_BY_CODE: dict[int, type[ApiError]] = {
    400: InvalidRequest, 422: InvalidRequest, 451: InvalidRequest,
    401: AuthError, 403: AuthError,
    402: InsufficientCredits, 429: InsufficientCredits,
    404: NotFound,
    405: RateLimited, 430: RateLimited,
    409: Conflict,
    413: TextTooLong,
    455: Maintenance,
}


def error_for(code: int | None, message: str = "", http_status: int | None = None,
              op: str | None = None, data: Any = None) -> ApiError:
    """The :class:`ApiError` subclass instance for a body ``code`` (ProviderError if unknown)."""
    cls = _BY_CODE.get(code, ProviderError) if code is not None else ProviderError
    return cls(code, message, http_status=http_status, op=op, data=data)
