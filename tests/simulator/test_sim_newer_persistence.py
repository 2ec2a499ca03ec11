"""The contract-newer tasks survive a restart on a data dir (`SimConfig.data_dir`): voices and
phrases, MIDI records, recovery records, and sounds and mashup tracks whose songs are re-made
(stems, MIDI) after the restart."""

from __future__ import annotations

import httpx
import numpy as np

from tests.simulator.simclient import CB, SimClient, wav_bytes
from tests.simulator.test_sim_persistence import Runs, runs  # noqa: F401 - the fixture

SR = 44100


def _tone(f0: float, seconds: float) -> np.ndarray:
    t = np.arange(int(seconds * SR)) / SR
    return 0.2 * sum(np.sin(2 * np.pi * k * f0 * t) / k for k in range(1, 6))


def _midi_of_split(client: SimClient, music_task: str, audio_id: str) -> tuple[str, dict]:
    split = client.create("vocal_removal", {"taskId": music_task, "audioId": audio_id, "type": "split_stem",
                                            "callBackUrl": CB})
    assert client.statuses("stems", split)[0][-1] == "SUCCESS"
    midi = client.create("midi", {"taskId": split, "callBackUrl": CB})
    seen, data = client.statuses("midi", midi)
    assert seen[-1] == 1
    return split, data


def test_newer_tasks_survive_a_restart(runs: Runs):  # noqa: F811
    client = runs.start()
    clip = client.upload(wav_bytes(_tone(110, 3)), "clip.wav")
    phrase = client.create("voice_validate", {"voiceUrl": clip, "vocalStartS": 0, "vocalEndS": 2, "language": "de"})
    _, phrase_record = client.statuses("voice_phrase", phrase)
    voice_task = client.create("voice_generate", {"taskId": phrase, "verifyUrl": clip})
    _, voice_record = client.statuses("voice", voice_task)
    song, data = client.song(style="rock, drums, bass")
    split, midi_before = _midi_of_split(client, song, data["response"]["sunoData"][0]["id"])
    sound = client.create("sounds", {"prompt": "drum loop, beat", "model": "V5", "soundLoop": True,
                                     "soundTempo": 120})
    _, sound_record = client.statuses("music", sound)
    other = client.upload(wav_bytes(_tone(330, 3)), "other.wav")
    mash = client.create("mashup", {"uploadUrlList": [clip, other], "customMode": False, "model": "V5",
                                    "prompt": "a duet", "callBackUrl": CB})
    _, mash_record = client.statuses("music", mash)
    before = {track["id"]: httpx.get(track["audioUrl"]).content for track in data["response"]["sunoData"]}

    client = runs.restart()
    assert client.poll("voice_phrase", phrase)["data"] == phrase_record
    assert client.poll("voice", voice_task)["data"] == voice_record
    assert client.post("voice_check", {"task_id": voice_task})["data"] == {"isAvailable": True}
    regen = client.create("voice_regenerate", {"taskId": phrase, "calBackUrl": CB})
    regen_record = client.statuses("voice_phrase", regen)[1]
    assert regen_record["validateInfo"] and regen_record["validateInfo"] != phrase_record["validateInfo"]
    sung = client.create("generate", {"customMode": True, "instrumental": False, "model": "V6", "callBackUrl": CB,
                                      "lyrics": "la la", "style": "pop", "title": "Voiced",
                                      "personaId": voice_record["voiceId"], "personaModel": "voice_persona"})
    assert client.statuses("music", sung)[0][-1] == "SUCCESS"

    assert client.poll("midi", midi_before["taskId"])["data"]["midiData"] == midi_before["midiData"]
    again = client.create("midi", {"taskId": split, "callBackUrl": CB})  # the song is re-made from its recipe
    assert client.statuses("midi", again)[1]["midiData"] == midi_before["midiData"]

    for record in (sound_record, mash_record):  # their songs are re-made for the stems and the notes
        track = record["response"]["sunoData"][0]
        _, notes = _midi_of_split(client, record["taskId"], track["id"])
        assert notes["midiData"]["state"] == "complete"
    assert any(i["name"] == "Drums" for i in _midi_of_split(client, sound, sound_record["response"]["sunoData"][1]
                                                            ["id"])[1]["midiData"]["instruments"])

    recovery = client.post("recovery", {"sunoTaskId": song, "callBackUrl": CB})["data"]["task_id"]
    answer = client.statuses("recovery", recovery)[1]
    assert answer["code"] == 200
    assert {item["id"]: httpx.get(item["audio_url"]).content for item in answer["data"]} == before
    client = runs.restart()
    assert client.poll("recovery", recovery)["data"] == answer["data"]
