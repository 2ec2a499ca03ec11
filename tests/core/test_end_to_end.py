"""End to end: SunoClient -> simulator -> Tracker -> task log -> archived, decodable media.

Every operation runs twice against one fast simulator:

* ``polling`` (sunoapi paths): callbacks go nowhere, the tracker polls on a short back-off;
* ``callbacks`` (anyint paths): the tracker's own schedule is an hour, so only callbacks (POSTed
  to a small local receiver that forwards them into `Tracker.on_callback`) make tasks due.

Tracks are 12 s long because replace-section needs a 6 s window <= 50 % of the track and a
persona needs a 10 s vocal segment.
"""

from __future__ import annotations

import json
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from lib import ops
from lib.settings import Settings
from lib.log.sqlite import SqliteLog
from lib.provider.client import SunoClient
from lib.provider.ratelimit import RateLimiter
from lib.media import audio
from lib.tracking.assets import AssetArchiver
from lib.tracking.tracker import Tracker
from simulator.config import SimConfig
from simulator.server import run_in_thread

TRACK_SECONDS = 12.0
MUSIC_OPS = ("generate", "extend", "upload_cover", "add_vocals", "add_instrumental",
             "replace_section")
DEADLINE_S = 30.0


@pytest.fixture(scope="module")
def sim(tmp_path_factory):
    config = SimConfig(speed=200.0, track_seconds=TRACK_SECONDS, credits=100_000,
                       rate_limit_calls=1000, media_dir=tmp_path_factory.mktemp("sim-media"))
    running = run_in_thread(config)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def source_wav(tmp_path_factory) -> bytes:
    """A 12 s stereo tone to upload as the source of cover / add-vocals / add-instrumental."""
    path = tmp_path_factory.mktemp("upload") / "source.wav"
    subprocess.run([audio.ffmpeg_exe(), "-y", "-loglevel", "error", "-f", "lavfi", "-i",
                    f"sine=frequency=330:duration={TRACK_SECONDS}", "-ac", "2", str(path)],
                   check=True)
    return path.read_bytes()


class Receiver:
    """A local callback endpoint: every POSTed JSON body goes to ``tracker.on_callback``."""

    def __init__(self):
        self.tracker: Tracker | None = None
        self.payloads: list = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                payload = json.loads(body or b"null")
                receiver.payloads.append(payload)
                answer = receiver.tracker.on_callback(payload, dict(self.headers))
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/callback"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class Run:
    """One mode's log, client, tracker and callback URL."""

    def __init__(self, sim, root: Path, mode: str):
        self.mode = mode
        self.log = SqliteLog(root / "log.db")
        settings = Settings(base_url=sim.base_url, api_key="sk-e2e-test",
                            dialect="sunoapi" if mode == "polling" else "anyint",
                            db_path=str(root / "log.db"), upload_base_url=sim.base_url,
                            assets_dir=str(root / "assets"))
        self.client = SunoClient(settings, on_event=self.log.log_client_event,
                                 limiter=RateLimiter(1000, 10.0))
        archiver = AssetArchiver(self.log, root / "assets")
        delays = ({"first_delay": 0.05, "factor": 1.5, "max_delay": 0.3} if mode == "polling"
                  else {"first_delay": 3600.0, "max_delay": 3600.0})
        self.tracker = Tracker(self.log, self.client, archiver, **delays)
        self.receiver = Receiver() if mode == "callbacks" else None
        if self.receiver:
            self.receiver.tracker = self.tracker
            self.callback_url = self.receiver.url
        else:
            self.callback_url = "http://127.0.0.1:9/unreachable"  # refused at once

    def submit(self, op: str, values: dict) -> str:
        body = ops.build_body(op, values, self.callback_url)
        assert ops.validate(op, body) == [], (op, ops.validate(op, body))
        return self.tracker.submit(op, body)

    def wait(self, task_ids: list[str]) -> None:
        """Run the tracker until every task is terminal and its assets are archived."""
        deadline = time.monotonic() + DEADLINE_S
        while time.monotonic() < deadline:
            self.tracker.run_once()
            tasks = [self.log.get_task(t) for t in task_ids]
            assets = [a for t in task_ids for a in self.log.assets_for(t)]
            if all(t["state"] in ("succeeded", "failed") for t in tasks) and all(
                    a["status"] in ("done", "failed") for a in assets):
                return
            time.sleep(0.05)
        pending = {t["op"]: (t["state"], t["raw_status"],
                             [(e["kind"], e["note"]) for e in self.log.events_for(t["id"])])
                   for t in (self.log.get_task(i) for i in task_ids)
                   if t["state"] != "succeeded"}
        pytest.fail(f"{self.mode}: not finished after {DEADLINE_S}s: {pending}")

    def close(self):
        if self.receiver:
            self.receiver.close()
        self.client.close()


def _probe_close(path: str, expected: float) -> None:
    info = audio.probe(path)
    assert info.duration == pytest.approx(expected, abs=0.35), (path, info)
    assert info.peak_dbfs > -60, f"{path} is silent"


def _check_music(run: Run, task_id: str, op: str) -> None:
    tracks = run.log.tracks_for(task_id)
    assert len(tracks) == 2, op
    for track in tracks:
        assert track["local_audio_path"] and Path(track["local_audio_path"]).is_file(), op
        assert track["local_image_path"] and Path(track["local_image_path"]).is_file(), op
        _probe_close(track["local_audio_path"], track["duration"])
        if op in ("generate", "upload_cover", "add_vocals", "add_instrumental"):
            assert track["duration"] == pytest.approx(TRACK_SECONDS, abs=0.35), op


