"""One error vocabulary for every provider (music, DashScope, Kling, OpenAI-compatible text).

Like LiteLLM's exception mapping: each adapter (`lib.provider.adapters`) maps its own answers
onto these types, and every error carries the provider (`ProviderWords`: its name, key setting,
limit), the provider's code (``code``: the music body code, DashScope's ``"Throttling"``...),
the HTTP status and the message. ``explain()`` is one or two plain sentences for the UI, in the
same words whoever answered: a DashScope 429 reads "Too many requests" like a music 430, a music
429 "Out of credits" like a DashScope ``Arrearage``.

:func:`error_for` is the music mapping (body code, or the HTTP status when there is no usable
body; usually with HTTP 200). Messages are built only from the provider's message and our own
text; the adapters redact the key before it gets here, so ``str()`` of any error never contains
the API key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ProviderWords:
    """What an error says about the provider that answered (each adapter has one)."""

    #: the provider's name (``music``, ``dashscope``, ``kling``, ``text``), as on task rows
    provider: str = "music"
    #: the setting that holds its key
    key_setting: str = "SONGBENCH_API_KEY"
    #: its create limit in words, None when it publishes none
    limit: str | None = "20 create calls per 10 seconds"
    #: what to check when a route is not found
    route_hint: str = ("Check SONGBENCH_API_DIALECT (anyint vs sunoapi) matches the base URL.")


#: The AI Music provider's words (the default: errors made without an adapter are music's).
MUSIC_WORDS = ProviderWords()


class SongbenchError(Exception):
    """Base of every error raised by the provider-facing library."""

    def explain(self) -> str:
        """A plain-language explanation for the user."""
        return str(self)


class ApiError(SongbenchError):
    """The provider answered with an error ``code`` (body code, or HTTP status if no body)."""

    def __init__(self, code: int | str | None, message: str = "",
                 http_status: int | None = None, op: str | None = None, data: Any = None,
                 words: ProviderWords = MUSIC_WORDS):
        #: the provider's own code: an int for music (body code), a string for DashScope
        self.code = code
        self.message = message or ""
        self.http_status = http_status
        self.op = op
        self.data = data  # the envelope's data (e.g. the existing taskId of a 409/400 cover)
        self.words = words
        super().__init__(self._text())

    @property
    def provider(self) -> str:
        """Who answered (``music``, ``dashscope``, ``kling``, ``text``)."""
        return self.words.provider

    def _text(self) -> str:
        where = f" on {self.op}" if self.op else ""
        who = f" from {self.provider}" if self.provider != MUSIC_WORDS.provider else ""
        http = f", HTTP {self.http_status}" if self.http_status not in (None, 200) else ""
        return (f"{type(self).__name__}{who}{where}: code {self.code}{http}: "
                f"{self.message}").rstrip(": ")

    #: The first sentence of `explain`: what this kind of refusal means (see `HINTS`), with
    #: ``{key}``, ``{limit}`` and ``{route}`` from the provider's `ProviderWords`.
    hint: str = "The provider rejected the request."

    def explain(self) -> str:
        detail = f" (provider says: {self.message})" if self.message else ""
        return f"{self.sentence()}{detail}"

    def sentence(self) -> str:
        """The hint in this provider's words."""
        w = self.words
        limit = (f"the provider allows {w.limit}" if w.limit
                 else "the provider's rate limit or quota was reached")
        return self.hint.format(key=w.key_setting, limit=limit, route=w.route_hint)


class InvalidRequest(ApiError):
    """400 / 422 (validation) and 451 (could not fetch the source); DashScope
    ``InvalidParameter``, ``BadRequest.*``; OpenAI ``BadRequestError``."""

    def explain(self) -> str:
        if self.code in (451, "BadRequest.InputDownloadFailed"):
            return _sentence(SourceUnreachable.hint, self.message)
        if "sensitive" in self.message.lower() or "artist" in self.message.lower():
            return _sentence(ContentRejected.hint, self.message)
        return super().explain()


def _sentence(hint: str, message: str) -> str:
    return f"{hint} (provider says: {message})." if message else f"{hint}."


class ContentRejected(InvalidRequest):
    """The provider's content check refused the text or media (music: sensitive words or an
    artist name; DashScope ``DataInspectionFailed``; OpenAI ``content_filter``)."""

    def explain(self) -> str:
        return _sentence(self.sentence(), self.message)


class SourceUnreachable(InvalidRequest):
    """The provider could not download a source file (music 451, DashScope
    ``BadRequest.InputDownloadFailed``)."""

    def explain(self) -> str:
        return _sentence(self.sentence(), self.message)


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


