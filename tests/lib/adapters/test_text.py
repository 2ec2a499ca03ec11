"""The text adapter: the official openai SDK over an injected httpx2 client (MockTransport),
models, one answer, a streamed answer, and its typed errors on the shared vocabulary
(contract-media 3)."""

from __future__ import annotations

import json

import httpx2
import pytest

from lib.provider import errors
from lib.provider.adapters.text import TextAdapter
from lib.settings import load_settings

BASE = "https://llm.example.test/openai/v1"
KEY = "sk-text-SECRET"
MESSAGES = [{"role": "user", "content": "a chorus about the sea"}]


def completion(text: str) -> dict:
    return {"id": "c1", "object": "chat.completion", "created": 1, "model": "m1",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                         "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 5, "completion_tokens": 3, "total_tokens": 8}}


def sse(*pieces: str, usage: bool = True) -> bytes:
    chunks = [{"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "m1",
               "choices": [{"index": 0, "delta": {"content": p}, "finish_reason": None}]}
              for p in pieces]
    chunks.append({"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "m1",
                   "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
                   **({"usage": {"prompt_tokens": 5, "completion_tokens": 2,
                                 "total_tokens": 7}} if usage else {})})
    return "".join(f"data: {json.dumps(c)}\n\n" for c in chunks).encode() + b"data: [DONE]\n\n"


class Server:
    """An OpenAI-compatible server: ``answer(request) -> httpx2.Response``."""

    def __init__(self, answer) -> None:
        self.answer = answer
        self.requests: list[httpx2.Request] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        return self.answer(request)


def text_adapter(server: Server, events: list | None = None) -> TextAdapter:
    settings = load_settings(env={"SONGBENCH_TEXT_BASE_URL": BASE,
                                  "SONGBENCH_TEXT_API_KEY": KEY}, secrets={})
    return TextAdapter(settings, transport=httpx2.MockTransport(server),
                       on_event=None if events is None else events.append)


def test_its_own_settings_and_the_simulator_without_a_key():
    c = TextAdapter.connect(load_settings(env={}, secrets={}))
    assert c.simulated and c.base_url == "https://gateway.api.anyint.ai/openai/v1"
    c = TextAdapter.connect(load_settings(env={}, secrets={}).with_simulator("http://127.0.0.1:9"))
    assert c.base_url == "http://127.0.0.1:9/openai/v1" and c.bearer == "songbench-local"


def test_models_come_from_the_server():
    server = Server(lambda r: httpx2.Response(200, json={"object": "list", "data": [
        {"id": "claude-sonnet-4-6", "object": "model", "created": 0, "owned_by": "x"},
        {"id": "qwen3-max", "object": "model", "created": 0, "owned_by": "x"}]}))
    with text_adapter(server) as client:
        assert client.models() == ["claude-sonnet-4-6", "qwen3-max"]
    (request,) = server.requests
    assert str(request.url) == BASE + "/models"
    assert request.headers["authorization"] == f"Bearer {KEY}"


def test_one_answer_with_its_usage_and_events_without_the_key():
    events: list = []
    server = Server(lambda r: httpx2.Response(200, json=completion("[Chorus] waves")))
    with text_adapter(server, events) as client:
        answer = client.chat("m1", MESSAGES, max_tokens=100)
    assert (answer.text, answer.finish_reason, answer.usage["total_tokens"]) == (
        "[Chorus] waves", "stop", 8)
    sent = json.loads(server.requests[0].content)
    assert sent == {"model": "m1", "messages": MESSAGES, "max_tokens": 100}
    assert [e["kind"] for e in events] == ["request", "response"]
    assert events[0]["body"]["messages"] == MESSAGES
    assert KEY not in json.dumps(events) and events[0]["headers"]["authorization"] == "Bearer ***"


def test_a_streamed_answer_arrives_in_pieces():
    server = Server(lambda r: httpx2.Response(
        200, content=sse("[Verse] ", "salt ", "wind"),
        headers={"content-type": "text/event-stream"}))
    with text_adapter(server) as client:
        stream = client.stream("m1", MESSAGES)
        pieces = list(stream)
    assert pieces == ["[Verse] ", "salt ", "wind"]
    assert stream.text == "[Verse] salt wind" and stream.finish_reason == "stop"
    assert stream.usage == {"prompt_tokens": 5, "completion_tokens": 2, "total_tokens": 7}
    assert stream.first_token_s is not None
    assert json.loads(server.requests[0].content)["stream"] is True


@pytest.mark.parametrize("status,body,kind,phrase", [
    (401, {"error": {"message": "Incorrect API key", "type": "invalid_request_error",
                     "code": "invalid_api_key"}}, errors.AuthError, "SONGBENCH_TEXT_API_KEY"),
    (429, {"error": {"message": "Rate limit reached", "type": "requests",
                     "code": "rate_limit_exceeded"}}, errors.RateLimited, "Too many requests"),
    (429, {"error": {"message": "You exceeded your quota", "type": "insufficient_quota",
                     "code": "insufficient_quota"}}, errors.InsufficientCredits,
     "Out of credits"),
    (400, {"error": {"message": "flagged", "type": "invalid_request_error",
                     "code": "content_filter"}}, errors.ContentRejected,
     "Rejected for content"),
    (400, {"error": {"message": "too long", "type": "invalid_request_error",
                     "code": "context_length_exceeded"}}, errors.TextTooLong, "Text too long"),
    (404, {"error": {"message": "The model `nope` does not exist", "type":
                     "invalid_request_error", "code": "model_not_found"}}, errors.NotFound,
     "SONGBENCH_TEXT_BASE_URL"),
    (500, {"error": {"message": "boom", "type": "server_error"}}, errors.ProviderError,
     "internal error"),
])
def test_the_sdk_errors_map_onto_the_shared_vocabulary(status, body, kind, phrase):
    """OpenAI's 429 is a rate limit (insufficient_quota: out of credits), like DashScope's."""
    server = Server(lambda r: httpx2.Response(status, json=body))
    with text_adapter(server) as client, pytest.raises(kind) as raised:
        client.chat("m1", MESSAGES)
    err = raised.value
    assert type(err) is kind and err.provider == "text" and err.http_status == status
    assert phrase in err.explain() and KEY not in str(err) + err.explain()
    assert len(server.requests) == 1  # the SDK's own retries are off


def test_a_timeout_after_sending_is_unknown_and_a_refused_connection_is_not_sent():
    def timeout(request):
        raise httpx2.ReadTimeout("timed out", request=request)

    def refused(request):
        raise httpx2.ConnectError("refused", request=request)

    with text_adapter(Server(timeout)) as client, pytest.raises(errors.UnknownOutcome):
        client.chat("m1", MESSAGES)
    with text_adapter(Server(refused)) as client, pytest.raises(errors.TransportError):
        client.chat("m1", MESSAGES)
    with text_adapter(Server(timeout)) as client, pytest.raises(errors.TransportError):
        client.models()  # a read: nothing to pay for, just not reached


def test_an_error_while_streaming_is_mapped_too():
    server = Server(lambda r: httpx2.Response(429, json={"error": {
        "message": "slow down", "type": "requests", "code": "rate_limit_exceeded"}}))
    with text_adapter(server) as client, pytest.raises(errors.RateLimited):
        list(client.stream("m1", MESSAGES))
