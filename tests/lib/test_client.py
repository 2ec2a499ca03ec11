"""SunoClient against httpx.MockTransport fed with the literal examples of contract.md."""

import copy
import itertools
import json
import logging

import httpx
import pytest

from lib.settings import Settings
from lib.families import poll_path
from lib.ops import OPERATIONS as SPECS
from lib.ops import build_body, path_for
from lib.provider.client import SubmitResult, SunoClient
from lib.provider.errors import (
    AuthError, Conflict, InsufficientCredits, InvalidRequest, Maintenance, NotFound, NotOffered,
    ProviderError, RateLimited, TextTooLong, TransportError, UnknownOutcome,
)
from tests.lib import contract_examples as ex

KEY = "sk-test-SECRET-0123456789"
BASE = "https://api.sunoapi.org"
UPLOAD = "https://sunoapiorg.redpandaai.co"
CB = "https://bench.example.org/api/callbacks/x"
GEN_BODY = {"customMode": False, "instrumental": False, "model": "V5", "prompt": "calm piano",
            "callBackUrl": CB}


class Recorder:
    """A MockTransport handler that replays ``answers`` (responses, exceptions or callables)."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        if callable(answer):
            return answer(request)
        if isinstance(answer, httpx.Response):
            return answer
        return httpx.Response(200, json=copy.deepcopy(answer))


def make(handler, dialect="sunoapi", events=None, sleeps=None, clock=None, values=None, **kw):
    settings = Settings(base_url=BASE if dialect == "sunoapi" else "https://gateway.api.anyint.ai",
                        api_key=KEY, dialect=dialect, upload_base_url=UPLOAD,
                        values=values or {})
    return SunoClient(settings, transport=httpx.MockTransport(handler),
                      on_event=events.append if events is not None else None,
                      sleep=(sleeps.append if sleeps is not None else (lambda s: None)),
                      **({"clock": clock} if clock else {}), **kw)


# ---- creates -------------------------------------------------------------------------------------

def test_submit_generate_literal_create_answer():
    rec = Recorder(ex.CREATE_OK)
    result = make(rec).submit("generate", GEN_BODY)
    assert result == SubmitResult("5c79****be8e", {"taskId": "5c79****be8e"}, ex.CREATE_OK)
    req = rec.requests[0]
    assert req.method == "POST" and str(req.url) == BASE + "/api/v1/generate"
    assert req.headers["Authorization"] == f"Bearer {KEY}"
    assert req.headers["Content-Type"] == "application/json"
    assert json.loads(req.content) == GEN_BODY


@pytest.mark.parametrize("dialect", ["sunoapi", "anyint"])
@pytest.mark.parametrize("op", sorted(SPECS))
def test_every_op_posts_to_its_dialect_path(op, dialect):
    answer = ex.TIMESTAMPED_LYRICS_OK if SPECS[op].sync else ex.CREATE_OK
    rec = Recorder(answer)
    switch = SPECS[op].opt_in  # an unpublished route: switched on to be sent at all
    client = make(rec, dialect=dialect, values={switch: "1"} if switch else None)
    body = build_body(op, {"taskId": "t", "audioId": "a"}, CB)
    if not SPECS[op].offered(dialect):
        with pytest.raises(NotOffered, match="no route"):
            client.submit(op, body)
        assert rec.requests == []  # nothing was sent
        return
    client.submit(op, body)
    assert rec.requests[0].url.path == path_for(op, dialect)
    assert rec.requests[0].url.host == ("api.sunoapi.org" if dialect == "sunoapi"
                                        else "gateway.api.anyint.ai")


def test_without_a_key_a_local_bearer_is_sent_for_the_simulator():
    rec = Recorder(ex.CREDIT_OK)
    client = SunoClient(Settings(base_url="http://127.0.0.1:8787", use_simulator=True),
                        transport=httpx.MockTransport(rec))
    client.credits()
    assert rec.requests[0].headers["Authorization"] == "Bearer songbench-local"


def test_sync_ops_return_their_data():
    res = make(Recorder(ex.TIMESTAMPED_LYRICS_OK)).submit(
        "timestamped_lyrics", {"taskId": "t", "audioId": "a"})
    assert res.task_id is None
    assert res.data["alignedWords"][0]["startS"] == 1.36
    res = make(Recorder(ex.PERSONA_OK)).submit("persona", {"taskId": "t", "audioId": "a"})
    assert res.data["personaId"] == "persona_123"
    res = make(Recorder(ex.STYLE_BOOST_OK)).submit("style_boost", {"content": "Pop"})
    assert res.data["successFlag"] == "1"


def test_async_success_without_task_id_is_an_unknown_outcome():
    """Code 200 means the provider processed the request: without a task id we cannot know
    what it made, so the outcome is unknown (never a failure that invites paying twice)."""
    with pytest.raises(UnknownOutcome, match="no task id"):
        make(Recorder({"code": 200, "msg": "success", "data": None})).submit("generate", GEN_BODY)


@pytest.mark.parametrize("code,cls", [
    (400, InvalidRequest), (401, AuthError), (404, NotFound), (409, Conflict),
    (413, TextTooLong), (429, InsufficientCredits), (455, Maintenance),
])
def test_create_error_envelopes_with_http_200_are_raised_once(code, cls):
    rec = Recorder(ex.ERROR_ENVELOPES[code])
    with pytest.raises(cls) as info:
        make(rec).submit("generate", GEN_BODY)
    assert len(rec.requests) == 1  # not retried: a job may exist, or retrying cannot help
    assert info.value.code == code and info.value.http_status == 200
    assert info.value.message == ex.ERROR_ENVELOPES[code]["msg"]


@pytest.mark.parametrize("code", [405, 430])
def test_create_rate_limited_is_retried_with_backoff_then_raised(code):
    rec = Recorder(ex.ERROR_ENVELOPES[code])
    sleeps = []
    with pytest.raises(RateLimited):
        make(rec, sleeps=sleeps).submit("generate", GEN_BODY)
    assert len(rec.requests) == 3
    assert sleeps == [1, 2]  # exponential, bounded


def test_create_rate_limited_then_success():
    rec = Recorder(ex.ERROR_ENVELOPES[430], ex.CREATE_OK)
    assert make(rec).submit("generate", GEN_BODY).task_id == "5c79****be8e"
    assert len(rec.requests) == 2


@pytest.mark.parametrize("exc", [httpx.ConnectError("refused"), httpx.ConnectTimeout("slow")])
def test_create_connect_failures_are_retried(exc):
    rec = Recorder(exc, ex.CREATE_OK)
    assert make(rec).submit("generate", GEN_BODY).task_id == "5c79****be8e"
    assert len(rec.requests) == 2


def test_create_connect_failure_exhausted_is_transport_error():
    rec = Recorder(httpx.ConnectError("refused"))
    with pytest.raises(TransportError, match="ConnectError"):
        make(rec).submit("generate", GEN_BODY)
    assert len(rec.requests) == 3


@pytest.mark.parametrize("exc", [
    httpx.ReadTimeout("timed out"), httpx.WriteTimeout("timed out"),
    httpx.RemoteProtocolError("Server disconnected without sending a response."),
    httpx.ReadError("connection reset"),
])
def test_create_sent_without_answer_is_unknown_outcome_never_retried(exc):
    rec = Recorder(exc, ex.CREATE_OK)
    with pytest.raises(UnknownOutcome) as info:
        make(rec).submit("generate", GEN_BODY)
    assert len(rec.requests) == 1
    assert info.value.op == "generate" and type(exc).__name__ in info.value.reason


def test_create_gateway_timeout_is_unknown_outcome():
    rec = Recorder(httpx.Response(504, text="<html>Gateway Timeout</html>"))
    with pytest.raises(UnknownOutcome, match="504"):
        make(rec).submit("generate", GEN_BODY)
    assert len(rec.requests) == 1


@pytest.mark.parametrize("response", [
    httpx.Response(500, text="Internal Server Error"),
    httpx.Response(502, text="<html>bad gateway</html>"),
    httpx.Response(200, text="not json"),
    httpx.Response(200, json=["not", "an", "envelope"]),
])
def test_create_unreadable_or_5xx_is_an_unknown_outcome_not_retried(response):
    """Only a readable refusal is final: these may hide a job that was made (and paid)."""
    rec = Recorder(response)
    with pytest.raises(UnknownOutcome):
        make(rec).submit("generate", GEN_BODY)
    assert len(rec.requests) == 1


@pytest.mark.parametrize("response", [
    httpx.Response(503, text="<html><body>Service Unavailable</body></html>"),
    httpx.Response(502, json={"code": 502, "msg": "bad gateway"}),
    httpx.Response(200, json=ex.ERROR_ENVELOPES[500]),
])
def test_gateway_pages_and_code_500_are_unknown(response):
    rec = Recorder(response)
    with pytest.raises(UnknownOutcome) as info:
        make(rec).submit("generate", GEN_BODY)
    assert len(rec.requests) == 1 and "may" in info.value.reason


def test_a_readable_4xx_page_is_still_a_refusal():
    rec = Recorder(httpx.Response(404, text="<html>no such route</html>"))
    with pytest.raises(NotFound):
        make(rec).submit("generate", GEN_BODY)


def test_http_status_used_when_body_is_not_an_envelope():
    with pytest.raises(AuthError):
        make(Recorder(httpx.Response(401, text="Unauthorized"))).submit("generate", GEN_BODY)
    with pytest.raises(AuthError):  # success code in body but HTTP says otherwise
        make(Recorder(httpx.Response(401, json={"code": 200, "msg": "?"}))).submit(
            "generate", GEN_BODY)


def test_conflict_keeps_data_for_the_existing_task():
    env = {"code": 409, "msg": "cover already generated", "data": {"taskId": "existing"}}
    with pytest.raises(Conflict) as info:
        make(Recorder(env)).submit("cover_art", {"taskId": "t", "callBackUrl": CB})
    assert info.value.data == {"taskId": "existing"}


def test_timeouts_are_explicit():
    seen = {}

    def handler(request):
        seen[request.method] = request.extensions["timeout"]
        return httpx.Response(200, json=ex.CREATE_OK if request.method == "POST"
                              else ex.CREDIT_OK)

    client = make(handler)
    client.submit("generate", GEN_BODY)
    client.credits()
    assert seen["POST"]["connect"] == 10 and seen["POST"]["read"] == 30
    assert seen["GET"]["connect"] == 10 and seen["GET"]["read"] == 20


def test_client_side_rate_limit_blocks_the_21st_create():
    """The limiter uses the client's injected clock and sleep; 20 creates pass, the 21st waits."""
    now = [0.0]
    sleeps = []

    def sleep(s):
        sleeps.append(s)
        now[0] += s

    settings = Settings(base_url=BASE, api_key=KEY)
    client = SunoClient(settings, transport=httpx.MockTransport(Recorder(ex.CREATE_OK)),
                        clock=lambda: now[0], sleep=sleep)
    for _ in range(20):
        client.submit("generate", GEN_BODY)
        now[0] += 0.1
    assert sleeps == []
    client.submit("generate", GEN_BODY)  # at t=2.0; the first call (t=0) leaves at t=10
    assert sleeps == [pytest.approx(8.0)]


