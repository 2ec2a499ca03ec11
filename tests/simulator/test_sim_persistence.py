"""The simulator remembers (`SimConfig.data_dir`, `--data-dir`): tasks, tracks, media, personas,
uploads, 409 records, credits, the clock and pending work survive a restart, in process and
after a `kill -9` of `python -m simulator`."""

from __future__ import annotations

import base64
import logging
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import numpy as np
import pytest

from simulator import audio_io
from simulator.config import SimConfig
from simulator.server import RunningSimulator, run_in_thread
from simulator.state_codec import dumps, loads
from tests.conftest import FAST
from tests.simulator.simclient import CB, SimClient, song_body
from tests.simulator.test_sim_media import _tone

DAY = 86400
ROOT = Path(__file__).resolve().parents[2]


class Runs:
    """Start, stop and restart simulators on one data dir (one at a time)."""

    def __init__(self, data_dir: Path) -> None:
        self.dir = data_dir
        self.current: RunningSimulator | None = None

    def start(self, **fields) -> SimClient:
        assert self.current is None
        self.current = run_in_thread(SimConfig(**{**FAST, "data_dir": self.dir, **fields}))
        return SimClient(self.current.base_url)

    def stop(self) -> None:
        if self.current is not None:
            self.current.stop()
            self.current = None

    def restart(self, **fields) -> SimClient:
        self.stop()
        return self.start(**fields)


@pytest.fixture
def runs(tmp_path):
    keeper = Runs(tmp_path / "data")
    yield keeper
    keeper.stop()


def _upload(client: SimClient, data: bytes, name: str) -> str:
    env = client.http.post("/api/file-base64-upload", json={
        "base64Data": base64.b64encode(data).decode(), "uploadPath": "keep", "fileName": name}).json()
    assert env["code"] == 200, env
    return env["data"]["downloadUrl"]


def _urls(data: dict) -> list[str]:
    return [t[k] for t in data["response"]["sunoData"] for k in ("audioUrl", "streamAudioUrl", "imageUrl")]


def _pcm(url: str) -> np.ndarray:
    return audio_io.decode(httpx.get(url).content).mean(axis=1)


def test_a_restart_keeps_tasks_media_credits_and_conflicts(runs):
    client = runs.start()
    task, data = client.song()
    a0, a1 = (t["id"] for t in data["response"]["sunoData"])
    wav = client.create("wav", {"taskId": task, "audioId": a0, "callBackUrl": CB})
    _, wav_data = client.statuses("wav", wav)
    persona = client.post("persona", {"taskId": task, "audioId": a1, "name": "N", "description": "D"})
    upload = _upload(client, _tone(2.0), "tone.wav")
    files = {url: httpx.get(url).content for url in [*_urls(data), wav_data["response"]["audioWavUrl"], upload]}
    credits = client.admin("GET", "/_sim/credits")["credits"]
    tasks = client.admin("GET", "/_sim/tasks")["tasks"]
    base = runs.current.base_url

    client = runs.restart()
    assert runs.current.base_url == base  # same port: the URLs handed out stay valid
    assert (runs.current.sim.restored, runs.current.sim.resumed) == (2, 0)
    assert client.poll("music", task)["data"] == data
    assert client.poll("wav", wav)["data"] == wav_data
    for url, content in files.items():
        assert httpx.get(url).content == content, url
    assert client.admin("GET", "/_sim/credits")["credits"] == credits
    assert client.admin("GET", "/_sim/tasks")["tasks"] == tasks
    again = client.post("wav", {"taskId": task, "audioId": a0, "callBackUrl": CB})
    assert again["code"] == 409 and again["data"]["taskId"] == wav
    twice = client.post("persona", {"taskId": task, "audioId": a1, "name": "N", "description": "D"})
    assert twice["code"] == 409 and twice["data"]["personaId"] == persona["data"]["personaId"]
    info = client.admin("GET", f"/_sim/tasks/{wav}")
    assert info["charged"] == 2 and info["parent"] == {"taskId": task, "audioId": a0}


