"""V6-era generate fields (contract-newer 1) change what is made: `duration` sets the length,
`lyrics` is what is sung, `variety` sets how far the second take strays, and the persona kinds
are told apart."""

from __future__ import annotations

import httpx
import numpy as np

from simulator import audio_io
from tests.simulator.simclient import SimClient, song_body
from tests.simulator.test_sim_validation import SIMPLE


def _specs(client: SimClient, task: str) -> list[dict]:
    return [t["spec"] for t in client.admin("GET", f"/_sim/tasks/{task}")["tracks"]]


def _audio(data: dict) -> list[np.ndarray]:
    return [audio_io.decode(httpx.get(t["audioUrl"]).content) for t in data["response"]["sunoData"]]


def test_duration_sets_the_track_length(simulator):
    client = SimClient(simulator.base_url)  # the simulator's --track-seconds is 4
    _, data = client.song(model="V6", duration=10.5)
    for track, pcm in zip(data["response"]["sunoData"], _audio(data), strict=True):
        assert track["duration"] == 10.5
        assert abs(len(pcm) / 44100 - 10.5) < 0.01
    _, default = client.song(model="V6")
    assert [t["duration"] for t in default["response"]["sunoData"]] == [4.0, 4.0]


def test_lyrics_are_sung_ahead_of_the_prompt(simulator):
    client = SimClient(simulator.base_url)
    lyrics = "[Verse]\nwords from the lyrics field"
    _, data = client.song(model="V6", lyrics=lyrics)
    assert {t["prompt"] for t in data["response"]["sunoData"]} == {lyrics}
    _, only = client.song(model="V6", prompt=None, lyrics=lyrics)
    assert only["response"]["sunoData"][0]["prompt"] == lyrics
    simple = client.create("generate", {**SIMPLE, "model": "V6", "lyrics": lyrics})  # attached in non-custom mode
    seen, rec = client.statuses("music", simple)
    assert seen[-1] == "SUCCESS" and rec["response"]["sunoData"][1]["prompt"] == lyrics


def test_lyrics_are_screened_for_sensitive_words(simulator):
    client = SimClient(simulator.base_url)
    task = client.create("generate", song_body(model="V6", lyrics="a forbidden verse"))
    seen, data = client.statuses("music", task)
    assert seen[-1] == "SENSITIVE_WORD_ERROR" and "forbidden" in data["errorMessage"]


def test_variety_zero_makes_the_same_take_twice(simulator):
    client = SimClient(simulator.base_url)
    task, data = client.song(variety=0)
    first, second = _audio(data)
    assert np.array_equal(first, second)
    s0, s1 = _specs(client, task)
    assert s0 == s1


def test_variety_one_is_another_performance_of_the_same_song(simulator):
    client = SimClient(simulator.base_url)
    task, data = client.song()  # variety absent: 1
    first, second = _audio(data)
    assert not np.array_equal(first, second)
    s0, s1 = _specs(client, task)
    assert (s0["tempo_bpm"], s0["key"], s0["scale"]) == (s1["tempo_bpm"], s1["key"], s1["scale"])
    assert (s0["variant"], s1["variant"]) == (0, 1)


def test_higher_variety_moves_the_second_take_further(simulator):
    client = SimClient(simulator.base_url)
    specs = {v: _specs(client, client.song(variety=v)[0]) for v in (2, 3, 4)}
    for v, (s0, s1) in specs.items():
        assert abs(s1["tempo_bpm"] / s0["tempo_bpm"] - 1.06) < 1e-6, v
    assert specs[2][1]["key"] == specs[2][0]["key"]
    assert specs[3][1]["key"] == (specs[3][0]["key"] + 5) % 12 and specs[3][1]["scale"] == specs[3][0]["scale"]
    s0, s1 = specs[4]
    assert s1["scale"] != s0["scale"] and set(s1["instruments"]) != set(s0["instruments"])


def test_style_personas_and_voices_are_told_apart(simulator):
    client = SimClient(simulator.base_url)
    task, data = client.song(model="V5")
    audio = data["response"]["sunoData"][0]["id"]
    env = client.post("persona", {"taskId": task, "audioId": audio, "name": "n", "description": "d"})
    persona = env["data"]["personaId"]
    for model in ("V5", "V6"):
        ok = client.post("generate", song_body(model=model, personaId=persona, personaModel="style_persona"))
        assert ok["code"] == 200, ok
    env = client.post("generate", song_body(personaId=persona, personaModel="voice_persona"))
    assert env["code"] == 400 and "not an available voice" in env["msg"]
    env = client.post("upload_cover", {"uploadUrl": "http://127.0.0.1:9/x.mp3", "customMode": True,
                                       "instrumental": True, "callBackUrl": song_body()["callBackUrl"],
                                       "model": "V5", "style": "s", "title": "t", "personaId": persona,
                                       "personaModel": "voice_persona"})
    assert env["code"] == 400 and "voice" in env["msg"]
