"""Recovery (contract-newer 5): snake_case ids, the status in the envelope's code (201 running,
200 done, 500 nothing recovered or unknown), new URLs that serve the same audio with fresh
retention - re-rendered once the originals expired - and one flat callback."""

from __future__ import annotations

import httpx
import numpy as np

from simulator import audio_io
from tests.simulator.simclient import CB, SimClient, song_body, wav_bytes

DAY = 86400
ITEM_KEYS = {"id", "audio_url", "title", "status", "error"}


def _recover(client: SimClient, task: str, **extra) -> tuple[str, list, dict]:
    env = client.post("recovery", {"sunoTaskId": task, "callBackUrl": CB, **extra})
    assert env["code"] == 200 and set(env["data"]) == {"task_id"}, env
    seen, answer = client.statuses("recovery", env["data"]["task_id"])
    return env["data"]["task_id"], seen, answer


def test_recovery_runs_201_then_200_with_new_urls_of_the_same_audio(make_simulator):
    client = SimClient(make_simulator().base_url)
    task, data = client.song()
    client.admin("POST", "/_sim/config", {"speed": 100})  # a recovery takes 0.2 s: polls see it running
    tracks = data["response"]["sunoData"]
    rid, seen, answer = _recover(client, task)
    assert seen == [201, 200]
    assert set(answer) == {"code", "msg", "task_id", "data"} and answer["task_id"] == rid
    assert answer["msg"] == "success"
    assert [item["id"] for item in answer["data"]] == [t["id"] for t in tracks]  # the original order
    for item, track in zip(answer["data"], tracks, strict=True):
        assert set(item) == ITEM_KEYS and item["status"] == "success" and item["error"] == ""
        assert item["title"] == track["title"] and item["audio_url"] != track["audioUrl"]
        assert rid in item["audio_url"]
        assert httpx.get(item["audio_url"]).content == httpx.get(track["audioUrl"]).content


def test_running_answer_has_null_data(make_simulator):
    client = SimClient(make_simulator().base_url)
    task, _ = client.song()
    client.admin("POST", "/_sim/config", {"speed": 20})
    rid = client.post("recovery", {"task_id": task, "callBackUrl": CB})["data"]["task_id"]  # kie's field
    assert client.poll("recovery", rid) == {"code": 201, "msg": "processing", "task_id": rid, "data": None}


def test_expired_media_is_re_rendered_with_fresh_retention(make_simulator):
    client = SimClient(make_simulator(retention_days=2).base_url)
    task, data = client.song()
    originals = [t["audioUrl"] for t in data["response"]["sunoData"]]
    before = [audio_io.decode(httpx.get(url).content) for url in originals]
    client.admin("POST", "/_sim/clock", {"advance_seconds": 3 * DAY})
    assert all(httpx.get(url).status_code == 404 for url in originals)
    _, _, answer = _recover(client, task)
    assert answer["code"] == 200 and [i["status"] for i in answer["data"]] == ["success", "success"]
    for item, pcm in zip(answer["data"], before, strict=True):
        again = audio_io.decode(httpx.get(item["audio_url"]).content)
        assert again.shape == pcm.shape and np.abs(again - pcm).max() < 1e-4
    client.admin("POST", "/_sim/clock", {"advance_seconds": DAY})
    assert all(httpx.get(i["audio_url"]).status_code == 200 for i in answer["data"])
    assert all(httpx.get(url).status_code == 404 for url in originals)


def test_tracks_that_cannot_be_rebuilt_fail(make_simulator):
    """An upload-cover track whose file and source are gone cannot be rebuilt (white box: the
    files - the track, the kept source, the upload - are removed from the simulator's media dir
    and its song cache is emptied)."""
    running = make_simulator()
    client = SimClient(running.base_url)
    t = np.arange(2 * 44100) / 44100
    source = client.upload(wav_bytes(0.3 * np.sin(2 * np.pi * 220 * t)), "src.wav")
    task = client.create("upload_cover", {"uploadUrl": source, "customMode": True, "instrumental": True,
                                          "callBackUrl": CB, "model": "V5", "style": "folk", "title": "Gone"})
    assert client.statuses("music", task)[0][-1] == "SUCCESS"
    store = running.sim.store
    store.path(f"tasks/{task}/source.bin").unlink()
    store.path(source.split("/files/", 1)[1]).unlink()
    running.sim.renderer._songs.clear()
    first, second = client.admin("GET", f"/_sim/tasks/{task}")["tracks"]
    store.path(first["audio"]).unlink()
    _, _, mixed = _recover(client, task)
    assert mixed["code"] == 200 and [i["status"] for i in mixed["data"]] == ["failed", "success"]
    assert mixed["data"][0] == {"id": first["id"], "status": "failed", "error": "no_audio_id_mappings"}
    store.path(second["audio"]).unlink()
    _, _, none = _recover(client, task)
    assert none["code"] == 500 and [i["status"] for i in none["data"]] == ["failed", "failed"]
    assert [i["id"] for i in none["data"]] == [first["id"], second["id"]]


def test_unknown_and_unusable_tasks(simulator):
    client = SimClient(simulator.base_url)
    unknown = client.poll("recovery", "0" * 32)
    assert unknown == {"code": 500, "msg": "The music link recovery task does not exist.", "data": None}
    music, _ = client.song()
    assert client.poll("recovery", music)["code"] == 500  # a music task id is not a recovery id
    assert client.http.get("/api/v1/suno/recovery/record-info", params={"taskId": "x"}).json()["code"] == 400
    lyrics = client.create("lyrics", {"prompt": "sea", "callBackUrl": CB})
    env = client.post("recovery", {"sunoTaskId": lyrics, "callBackUrl": CB})
    assert env == {"code": 400, "msg": "The original Suno task does not exist."}
    failed = client.create("generate", song_body(prompt="forbidden"))
    client.statuses("music", failed)
    env = client.post("recovery", {"sunoTaskId": failed, "callBackUrl": CB})
    assert env["code"] == 400 and "SENSITIVE_WORD_ERROR" in env["msg"]


def test_recovery_callback_is_one_flat_post(simulator, callback_receiver):
    client = SimClient(simulator.base_url)
    task, _ = client.song()
    rid = client.post("recovery", {"sunoTaskId": task, "callBackUrl": callback_receiver.url("rec")})["data"]["task_id"]
    (body,) = callback_receiver.wait_for(lambda b: len(b) >= 1, name="rec")
    assert body == client.poll("recovery", rid)
    assert body["task_id"] == rid and body["code"] == 200 and isinstance(body["data"], list)
    assert "callbackType" not in body and all(set(i) == ITEM_KEYS for i in body["data"])
    assert len(callback_receiver.bodies("rec")) == 1


def test_recovery_is_free(make_simulator):
    client = SimClient(make_simulator(credits=12).base_url)
    task, _ = client.song()  # 12 credits: the balance is now 0
    rid, _, answer = _recover(client, task)
    assert answer["code"] == 200 and client.http.get("/api/v1/generate/credit").json()["data"] == 0