def test_old_tracks_feed_new_tasks_after_a_restart(runs):
    client = runs.start(track_seconds=12)
    task, data = client.song()
    src, other = data["response"]["sunoData"]
    persona = client.post("persona", {"taskId": task, "audioId": other["id"], "name": "N",
                                      "description": "D"})["data"]["personaId"]
    client = runs.restart(track_seconds=12)

    ext = client.create("extend", {"defaultParamFlag": True, "audioId": src["id"], "callBackUrl": CB, "model": "V5",
                                   "continueAt": 6.0, "prompt": "[Verse] on", "style": "rock", "title": "On"})
    seen, ext_data = client.statuses("music", ext)
    assert seen[-1] == "SUCCESS", ext_data
    original, extended = _pcm(src["audioUrl"]), _pcm(ext_data["response"]["sunoData"][0]["audioUrl"])
    head = slice(0, int(5.5 * 44100))  # the source's song was re-made from its recipe, not invented
    assert np.abs(extended[head] - original[head]).mean() < 0.05 * np.abs(original[head]).mean()

    ext_track = ext_data["response"]["sunoData"][0]
    client = runs.restart(track_seconds=12)  # stems of the extended track: re-made through two recipes
    split = client.create("split_stem", {"taskId": ext, "audioId": ext_track["id"], "callBackUrl": CB,
                                         "type": "split_stem"})
    seen, stems = client.statuses("stems", split)
    assert seen[-1] == "SUCCESS", stems
    layers = [_pcm(u) for k, u in stems["response"].items() if u and k.endswith("Url") and k != "originUrl"]
    total, mix = np.stack(layers).sum(axis=0), _pcm(ext_track["audioUrl"])
    n = min(len(total), len(mix))
    assert np.corrcoef(total[:n], mix[:n])[0, 1] > 0.95

    words = client.post("timestamped_lyrics", {"taskId": task, "audioId": src["id"]})
    assert words["code"] == 200 and words["data"]["alignedWords"], words
    sung = client.create("generate", song_body(personaId=persona, title="Persona"))
    seen, sung_data = client.statuses("music", sung)
    assert seen[-1] == "SUCCESS", sung_data
    spec_of = {t["id"]: t["spec"] for t in client.admin("GET", f"/_sim/tasks/{task}")["tracks"]}
    made = client.admin("GET", f"/_sim/tasks/{sung}")["tracks"][0]["spec"]
    assert made["persona_timbre"] is not None and made["tempo_bpm"] == spec_of[other["id"]]["tempo_bpm"]
    cover = client.create("upload_cover", song_body(uploadUrl=src["audioUrl"], title="Cover"))
    seen, cover_data = client.statuses("music", cover)
    assert seen[-1] == "SUCCESS", cover_data
    mp4 = client.create("mp4", {"taskId": task, "audioId": other["id"], "callBackUrl": CB})
    seen, mp4_data = client.statuses("mp4", mp4)
    assert seen[-1] == "SUCCESS" and httpx.get(mp4_data["response"]["videoUrl"]).content[4:8] == b"ftyp"


def test_clock_and_retention_survive_a_restart(runs):
    client = runs.start()
    task, data = client.song()
    audio = data["response"]["sunoData"][0]["audioUrl"]
    upload = _upload(client, _tone(1.0), "short.wav")
    client.admin("POST", "/_sim/clock", {"advance_seconds": 4 * DAY})  # uploads are kept 3 days
    assert httpx.get(upload).status_code == 404 and httpx.get(audio).status_code == 200
    before = client.admin("GET", "/_sim/clock")["now"]

    client = runs.restart()
    now = client.admin("GET", "/_sim/clock")["now"]
    assert before <= now < before + 60
    assert httpx.get(upload).status_code == 404 and httpx.get(audio).status_code == 200
    client.admin("POST", "/_sim/clock", {"advance_seconds": 12 * DAY})  # generated media: 15 days
    assert httpx.get(audio).status_code == 404

    client = runs.restart()
    assert httpx.get(audio).status_code == 404
    assert client.poll("music", task)["data"] == data  # the record outlives its files


def test_a_task_aged_alone_stays_aged_after_a_restart(runs):
    client = runs.start()
    kept, kept_data = client.song()
    aged, aged_data = client.song()
    client.admin("POST", "/_sim/clock", {"advance_seconds": 16 * DAY, "task_id": aged})
    client = runs.restart()
    assert httpx.get(aged_data["response"]["sunoData"][0]["audioUrl"]).status_code == 404
    assert httpx.get(kept_data["response"]["sunoData"][0]["audioUrl"]).status_code == 200


