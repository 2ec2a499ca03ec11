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


def _credits(client: SimClient) -> int:
    return client.http.get("/api/v1/generate/credit").json()["data"]


def test_fail_rate(make_simulator, callback_receiver):
    client = SimClient(make_simulator(credits=100).base_url)
    client.admin("POST", "/_sim/faults", {"fail_rate": 1.0})
    task = client.create("generate", song_body(callBackUrl=callback_receiver.url("fail")))
    assert _credits(client) == 88  # charged at create
    seen, data = client.statuses("music", task)
    assert seen[-1] == "GENERATE_AUDIO_FAILED" and data["errorCode"] == 531 and "refunded" in data["errorMessage"]
    assert _credits(client) == 100
    info = client.admin("GET", f"/_sim/tasks/{task}")
    assert info["charged"] == 12 and info["refunded"] is True and info["error"]["refund"] is True
    body = callback_receiver.wait_for(lambda b: len(b) >= 1, name="fail")[0]
    assert body["code"] == 531 and body["data"]["callbackType"] == "error"
    seen, _ = client.statuses("lyrics", client.create("lyrics", {"prompt": "x", "callBackUrl": "http://x"}))
    assert seen[-1] == "GENERATE_LYRICS_FAILED" and _credits(client) == 100


def test_which_failures_refund(make_simulator, monkeypatch):
    client = SimClient(make_simulator(credits=100).base_url)
    ok = client.create("lyrics", {"prompt": "fine", "callBackUrl": "http://127.0.0.1:9/"})
    assert client.statuses("lyrics", ok)[0][-1] == "SUCCESS" and _credits(client) == 98
    info = client.admin("GET", f"/_sim/tasks/{ok}")
    assert info["charged"] == 2 and info["refunded"] is False
    # the docs promise a refund for code 531 only: other failures after acceptance keep it
    sensitive = client.create("generate", song_body(prompt="forbidden"))
    assert _credits(client) == 86
    assert client.statuses("music", sensitive)[0][-1] == "SENSITIVE_WORD_ERROR" and _credits(client) == 86
    assert client.admin("GET", f"/_sim/tasks/{sensitive}")["refunded"] is False
    unreachable = client.create("upload_cover", {"uploadUrl": "http://127.0.0.1:9/none.mp3", "customMode": False,
                                                 "instrumental": True, "prompt": "x", "callBackUrl": "http://x",
                                                 "model": "V5"})
    _, data = client.statuses("music", unreachable)
    assert data["errorCode"] == 451 and _credits(client) == 74
    assert client.admin("GET", f"/_sim/tasks/{unreachable}")["refunded"] is False

    def broken(*args, **kwargs):
        raise RuntimeError("synthesiser broke")
    monkeypatch.setattr("simulator.texts.lyrics_variants", broken)
    crashed = client.create("lyrics", {"prompt": "x", "callBackUrl": "http://x"})
    _, data = client.statuses("lyrics", crashed)
    assert data["errorCode"] == 500 and "synthesiser broke" in data["errorMessage"]
    assert _credits(client) == 72  # an unexpected render error keeps the charge
    info = client.admin("GET", f"/_sim/tasks/{crashed}")
    assert info["charged"] == 2 and info["refunded"] is False and info["error"]["refund"] is False
    assert client.post("wav", {"taskId": "t", "audioId": "a", "callBackUrl": "http://x"})["code"] == 400
    assert _credits(client) == 72  # a refused create costs nothing


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
