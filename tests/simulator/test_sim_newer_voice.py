"""Suno Voice (contract-newer 6): validate -> phrase, regenerate -> a new task and phrase,
generate -> voiceId, check-voice; record and callback shapes; failures of the clips; and a
voice used as `personaId` (voice_persona) changes who sings, not the song."""

from __future__ import annotations

import httpx
import numpy as np
import pytest

from simulator import audio_io
from tests.simulator.simclient import CB, SimClient, song_body, wav_bytes

SR = 44100
PHRASE_ORDER = ["wait_processing", "processing_validate", "wait_validating"]
VOICE_ORDER = ["wait_processing", "processing_validate", "success"]
PHRASE_KEYS = {"taskId", "validateInfo", "status", "errorCode", "errorMessage"}
VOICE_KEYS = {"taskId", "voiceId", "status", "errorCode", "errorMessage"}


def _sung(f0: float, seconds: float) -> np.ndarray:
    """A harmonic tone with vibrato: a stand-in for a singer at pitch f0."""
    t = np.arange(int(seconds * SR)) / SR
    phase = 2 * np.pi * f0 * (t - 0.003 / (2 * np.pi * 5) * np.cos(2 * np.pi * 5 * t))
    return 0.2 * sum(np.sin(k * phase) / k for k in range(1, 7))


def _uploads(client: SimClient) -> dict[str, str]:
    return {name: client.upload(wav_bytes(pcm), f"{name}.wav") for name, pcm in (
        ("clip", _sung(220, 6)), ("low", _sung(110, 2)), ("high", _sung(440, 2)), ("short", _sung(220, 0.5)),
        ("silence", np.zeros(SR)))}


@pytest.fixture(scope="module")
def uploaded(simulator):
    return _uploads(SimClient(simulator.base_url))


@pytest.fixture
def clips(simulator, uploaded):
    """A client with its own key (the per-key rate limit) and the uploaded clips' URLs."""
    return SimClient(simulator.base_url), uploaded


def _validate(client: SimClient, url: str, **extra) -> tuple[str, list, dict]:
    task = client.create("voice_validate", {"voiceUrl": url, "vocalStartS": 1, "vocalEndS": 5, **extra})
    seen, data = client.statuses("voice_phrase", task)
    return task, seen, data


def _voice(client: SimClient, phrase_task: str, url: str, **extra) -> tuple[str, list, dict]:
    task = client.create("voice_generate", {"taskId": phrase_task, "verifyUrl": url, **extra})
    seen, data = client.statuses("voice", task)
    return task, seen, data


def test_validate_gives_a_phrase_in_the_language(clips):
    client, urls = clips
    task, seen, data = _validate(client, urls["clip"], language="fr")
    assert seen == sorted(seen, key=PHRASE_ORDER.index) and seen[-1] == "wait_validating"
    assert set(data) == PHRASE_KEYS and data["taskId"] == task
    assert data["errorCode"] is None and data["errorMessage"] is None
    phrase = data["validateInfo"]
    assert len(phrase.split()) >= 5 and phrase.endswith(".")
    assert _validate(client, urls["clip"], language="fr")[2]["validateInfo"] == phrase  # same clip, same phrase
    english = _validate(client, urls["clip"])[2]["validateInfo"]  # default language: en
    assert english != phrase and english.isascii()
    japanese = _validate(client, urls["clip"], language="ja")[2]["validateInfo"]
    assert any("\u3040" <= ch <= "\u9fff" for ch in japanese)


def test_regenerate_makes_a_new_task_with_another_phrase(clips):
    client, urls = clips
    first, _, data = _validate(client, urls["clip"])
    env = client.post("voice_regenerate", {"taskId": first, "calBackUrl": CB})
    second = env["data"]["taskId"]
    assert env["code"] == 200 and second != first
    seen, again = client.statuses("voice_phrase", second)
    assert seen[-1] == "wait_validating" and again["validateInfo"] != data["validateInfo"]
    third = client.create("voice_regenerate", {"taskId": second, "callBackUrl": CB})  # both spellings
    assert client.statuses("voice_phrase", third)[1]["validateInfo"] != again["validateInfo"]
    assert client.poll("voice_phrase", first)["data"]["validateInfo"] == data["validateInfo"]  # unchanged


def test_clip_problems_fail_validation(clips):
    client, urls = clips
    cases = [(client.upload(b"plain text", "x.txt"), {}, 400, "voiceUrl is not decodable audio"),
             (urls["clip"], {"vocalStartS": 2, "vocalEndS": 9}, 400, "vocalEndS (9 s) is beyond the end"),
             (urls["silence"], {"vocalStartS": 0, "vocalEndS": 1}, 400, "silent"),
             ("http://127.0.0.1:9/gone.wav", {}, 451, "voiceUrl")]
    for url, extra, code, fragment in cases:
        _, seen, data = _validate(client, url, **extra)
        assert seen[-1] == "processing_validate_fail", (url, seen)
        assert data["errorCode"] == code and fragment in data["errorMessage"] and data["validateInfo"] is None