def _edit_job(data_dir: Path, task_id: str, change) -> None:
    with sqlite3.connect(data_dir / "state.sqlite3") as con:
        (text,) = con.execute("SELECT data FROM records WHERE kind='job' AND id=?", (task_id,)).fetchone()
        job = loads(text)
        change(job)
        con.execute("UPDATE records SET data=? WHERE kind='job' AND id=?", (dumps(job), task_id))
    con.close()


def test_a_job_cut_off_mid_render_is_finished_with_its_tracks_and_callbacks(runs, callback_receiver):
    client = runs.start()
    task = client.create("generate", song_body(callBackUrl=callback_receiver.url("a")))
    _, data = client.statuses("music", task)
    callback_receiver.wait_for(lambda b: len(b) == 3)
    kept, lost = data["response"]["sunoData"]
    kept_file = runs.dir / "media" / "tasks" / task / f"{kept['id']}.mp3"
    lost_file = kept_file.with_name(f"{lost['id']}.mp3")
    kept_mtime = kept_file.stat().st_mtime_ns
    runs.stop()

    def cut_after_first(job) -> None:  # as if killed after track 0 was made and `first` was due
        job.ready = job.stage = 2
        job.completed = None
        job.tracks[1].audio = job.tracks[1].stream = job.tracks[1].image = job.tracks[1].duration = None
    _edit_job(runs.dir, task, cut_after_first)
    lost_file.unlink()
    with sqlite3.connect(runs.dir / "state.sqlite3") as con:  # the `first` callback was never delivered
        con.execute("UPDATE records SET data=? WHERE kind='callbacks' AND id=?",
                    (dumps({"history": [], "pending": ["first"]}), task))
    con.close()
    callback_receiver.received.clear()

    client = runs.start()
    assert runs.current.sim.resumed == 1
    seen, after = client.statuses("music", task)
    assert seen[-1] == "SUCCESS"
    assert [t["id"] for t in after["response"]["sunoData"]] == [kept["id"], lost["id"]]
    assert lost_file.exists() and kept_file.stat().st_mtime_ns == kept_mtime  # only the missing one
    assert after == data  # same record, same URLs: the re-render is the same song
    bodies = callback_receiver.wait_for(lambda b: {x["data"]["callbackType"] for x in b} >= {"first", "complete"})
    assert all(x["data"]["task_id"] == task for x in bodies)


def test_unreadable_records_are_skipped_and_the_rest_is_kept(runs, caplog):
    client = runs.start()
    damaged, _ = client.song()
    intact, intact_data = client.song(title="Intact")
    runs.stop()
    with sqlite3.connect(runs.dir / "state.sqlite3") as con:  # a torn record and one of an unknown kind
        con.execute("UPDATE records SET data = substr(data, 1, 60) WHERE kind='job' AND id=?", (damaged,))
        con.execute("INSERT INTO records VALUES ('gadget', 'x', '{}')")
    con.close()
    with caplog.at_level(logging.WARNING, logger="simulator.persist"):
        client = runs.start()
    assert f"skipped unreadable job record '{damaged}'" in caplog.text and "'gadget'" in caplog.text
    assert client.poll("music", intact)["data"] == intact_data
    assert client.poll("music", damaged)["code"] == 404
    client.song(title="Still works")


