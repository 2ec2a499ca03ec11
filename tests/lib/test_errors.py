"""Error classes: body code -> class, plain explanations, no key in text."""

import pytest

from lib.provider.errors import (
    ApiError, AuthError, Conflict, InsufficientCredits, InvalidRequest, Maintenance, NotFound,
    ProviderError, RateLimited, SongbenchError, SourceUnreachable, TextTooLong, TransportError,
    UnknownOutcome,
    error_for,
)


@pytest.mark.parametrize("code,cls", [
    (400, InvalidRequest), (422, InvalidRequest), (451, SourceUnreachable), (401, AuthError),
    (402, InsufficientCredits), (429, InsufficientCredits), (404, NotFound),
    (405, RateLimited), (430, RateLimited), (409, Conflict), (413, TextTooLong),
    (455, Maintenance), (500, ProviderError), (501, ProviderError), (531, ProviderError),
    (None, ProviderError),
])
def test_error_for_maps_body_codes(code, cls):
    err = error_for(code, "m", 200, "generate")
    assert type(err) is cls
    assert isinstance(err, ApiError) and isinstance(err, SongbenchError)
    assert err.code == code and err.http_status == 200 and err.op == "generate"


def test_str_names_op_code_and_message():
    err = error_for(413, "prompt too long", 200, "generate", data={"x": 1})
    assert str(err) == "TextTooLong on generate: code 413: prompt too long"
    assert err.data == {"x": 1}
    assert "HTTP 503" in str(error_for(None, "bad gateway", 503))


@pytest.mark.parametrize("code,phrase", [
    (429, "Out of credits"),
    (402, "Out of credits"),
    (430, "Too many requests: the provider allows 20 create calls per 10 seconds"),
    (405, "Too many requests"),
    (413, "Text too long"),
    (401, "Authentication failed"),
    (404, "SONGBENCH_API_DIALECT"),
    (409, "Already exists"),
    (455, "maintenance"),
    (500, "internal error"),
    (451, "could not download the source"),
])
def test_explain_in_plain_words(code, phrase):
    assert phrase in error_for(code, "raw provider text").explain()
    assert "raw provider text" in error_for(code, "raw provider text").explain()


def test_sensitive_words_are_explained():
    text = error_for(400, "SENSITIVE_WORD_ERROR: contains artist name").explain()
    assert text.startswith("Rejected for content")
    assert "artist name" in text


def test_unknown_outcome_and_transport_explain():
    u = UnknownOutcome("generate", "ReadTimeout: timed out")
    assert "generate" in str(u) and "ReadTimeout" in str(u)
    assert "not resubmitted" in u.explain() and "may have started" in u.explain()
    t = TransportError("credits", "ConnectError: refused")
    assert "nothing was sent" in t.explain() and "refused" in t.explain()
    assert not isinstance(u, ApiError) and not isinstance(t, ApiError)


def test_empty_message_has_no_dangling_detail():
    assert error_for(429).explain() == InsufficientCredits.hint
    assert str(error_for(429)) == "InsufficientCredits: code 429"