def test_generate_makes_a_voice_that_check_voice_reports(clips, make_simulator):
    client, urls = clips
    phrase, _, _ = _validate(client, urls["clip"])
    task, seen, data = _voice(client, phrase, urls["high"], voiceName="Hi", singerSkillLevel="advanced")
    assert seen == sorted(seen, key=VOICE_ORDER.index) and seen[-1] == "success"
    assert set(data) == VOICE_KEYS and len(data["voiceId"]) == 32 and data["errorCode"] is None
    assert client.post("voice_check", {"task_id": task}) == {"code": 200, "msg": "success",
                                                            "data": {"isAvailable": True}}
    env = client.post("voice_check", {"task_id": phrase})  # the validate task is not the voice task
    assert env["code"] == 400 and "voice generate task" in env["msg"]
    slow = SimClient(make_simulator(speed=5).base_url)
    slow_phrase = slow.create("voice_validate", {"voiceUrl": urls["clip"], "vocalStartS": 0, "vocalEndS": 3})
    env = slow.post("voice_generate", {"taskId": slow_phrase, "verifyUrl": urls["high"]})
    assert env["code"] == 400 and "not ready yet" in env["msg"]


def test_check_voice_is_false_until_the_voice_succeeds(make_simulator):
    client = SimClient(make_simulator().base_url)
    urls = _uploads(client)
    phrase, _, _ = _validate(client, urls["clip"])
    client.admin("POST", "/_sim/config", {"speed": 60})  # the voice task takes 1 s
    task = client.create("voice_generate", {"taskId": phrase, "verifyUrl": urls["high"]})
    assert client.post("voice_check", {"task_id": task})["data"] == {"isAvailable": False}
    running = client.poll("voice", task)["data"]
    assert running["voiceId"] is None and running["status"] in VOICE_ORDER[:2]
    assert client.statuses("voice", task)[0][-1] == "success"
    assert client.post("voice_check", {"task_id": task})["data"] == {"isAvailable": True}


def test_bad_recordings_fail_with_the_mismatch_message(clips):
    client, urls = clips
    phrase, _, _ = _validate(client, urls["clip"])
    for url in (urls["short"], urls["silence"], client.upload(b"text", "v.txt")):
        task, seen, data = _voice(client, phrase, url)
        assert seen[-1] == "fail" and data["voiceId"] is None and data["errorCode"] == 500
        assert data["errorMessage"].startswith("Verification audio did not match the validation phrase")
        assert client.post("voice_check", {"task_id": task})["data"] == {"isAvailable": False}


def test_voice_callbacks(clips, callback_receiver):
    client, urls = clips
    phrase = client.create("voice_validate", {"voiceUrl": urls["clip"], "vocalStartS": 0, "vocalEndS": 4,
                                              "callBackUrl": callback_receiver.url("val")})
    (val,) = callback_receiver.wait_for(lambda b: len(b) >= 1, name="val")
    record = client.poll("voice_phrase", phrase)["data"]
    assert val == {"code": 200, "msg": "success", "data": {
        "taskId": phrase, "validateInfo": record["validateInfo"], "status": "wait_validating", "errorCode": 0,
        "errorMessage": ""}}
    regen = client.create("voice_regenerate", {"taskId": phrase, "calBackUrl": callback_receiver.url("reg")})
    (reg,) = callback_receiver.wait_for(lambda b: len(b) >= 1, name="reg")
    assert reg["data"]["taskId"] == regen and reg["data"]["validateInfo"] != val["data"]["validateInfo"]
    voice = client.create("voice_generate", {"taskId": phrase, "verifyUrl": urls["low"],
                                             "callBackUrl": callback_receiver.url("gen")})
    (gen,) = callback_receiver.wait_for(lambda b: len(b) >= 1, name="gen")
    assert gen == {"code": 200, "msg": "success", "data": {
        "taskId": voice, "voiceId": client.poll("voice", voice)["data"]["voiceId"], "status": "success",
        "errorCode": 0, "errorMessage": ""}}
    bad = client.create("voice_generate", {"taskId": phrase, "verifyUrl": urls["short"],
                                           "callBackUrl": callback_receiver.url("bad")})
    (fail,) = callback_receiver.wait_for(lambda b: len(b) >= 1, name="bad")
    assert fail["code"] == 400 and fail["data"]["taskId"] == bad and fail["data"]["voiceId"] == ""
    assert fail["data"]["status"] == "fail" and fail["data"]["errorCode"] == 500
    assert fail["data"]["errorMessage"].startswith("Verification audio did not match")
    failed_phrase = client.create("voice_validate", {"voiceUrl": urls["silence"], "vocalStartS": 0,
                                                     "vocalEndS": 1, "callBackUrl": callback_receiver.url("vf")})
    (vf,) = callback_receiver.wait_for(lambda b: len(b) >= 1, name="vf")
    assert vf["code"] == 400 and vf["data"]["taskId"] == failed_phrase and vf["data"]["validateInfo"] == ""
    assert vf["data"]["status"] == "processing_validate_fail" and vf["data"]["errorCode"] == 400


