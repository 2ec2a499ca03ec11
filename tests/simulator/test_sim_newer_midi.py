"""MIDI from split stems (contract-newer 4): stem ids in the vocal-removal record (`originData`),
the MIDI task's rules, record and callback shapes, and notes that are the ones really played:
drum onsets on the drums stem's onsets, bass notes in the song's key at the bass stem's pitch."""

from __future__ import annotations

import time

import httpx
import numpy as np
import pytest

from simulator import audio_io
from tests.simulator.simclient import CB, SimClient

SR = 44100
STEM_KEYS = ("originUrl", "instrumentalUrl", "vocalUrl", "backingVocalsUrl", "drumsUrl", "bassUrl", "guitarUrl",
             "keyboardUrl", "percussionUrl", "stringsUrl", "synthUrl", "fxUrl", "brassUrl", "woodwindsUrl")
URL_KEY = {"Vocals": "vocalUrl", "Backing Vocals": "backingVocalsUrl", "Drums": "drumsUrl", "Bass": "bassUrl",
           "Guitar": "guitarUrl", "Keyboard": "keyboardUrl", "Strings": "stringsUrl", "Brass": "brassUrl",
           "Woodwinds": "woodwindsUrl", "Percussion": "percussionUrl", "Synth": "synthUrl", "FX": "fxUrl",
           "Instrumental": "instrumentalUrl"}
MIDI_KEYS = {"taskId", "recordTaskId", "audioId", "callbackUrl", "completeTime", "midiData", "successFlag",
             "createTime", "errorCode", "errorMessage"}


@pytest.fixture(scope="module")
def split(simulator):
    """(client, music task, its record, split_stem task, its record); the song has drums and bass."""
    client = SimClient(simulator.base_url)
    task, data = client.song(style="rock, punchy drums, bass")
    audio = data["response"]["sunoData"][0]["id"]
    stems = client.create("vocal_removal", {"taskId": task, "audioId": audio, "type": "split_stem",
                                            "callBackUrl": CB})
    seen, record = client.statuses("stems", stems)
    assert seen[-1] == "SUCCESS"
    return client, task, data, stems, record


@pytest.fixture(scope="module")
def midi(split):
    client, _, _, stems, _ = split
    task = client.create("midi", {"taskId": stems, "callBackUrl": CB})
    seen, data = client.statuses("midi", task)
    return task, seen, data, {i["name"]: i["notes"] for i in data["midiData"]["instruments"]}


def test_vocal_removal_record_lists_every_stem_with_its_id(split):
    client, task, data, _, record = split
    resp = record["response"]
    assert set(STEM_KEYS) <= set(resp)  # every existing key is kept
    origin = resp["originData"]
    produced = {k for k in STEM_KEYS if resp[k] and k != "originUrl"}
    assert {URL_KEY[item["stem_type_group_name"]] for item in origin} == produced
    assert len({item["id"] for item in origin}) == len(origin) == len(produced)
    for item in origin:
        assert set(item) == {"id", "stem_type_group_name", "audio_url"} and len(item["id"]) == 36
        assert item["audio_url"] == resp[URL_KEY[item["stem_type_group_name"]]]
    audio = data["response"]["sunoData"][0]["id"]
    two = client.create("vocal_removal", {"taskId": task, "audioId": audio, "callBackUrl": CB})
    _, rec = client.statuses("stems", two)
    assert [i["stem_type_group_name"] for i in rec["response"]["originData"]] == ["Vocals", "Instrumental"]


def test_midi_needs_a_finished_split_stem_task(split, make_simulator):
    client, task, data, stems, record = split
    audio = data["response"]["sunoData"][0]["id"]
    vocal = client.create("vocal_removal", {"taskId": task, "audioId": audio, "callBackUrl": CB})
    client.statuses("stems", vocal)
    env = client.post("midi", {"taskId": vocal, "callBackUrl": CB})
    assert env["code"] == 400 and "taskId must be a split_stem separation" in env["msg"]
    env = client.post("midi", {"taskId": task, "callBackUrl": CB})
    assert env["code"] == 400 and "not a known vocal-removal task" in env["msg"]
    env = client.post("midi", {"taskId": stems, "audioId": audio, "callBackUrl": CB})  # a track id, not a stem id
    assert env["code"] == 400 and "audioId is not a stem" in env["msg"]
    slow = SimClient(make_simulator().base_url)
    song, rec = slow.song()
    slow.admin("POST", "/_sim/config", {"speed": 100})  # the separation takes 0.4 s
    running = slow.create("vocal_removal", {"taskId": song, "audioId": rec["response"]["sunoData"][0]["id"],
                                            "type": "split_stem", "callBackUrl": CB})
    env = slow.post("midi", {"taskId": running, "callBackUrl": CB})
    assert env["code"] == 400 and "not finished" in env["msg"]


