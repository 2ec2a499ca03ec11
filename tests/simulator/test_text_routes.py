"""The OpenAI-compatible text routes over plain HTTP: the error shapes and codes, the request
rules, `n`, `stop`, `max_tokens`, and the timing of a non-streamed answer."""

from __future__ import annotations

import json
import time

import httpx
import pytest

from simulator.config import SimConfig
from simulator.server import run_in_thread
from tests.conftest import FAST

CHAT = "/openai/v1/chat/completions"
HI = [{"role": "user", "content": "Write a pop song about summer"}]


@pytest.fixture(scope="module")
def http():
    running = run_in_thread(SimConfig(**{**FAST, "text_first_token_ms": 0, "text_chunk_ms": 0}))
    with httpx.Client(base_url=running.base_url, headers={"Authorization": "Bearer sk"}, timeout=30) as client:
        yield client
    running.stop()


def _error(resp: httpx.Response, status: int) -> dict:
    assert resp.status_code == status, resp.text
    error = resp.json()["error"]
    assert set(error) == {"message", "type", "param", "code"}
    return error


def test_missing_key_is_401_in_the_gateway_shape(http):
    for resp in (httpx.post(f"{http.base_url}{CHAT}", json={"model": "gpt-5", "messages": HI}),
                 httpx.get(f"{http.base_url}/openai/v1/models"),
                 httpx.get(f"{http.base_url}/openai/v1/models", headers={"Authorization": "Basic abc"})):
        error = _error(resp, 401)
        assert error == {"message": "Invalid or missing API key", "type": "authentication_error", "param": None,
                         "code": "invalid_api_key"}


@pytest.mark.parametrize("body, param, text", [
    ({"messages": HI}, "model", "provide a model"),
    ({"model": "nope", "messages": HI}, "model", "does not exist"),
    ({"model": "text-embedding-v4", "messages": HI}, "model", "not a chat model"),
    ({"model": "V5", "messages": HI}, "model", "not a chat model"),
    ({"model": "gpt-5", "messages": []}, "messages", "non-empty"),
    ({"model": "gpt-5", "messages": "hi"}, "messages", "non-empty"),
    ({"model": "gpt-5", "messages": [{"role": "robot", "content": "x"}]}, "messages[0].role", "role"),
    ({"model": "gpt-5", "messages": [{"role": "user"}]}, "messages[0].content", "required"),
    ({"model": "gpt-5", "messages": HI, "temperature": 3}, "temperature", "between"),
    ({"model": "gpt-5", "messages": HI, "n": 0}, "n", "between"),
    ({"model": "gpt-5", "messages": HI, "max_tokens": 1.5}, "max_tokens", "integer"),
    ({"model": "gpt-5", "messages": HI, "stream_options": {"include_usage": True}}, "stream_options", "stream"),
    ({"model": "gpt-5", "messages": HI, "response_format": {"type": "json_object"}}, "messages", "json"),
    ({"model": "gpt-5", "messages": HI, "response_format": {"type": "xml"}}, "response_format.type", "json_schema"),
    ({"model": "gpt-5", "messages": HI, "stop": ["a", "b", "c", "d", "e"]}, "stop", "at most 4"),
    ({"model": "gpt-5", "messages": HI, "tool_choice": "required"}, "tool_choice", "tools"),
])
def test_request_rules_answer_400(http, body, param, text):
    error = _error(http.post(CHAT, json=body), 400)
    assert error["type"] == "invalid_request_error" and error["param"] == param and text in error["message"]


def test_a_body_that_is_not_json_is_400(http):
    error = _error(http.post(CHAT, content=b"{nope", headers={"content-type": "application/json"}), 400)
    assert error["code"] == "invalid_json"


def test_answer_shape_n_choices_differ_and_stop_cuts(http):
    data = http.post(CHAT, json={"model": "gpt-5", "messages": HI, "n": 2}).json()
    assert data["object"] == "chat.completion" and data["id"].startswith("chatcmpl-")
    assert data["model"] == "gpt-5" and isinstance(data["created"], int)
    one, two = (c["message"]["content"] for c in data["choices"])
    assert [c["index"] for c in data["choices"]] == [0, 1] and one != two
    assert data["choices"][0]["message"]["role"] == "assistant"
    cut = http.post(CHAT, json={"model": "gpt-5", "messages": HI, "stop": "[Chorus]"}).json()["choices"][0]
    assert "[Chorus]" not in cut["message"]["content"] and one.startswith(cut["message"]["content"])
    assert cut["finish_reason"] == "stop"


