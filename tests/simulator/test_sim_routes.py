"""Every provider route in both path styles, and the status sequence of each task family."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import time

import httpx
import pytest

from tests.simulator.simclient import CB, DIALECTS, SimClient, song_body

STEM_KEYS = {"originUrl", "instrumentalUrl", "vocalUrl", "backingVocalsUrl", "drumsUrl", "bassUrl", "guitarUrl",
             "keyboardUrl", "percussionUrl", "stringsUrl", "synthUrl", "fxUrl", "brassUrl", "woodwindsUrl"}
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@pytest.fixture(scope="module")
def source(simulator):
    """A finished song (taskId, record data) shared by the tests of this module."""
    return SimClient(simulator.base_url).song()


@pytest.fixture(scope="module")
def upload_url(simulator, source):
    """A simulator upload URL holding the first track of `source` as MP3."""
    client = SimClient(simulator.base_url)
    audio = httpx.get(source[1]["response"]["sunoData"][0]["audioUrl"]).content
    env = client.http.post("/api/file-base64-upload", json={
        "base64Data": base64.b64encode(audio).decode(), "uploadPath": "tests/src", "fileName": "src.mp3"}).json()
    assert env["success"] and env["code"] == 200, env
    return env["data"]["downloadUrl"]


def test_music_status_sequence_and_stage_fields(make_simulator):
    client = SimClient(make_simulator(speed=80).base_url)
    task_id = client.create("generate", song_body())
    snapshots = {}
    seen, data = [], None
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        data = client.poll("music", task_id)["data"]
        snapshots.setdefault(data["status"], data)
        if not seen or seen[-1] != data["status"]:
            seen.append(data["status"])
        if data["status"] == "SUCCESS":
            break
    assert seen == ["PENDING", "TEXT_SUCCESS", "FIRST_SUCCESS", "SUCCESS"]
    text = snapshots["TEXT_SUCCESS"]["response"]["sunoData"]
    assert len(text) == 2 and all(t["prompt"].startswith("[Verse]") and t["streamAudioUrl"] == "" for t in text)
    first = snapshots["FIRST_SUCCESS"]["response"]["sunoData"]
    assert "/files/stream/" in first[0]["streamAudioUrl"] and first[0]["audioUrl"] == ""
    final = data["response"]["sunoData"]
    assert json.loads(data["param"]) == song_body() and data["operationType"] == "generate"
    for snapshot in (*snapshots.values(), data):  # present as null, as in the docs' example
        assert snapshot["type"] is None and snapshot["errorCode"] is None and snapshot["errorMessage"] is None
    for t in final:
        assert UUID.match(t["id"]) and t["audioUrl"].endswith(".mp3") and t["imageUrl"].endswith(".jpg")
        assert t["modelName"] == "chirp-crow" and t["title"] == "Neon Rain" and t["tags"] == "synthwave, dreamy"
        assert t["duration"] == pytest.approx(4.0, abs=0.1)
        assert httpx.get(t["audioUrl"]).headers["content-type"] == "audio/mpeg"
    assert final[0]["id"] != final[1]["id"]
    a, b = (httpx.get(t["audioUrl"]).content for t in final)
    assert a != b  # variants 0 / 1 differ


@pytest.mark.parametrize("dialect", DIALECTS)
def test_generate_simple_mode_and_instrumental(simulator, dialect):
    client = SimClient(simulator.base_url, dialect)
    task_id = client.create("generate", {"customMode": False, "instrumental": False, "model": "V4",
                                         "callBackUrl": CB, "prompt": "a sad piano ballad about rain"})
    seen, data = client.statuses("music", task_id)
    assert seen[-1] == "SUCCESS"
    tracks = data["response"]["sunoData"]
    assert all("[Verse]" in t["prompt"] and "[Chorus]" in t["prompt"] and t["modelName"] == "chirp-v4" for t in tracks)
    task_id = client.create("generate", song_body(instrumental=True, prompt=None))
    _, data = client.statuses("music", task_id)
    assert [t["prompt"] for t in data["response"]["sunoData"]] == ["", ""]


@pytest.mark.parametrize("model,name", [("V5_5", "chirp-fenix"), ("V6", "chirp-v6"), ("V6_WILD", "chirp-v6-wild"),
                                        ("V6_MINI", "chirp-v6-mini")])
def test_newer_models(simulator, model, name):
    client = SimClient(simulator.base_url)
    limit = 80 if model.startswith("V6") else 100
    _, data = client.song(model=model, title="t" * limit)
    track = data["response"]["sunoData"][0]
    assert track["modelName"] == name
    ext = client.create("extend", {"defaultParamFlag": False, "audioId": track["id"], "callBackUrl": CB,
                                   "model": model})
    _, data = client.statuses("music", ext)
    assert data["status"] == "SUCCESS" and data["response"]["sunoData"][0]["modelName"] == name


@pytest.mark.parametrize("dialect", DIALECTS)
def test_extend(simulator, source, dialect):
    client = SimClient(simulator.base_url, dialect)
    audio_id = source[1]["response"]["sunoData"][0]["id"]
    task_id = client.create("extend", {"defaultParamFlag": True, "audioId": audio_id, "callBackUrl": CB,
                                       "model": "V5", "continueAt": 2.5, "prompt": "[Verse] more",
                                       "style": "synthwave", "title": "Neon Rain II"})
    seen, data = client.statuses("music", task_id)
    assert seen[-1] == "SUCCESS" and data["operationType"] == "extend" and data["parentMusicId"] == audio_id
    assert data["response"]["sunoData"][0]["duration"] == pytest.approx(2.5 + 4.0, abs=0.1)
    inherit = client.create("extend", {"defaultParamFlag": False, "audioId": audio_id, "callBackUrl": CB,
                                       "model": "V5"})
    _, data = client.statuses("music", inherit)
    assert data["response"]["sunoData"][0]["title"] == "Neon Rain"


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("op,extra,op_type,skips", [
    ("upload_cover", {"customMode": True, "instrumental": True, "style": "jazz", "title": "Cover", "model": "V5"},
     "upload_cover", False),
    ("upload_extend", {"defaultParamFlag": True, "instrumental": True, "continueAt": 2.0, "style": "rock",
                       "title": "Longer", "model": "V5"}, "upload_extend", False),
    ("add_vocals", {"prompt": "[Verse] la la", "title": "Sung", "negativeTags": "", "style": "pop"}, None, True),
    ("add_instrumental", {"title": "Backed", "negativeTags": "metal", "tags": "folk, acoustic"}, None, True),
])
def test_upload_based_ops(simulator, upload_url, dialect, op, extra, op_type, skips):
    client = SimClient(simulator.base_url, dialect)
    task_id = client.create(op, {"uploadUrl": upload_url, "callBackUrl": CB, **extra})
    seen, data = client.statuses("music", task_id)
    assert seen[-1] == "SUCCESS", data
    if skips:
        assert "TEXT_SUCCESS" not in seen and "FIRST_SUCCESS" not in seen
    assert data.get("operationType") == op_type
    assert len(data["response"]["sunoData"]) == 2


@pytest.mark.parametrize("dialect", DIALECTS)
def test_lyrics(simulator, dialect):
    client = SimClient(simulator.base_url, dialect)
    task_id = client.create("lyrics", {"prompt": "a song about the sea", "callBackUrl": CB})
    seen, data = client.statuses("lyrics", task_id)
    assert seen[-1] == "SUCCESS" and data["type"] == "LYRICS"
    assert data["errorCode"] is None and data["errorMessage"] is None
    items = data["response"]["data"]
    assert len(items) >= 2 and all("[Verse]" in i["text"] and i["status"] == "complete" for i in items)


@pytest.mark.parametrize("dialect", DIALECTS)
def test_cover_art(simulator, dialect):
    client = SimClient(simulator.base_url, dialect)
    music_id, _ = client.song()
    task_id = client.create("cover_art", {"taskId": music_id, "callBackUrl": CB})
    seen, data = client.statuses("cover", task_id)
    assert seen[-1] == 1 and set(seen) <= {0, 2, 1} and data["parentTaskId"] == music_id
    images = data["response"]["images"]
    assert len(images) == 2 and all(httpx.get(u).content[:8] == b"\x89PNG\r\n\x1a\n" for u in images)
    again = client.post("cover_art", {"taskId": music_id, "callBackUrl": CB})
    assert again["code"] == 409 and again["data"]["taskId"] == task_id


@pytest.mark.parametrize("dialect", DIALECTS)
def test_wav_and_mp4(simulator, source, dialect):
    client = SimClient(simulator.base_url, dialect)
    task, data = source
    audio_id = data["response"]["sunoData"][DIALECTS.index(dialect)]["id"]
    body = {"taskId": task, "audioId": audio_id, "callBackUrl": CB}
    wav_task = client.create("wav", body)
    seen, wav = client.statuses("wav", wav_task)
    assert seen[-1] == "SUCCESS" and wav["musicId"] == wav["audioId"] == audio_id  # the source track
    assert wav["errorCode"] is None and wav["errorMessage"] is None
    assert httpx.get(wav["response"]["audioWavUrl"]).content[:4] == b"RIFF"
    assert client.post("wav", body)["code"] == 409
    mp4_task = client.create("mp4", {**body, "author": "Tester", "domainName": "songbench.local"})
    seen, mp4 = client.statuses("mp4", mp4_task)
    assert seen[-1] == "SUCCESS" and mp4["musicId"] == mp4["audioId"] == audio_id
    assert mp4["errorCode"] is None and mp4["errorMessage"] is None
    video = httpx.get(mp4["response"]["videoUrl"])
    assert video.headers["content-type"] == "video/mp4" and video.content[4:8] == b"ftyp"
    assert client.post("mp4", body)["code"] == 409


@pytest.mark.parametrize("dialect", DIALECTS)
def test_stems(simulator, source, dialect):
    client = SimClient(simulator.base_url, dialect)
    task, data = source
    body = {"taskId": task, "audioId": data["response"]["sunoData"][0]["id"], "callBackUrl": CB}
    separate = client.create("vocal_removal", body)
    seen, sep = client.statuses("stems", separate)
    assert seen[-1] == "SUCCESS" and sep["musicId"] == sep["audioId"] == body["audioId"]
    # every stem key present (null when not produced), plus the newer docs' originData list
    assert set(sep["response"]) == STEM_KEYS | {"originData"}
    assert sep["errorCode"] is None and sep["errorMessage"] is None
    assert {k for k in STEM_KEYS if sep["response"][k]} == {"vocalUrl", "instrumentalUrl", "originUrl"}
    split = client.create("split_stem", {**body, "type": "split_stem"})
    _, spl = client.statuses("stems", split)
    assert set(spl["response"]) == STEM_KEYS | {"originData"}
    keys = {k for k in STEM_KEYS if spl["response"][k]} - {"originUrl"}
    assert "instrumentalUrl" not in keys and 3 <= len(keys) <= 12 and "vocalUrl" in keys
    assert len(spl["response"]["originData"]) == len(keys)
    assert all(httpx.get(spl["response"][k]).headers["content-type"] == "audio/mpeg" for k in keys)


@pytest.mark.parametrize("dialect", DIALECTS)
def test_split_stem_after_vocal_removal_gives_its_own_stems(simulator, dialect):
    """Regression: on a track made from an uploaded instrumental (add-vocals), split_stem returned
    the same three files (origin, vocal, fx) as the vocal separation before it, byte for byte:
    the upload was one opaque `fx` layer, equal to the separation's instrumental."""
    client = SimClient(simulator.base_url, dialect)
    _, inst = client.song(instrumental=True, prompt=None, style="rock")
    made = client.create("add_vocals", {"uploadUrl": inst["response"]["sunoData"][0]["audioUrl"], "callBackUrl": CB,
                                        "prompt": "[Verse] la la", "title": "Sung", "negativeTags": "", "style": "rock"})
    _, data = client.statuses("music", made)
    body = {"taskId": made, "audioId": data["response"]["sunoData"][0]["id"], "callBackUrl": CB}
    _, sep = client.statuses("stems", client.create("vocal_removal", body))
    _, spl = client.statuses("stems", client.create("split_stem", {**body, "type": "split_stem"}))

    def stems(response):
        return {k: hashlib.sha256(httpx.get(u).content).hexdigest() for k, u in response.items()
                if u and k in STEM_KEYS - {"originUrl"}}
    separated, split = stems(sep["response"]), stems(spl["response"])
    assert set(separated) == {"vocalUrl", "instrumentalUrl"}
    assert "vocalUrl" in split and "instrumentalUrl" not in split and len(split) >= 4
    assert {"drumsUrl", "bassUrl"} <= set(split)
    instruments = {content for key, content in split.items() if key != "vocalUrl"}
    assert not instruments & set(separated.values())
    made_by_split = {spl["response"][k] for k in STEM_KEYS - {"originUrl"} if spl["response"][k]}
    assert not made_by_split & {sep["response"][k] for k in STEM_KEYS}


