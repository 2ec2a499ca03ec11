"""Mashup (contract-newer 2): a music-family task whose two tracks really hold both uploaded
sources (correlation against each), arranged differently in the two takes, in the request's
style; source problems fail the task."""

from __future__ import annotations

import httpx
import numpy as np
import pytest

from simulator import audio_io
from tests.simulator.simclient import CB, SimClient, wav_bytes

SR = 44100
T = 4.0  # the session simulator's --track-seconds


def _source(seed: int, tone: float) -> np.ndarray:
    """4 s of a pulsing tone plus noise, different for each seed."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(T * SR)) / SR
    pulse = 0.5 + 0.5 * np.sin(2 * np.pi * (2 + seed) * t)
    return (0.25 * np.sin(2 * np.pi * tone * t) * pulse + 0.15 * rng.standard_normal(len(t))).astype(np.float32)


@pytest.fixture(scope="module")
def sources(simulator):
    client = SimClient(simulator.base_url)
    a, b = _source(1, 330.0), _source(2, 523.0)
    return client, a, b, [client.upload(wav_bytes(a), "a.wav"), client.upload(wav_bytes(b), "b.wav")]


def _corr(x: np.ndarray, y: np.ndarray) -> float:
    n = min(len(x), len(y))
    return float(np.corrcoef(x[:n], y[:n])[0, 1])


@pytest.fixture(scope="module")
def mashup(sources):
    client, a, b, urls = sources
    task = client.create("mashup", {"uploadUrlList": urls, "customMode": True, "instrumental": False,
                                    "model": "V5", "callBackUrl": CB, "prompt": "[Verse]\ntwo songs become one",
                                    "style": "jazz, brass", "title": "Both"})
    seen, data = client.statuses("music", task)
    assert seen[-1] == "SUCCESS", (seen, data)
    takes = [audio_io.decode(httpx.get(t["audioUrl"]).content).mean(axis=1) for t in data["response"]["sunoData"]]
    return task, data, takes


def test_mashup_record_is_a_music_record(sources, mashup):
    client, _, _, urls = sources
    task, data, _ = mashup
    assert data["taskId"] == task and data["status"] == "SUCCESS" and data["errorCode"] is None
    assert '"uploadUrlList"' in data["param"] and urls[1] in data["param"]
    tracks = data["response"]["sunoData"]
    assert len(tracks) == 2 and [t["duration"] for t in tracks] == [T, T]
    assert all(t["title"] == "Both" and t["prompt"].startswith("[Verse]") and t["tags"] == "jazz, brass"
               for t in tracks)
    specs = [t["spec"] for t in client.admin("GET", f"/_sim/tasks/{task}")["tracks"]]
    assert all("brass" in s["instruments"] and s["vocal"] for s in specs)  # the request's style, sung


def test_each_take_holds_both_sources(sources, mashup):
    _, a, b, _ = sources
    first, second = mashup[2]
    n = int(T * SR)
    third, half_s = n // 3, SR // 2  # the follower enters at n // 3; 0.5 s fades at every edge
    lead, tail = slice(half_s, third), slice(2 * third, n - half_s)
    follower = slice(tail.start - third, tail.stop - third)  # the follower's own samples heard in `tail`
    # take 0: the first source leads (alone in the first third), the second follows (alone in the last)
    assert _corr(first[lead], a[lead]) > 0.5
    assert _corr(first[tail], b[follower]) > 0.5
    assert abs(_corr(first[tail], a[tail])) < 0.1  # the first source has ended
    # take 1: the other way round
    assert _corr(second[lead], b[lead]) > 0.5
    assert _corr(second[tail], a[follower]) > 0.5
    assert abs(_corr(second[lead], a[lead])) < 0.1


def test_the_two_takes_differ(mashup):
    first, second = mashup[2]
    assert abs(_corr(first, second)) < 0.5


def test_mashup_callbacks_go_text_first_complete(sources, callback_receiver):
    client, _, _, urls = sources
    task = client.create("mashup", {"uploadUrlList": urls, "customMode": False, "model": "V5",
                                    "prompt": "a stormy sea shanty", "callBackUrl": callback_receiver.url("m")})
    bodies = callback_receiver.wait_for(lambda got: len(got) >= 3, name="m")
    assert [b["data"]["callbackType"] for b in bodies] == ["text", "first", "complete"]
    assert all(b["data"]["task_id"] == task for b in bodies)
    assert all(t["audio_url"].endswith(".mp3") and t["duration"] == T for t in bodies[-1]["data"]["data"])


def test_mashup_duration_sets_the_length(sources):
    client, _, _, urls = sources
    task = client.create("mashup", {"uploadUrlList": urls, "customMode": True, "instrumental": True, "model": "V6",
                                    "style": "lofi", "title": "Long", "duration": 10, "callBackUrl": CB})
    _, data = client.statuses("music", task)
    assert [t["duration"] for t in data["response"]["sunoData"]] == [10.0, 10.0]
    assert all(t["prompt"] == "" for t in data["response"]["sunoData"])


def test_source_problems_fail_the_task(sources):
    client, _, _, urls = sources
    base = {"customMode": False, "model": "V5", "prompt": "x", "callBackUrl": CB}
    gone = client.create("mashup", {**base, "uploadUrlList": [urls[0], "http://127.0.0.1:9/nothing.mp3"]})
    seen, data = client.statuses("music", gone)
    assert seen[-1] == "GENERATE_AUDIO_FAILED" and data["errorCode"] == 451
    assert data["errorMessage"].startswith("uploadUrlList[1]")
    text_url = client.upload(b"not audio at all", "x.txt")
    bad = client.create("mashup", {**base, "uploadUrlList": [text_url, urls[1]]})
    seen, data = client.statuses("music", bad)
    assert seen[-1] == "GENERATE_AUDIO_FAILED" and data["errorCode"] == 400
    assert "uploadUrlList[0] is not decodable audio" in data["errorMessage"]
