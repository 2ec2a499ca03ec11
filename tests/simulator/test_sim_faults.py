"""Auth, credits, rate limits and the switchable faults (set through the admin route)."""

from __future__ import annotations

import time

import httpx
import pytest

from tests.simulator.simclient import SimClient, song_body


def test_auth(make_simulator):
    running = make_simulator(api_key="K")
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic K"}):
        for method, path in (("POST", "/api/v1/generate"), ("GET", "/suno/query/task?taskId=x"),
                             ("GET", "/api/v1/generate/credit"), ("POST", "/api/file-url-upload")):
            resp = httpx.request(method, running.base_url + path, json={}, headers=headers)
            assert resp.status_code == 200 and resp.json()["code"] == 401, (path, headers)
    ok = SimClient(running.base_url, key="K")
    assert ok.http.get("/api/v1/generate/credit").json()["code"] == 200


def test_credits_go_down_and_run_out(make_simulator):
    client = SimClient(make_simulator(credits=30).base_url)
    client.create("generate", song_body())
    assert client.http.get("/api/v1/generate/credit").json()["data"] == 18
    client.create("lyrics", {"prompt": "x", "callBackUrl": song_body()["callBackUrl"]})
    assert client.http.get("/suno/credit").json()["data"] == 16
    client.admin("POST", "/_sim/faults", {"credits": 0})
    env = client.post("generate", song_body())
    assert env["code"] == 429 and "credits" in env["msg"].lower()
    client.admin("POST", "/_sim/credits", {"credits": 5})
    assert client.http.get("/suno/credit").json()["data"] == 5
    assert client.post("generate", song_body())["code"] == 429
    assert client.post("cover_art", {"taskId": "x", "callBackUrl": "http://x"})["code"] == 422


def test_rate_limit_per_key(simulator):
    client = SimClient(simulator.base_url)
    codes = [client.post("style_boost", {"content": "x"})["code"] for _ in range(21)]
    assert codes[:20] == [200] * 20 and codes[20] == 430
    assert SimClient(simulator.base_url).post("style_boost", {"content": "x"})["code"] == 200


@pytest.mark.parametrize("fault,code", [("rate_429", 429), ("rate_430", 430), ("rate_455", 455), ("rate_500", 500)])
def test_random_create_faults(make_simulator, fault, code):
    client = SimClient(make_simulator().base_url)
    assert client.admin("POST", "/_sim/faults", {fault: 1.0})[fault] == 1.0
    env = client.post("generate", song_body())
    assert env["code"] == code and "simulated" in env["msg"]
    assert client.admin("GET", "/_sim/tasks")["tasks"] == []
    client.admin("POST", "/_sim/faults", {fault: 0})
    assert client.post("generate", song_body())["code"] == 200


def test_poll_500_fault(make_simulator):
    client = SimClient(make_simulator().base_url)
    task = client.create("lyrics", {"prompt": "x", "callBackUrl": "http://127.0.0.1:9/"})
    client.admin("POST", "/_sim/faults", {"rate_500_poll": 1.0})
    assert client.poll("lyrics", task)["code"] == 500


def test_fail_rate(make_simulator):
    client = SimClient(make_simulator().base_url)
    client.admin("POST", "/_sim/faults", {"fail_rate": 1.0})
    seen, data = client.statuses("music", client.create("generate", song_body()))
    assert seen[-1] == "GENERATE_AUDIO_FAILED" and data["errorCode"] == 500 and data["errorMessage"]
    seen, _ = client.statuses("lyrics", client.create("lyrics", {"prompt": "x", "callBackUrl": "http://x"}))
    assert seen[-1] == "GENERATE_LYRICS_FAILED"


def test_sensitive_words_configurable(make_simulator):
    client = SimClient(make_simulator().base_url)
    client.admin("POST", "/_sim/faults", {"sensitive_words": ["banana"]})
    seen, _ = client.statuses("music", client.create("generate", song_body(title="Banana Split")))
    assert seen[-1] == "SENSITIVE_WORD_ERROR"
    seen, _ = client.statuses("lyrics", client.create("lyrics", {"prompt": "a banana", "callBackUrl": "http://x"}))
    assert seen[-1] == "SENSITIVE_WORD_ERROR"
    seen, _ = client.statuses("music", client.create("generate", song_body(prompt="forbidden fruit")))
    assert seen[-1] == "SUCCESS"


def test_create_timeout_and_latency(make_simulator):
    running = make_simulator()
    client = SimClient(running.base_url)
    client.admin("POST", "/_sim/faults", {"create_timeout": 1.0})
    with pytest.raises(httpx.ReadTimeout):
        client.http.post("/api/v1/generate", json=song_body(), timeout=0.3)
    assert len(client.admin("GET", "/_sim/tasks")["tasks"]) == 1  # created although the client gave up
    client.admin("POST", "/_sim/faults", {"create_timeout": 0, "latency_ms": 300})
    started = time.monotonic()
    client.http.get("/api/v1/generate/credit")
    assert time.monotonic() - started >= 0.3


def test_admin_rejects_bad_faults(simulator):
    for body in ({"nope": 1}, {"rate_429": 2}, {"duplicate_callbacks": "yes"}, [1]):
        assert httpx.post(simulator.base_url + "/_sim/faults", json=body).status_code == 400
    faults = httpx.get(simulator.base_url + "/_sim/faults").json()
    assert faults["sensitive_words"] == ["forbidden"] and faults["rate_429"] == 0
    assert httpx.get(simulator.base_url + "/_sim/tasks/unknown").status_code == 404