def test_anyint_split_stem_route_forces_type(simulator, source):
    client = SimClient(simulator.base_url, "anyint")
    task, data = source
    task_id = client.create("split_stem", {"taskId": task, "audioId": data["response"]["sunoData"][0]["id"],
                                           "callBackUrl": CB})
    _, spl = client.statuses("stems", task_id)
    assert spl["response"]["drumsUrl"] or spl["response"]["synthUrl"]


@pytest.mark.parametrize("dialect", DIALECTS)
def test_sync_ops(simulator, source, dialect):
    client = SimClient(simulator.base_url, dialect)
    task, data = source
    audio_id = data["response"]["sunoData"][DIALECTS.index(dialect)]["id"]
    ts = client.post("timestamped_lyrics", {"taskId": task, "audioId": audio_id})
    assert ts["code"] == 200 and ts["data"]["alignedWords"] and ts["data"]["waveformData"]
    words = ts["data"]["alignedWords"]
    assert all(0 <= w["startS"] <= w["endS"] <= 4.1 for w in words)
    style = client.post("style_boost", {"content": "Pop, Mysterious"})
    assert style["code"] == 200 and style["data"]["successFlag"] == "1" and style["data"]["result"]
    assert {"creditsConsumed", "creditsRemaining", "taskId"} <= set(style["data"])
    persona = client.post("persona", {"taskId": task, "audioId": audio_id, "name": "Nova", "description": "airy"})
    assert persona["code"] == 200 and persona["data"]["personaId"] and persona["data"]["name"] == "Nova"
    assert client.post("persona", {"taskId": task, "audioId": audio_id, "name": "N", "description": "d"})["code"] == 409


