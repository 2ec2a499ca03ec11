"""Sounds (contract-newer 3): a music-family task of two short instrumental clips; loops last a
whole number of bars at `soundTempo`, their pulse is that tempo, `soundKey` sets the key."""

from __future__ import annotations

import httpx
import numpy as np

from simulator import audio_io
from tests.simulator.simclient import SimClient

SR = 44100
F_SHARP_MINOR = {6, 8, 9, 11, 1, 2, 4}


def _sound(client: SimClient, **body) -> tuple[str, dict, list[np.ndarray]]:
    task = client.create("sounds", {"model": "V5", **body})
    seen, data = client.statuses("music", task)
    assert seen[-1] == "SUCCESS", (seen, data)
    clips = [audio_io.decode(httpx.get(t["audioUrl"]).content) for t in data["response"]["sunoData"]]
    return task, data, clips


def _pulse(pcm: np.ndarray, bpm: float) -> float:
    """Circular autocorrelation of the loop's onset envelope at one beat of `bpm`."""
    hop = SR // 100
    mono = pcm.mean(axis=1)
    n = len(mono) // hop
    energy = np.sqrt((mono[:n * hop].reshape(n, hop) ** 2).mean(axis=1))
    flux = np.maximum(np.diff(energy, append=energy[:1]), 0)
    flux -= flux.mean()
    ac = np.fft.irfft(np.abs(np.fft.rfft(flux)) ** 2, n)
    return float(ac[int(round(60 / bpm * 100))] / ac[0])


def _chroma(pcm: np.ndarray) -> np.ndarray:
    mono = pcm.mean(axis=1)
    spectrum = np.abs(np.fft.rfft(mono * np.hanning(len(mono)))) ** 2
    freqs = np.fft.rfftfreq(len(mono), 1 / SR)
    band = (freqs > 60) & (freqs < 2000)
    pitch_class = np.round(12 * np.log2(freqs[band] / 440) + 69).astype(int) % 12
    return np.bincount(pitch_class, weights=spectrum[band], minlength=12)


def test_sounds_are_two_short_instrumental_clips(simulator, callback_receiver):
    client = SimClient(simulator.base_url)
    task = client.create("sounds", {"prompt": "rain on a tin roof", "model": "V5",
                                    "callBackUrl": callback_receiver.url("snd")})
    seen, data = client.statuses("music", task)
    order = ["PENDING", "TEXT_SUCCESS", "FIRST_SUCCESS", "SUCCESS"]
    assert seen[-1] == "SUCCESS" and seen == sorted(seen, key=order.index)
    tracks = data["response"]["sunoData"]
    assert len(tracks) == 2 and tracks[0]["id"] != tracks[1]["id"]
    for track in tracks:
        assert track["prompt"] == "" and track["modelName"] == "chirp-crow" and track["title"]
        assert 1.0 <= track["duration"] <= 8.0 and track["audioUrl"].endswith(".mp3")
    assert data["errorCode"] is None and '"soundLoop"' not in data["param"]
    clips = [audio_io.decode(httpx.get(t["audioUrl"]).content) for t in tracks]
    assert not np.array_equal(clips[0], clips[1])
    bodies = callback_receiver.wait_for(lambda b: len(b) >= 3, name="snd")
    assert [b["data"]["callbackType"] for b in bodies] == ["text", "first", "complete"]
    assert bodies[-1]["data"]["task_id"] == task and len(bodies[-1]["data"]["data"]) == 2


def test_loop_lasts_whole_bars_at_the_requested_tempo(simulator):
    client = SimClient(simulator.base_url)
    for tempo, seconds in ((100, 4.8), (140, 24 / 7), (20, 6.0)):  # 2 bars; 2 bars; 2 beats (a bar > 8 s)
        _, data, clips = _sound(client, prompt="drum loop, beat", soundLoop=True, soundTempo=tempo)
        for track, pcm in zip(data["response"]["sunoData"], clips, strict=True):
            assert abs(track["duration"] - seconds) < 0.006, (tempo, track["duration"])
            assert abs(len(pcm) / SR - seconds) < 0.002
            beats = len(pcm) / SR * tempo / 60
            assert abs(beats - round(beats)) < 0.01


def test_loop_pulses_at_its_tempo(simulator):
    client = SimClient(simulator.base_url)
    slow = _sound(client, prompt="drum loop, beat", soundLoop=True, soundTempo=100)[2][0]
    fast = _sound(client, prompt="drum loop, beat", soundLoop=True, soundTempo=140)[2][0]
    assert _pulse(slow, 100) > _pulse(slow, 140) + 0.2
    assert _pulse(fast, 140) > _pulse(fast, 100) + 0.2


def test_loop_keeps_playing_to_its_end_while_a_one_shot_fades(simulator):
    client = SimClient(simulator.base_url)
    body = {"prompt": "strings pad", "soundTempo": 90, "soundKey": "C"}
    loop = _sound(client, soundLoop=True, **body)[2][0]
    shot = _sound(client, soundLoop=False, **body)[2][0]
    assert len(loop) == len(shot)
    head = slice(SR // 2, SR)
    assert np.corrcoef(loop[head, 0], shot[head, 0])[0, 1] > 0.99  # the same sound...
    tail = slice(len(loop) - SR // 10, len(loop) - SR // 50)
    rms = lambda x: float(np.sqrt(np.mean(x ** 2)))  # noqa: E731
    assert rms(loop[tail]) > 0.2 * rms(loop) and rms(shot[tail]) < 0.1 * rms(shot)  # ...faded only as a one-shot
    assert rms(loop[tail]) > 4 * rms(shot[tail])


def test_sound_key_is_respected(simulator):
    client = SimClient(simulator.base_url)
    task, _, clips = _sound(client, prompt="piano and strings loop", soundLoop=True, soundTempo=100, soundKey="F#m")
    specs = [t["spec"] for t in client.admin("GET", f"/_sim/tasks/{task}")["tracks"]]
    assert all((s["key"], s["scale"], s["tempo_bpm"], s["vocal"]) == (6, "minor", 100.0, False) for s in specs)
    for pcm in clips:
        chroma = _chroma(pcm)
        top = set(np.argsort(chroma)[::-1][:4].tolist())
        assert top <= F_SHARP_MINOR, top
        assert chroma[sorted(F_SHARP_MINOR)].sum() > 0.8 * chroma.sum()


def test_sound_prompt_is_screened(simulator):
    client = SimClient(simulator.base_url)
    task = client.create("sounds", {"prompt": "a forbidden noise", "model": "V5"})
    seen, data = client.statuses("music", task)
    assert seen[-1] == "SENSITIVE_WORD_ERROR" and data["response"]["sunoData"] == []
