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

    hint = "The provider rejected the request."

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

    def explain(self) -> str:
        detail = f" (provider says: {self.message})" if self.message else ""
        return f"{self.hint}{detail}"


class InvalidRequest(ApiError):
    """400 / 422 (validation, sensitive words) and 451 (could not fetch the source)."""

    hint = "Invalid request: a field is missing or out of range."

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

    hint = "Authentication failed: check SONGBENCH_API_KEY (the key was missing or rejected)."


class NotFound(ApiError):
    """404: wrong method or path (often: wrong dialect for this base URL)."""

    hint = ("Not found: the provider does not know this route. Check SONGBENCH_API_DIALECT "
            "(anyint vs sunoapi) matches the base URL.")


class Conflict(ApiError):
    """409: the record already exists (WAV, MP4, cover, persona)."""

    hint = ("Already exists: this conversion was already made for that track; "
            "look for the earlier task instead of paying again.")


class TextTooLong(ApiError):
    """413: prompt, theme or lyrics too long."""

    hint = ("Text too long: shorten the prompt, lyrics or style (limits depend on the model; "
            "the form shows live counters).")


class InsufficientCredits(ApiError):
    """429 / 402: no credits left."""

    hint = "Out of credits: top up the account at the provider, then resubmit."


class RateLimited(ApiError):
    """405 / 430: too many calls; nothing was created, retrying later is safe."""

    hint = ("Too many requests: the provider allows 20 create calls per 10 seconds. "
            "Wait a few seconds and try again.")


class Maintenance(ApiError):
    """455: the provider is in maintenance."""

    hint = "The provider is under maintenance; try again later."


class ProviderError(ApiError):
    """500, other unknown codes, HTTP 5xx or a non-JSON answer."""

    hint = "The provider had an internal error or sent an unreadable answer; try again later."


class UnknownOutcome(SongbenchError):
    """A create request was sent but no answer arrived (read timeout, connection lost after send).

    The provider may or may not have created a task (and charged credits). Never resubmit
    automatically; the tracker marks the task ``unknown``.
    """

    def __init__(self, op: str | None, reason: str):
        self.op = op
        self.reason = reason
        super().__init__(f"UnknownOutcome on {op}: request sent, no answer ({reason})")

    def explain(self) -> str:
        return ("No answer after the request was sent: the provider may have started the job "
                "(and charged credits). It was not resubmitted; check the provider's history "
                "before trying again.")


class TransportError(SongbenchError):
    """Nothing reached the provider (DNS, refused connection, connect timeout, retries exhausted)."""

    def __init__(self, op: str | None, reason: str):
        self.op = op
        self.reason = reason
        super().__init__(f"TransportError on {op}: {reason}")

    def explain(self) -> str:
        return ("Could not reach the provider (network or base URL problem); nothing was sent. "
                f"Details: {self.reason}")


class NotOffered(SongbenchError):
    """The configured dialect has no route for this operation; nothing was sent."""

    def __init__(self, op: str, dialect: str):
        self.op = op
        self.dialect = dialect
        super().__init__(f"NotOffered: {op} has no route in the {dialect} dialect")

    def explain(self) -> str:
        return (f"This provider ({self.dialect} dialect) has no route for {self.op}; nothing was "
                "sent. Use a provider that offers it (e.g. sunoapi.org).")


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
