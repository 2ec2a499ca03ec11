"""The official `openai` SDK, given only the simulator's base URL (`<sim>/openai/v1`), works
unchanged against the simulator's OpenAI-compatible text routes (contract-media 3)."""

from __future__ import annotations

import json
import re
import time

import httpx
import openai
import pytest

from simulator.config import SimConfig
from simulator.server import run_in_thread
from tests.conftest import FAST

SONG = "Write a synthwave song about neon rain on a late night drive"


@pytest.fixture(scope="module")
def sim():
    running = run_in_thread(SimConfig(**{**FAST, "text_first_token_ms": 5, "text_chunk_ms": 0}))
    yield running
    running.stop()


@pytest.fixture
def client(sim) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{sim.base_url}/openai/v1", api_key="sk-sim", max_retries=0)


def test_lists_models_with_their_types(client):
    models = list(client.models.list())
    ids = [m.id for m in models]
    assert "claude-sonnet-4-6" in ids and "qwen-image-plus" in ids and "kling-v3" in ids
    by_id = {m.id: m for m in models}
    assert by_id["claude-sonnet-4-6"].model_extra["type"] == "chat"
    assert by_id["qwen-image-plus"].model_extra["type"] == "image"
    assert by_id["wan2.6-t2v"].model_extra["type"] == "video"
    assert client.models.retrieve("gpt-5").id == "gpt-5"


def test_a_song_brief_gets_a_title_a_style_and_sectioned_lyrics(client):
    answer = client.chat.completions.create(model="claude-sonnet-4-6", messages=[
        {"role": "system", "content": "You write lyrics for Suno custom mode."},
        {"role": "user", "content": SONG}])
    text = answer.choices[0].message.content
    assert answer.object == "chat.completion" and answer.choices[0].finish_reason == "stop"
    assert re.search(r"^Title: \S", text, re.M) and re.search(r"^Style: .*synthwave", text, re.M)
    assert "[Verse]" in text and "[Chorus]" in text
    assert answer.usage.completion_tokens > 50 and answer.usage.total_tokens == \
        answer.usage.prompt_tokens + answer.usage.completion_tokens
    again = client.chat.completions.create(model="claude-sonnet-4-6", messages=[
        {"role": "system", "content": "You write lyrics for Suno custom mode."}, {"role": "user", "content": SONG}])
    assert again.choices[0].message.content == text  # deterministic from the messages


def test_image_and_video_prompt_requests_get_prompts(client):
    image = client.chat.completions.create(model="gpt-5", messages=[
        {"role": "user", "content": "Write an image prompt for the cover of a song about a desert highway"}])
    video = client.chat.completions.create(model="gpt-5", messages=[
        {"role": "user", "content": "Write a video prompt for a clip of a desert highway at dusk"}])
    assert "desert highway" in image.choices[0].message.content and "cover" in image.choices[0].message.content.lower()
    assert "desert highway" in video.choices[0].message.content
    assert image.choices[0].message.content != video.choices[0].message.content


def test_streaming_deltas_add_up_to_the_answer_with_usage_last(client, sim):
    messages = [{"role": "user", "content": SONG}]
    whole = client.chat.completions.create(model="gpt-5", messages=messages).choices[0].message.content
    stream = client.chat.completions.create(model="gpt-5", messages=messages, stream=True,
                                            stream_options={"include_usage": True})
    deltas, finishes, usage, roles = [], [], None, []
    for chunk in stream:
        assert chunk.object == "chat.completion.chunk"
        if chunk.usage is not None:
            assert chunk.choices == []
            usage = chunk.usage
        for choice in chunk.choices:
            roles += [choice.delta.role] if choice.delta.role else []
            deltas += [choice.delta.content] if choice.delta.content else []
            finishes += [choice.finish_reason] if choice.finish_reason else []
    assert "".join(deltas) == whole and len(deltas) > 50
    assert roles == ["assistant"] and finishes == ["stop"]
    assert usage is not None and usage.completion_tokens == len(deltas)
    # the wire ends with the literal [DONE] sentinel (the SDK swallows it)
    with httpx.stream("POST", f"{sim.base_url}/openai/v1/chat/completions", headers={"Authorization": "Bearer k"},
                      json={"model": "gpt-5", "messages": messages, "stream": True}, timeout=30) as resp:
        assert resp.headers["content-type"].startswith("text/event-stream")
        lines = [line for line in resp.iter_lines() if line]
    assert lines[-1] == "data: [DONE]" and all(line.startswith("data: ") for line in lines)
    assert all("usage" not in json.loads(line[6:]) for line in lines[:-1])  # no include_usage: no usage


