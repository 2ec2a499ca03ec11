"""Served media: Range requests, retention, uploads, and that transforms use their source audio."""

from __future__ import annotations

import base64
import tempfile
from pathlib import Path

import httpx
import numpy as np
import pytest

from simulator import audio_io
from tests.simulator.simclient import CB, SimClient

DAY = 86400


def _tone(seconds: float, freq: float = 330.0) -> bytes:
    t = np.arange(int(seconds * 44100)) / 44100
    mono = (0.3 * np.sin(2 * np.pi * freq * t)).astype(np.float32)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "tone.wav"
        audio_io.encode_wav(np.stack([mono, mono], axis=1), path)
        return path.read_bytes()


def _upload(client: SimClient, data: bytes, name: str) -> str:
    env = client.http.post("/api/file-base64-upload", json={
        "base64Data": base64.b64encode(data).decode(), "uploadPath": "tests/audio", "fileName": name}).json()
    assert env["success"] is True and env["code"] == 200, env
    return env["data"]["downloadUrl"]


def test_range_requests(simulator):
    client = SimClient(simulator.base_url)
    _, data = client.song()
    url = data["response"]["sunoData"][0]["audioUrl"]
    full = httpx.get(url)
    size = len(full.content)
    assert full.status_code == 200 and full.headers["accept-ranges"] == "bytes"
    part = httpx.get(url, headers={"Range": "bytes=0-99"})
    assert part.status_code == 206 and part.headers["content-range"] == f"bytes 0-99/{size}"
    assert part.content == full.content[:100] and part.headers["content-type"] == "audio/mpeg"
    tail = httpx.get(url, headers={"Range": "bytes=-10"})
    assert tail.status_code == 206 and tail.content == full.content[-10:]
    assert httpx.get(url, headers={"Range": f"bytes={size}-"}).status_code == 416
    head = httpx.head(url)
    assert head.status_code == 200 and head.headers["content-length"] == str(size) and head.content == b""
    assert httpx.get(data["response"]["sunoData"][0]["imageUrl"]).headers["content-type"] == "image/jpeg"


def test_retention_via_clock(make_simulator):
    running = make_simulator(retention_days=15, upload_retention_days=3)
    client = SimClient(running.base_url)
    _, data = client.song()
    audio = data["response"]["sunoData"][0]["audioUrl"]
    upload = _upload(client, _tone(1.0), "keep.wav")
    client.admin("POST", "/_sim/clock", {"advance_seconds": 3 * DAY - 60})
    assert httpx.get(upload).status_code == 200
    client.admin("POST", "/_sim/clock", {"advance_seconds": 120})
    assert httpx.get(upload).status_code == 404
    client.admin("POST", "/_sim/clock", {"advance_seconds": 12 * DAY - 120})
    assert httpx.get(audio).status_code == 200
    client.admin("POST", "/_sim/clock", {"advance_seconds": 120})
    gone = httpx.get(audio)
    assert gone.status_code == 404 and gone.json()["code"] == 404


def test_one_task_ages_alone(make_simulator):
    """`POST /_sim/clock` with a task id expires that task's files (stream URL too) and nobody
    else's; the shared clock does not move."""
    client = SimClient(make_simulator(retention_days=15).base_url)
    old_id, old = client.song()
    aged_id, aged = client.song()
    shared = client.admin("GET", "/_sim/clock")["now"]
    moved = client.admin("POST", "/_sim/clock", {"advance_seconds": 16 * DAY, "task_id": aged_id})
    assert moved["task_id"] == aged_id and moved["now"] - shared > 16 * DAY - 60
    for track in aged["response"]["sunoData"]:
        assert httpx.get(track["audioUrl"]).status_code == 404
        assert httpx.get(track["streamAudioUrl"]).status_code == 404
    for track in old["response"]["sunoData"]:
        assert httpx.get(track["audioUrl"]).status_code == 200
        assert httpx.get(track["streamAudioUrl"]).status_code == 200
    assert client.admin("GET", "/_sim/clock")["now"] - shared < 60
    assert client.admin("GET", f"/_sim/clock?task_id={aged_id}")["now"] - shared > 16 * DAY - 60
    unknown = httpx.post(client.base_url + "/_sim/clock",
                         json={"advance_seconds": 1, "task_id": "no-such-task"})
    assert unknown.status_code == 404 and "task_id" in unknown.json()["error"]
    bad = httpx.post(client.base_url + "/_sim/clock", json={"advance_seconds": 1, "task_id": 7})
    assert bad.status_code == 400 and "task_id" in bad.json()["error"]


