"""Callbacks received by a real local HTTP receiver: every family, both shapes, retries, faults."""

from __future__ import annotations

import time

import pytest

from tests.simulator.simclient import SimClient, song_body

SNAKE_TRACK = {"id", "audio_url", "source_audio_url", "stream_audio_url", "source_stream_audio_url", "image_url",
               "source_image_url", "prompt", "model_name", "title", "tags", "createTime", "duration"}


def _types(bodies):
    return [b["data"]["callbackType"] for b in bodies]


def _delivery_done(client, task, timeout=10.0):
    """The simulator's record of ``task`` once its sender is done (every label delivered or
    given up): nothing more can arrive for it afterwards."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        info = client.admin("GET", f"/_sim/tasks/{task}")
        if info["callbacks"] and not info["callbacks_pending"]:
            return info
        time.sleep(0.02)
    raise AssertionError(f"callbacks of {task} still pending after {timeout} s: {info}")


def test_music_callbacks_wrapped(simulator, callback_receiver):
    client = SimClient(simulator.base_url)
    task = client.create("generate", song_body(callBackUrl=callback_receiver.url("music")))
    bodies = callback_receiver.wait_for(lambda b: len(b) >= 3, name="music")
    assert _types(bodies) == ["text", "first", "complete"]
    for body in bodies:
        assert body["code"] == 200 and body["data"]["task_id"] == task and len(body["data"]["data"]) == 2
    complete = bodies[-1]["data"]["data"]
    assert set(complete[0]) >= SNAKE_TRACK and complete[0]["audio_url"].endswith(".mp3")
    created = complete[0]["createTime"]
    assert len(created) == 19 and created[10] == " "
    assert bodies[1]["data"]["data"][0]["stream_audio_url"] and not bodies[1]["data"]["data"][0]["audio_url"]
    assert bodies[0]["data"]["data"][0]["prompt"].startswith("[Verse]")


def test_music_callbacks_flat(make_simulator, callback_receiver):
    client = SimClient(make_simulator(callback_shape="flat").base_url)
    task = client.create("generate", song_body(callBackUrl=callback_receiver.url("flat")))
    bodies = callback_receiver.wait_for(lambda b: len(b) >= 3, name="flat")
    assert [b["callbackType"] for b in bodies] == ["text", "first", "complete"]
    assert all(b["task_id"] == task and "code" not in b for b in bodies)
    assert bodies[-1]["data"][0]["audio_url"]


def test_error_callback(simulator, callback_receiver):
    client = SimClient(simulator.base_url)
    task = client.create("generate", song_body(prompt="a forbidden song", callBackUrl=callback_receiver.url("err")))
    body = callback_receiver.wait_for(lambda b: len(b) >= 1, name="err")[0]
    assert body["code"] == 400 and body["data"] == {"callbackType": "error", "task_id": task, "data": None}
    data = client.poll("music", task)["data"]
    assert data["status"] == "SENSITIVE_WORD_ERROR" and "forbidden" in data["errorMessage"]


def test_other_family_callbacks(simulator, callback_receiver):
    client = SimClient(simulator.base_url)
    task, data = client.song()
    audio = data["response"]["sunoData"][0]["id"]
    ids = {
        "lyrics": client.create("lyrics", {"prompt": "sea", "callBackUrl": callback_receiver.url("lyrics")}),
        "wav": client.create("wav", {"taskId": task, "audioId": audio, "callBackUrl": callback_receiver.url("wav")}),
        "stems": client.create("vocal_removal", {"taskId": task, "audioId": audio,
                                                 "callBackUrl": callback_receiver.url("stems")}),
        "split": client.create("vocal_removal", {"taskId": task, "audioId": audio, "type": "split_stem",
                                                 "callBackUrl": callback_receiver.url("split")}),
        "mp4": client.create("mp4", {"taskId": task, "audioId": audio, "callBackUrl": callback_receiver.url("mp4")}),
        "cover": client.create("cover_art", {"taskId": task, "callBackUrl": callback_receiver.url("cover")}),
    }
    got = {name: callback_receiver.wait_for(lambda b: len(b) >= 1, name=name)[0] for name in ids}
    lyr = got["lyrics"]["data"]
    assert lyr["taskId"] == ids["lyrics"] and lyr["callbackType"] == "complete" and "[Verse]" in lyr["data"][0]["text"]
    assert got["wav"]["data"]["task_id"] == ids["wav"] and got["wav"]["data"]["audioWavUrl"].endswith(".wav")
    info = got["stems"]["data"]["vocal_removal_info"]
    assert got["stems"]["data"]["task_id"] == ids["stems"] and {"origin_url", "vocal_url", "instrumental_url"} == set(info)
    split = got["split"]["data"]["vocal_removal_info"]
    assert "vocal_url" in split and "instrumental_url" not in split and len(split) >= 4
    assert got["mp4"]["msg"] == "MP4 generated successfully." and got["mp4"]["data"]["video_url"].endswith(".mp4")
    cover = got["cover"]["data"]
    assert cover["taskId"] == ids["cover"] and len(cover["images"]) == 2


def test_retry_after_failed_delivery(simulator, callback_receiver):
    callback_receiver.fail_first(2)
    client = SimClient(simulator.base_url)
    task = client.create("lyrics", {"prompt": "retry me", "callBackUrl": callback_receiver.url("retry")})
    bodies = callback_receiver.wait_for(lambda b: len(b) >= 1, name="retry")
    assert len(bodies) == 1 and callback_receiver.attempts == 3
    attempts = _delivery_done(client, task)["callbacks"]
    assert [a["ok"] for a in attempts] == [False, False, True] and [a["status"] for a in attempts][:2] == [500, 500]


def test_gives_up_after_three_retries(simulator, callback_receiver):
    callback_receiver.fail_first(10)
    client = SimClient(simulator.base_url)
    task = client.create("lyrics", {"prompt": "never", "callBackUrl": callback_receiver.url("never")})
    attempts = _delivery_done(client, task)["callbacks"]
    assert [a["attempt"] for a in attempts] == [1, 2, 3, 4]
    assert callback_receiver.attempts == 4 and not callback_receiver.bodies("never")


@pytest.mark.parametrize("fault,expected", [
    ({"duplicate_callbacks": True}, ["text", "text", "first", "first", "complete", "complete"]),
    ({"out_of_order_callbacks": True}, ["complete", "first", "text"]),
])
def test_callback_faults(make_simulator, callback_receiver, fault, expected):
    running = make_simulator()
    client = SimClient(running.base_url)
    client.admin("POST", "/_sim/faults", fault)
    task = client.create("generate", song_body(callBackUrl=callback_receiver.url("f")))
    callback_receiver.wait_for(lambda b: len(b) >= len(expected), name="f")
    _delivery_done(client, task)
    assert _types(callback_receiver.bodies("f")) == expected


def test_late_callbacks(make_simulator, callback_receiver):
    client = SimClient(make_simulator(speed=400).base_url)
    client.admin("POST", "/_sim/faults", {"late_callbacks": 0.6})
    started = time.monotonic()
    client.create("lyrics", {"prompt": "late", "callBackUrl": callback_receiver.url("late")})
    client.statuses("lyrics", client.admin("GET", "/_sim/tasks")["tasks"][-1])
    assert not callback_receiver.bodies("late")
    callback_receiver.wait_for(lambda b: len(b) == 1, name="late")
    assert time.monotonic() - started >= 0.6