def test_json_mode_answers_a_json_object_with_the_asked_keys(client):
    answer = client.chat.completions.create(model="gpt-5", response_format={"type": "json_object"}, messages=[
        {"role": "system", "content": "Answer in JSON with keys title, style, lyrics."},
        {"role": "user", "content": "A lofi song about coffee on a rainy morning"}])
    data = json.loads(answer.choices[0].message.content)
    assert list(data) == ["title", "style", "lyrics"]
    assert "lofi" in data["style"] and "[Chorus]" in data["lyrics"] and data["title"]


def test_json_schema_and_forced_tool_calls_fill_the_schema(client):
    schema = {"type": "object", "properties": {"title": {"type": "string"}, "bpm": {"type": "integer", "minimum": 60},
                                               "image_prompt": {"type": "string"}},
              "required": ["title", "bpm", "image_prompt"], "additionalProperties": False}
    answer = client.chat.completions.create(model="gpt-5", messages=[{"role": "user", "content": SONG}],
                                            response_format={"type": "json_schema",
                                                             "json_schema": {"name": "song", "schema": schema}})
    data = json.loads(answer.choices[0].message.content)
    assert set(data) == {"title", "bpm", "image_prompt"} and isinstance(data["bpm"], int) and data["bpm"] >= 60
    tools = [{"type": "function", "function": {"name": "make_song", "parameters": schema}}]
    called = client.chat.completions.create(model="gpt-5", messages=[{"role": "user", "content": SONG}], tools=tools,
                                            tool_choice={"type": "function", "function": {"name": "make_song"}})
    call = called.choices[0].message.tool_calls[0]
    assert called.choices[0].finish_reason == "tool_calls" and call.function.name == "make_song"
    assert set(json.loads(call.function.arguments)) == {"title", "bpm", "image_prompt"}


def test_bad_key_is_an_authentication_error(make_simulator):
    sim = make_simulator(api_key="sk-right", text_first_token_ms=0)
    wrong = openai.OpenAI(base_url=f"{sim.base_url}/openai/v1", api_key="sk-wrong", max_retries=0)
    with pytest.raises(openai.AuthenticationError) as caught:
        wrong.chat.completions.create(model="gpt-5", messages=[{"role": "user", "content": "hi"}])
    assert caught.value.status_code == 401 and caught.value.body["type"] == "authentication_error"
    with pytest.raises(openai.AuthenticationError):
        list(wrong.models.list())
    right = openai.OpenAI(base_url=f"{sim.base_url}/openai/v1", api_key="sk-right", max_retries=0)
    assert right.chat.completions.create(model="gpt-5", messages=[{"role": "user", "content": "hi"}]).choices


def test_the_429_fault_is_a_rate_limit_error(make_simulator):
    sim = make_simulator(text_first_token_ms=0)
    httpx.post(f"{sim.base_url}/_sim/faults", json={"rate_429_text": 1.0}, timeout=5).raise_for_status()
    client = openai.OpenAI(base_url=f"{sim.base_url}/openai/v1", api_key="sk-sim", max_retries=0)
    with pytest.raises(openai.RateLimitError) as caught:
        client.chat.completions.create(model="gpt-5", messages=[{"role": "user", "content": "hi"}])
    assert caught.value.body["code"] == "rate_limit_exceeded"
    httpx.post(f"{sim.base_url}/_sim/faults/reset", timeout=5).raise_for_status()
    assert client.chat.completions.create(model="gpt-5", messages=[{"role": "user", "content": "hi"}]).choices


def test_bad_requests_are_bad_request_errors(client):
    with pytest.raises(openai.BadRequestError, match="does not exist"):
        client.chat.completions.create(model="no-such-model", messages=[{"role": "user", "content": "hi"}])
    with pytest.raises(openai.BadRequestError, match="non-empty"):
        client.chat.completions.create(model="gpt-5", messages=[])
    with pytest.raises(openai.BadRequestError, match="not a chat model"):
        client.chat.completions.create(model="qwen-image-plus", messages=[{"role": "user", "content": "hi"}])


def test_first_token_time_and_pace_are_measurable(make_simulator):
    sim = make_simulator(text_first_token_ms=300, text_chunk_ms=4)
    client = openai.OpenAI(base_url=f"{sim.base_url}/openai/v1", api_key="sk-sim", max_retries=0)
    started = time.monotonic()
    first, stamps = None, []
    for chunk in client.chat.completions.create(model="gpt-5", messages=[{"role": "user", "content": SONG}],
                                                stream=True):
        if chunk.choices and chunk.choices[0].delta.content:
            stamps.append(time.monotonic())
            first = first or stamps[-1] - started
    assert 0.3 <= first < 2.0
    assert stamps[-1] - stamps[0] >= (len(stamps) - 1) * 0.004 * 0.9