def test_max_tokens_truncates_with_finish_reason_length(http):
    data = http.post(CHAT, json={"model": "gpt-5", "messages": HI, "max_completion_tokens": 7}).json()
    assert data["choices"][0]["finish_reason"] == "length" and data["usage"]["completion_tokens"] == 7
    full = http.post(CHAT, json={"model": "gpt-5", "messages": HI}).json()["choices"][0]["message"]["content"]
    assert full.startswith(data["choices"][0]["message"]["content"])


def test_json_object_uses_the_keys_named_in_an_example(http):
    messages = [{"role": "user", "content": 'Reply as JSON like {"title": "...", "bpm": 120, "mood": "..."} '
                                            "for a punk song about trains"}]
    data = json.loads(http.post(CHAT, json={"model": "gpt-5", "messages": messages,
                                            "response_format": {"type": "json_object"}}).json()
                      ["choices"][0]["message"]["content"])
    assert list(data) == ["title", "bpm", "mood"] and isinstance(data["bpm"], int)


def test_streamed_choices_and_tool_calls(http):
    tools = [{"type": "function", "function": {"name": "plan", "parameters": {
        "type": "object", "properties": {"steps": {"type": "array", "items": {"type": "string"}, "minItems": 3}}}}}]
    with http.stream("POST", CHAT, json={"model": "gpt-5", "messages": HI, "tools": tools, "tool_choice": "required",
                                         "stream": True}) as resp:
        chunks = [json.loads(line[6:]) for line in resp.iter_lines() if line.startswith("data: {")]
    calls = [c["choices"][0]["delta"]["tool_calls"][0] for c in chunks if c["choices"][0]["delta"].get("tool_calls")]
    assert calls[0]["function"]["name"] == "plan" and calls[0]["id"].startswith("call_")
    arguments = json.loads("".join(c["function"]["arguments"] for c in calls))
    assert len(arguments["steps"]) == 3
    assert chunks[-1]["choices"][0]["finish_reason"] == "tool_calls"


def test_the_503_fault_and_the_latency_fault(make_simulator):
    sim = make_simulator(text_first_token_ms=0, text_chunk_ms=0)
    client = httpx.Client(base_url=sim.base_url, headers={"Authorization": "Bearer sk"}, timeout=30)
    client.post("/_sim/faults", json={"rate_503_text": 1.0})
    resp = client.post(CHAT, json={"model": "gpt-5", "messages": HI})
    assert _error(resp, 503)["type"] == "api_error" and resp.headers["retry-after"] == "1"
    client.post("/_sim/faults", json={"rate_503_text": 0.0, "latency_ms": 250})
    started = time.monotonic()
    assert client.post(CHAT, json={"model": "gpt-5", "messages": HI}).status_code == 200
    assert time.monotonic() - started >= 0.25


def test_a_non_streamed_answer_waits_for_its_tokens(make_simulator):
    sim = make_simulator(text_first_token_ms=200, text_chunk_ms=2)
    started = time.monotonic()
    data = httpx.post(f"{sim.base_url}{CHAT}", headers={"Authorization": "Bearer k"}, timeout=30,
                      json={"model": "gpt-5", "messages": HI}).json()
    assert time.monotonic() - started >= 0.2 + (data["usage"]["completion_tokens"] - 1) * 0.002


def test_model_routes(http):
    listing = http.get("/openai/v1/models").json()
    assert listing["object"] == "list" and listing["has_more"] is False
    assert listing["first_id"] == listing["data"][0]["id"] and listing["last_id"] == listing["data"][-1]["id"]
    types = {m["id"]: m["type"] for m in listing["data"]}
    assert types["kling-v3-omni"] == "video" and types["kling-v2-1"] == "image" and types["V5"] == "music"
    assert types["text-embedding-v4"] == "embedding"
    assert http.get("/openai/v1/models/qwen-image-plus").json()["display_name"]
    assert _error(http.get("/openai/v1/models/nope"), 404)["code"] == "model_not_found"
