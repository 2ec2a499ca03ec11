"""The admin API for run-time settings (`/_sim/config`) and the fault reset."""

from __future__ import annotations

import httpx
import pytest

from tests.simulator.simclient import SimClient, song_body

DAY = 86400


def _post(base: str, path: str, body) -> httpx.Response:
    return httpx.post(base + path, json=body, timeout=10)


def test_get_and_merge_settings(make_simulator):
    running = make_simulator(speed=400, track_seconds=4, credits=700)
    client = SimClient(running.base_url)
    assert client.admin("GET", "/_sim/config") == {
        "speed": 400, "track_seconds": 4, "credits": 700, "retention_days": 15, "upload_retention_days": 3,
        "callback_shape": "wrapped"}
    after = client.admin("POST", "/_sim/config", {"speed": 250, "credits": 42, "callback_shape": "flat"})
    assert after == {"speed": 250, "track_seconds": 4, "credits": 42, "retention_days": 15,
                     "upload_retention_days": 3, "callback_shape": "flat"}
    assert client.admin("GET", "/_sim/config") == after
    assert client.http.get("/api/v1/generate/credit").json()["data"] == 42
    assert client.admin("POST", "/_sim/config", {}) == after


@pytest.mark.parametrize("body,field", [
    ({"speed": 0}, "speed"), ({"speed": 10001}, "speed"), ({"speed": "fast"}, "speed"), ({"speed": True}, "speed"),
    ({"track_seconds": 0.5}, "track_seconds"), ({"track_seconds": 481}, "track_seconds"),
    ({"credits": -1}, "credits"), ({"credits": 1.5}, "credits"), ({"credits": False}, "credits"),
    ({"retention_days": 0}, "retention_days"), ({"upload_retention_days": -2}, "upload_retention_days"),
    ({"callback_shape": "nested"}, "callback_shape"), ({"colour": "red"}, "colour"), ([1], "body"),
    ({"speed": 5, "track_seconds": 0}, "track_seconds"),
])
def test_bad_settings_are_refused_whole(make_simulator, body, field):
    running = make_simulator(speed=400)
    before = httpx.get(running.base_url + "/_sim/config").json()
    resp = _post(running.base_url, "/_sim/config", body)
    assert resp.status_code == 400 and resp.json()["error"].startswith(f"{field}: ")
    assert httpx.get(running.base_url + "/_sim/config").json() == before  # nothing applied
    bad_json = httpx.post(running.base_url + "/_sim/config", content=b"{", timeout=10)
    assert bad_json.status_code == 400 and bad_json.json()["error"].startswith("body: ")


def test_speed_applies_to_tasks_created_afterwards(make_simulator):
    client = SimClient(make_simulator(speed=400).base_url)
    fast = client.create("lyrics", {"prompt": "x", "callBackUrl": "http://127.0.0.1:9/"})
    client.admin("POST", "/_sim/config", {"speed": 2})
    slow = client.create("lyrics", {"prompt": "x", "callBackUrl": "http://127.0.0.1:9/"})

    def delay(task: str) -> float:
        info = client.admin("GET", f"/_sim/tasks/{task}")
        return info["due"][0] - info["created"]
    assert delay(fast) == pytest.approx(20 / 400, abs=0.01)  # lyrics: 20 real seconds
    assert delay(slow) == pytest.approx(20 / 2, abs=0.01)


def test_track_length_applies_to_songs_rendered_afterwards(make_simulator):
    client = SimClient(make_simulator(track_seconds=4).base_url)
    client.admin("POST", "/_sim/config", {"track_seconds": 2})
    _, data = client.song()
    assert [t["duration"] for t in data["response"]["sunoData"]] == [pytest.approx(2.0, abs=0.1)] * 2


def test_callback_shape_switch(make_simulator, callback_receiver):
    client = SimClient(make_simulator().base_url)
    client.admin("POST", "/_sim/config", {"callback_shape": "flat"})
    client.create("generate", song_body(callBackUrl=callback_receiver.url("shape")))
    body = callback_receiver.wait_for(lambda b: len(b) >= 1, name="shape")[0]
    assert body["callbackType"] == "text" and "code" not in body


def test_retention_applies_to_files_made_afterwards(make_simulator):
    client = SimClient(make_simulator(retention_days=15).base_url)
    _, old = client.song()
    client.admin("POST", "/_sim/config", {"retention_days": 1})
    _, new = client.song()
    client.admin("POST", "/_sim/clock", {"advance_seconds": DAY + 60})
    assert httpx.get(new["response"]["sunoData"][0]["audioUrl"]).status_code == 404
    assert httpx.get(old["response"]["sunoData"][0]["audioUrl"]).status_code == 200


def test_faults_reset(make_simulator):
    client = SimClient(make_simulator(credits=90).base_url)
    client.admin("POST", "/_sim/faults", {"rate_430": 0.5, "fail_rate": 1.0, "sensitive_words": ["kiwi"],
                                          "duplicate_callbacks": True, "latency_ms": 5})
    reset = client.admin("POST", "/_sim/faults/reset")
    assert reset == {"latency_ms": 0, "rate_429": 0.0, "rate_430": 0.0, "rate_455": 0.0, "rate_500": 0.0,
                     "rate_500_poll": 0.0, "create_timeout": 0.0, "fail_rate": 0.0,
                     "sensitive_words": ["forbidden"], "duplicate_callbacks": False, "late_callbacks": 0.0,
                     "out_of_order_callbacks": False, "rate_429_text": 0.0, "rate_503_text": 0.0,
                     "rate_429_media": 0.0, "rate_503_media": 0.0, "gateway_errors": False, "credits": 90}
    assert client.admin("GET", "/_sim/faults") == reset
    assert client.statuses("music", client.create("generate", song_body()))[0][-1] == "SUCCESS"
