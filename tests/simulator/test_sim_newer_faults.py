"""Credits and faults of the contract-newer operations: their costs (free ones pass at a zero
balance), and the `fail_rate` fault ending each new family in its own failure form, refunded."""

from __future__ import annotations

import numpy as np

from tests.simulator.simclient import CB, SimClient, wav_bytes


def _credits(client: SimClient) -> int:
    return client.http.get("/api/v1/generate/credit").json()["data"]


def _prepared(make_simulator, credits: int = 10_000):
    """A simulator with a finished song, its split stems, a voice clip and a ready phrase."""
    client = SimClient(make_simulator(credits=credits).base_url)
    task, data = client.song()
    stems = client.create("vocal_removal", {"taskId": task, "audioId": data["response"]["sunoData"][0]["id"],
                                            "type": "split_stem", "callBackUrl": CB})
    client.statuses("stems", stems)
    t = np.arange(3 * 44100) / 44100
    clip = client.upload(wav_bytes(0.3 * np.sin(2 * np.pi * 220 * t)), "clip.wav")
    phrase = client.create("voice_validate", {"voiceUrl": clip, "vocalStartS": 0, "vocalEndS": 2})
    assert client.statuses("voice_phrase", phrase)[0][-1] == "wait_validating"
    urls = [x["audioUrl"] for x in data["response"]["sunoData"]]
    return client, task, stems, clip, phrase, urls


def test_costs_of_the_new_operations(make_simulator):
    client, task, stems, clip, phrase, urls = _prepared(make_simulator)
    costs = {
        "mashup": ({"uploadUrlList": urls, "customMode": False, "model": "V5", "prompt": "x", "callBackUrl": CB}, 12),
        "sounds": ({"prompt": "rain", "model": "V5"}, 6),
        "midi": ({"taskId": stems, "callBackUrl": CB}, 5),
        "recovery": ({"sunoTaskId": task, "callBackUrl": CB}, 0),
        "voice_validate": ({"voiceUrl": clip, "vocalStartS": 0, "vocalEndS": 2}, 0),
        "voice_regenerate": ({"taskId": phrase, "calBackUrl": CB}, 0),
        "voice_generate": ({"taskId": phrase, "verifyUrl": clip}, 0),
        "voice_check": ({"task_id": "x"}, 0),
    }
    for op, (body, cost) in costs.items():
        before = _credits(client)
        client.post(op, body)
        assert before - _credits(client) == cost, op


def test_free_operations_pass_at_a_zero_balance(make_simulator):
    client, task, stems, clip, phrase, _ = _prepared(make_simulator)
    client.admin("POST", "/_sim/credits", {"credits": 0})
    assert client.post("midi", {"taskId": stems, "callBackUrl": CB})["code"] == 429
    assert client.post("sounds", {"prompt": "rain", "model": "V5"})["code"] == 429
    voice = client.create("voice_generate", {"taskId": phrase, "verifyUrl": clip})
    assert client.statuses("voice", voice)[0][-1] == "success"
    assert client.post("voice_check", {"task_id": voice})["data"] == {"isAvailable": True}
    assert client.post("recovery", {"sunoTaskId": task, "callBackUrl": CB})["code"] == 200


def test_fail_rate_fails_every_new_family_in_its_own_form(make_simulator, callback_receiver):
    client, task, stems, clip, phrase, urls = _prepared(make_simulator)
    client.admin("POST", "/_sim/faults", {"fail_rate": 1.0})
    balance = _credits(client)

    midi = client.create("midi", {"taskId": stems, "callBackUrl": callback_receiver.url("midi")})
    seen, data = client.statuses("midi", midi)
    assert seen[-1] == 3 and data["midiData"] is None and data["errorCode"] == 531
    body = callback_receiver.wait_for(lambda b: len(b) >= 1, name="midi")[0]
    assert body == {"task_id": midi, "code": 500, "msg": data["errorMessage"], "data": None}

    rec = client.post("recovery", {"sunoTaskId": task, "callBackUrl": callback_receiver.url("rec")})["data"]["task_id"]
    seen, answer = client.statuses("recovery", rec)
    assert seen[-1] == 500 and answer["task_id"] == rec and "fail_rate" in answer["msg"]
    original = client.poll("music", task)["data"]["response"]["sunoData"]
    assert answer["data"] == [{"id": t["id"], "status": "failed", "error": "mango_transfer_failed"} for t in original]
    assert callback_receiver.wait_for(lambda b: len(b) >= 1, name="rec")[0] == answer

    phrase_fail = client.create("voice_validate", {"voiceUrl": clip, "vocalStartS": 0, "vocalEndS": 2})
    seen, data = client.statuses("voice_phrase", phrase_fail)
    assert seen[-1] == "processing_validate_fail" and data["validateInfo"] is None and data["errorCode"] == 531
    voice = client.create("voice_generate", {"taskId": phrase, "verifyUrl": clip})
    seen, data = client.statuses("voice", voice)
    assert seen[-1] == "fail" and data["voiceId"] is None and data["errorCode"] == 531
    assert client.post("voice_check", {"task_id": voice})["data"] == {"isAvailable": False}

    for op, body in (("sounds", {"prompt": "rain", "model": "V5"}),
                     ("mashup", {"uploadUrlList": urls, "customMode": False, "model": "V5", "prompt": "x",
                                 "callBackUrl": CB})):
        seen, data = client.statuses("music", client.create(op, body))
        assert seen[-1] == "GENERATE_AUDIO_FAILED" and data["errorCode"] == 531, op
    assert _credits(client) == balance  # every charge was refunded