# ---- polls, credits -----------------------------------------------------------------------------

@pytest.mark.parametrize("dialect", ["sunoapi", "anyint"])
@pytest.mark.parametrize("family", sorted(ex.RECORD_INFO_BY_FAMILY))
def test_query_each_family_returns_data(family, dialect):
    envelope = ex.RECORD_INFO_BY_FAMILY[family]
    rec = Recorder(envelope)
    data = make(rec, dialect=dialect).query(family, "abc123")
    assert data == envelope["data"]
    req = rec.requests[0]
    assert req.method == "GET" and req.url.params["taskId"] == "abc123"
    assert req.url.path == poll_path(family, dialect)


def test_query_literal_music_record_info():
    data = make(Recorder(ex.MUSIC_RECORD_INFO)).query("music", "5c79****be8e")
    assert data["status"] == "SUCCESS"
    assert data["response"]["sunoData"][0]["duration"] == 198.44


def test_query_null_data_is_empty_dict():
    assert make(Recorder({"code": 200, "msg": "success", "data": None})).query("wav", "x") == {}


@pytest.mark.parametrize("first", [
    httpx.ReadTimeout("timed out"), httpx.ConnectError("refused"),
    httpx.Response(503, text="unavailable"), ex.ERROR_ENVELOPES[500],
    ex.ERROR_ENVELOPES[430], ex.ERROR_ENVELOPES[455], ex.ERROR_ENVELOPES[405],
])
def test_query_retries_transient_failures(first):
    rec = Recorder(first, ex.MUSIC_RECORD_INFO)
    sleeps = []
    assert make(rec, sleeps=sleeps).query("music", "t")["status"] == "SUCCESS"
    assert len(rec.requests) == 2 and sleeps == [1]