def test_without_a_data_dir_nothing_is_kept(make_simulator):
    running = make_simulator()
    assert SimConfig().data_dir is None and running.sim.persistence is None
    root = running.sim.store.root
    SimClient(running.base_url).song()
    assert not list(root.rglob("*.sqlite3"))
    running.stop()
    assert not root.exists()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(port: int, data_dir: Path) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([sys.executable, "-m", "simulator", "--port", str(port), "--data-dir", str(data_dir),
                             "--speed", "400", "--track-seconds", "3"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()[0]
        try:
            httpx.get(base + "/_sim/clock", timeout=1)
            return proc, base
        except httpx.HTTPError:
            time.sleep(0.05)
    proc.kill()
    raise AssertionError("simulator did not start")


def test_kill_9_loses_no_accepted_task(tmp_path, callback_receiver):
    port, data_dir = _free_port(), tmp_path / "data"
    proc, base = _serve(port, data_dir)
    try:
        client = SimClient(base)
        done, done_data = client.song()
        done_track = done_data["response"]["sunoData"][0]
        client.admin("POST", "/_sim/config", {"track_seconds": 40})  # slow renders, cut by the kill
        rendering = client.create("generate", song_body(title="Cut", callBackUrl=callback_receiver.url("cut")))
        deadline = time.monotonic() + 10
        while client.poll("music", rendering)["data"]["status"] == "PENDING" and time.monotonic() < deadline:
            time.sleep(0.01)
        shown = client.poll("music", rendering)["data"]
        assert shown["status"] == "TEXT_SUCCESS"  # track ids shown, audio still rendering
        fresh = client.create("wav", {"taskId": done, "audioId": done_track["id"], "callBackUrl": CB})
        timeline = client.admin("GET", f"/_sim/tasks/{rendering}")
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)

        proc, base = _serve(port, data_dir)
        assert client.admin("GET", f"/_sim/tasks/{rendering}")["due"] == timeline["due"]
        seen, finished = client.statuses("music", rendering, timeout=30)
        assert seen[-1] == "SUCCESS", finished
        assert [t["id"] for t in finished["response"]["sunoData"]] == [t["id"] for t in shown["response"]["sunoData"]]
        assert all(httpx.get(u).status_code == 200 for u in _urls(finished))
        callback_receiver.wait_for(lambda b: "complete" in {x["data"]["callbackType"] for x in b}, timeout=20)
        seen, wav = client.statuses("wav", fresh)
        assert seen[-1] == "SUCCESS" and httpx.get(wav["response"]["audioWavUrl"]).content[:4] == b"RIFF"
        assert client.poll("music", done)["data"] == done_data
        assert client.post("wav", {"taskId": done, "audioId": done_track["id"], "callBackUrl": CB})["code"] == 409
        ext = client.create("extend", {"defaultParamFlag": False, "audioId": done_track["id"], "model": "V5",
                                       "callBackUrl": CB})
        assert client.statuses("music", ext)[0][-1] == "SUCCESS"
        persona = client.post("persona", {"taskId": done, "audioId": done_track["id"], "name": "N", "description": "D"})
        assert persona["code"] == 200, persona
    finally:
        proc.kill()
        output = proc.communicate(timeout=10)[0]
    found = re.search(rf"data dir {re.escape(str(data_dir.resolve()))}: (\d+) tasks restored, (\d+) resumed", output)
    assert found and found.group(1) == "3" and int(found.group(2)) >= 1, output


def test_an_accepted_task_is_on_disk_before_its_answer(runs):
    client = runs.start()
    engine = runs.current.sim.engine
    engine._stop.set()  # no background saves: only the request path may have saved it
    engine._thread.join()
    task = client.create("lyrics", {"prompt": "rain", "callBackUrl": CB})
    upload = _upload(client, _tone(0.5), "tiny.wav")
    with sqlite3.connect(runs.dir / "state.sqlite3") as con:
        saved = set(con.execute("SELECT kind, id FROM records"))
    con.close()
    assert ("job", task) in saved and ("media", upload.split("/files/", 1)[1]) in saved


def _set_meta(data_dir: Path, key: str, value) -> None:
    with sqlite3.connect(data_dir / "state.sqlite3") as con:
        con.execute("UPDATE records SET data=? WHERE kind='meta' AND id=?", (dumps(value), key))
    con.close()


def test_an_upload_job_resumes_from_its_kept_source_or_its_own_url(runs):
    client = runs.start()
    upload = _upload(client, _tone(3.0), "voice.wav")
    task = client.create("upload_cover", song_body(uploadUrl=upload, title="Kept"))
    assert client.statuses("music", task)[0][-1] == "SUCCESS"
    folder = runs.dir / "media" / "tasks" / task
    source = (folder / "source.bin").read_bytes()
    runs.stop()

    def never_rendered(job) -> None:
        job.stage = job.ready = 0
        job.completed, job.tracks = None, []

    _edit_job(runs.dir, task, never_rendered)
    _set_meta(runs.dir, "clock", 4 * DAY)  # the upload has expired: only the kept source can serve
    client = runs.start()
    assert httpx.get(upload).status_code == 404 and runs.current.sim.resumed == 1
    seen, data = client.statuses("music", task)
    assert seen[-1] == "SUCCESS", data
    assert (folder / "source.bin").read_bytes() == source
    runs.stop()

    _edit_job(runs.dir, task, never_rendered)
    _set_meta(runs.dir, "clock", 0.0)
    (folder / "source.bin").unlink()  # killed before the source was kept: fetched again, from the
    client = runs.start()             # simulator's own media, before its server even listens
    seen, data = client.statuses("music", task)
    assert seen[-1] == "SUCCESS", data
    assert (folder / "source.bin").read_bytes() == source