def test_persona_shapes_later_generations(simulator):
    client = SimClient(simulator.base_url)
    task, data = client.song(style="soul, slow")
    src_spec = client.admin("GET", f"/_sim/tasks/{task}")["tracks"][0]["spec"]
    persona = client.post("persona", {"taskId": task, "audioId": data["response"]["sunoData"][0]["id"],
                                      "name": "Soul voice", "description": "warm"})
    plain = client.create("generate", song_body(style="punk rock, fast"))
    styled = client.create("generate", song_body(style="punk rock, fast", personaId=persona["data"]["personaId"]))
    specs = []
    for task_id in (plain, styled):
        client.statuses("music", task_id)
        specs.append(client.admin("GET", f"/_sim/tasks/{task_id}")["tracks"][0]["spec"])
    assert specs[1]["vocal_gender"] == src_spec["vocal_gender"]
    assert specs[1]["tempo_bpm"] == src_spec["tempo_bpm"] != specs[0]["tempo_bpm"]
    assert specs[1]["persona_timbre"] is not None and specs[0]["persona_timbre"] is None
    unknown = client.post("generate", song_body(personaId="nope"))
    assert unknown["code"] == 400 and "personaId" in unknown["msg"]


@pytest.mark.parametrize("dialect", DIALECTS)
def test_credit_route(simulator, dialect):
    client = SimClient(simulator.base_url, dialect)
    path = "/api/v1/generate/credit" if dialect == "sunoapi" else "/suno/credit"
    before = client.http.get(path).json()
    assert before["code"] == 200 and isinstance(before["data"], int)
    client.post("style_boost", {"content": "rock"})
    assert client.http.get(path).json()["data"] == before["data"] - 1