def test_query_gives_up_after_three_attempts():
    rec = Recorder(httpx.ReadTimeout("timed out"))
    with pytest.raises(TransportError, match="ReadTimeout"):
        make(rec).query("music", "t")
    assert len(rec.requests) == 3
    rec = Recorder(ex.ERROR_ENVELOPES[455])
    with pytest.raises(Maintenance):
        make(rec).query("music", "t")
    assert len(rec.requests) == 3


@pytest.mark.parametrize("code,cls", [(401, AuthError), (400, InvalidRequest),
                                      (429, InsufficientCredits), (404, NotFound)])
def test_query_does_not_retry_permanent_errors(code, cls):
    rec = Recorder(ex.ERROR_ENVELOPES[code])
    with pytest.raises(cls):
        make(rec).query("music", "t")
    assert len(rec.requests) == 1


def test_retry_wait_is_injectable():
    from tenacity import wait_fixed

    rec = Recorder(ex.ERROR_ENVELOPES[500], ex.ERROR_ENVELOPES[500], ex.CREDIT_OK)
    sleeps = []
    assert make(rec, sleeps=sleeps, wait=wait_fixed(0.25)).credits() == 100
    assert sleeps == [0.25, 0.25]


@pytest.mark.parametrize("dialect", ["sunoapi", "anyint"])
def test_credits_literal(dialect):
    rec = Recorder(ex.CREDIT_OK)
    assert make(rec, dialect=dialect).credits() == 100
    assert rec.requests[0].url.path == "/api/v1/generate/credit"