def _asset_paths(run: Run, task_id: str, prefix: str) -> dict[str, str]:
    return {a["kind"]: a["local_path"] for a in run.log.assets_for(task_id)
            if a["kind"].startswith(prefix) and a["status"] == "done"}


@pytest.mark.parametrize("mode", ["polling", "callbacks"])
def test_every_operation_end_to_end(sim, source_wav, tmp_path, mode):
    run = Run(sim, tmp_path, mode)
    try:
        _every_operation(run, source_wav)
    finally:
        run.close()


def _every_operation(run: Run, source_wav: bytes) -> None:
    upload = run.client.upload_bytes(source_wav, f"source-{run.mode}.wav")
    up = upload["downloadUrl"]
    first = {
        "generate": run.submit("generate", {
            "customMode": False, "instrumental": False, "model": "V5",
            "prompt": "a calm piano piece about the sea at night"}),
        "lyrics": run.submit("lyrics", {"prompt": "a song about lighthouses"}),
        "style_boost": run.submit("style_boost", {"content": "Pop, Mysterious"}),
        "upload_cover": run.submit("upload_cover", {
            "uploadUrl": up, "customMode": True, "instrumental": True, "model": "V5",
            "style": "lofi jazz", "title": "Covered"}),
        "add_vocals": run.submit("add_vocals", {
            "uploadUrl": up, "prompt": "[Verse] waves and light", "title": "Sung",
            "negativeTags": "metal", "style": "folk"}),
        "add_instrumental": run.submit("add_instrumental", {
            "uploadUrl": up, "title": "Backed", "negativeTags": "metal", "tags": "acoustic"}),
    }
    run.wait(list(first.values()))
    gen = run.log.get_task(first["generate"])
    parent, audio_id = gen["provider_task_id"], run.log.tracks_for(gen["id"])[0]["id"]
    on_track = {"taskId": parent, "audioId": audio_id}
    second = {
        "extend": run.submit("extend", {
            "defaultParamFlag": True, "audioId": audio_id, "continueAt": 6.0, "model": "V5",
            "prompt": "[Bridge] the tide turns", "style": "piano", "title": "Longer"}),
        "replace_section": run.submit("replace_section", {
            **on_track, "prompt": "[Chorus] new words", "tags": "piano", "title": "Fixed",
            "infillStartS": 2.0, "infillEndS": 8.0}),
        "cover_art": run.submit("cover_art", {"taskId": parent}),
        "vocal_removal": run.submit("vocal_removal", on_track),
        "split_stem": run.submit("split_stem", on_track),
        "wav": run.submit("wav", on_track),
        "mp4": run.submit("mp4", {**on_track, "author": "Songbench", "domainName": "sb.test"}),
        "timestamped_lyrics": run.submit("timestamped_lyrics", on_track),
        "persona": run.submit("persona", {**on_track, "name": "Sea Voice",
                                          "description": "calm and low", "vocalStart": 0.0,
                                          "vocalEnd": 10.0}),
    }
    run.wait(list(second.values()))
    tasks = {**first, **second}
    states = {op: run.log.get_task(t)["state"] for op, t in tasks.items()}
    assert set(states.values()) == {"succeeded"}, states

    source_duration = run.log.tracks_for(gen["id"])[0]["duration"]
    for op in MUSIC_OPS:
        _check_music(run, tasks[op], op)

    lyrics = json.loads(run.log.get_task(tasks["lyrics"])["result_json"])
    assert lyrics["variants"] and all(v["text"] for v in lyrics["variants"])
    assert json.loads(run.log.get_task(tasks["style_boost"])["result_json"])["result"]
    assert json.loads(run.log.get_task(tasks["timestamped_lyrics"])["result_json"])[
        "alignedWords"]
    assert json.loads(run.log.get_task(tasks["persona"])["result_json"])["personaId"]

    covers = _asset_paths(run, tasks["cover_art"], "cover:")
    assert covers and all(Path(p).read_bytes()[:4] in (b"\x89PNG", b"\xff\xd8\xff\xe0",
                                                       b"\xff\xd8\xff\xdb") for p in covers.values())
    separated = _asset_paths(run, tasks["vocal_removal"], "stem:")
    assert {"stem:vocal", "stem:instrumental"} <= set(separated)
    split = _asset_paths(run, tasks["split_stem"], "stem:")
    assert len(split) >= 2
    for path in [*separated.values(), *split.values()]:
        assert audio.probe(path).duration == pytest.approx(source_duration, abs=0.35), path
    (wav,) = _asset_paths(run, tasks["wav"], "wav").values()
    _probe_close(wav, source_duration)
    (mp4,) = _asset_paths(run, tasks["mp4"], "mp4").values()
    assert audio.probe(mp4).duration == pytest.approx(source_duration, abs=0.5)

    for op, task_id in tasks.items():
        kinds = [e["kind"] for e in run.log.events_for(task_id)]
        assert kinds[:2] == ["request", "response"], (op, kinds)
    if run.mode == "callbacks":
        _check_callbacks_drove_progress(run, tasks)


def _check_callbacks_drove_progress(run: Run, tasks: dict[str, str]) -> None:
    """Each async task got callbacks, and was only ever polled after one of them."""
    for op, task_id in tasks.items():
        if ops.OPERATIONS[op].sync:
            continue
        events = run.log.events_for(task_id)
        callbacks = [e["at"] for e in events if e["kind"] == "callback"]
        polls = [e["at"] for e in events if e["kind"] == "poll"]
        assert callbacks, f"{op}: no callback reached the tracker"
        assert polls and min(polls) >= min(callbacks), op
    assert run.receiver.payloads