def test_uploads_three_ways(simulator):
    client = SimClient(simulator.base_url)
    tone = _tone(0.5)
    plain = _upload(client, tone, "a.wav")
    assert httpx.get(plain).content == tone and httpx.get(plain).headers["content-type"] == "audio/wav"
    data_url = client.http.post("/api/file-base64-upload", json={
        "base64Data": "data:audio/wav;base64," + base64.b64encode(tone).decode(), "uploadPath": "x"}).json()
    assert data_url["data"]["mimeType"] == "audio/wav" and data_url["data"]["fileSize"] == len(tone)
    stream = client.http.post("/api/file-stream-upload", data={"uploadPath": "s/t", "fileName": "b.wav"},
                              files={"file": ("orig.wav", tone, "audio/wav")}).json()
    assert stream["success"] and stream["data"]["filePath"] == "s/t/b.wav"
    assert httpx.get(stream["data"]["downloadUrl"]).content == tone
    by_url = client.http.post("/api/file-url-upload", json={"fileUrl": plain, "uploadPath": "u"}).json()
    assert by_url["success"] and by_url["data"]["fileName"] == "a.wav"
    assert httpx.get(by_url["data"]["downloadUrl"]).content == tone
    for path, body in (("/api/file-base64-upload", {"base64Data": "QUJD"}),
                       ("/api/file-base64-upload", {"base64Data": "***", "uploadPath": "x"}),
                       ("/api/file-base64-upload", {"base64Data": "QUJD", "uploadPath": "/x/"}),
                       ("/api/file-url-upload", {"fileUrl": "http://127.0.0.1:9/none", "uploadPath": "x"})):
        env = client.http.post(path, json=body).json()
        assert env == {"success": False, "code": 400, "msg": env["msg"]} and env["msg"], (path, body)
    env = client.http.post("/api/file-stream-upload", data={"uploadPath": "x"}).json()
    assert env["code"] == 400 and "file" in env["msg"]


@pytest.mark.parametrize("op,extra", [
    ("upload_cover", {"customMode": True, "instrumental": True, "style": "jazz", "title": "C", "model": "V5"}),
    ("add_instrumental", {"title": "I", "negativeTags": "", "tags": "folk"}),
])
def test_transforms_use_the_uploaded_audio(simulator, op, extra):
    client = SimClient(simulator.base_url)
    durations = []
    for seconds in (1.5, 3.0):
        url = _upload(client, _tone(seconds), f"{op}-{seconds}.wav")
        _, data = client.statuses("music", client.create(op, {"uploadUrl": url, "callBackUrl": CB, **extra}))
        durations.append([t["duration"] for t in data["response"]["sunoData"]])
    assert durations[0] == [pytest.approx(1.5, abs=0.1)] * 2
    assert durations[1] == [pytest.approx(3.0, abs=0.1)] * 2


def test_upload_failures_fail_the_task(simulator):
    client = SimClient(simulator.base_url)
    bad = client.create("upload_cover", {"uploadUrl": "http://127.0.0.1:9/missing.mp3", "customMode": False,
                                         "instrumental": True, "prompt": "x", "callBackUrl": CB, "model": "V5"})
    seen, data = client.statuses("music", bad)
    assert seen[-1] == "GENERATE_AUDIO_FAILED" and data["errorCode"] == 451
    long_url = _upload(client, _tone(61.0), "long.wav")
    task = client.create("upload_cover", {"uploadUrl": long_url, "customMode": False, "instrumental": True,
                                          "prompt": "x", "callBackUrl": CB, "model": "V4_5ALL"})
    seen, data = client.statuses("music", task)
    assert seen[-1] == "GENERATE_AUDIO_FAILED" and "limit 60 s" in data["errorMessage"]


def _pcm(url: str) -> np.ndarray:
    return audio_io.decode(httpx.get(url).content).mean(axis=1)


def test_extend_continues_and_replace_changes_only_its_window(make_simulator):
    client = SimClient(make_simulator(speed=400, track_seconds=12.5).base_url)
    task, data = client.song()
    src = data["response"]["sunoData"][0]
    original = _pcm(src["audioUrl"])
    ext = client.create("extend", {"defaultParamFlag": True, "audioId": src["id"], "callBackUrl": CB, "model": "V5",
                                   "continueAt": 6.0, "prompt": "[Verse] on", "style": "rock", "title": "On"})
    _, ext_data = client.statuses("music", ext)
    extended = _pcm(ext_data["response"]["sunoData"][0]["audioUrl"])
    head = slice(0, int(5.5 * 44100))
    assert np.abs(extended[head] - original[head]).mean() < 0.05 * np.abs(original[head]).mean()
    rep = client.create("replace_section", {"taskId": task, "audioId": src["id"], "prompt": "[Bridge] new",
                                            "tags": "jazz", "title": "R", "infillStartS": 3.0, "infillEndS": 9.0})
    seen, rep_data = client.statuses("music", rep)
    assert seen[-1] == "SUCCESS"
    replaced = _pcm(rep_data["response"]["sunoData"][0]["audioUrl"])
    n = min(len(replaced), len(original))
    diff = np.abs(replaced[:n] - original[:n])
    outside = np.r_[0:int(2.9 * 44100), int(9.1 * 44100):n]
    inside = slice(int(3.2 * 44100), int(8.8 * 44100))
    assert diff[outside].mean() < 0.05 * np.abs(original[outside]).mean()
    assert diff[inside].mean() > 0.3 * np.abs(original[inside]).mean()