def test_unknown_path_and_method(simulator):
    resp = httpx.get(simulator.base_url + "/api/v1/nope")
    assert resp.status_code == 404 and resp.json()["code"] == 404
    resp = httpx.get(simulator.base_url + "/api/v1/generate")
    assert resp.status_code == 405 and resp.json()["code"] == 404


def test_unknown_task_id(simulator):
    client = SimClient(simulator.base_url)
    env = client.poll("music", "0" * 32)
    assert env["code"] == 404 and "taskId" in env["msg"] and "data" not in env


def test_public_url_in_absolute_urls(make_simulator):
    running = make_simulator(public_url="https://sim.example.org/")
    client = SimClient(running.base_url)
    _, data = client.song()
    assert data["response"]["sunoData"][0]["audioUrl"].startswith("https://sim.example.org/files/")


def test_simple_mode_ignores_style_and_title_as_the_provider_does(simulator):
    """The simulator honoured "style": "rock" in simple mode, so an experiment over style looked
    meaningful; the provider leaves style and title out there: same tags, same titles, same
    audio for two requests differing only in them."""
    client = SimClient(simulator.base_url)
    simple = {"customMode": False, "instrumental": False, "model": "V5", "callBackUrl": CB,
              "prompt": "a sad piano ballad about rain"}
    runs = []
    for extra in ({"style": "rock", "title": "Rock Title"}, {"style": "jazz", "title": "Jazz"}):
        _, data = client.statuses("music", client.create("generate", {**simple, **extra}))
        runs.append(data["response"]["sunoData"])
    for rock, jazz in zip(*runs, strict=True):
        assert rock["tags"] == jazz["tags"] and "rock" not in rock["tags"]
        assert rock["title"] == jazz["title"] and rock["title"] not in ("Rock Title", "Jazz")
        assert httpx.get(rock["audioUrl"]).content == httpx.get(jazz["audioUrl"]).content