def test_midi_record_shape(split, midi):
    _, _, _, stems, record = split
    task, seen, data, _ = midi
    assert seen[0] == 0 and seen[-1] == 1
    assert set(data) == MIDI_KEYS
    assert data["taskId"] == task and data["recordTaskId"] == -1 and data["audioId"] == ""
    assert data["callbackUrl"] == CB and data["errorCode"] is None and data["errorMessage"] is None
    now_ms = time.time() * 1000
    assert isinstance(data["createTime"], int) and abs(data["createTime"] - now_ms) < 600_000
    assert isinstance(data["completeTime"], int) and data["completeTime"] >= data["createTime"]
    assert data["midiData"]["state"] == "complete"
    names = [i["name"] for i in data["midiData"]["instruments"]]
    stem_names = [i["stem_type_group_name"] for i in record["response"]["originData"]]
    assert {"Drums", "Bass"} <= set(names) and names == [n for n in stem_names if n in names]
    for inst in data["midiData"]["instruments"]:
        assert set(inst) == {"name", "notes"} and inst["notes"]
        for note in inst["notes"]:
            assert set(note) == {"pitch", "start", "end", "velocity"}
            assert isinstance(note["pitch"], int) and 0 <= note["pitch"] <= 127
            assert 0 <= note["start"] < note["end"] <= 4.0 and 0 < note["velocity"] <= 1


def test_midi_of_one_stem(split, midi):
    client, _, _, stems, record = split
    drums_id = next(i["id"] for i in record["response"]["originData"] if i["stem_type_group_name"] == "Drums")
    task = client.create("midi", {"taskId": stems, "audioId": drums_id, "callBackUrl": CB})
    _, data = client.statuses("midi", task)
    assert data["audioId"] == drums_id
    assert data["midiData"]["instruments"] == [{"name": "Drums", "notes": midi[3]["Drums"]}]


def _onset_ratios(pcm: np.ndarray, times: list[float], window_s: float = 0.004) -> np.ndarray:
    """High-passed energy just after each time over just before it."""
    hp = np.diff(pcm.mean(axis=1), prepend=0.0)
    w = int(window_s * SR)
    out = []
    for t in times:
        i = int(round(t * SR))
        if w <= i <= len(hp) - w:
            out.append(np.sum(hp[i:i + w] ** 2) / (np.sum(hp[i - w:i] ** 2) + 1e-12))
    return np.array(out)


def test_drum_notes_line_up_with_the_drums_stem(split, midi):
    drums = audio_io.decode(httpx.get(split[4]["response"]["drumsUrl"]).content)
    onsets = sorted({n["start"] for n in midi[3]["Drums"]})
    assert len(onsets) >= 12
    assert {n["pitch"] for n in midi[3]["Drums"]} <= {36, 38, 42}  # GM kick, snare, closed hat
    on_time = _onset_ratios(drums, onsets)
    assert (on_time > 4).mean() >= 0.95, on_time
    for shift in (-0.025, 0.01):  # moved off the onsets, the check fails (early: beyond MP3 pre-echo)
        assert (_onset_ratios(drums, [t + shift for t in onsets]) > 4).mean() < 0.5


def test_bass_notes_are_in_key_and_at_the_bass_stems_pitch(split, midi):
    client, task, _, _, record = split
    spec = client.admin("GET", f"/_sim/tasks/{task}")["tracks"][0]["spec"]
    steps = (0, 2, 3, 5, 7, 8, 10) if spec["scale"] == "minor" else (0, 2, 4, 5, 7, 9, 11)
    bass_notes = midi[3]["Bass"]
    assert {n["pitch"] % 12 for n in bass_notes} <= {(spec["key"] + s) % 12 for s in steps}
    bass = audio_io.decode(httpx.get(record["response"]["bassUrl"]).content).mean(axis=1)
    checked = 0
    for note in bass_notes:
        a, b = int((note["start"] + 0.02) * SR), int(min(note["end"], note["start"] + 0.25) * SR)
        if b - a < 0.1 * SR:
            continue
        spectrum = np.abs(np.fft.rfft(bass[a:b] * np.hanning(b - a), 4 * SR))
        freqs = np.fft.rfftfreq(4 * SR, 1 / SR)
        band = (freqs > 25) & (freqs < 500)
        peak = freqs[band][np.argmax(spectrum[band])]
        assert abs(69 + 12 * np.log2(peak / 440) - note["pitch"]) < 0.3, (note, peak)
        checked += 1
    assert checked >= 4


def test_midi_callback_has_task_id_at_the_top(split, callback_receiver):
    client, _, _, stems, _ = split
    task = client.create("midi", {"taskId": stems, "callBackUrl": callback_receiver.url("midi")})
    body = callback_receiver.wait_for(lambda b: len(b) >= 1, name="midi")[0]
    assert set(body) == {"task_id", "code", "msg", "data"}
    assert body["task_id"] == task and body["code"] == 200 and body["msg"] == "success"
    record = client.poll("midi", task)["data"]
    assert body["data"] == record["midiData"] and body["data"]["state"] == "complete"