def test_credits_must_be_a_number():
    with pytest.raises(ProviderError):
        make(Recorder({"code": 200, "msg": "success", "data": "lots"})).credits()


# ---- uploads -------------------------------------------------------------------------------------

def test_upload_bytes_multipart_to_upload_host():
    rec = Recorder(ex.UPLOAD_OK)
    data = make(rec).upload_bytes(b"ID3-fake-mp3", "take1.mp3", upload_path="/songbench/")
    assert data["downloadUrl"].startswith("https://tempfile.redpandaai.co/")
    req = rec.requests[0]
    assert str(req.url) == UPLOAD + "/api/file-stream-upload"
    assert req.headers["Authorization"] == f"Bearer {KEY}"
    assert req.headers["Content-Type"].startswith("multipart/form-data")
    body = req.content
    assert b'name="uploadPath"\r\n\r\nsongbench\r\n' in body
    assert b'name="fileName"\r\n\r\ntake1.mp3' in body
    assert b'filename="take1.mp3"' in body and b"ID3-fake-mp3" in body


def test_upload_base64_and_url_json():
    rec = Recorder(ex.UPLOAD_OK)
    client = make(rec)
    client.upload_base64(b"abc", "a.mp3")
    client.upload_url("https://example.com/a.mp3", upload_path="in", filename="b.mp3")
    b64, url = rec.requests
    assert b64.url.path == "/api/file-base64-upload"
    assert json.loads(b64.content) == {"base64Data": "YWJj", "uploadPath": "songbench",
                                       "fileName": "a.mp3"}
    assert url.url.path == "/api/file-url-upload"
    assert json.loads(url.content) == {"fileUrl": "https://example.com/a.mp3",
                                       "uploadPath": "in", "fileName": "b.mp3"}


@pytest.mark.parametrize("envelope,cls", [(ex.UPLOAD_ERROR_400, InvalidRequest),
                                          (ex.UPLOAD_ERROR_401, AuthError)])