class TaskNotFound(NotFound):
    """A poll answered, in the provider's own readable words, that it does not know the task
    id, whatever the HTTP status (Kling answers HTTP 404 with its code 1203): the task expired
    or the id is wrong, not a wrong route."""

    def explain(self) -> str:
        return f"Not found: the provider does not know this task (provider says: " \
               f"{self.message})." if self.message else "Not found: unknown task."


class Conflict(ApiError):
    """409: the record already exists (WAV, MP4, cover, persona)."""


class TextTooLong(ApiError):
    """413: prompt, theme or lyrics too long."""


class InsufficientCredits(ApiError):
    """Music 429 / 402, DashScope ``Arrearage``, OpenAI ``insufficient_quota``: no credits."""


class RateLimited(ApiError):
    """Music 405 / 430, DashScope / OpenAI HTTP 429 (``Throttling*``): too many calls; nothing
    was created, retrying later is safe."""


class Maintenance(ApiError):
    """455: the provider is in maintenance."""


class ProviderError(ApiError):
    """500, other unknown codes, HTTP 5xx or a non-JSON answer."""


class _OpError(SongbenchError):
    """An error about one operation that has no provider answer: ``op`` and ``reason``."""

    template = "{name} on {op}: {reason}"

    def __init__(self, op: str | None, reason: str, *, words: ProviderWords = MUSIC_WORDS):
        self.op = op
        self.reason = reason
        self.words = words
        super().__init__(self.template.format(name=type(self).__name__, op=op, reason=reason))

    @property
    def provider(self) -> str:
        """Who was (or was not) reached."""
        return self.words.provider


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
                 http_status: int | None = None, excerpt: str = "", what: str = "",
                 words: ProviderWords = MUSIC_WORDS):
        self.answered, self.http_status, self.excerpt = answered, http_status, excerpt
        #: what the answer was, in words ("an error page from a gateway", ...)
        self.what = what
        super().__init__(op, reason, words=words)

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


class NotConfigured(NotOffered):
    """The configured provider does not offer this operation's API family, or the operation
    is one the user has not switched on (``reason``: the whole sentence); nothing was sent."""

    template = "{name}: {op}: {reason}"

    @property
    def dialect(self) -> str:
        return ""

    def explain(self) -> str:
        return self.reason


#: What each kind of refusal means for the user (the start of `ApiError.explain`).
HINTS: dict[type[ApiError], str] = {
    InvalidRequest: "Invalid request: a field is missing or out of range.",
    ContentRejected: "Rejected for content: the text contains sensitive words or an artist "
                     "name, or the media did not pass the provider's content check. Rephrase "
                     "the prompt, lyrics or style, or use other media",
    SourceUnreachable: "The provider could not download the source (audio or image): check "
                       "that the URL is public and has not expired",
    AuthError: "Authentication failed: check {key} (the key was missing or rejected, or has "
               "no access to this model).",
    NotFound: "Not found: the provider does not know this route. {route}",
    Conflict: "Already exists: this conversion was already made for that track; look for the "
              "earlier task instead of paying again.",
    TextTooLong: "Text too long: shorten the prompt, lyrics or style (limits depend on the "
                 "model; the form shows live counters).",
    InsufficientCredits: "Out of credits: top up the account at the provider, then resubmit.",
    RateLimited: "Too many requests: {limit}. Wait a few seconds and try again.",
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
    """The music provider's :class:`ApiError` for a body ``code`` (ProviderError if unknown;
    a 400 about sensitive words or an artist name is `ContentRejected`)."""
    cls = _BY_CODE.get(code, ProviderError) if code is not None else ProviderError
    low = (message or "").lower()
    if cls is InvalidRequest and code == 451:
        cls = SourceUnreachable
    elif cls is InvalidRequest and ("sensitive" in low or "artist" in low):
        cls = ContentRejected
    return cls(code, message, http_status=http_status, op=op, data=data)


#: HTTP statuses as providers that follow HTTP's meanings use them (DashScope, Kling, OpenAI):
#: 429 is a rate limit there, not the music provider's "out of credits".
_BY_HTTP: dict[int, type[ApiError]] = {
    400: InvalidRequest, 422: InvalidRequest, 401: AuthError, 403: AuthError,
    402: InsufficientCredits, 404: NotFound, 409: Conflict, 413: TextTooLong, 429: RateLimited,
    503: Maintenance,
}


def for_http_status(status: int | None) -> type[ApiError]:
    """The error type of an HTTP status for providers that follow HTTP's meanings (any other
    status, and 5xx: `ProviderError`)."""
    return _BY_HTTP.get(status or 0, ProviderError)