def _f0(pcm: np.ndarray) -> float:
    """Median autocorrelation pitch (60-1000 Hz) of the loud 2048-sample frames of a vocal."""
    mono = pcm.mean(axis=1)
    frames = mono[:len(mono) // 2048 * 2048].reshape(-1, 2048)
    energy = np.sqrt((frames ** 2).mean(axis=1))
    pitches = []
    for frame in frames[energy > 0.3 * energy.max()]:
        ac = np.fft.irfft(np.abs(np.fft.rfft(frame - frame.mean(), 4096)) ** 2)[:2048]
        lag = 44 + int(np.argmax(ac[44:735]))
        pitches.append(SR / lag)
    return float(np.median(pitches))


def _stems(client: SimClient, **body) -> tuple[str, dict]:
    task, data = client.song(**body)
    stems = client.create("vocal_removal", {"taskId": task, "audioId": data["response"]["sunoData"][0]["id"],
                                            "type": "split_stem", "callBackUrl": CB})
    _, record = client.statuses("stems", stems)
    resp = record["response"]
    return task, {name: audio_io.decode(httpx.get(resp[key]).content) for name, key in
                  (("vocals", "vocalUrl"), ("drums", "drumsUrl"))}


def test_a_voice_persona_changes_the_singer_not_the_song(clips):
    client, urls = clips
    phrase, _, _ = _validate(client, urls["clip"])
    low = _voice(client, phrase, urls["low"])[2]["voiceId"]
    high = _voice(client, phrase, urls["high"])[2]["voiceId"]
    body = {"style": "rock, drums", "model": "V5_5"}
    plain_task, plain = _stems(client, **body)
    low_task, by_low = _stems(client, personaId=low, personaModel="voice_persona", **body)
    high_task, by_high = _stems(client, personaId=high, personaModel="voice_persona", **body)
    corr = lambda a, b: float(np.corrcoef(a[:, 0], b[:, 0])[0, 1])  # noqa: E731
    for other in (by_low, by_high):  # the same song: the same drums (up to the mix gain)
        assert corr(plain["drums"], other["drums"]) > 0.95  # (MP3 noise differs with the gain)
    assert abs(corr(by_low["vocals"], by_high["vocals"])) < 0.5  # sung by another singer
    for other in (by_low, by_high):  # each voice changes the singer of the plain song (the same ~0.99)
        assert abs(corr(plain["vocals"], other["vocals"])) < 0.9
    assert _f0(by_low["vocals"]) < 0.75 * _f0(by_high["vocals"])  # the low recording sings lower
    specs = {t: client.admin("GET", f"/_sim/tasks/{t}")["tracks"][0]["spec"] for t in (low_task, high_task)}
    assert specs[low_task]["vocal_gender"] == "m" and specs[high_task]["vocal_gender"] == "f"
    assert specs[low_task]["persona_timbre"] < specs[high_task]["persona_timbre"]


def test_a_voice_needs_voice_persona_and_works_on_every_creator(clips):
    client, urls = clips
    phrase, _, _ = _validate(client, urls["clip"])
    voice = _voice(client, phrase, urls["low"])[2]["voiceId"]
    env = client.post("generate", song_body(personaId=voice))
    assert env["code"] == 400 and "voice_persona" in env["msg"]
    env = client.post("generate", song_body(model="V4_5PLUS", personaId=voice, personaModel="voice_persona"))
    assert env["code"] == 400 and "personaModel is only allowed" in env["msg"]
    task, data = client.song()
    audio = data["response"]["sunoData"][0]["id"]
    persona = {"personaId": voice, "personaModel": "voice_persona"}
    ext = client.post("extend", {"audioId": audio, "defaultParamFlag": False, "model": "V5", "callBackUrl": CB,
                                 **persona})
    cover = client.post("upload_cover", {"uploadUrl": urls["clip"], "customMode": False, "instrumental": False,
                                         "model": "V6", "prompt": "a song", "callBackUrl": CB, **persona})
    mash = client.post("mashup", {"uploadUrlList": [urls["clip"], urls["low"]], "customMode": False, "model": "V6",
                                  "prompt": "a song", "callBackUrl": CB, **persona})
    for env in (ext, cover, mash):
        assert env["code"] == 200, env
        assert client.statuses("music", env["data"]["taskId"])[0][-1] == "SUCCESS"