def test_upload_error_envelopes(envelope, cls):
    with pytest.raises(cls) as info:
        make(Recorder(envelope)).upload_bytes(b"x", "a.mp3")
    assert info.value.message == envelope["msg"]


def test_upload_success_false_is_an_error_even_with_code_200():
    env = {"success": False, "code": 200, "msg": "odd"}
    with pytest.raises(ProviderError):
        make(Recorder(env)).upload_bytes(b"x", "a.mp3")


def test_upload_is_retried_after_a_lost_answer():
    rec = Recorder(httpx.ReadTimeout("timed out"), ex.UPLOAD_OK)
    assert make(rec).upload_bytes(b"x", "a.mp3")["fileSize"] == 154832
    assert len(rec.requests) == 2


# ---- events and secrecy --------------------------------------------------------------------------

def test_events_have_the_documented_shape_and_redacted_auth():
    events = []
    ticks = itertools.count(0.0, 0.25)  # each clock read advances a quarter second
    client = make(Recorder(ex.CREATE_OK), events=events, clock=lambda: next(ticks))
    client.submit("generate", GEN_BODY)
    request, response = events
    keys = {"kind", "method", "url", "status_code", "headers", "body", "op", "elapsed_ms"}
    assert keys <= set(request) and keys <= set(response)
    assert request["kind"] == "request" and response["kind"] == "response"
    assert request["headers"]["authorization"] == "Bearer ***"
    assert request["body"] == GEN_BODY and request["url"] == BASE + "/api/v1/generate"
    assert response["status_code"] == 200 and response["body"] == ex.CREATE_OK
    assert response["elapsed_ms"] == 250 and response["op"] == "generate"


def test_error_event_on_transport_failure():
    events = []
    with pytest.raises(UnknownOutcome):
        make(Recorder(httpx.ReadTimeout("timed out")), events=events).submit("generate", GEN_BODY)
    assert [e["kind"] for e in events] == ["request", "error"]
    assert "ReadTimeout" in events[1]["error"]


def test_a_failing_observer_does_not_break_requests():
    def boom(event):
        raise RuntimeError("observer bug")

    client = SunoClient(Settings(base_url=BASE, api_key=KEY),
                        transport=httpx.MockTransport(Recorder(ex.CREDIT_OK)), on_event=boom)
    assert client.credits() == 100


def _echo_key(request):
    """A hostile provider that echoes the key back in every error message."""
    auth = request.headers.get("Authorization", "")
    return httpx.Response(200, json={"code": 401, "msg": f"invalid key: {auth}", "data": None})


def test_the_key_never_appears_in_exceptions_events_logs_or_repr(caplog):
    caplog.set_level(logging.DEBUG, logger="songbench.client")
    events = []
    texts = []
    scenarios = [
        (_echo_key, lambda c: c.submit("generate", GEN_BODY)),
        (_echo_key, lambda c: c.query("music", "t")),
        (_echo_key, lambda c: c.upload_bytes(b"x", "a.mp3")),
        (lambda r: httpx.Response(500, text=f"trace {r.headers['Authorization']}"),
         lambda c: c.submit("generate", GEN_BODY)),
        (Recorder(httpx.ReadTimeout(f"timed out with {KEY}")),
         lambda c: c.submit("generate", GEN_BODY)),
        (Recorder(httpx.ConnectError(f"refused {KEY}")), lambda c: c.credits()),
        (Recorder(httpx.ReadTimeout(f"timed out {KEY}")), lambda c: c.query("wav", "t")),
    ]
    for handler, call in scenarios:
        client = make(handler, events=events)
        texts.append(repr(client))
        with pytest.raises(Exception) as info:
            call(client)
        err = info.value
        texts += [str(err), repr(err), err.explain(), repr(vars(err))]
    assert len(events) > 10
    texts += [json.dumps(e, default=str) for e in events]
    texts += [r.getMessage() for r in caplog.records]
    texts.append(repr(make(Recorder(ex.CREDIT_OK)).settings))
    for text in texts:
        assert KEY not in text, text
    assert any("Bearer ***" in t for t in texts)
