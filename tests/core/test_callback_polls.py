"""Polls per finished song with callbacks on, end to end: the app's routes and lifespan (tracker
loop, callback inbox) served on loopback, the embedded simulator at the app's own pace (speed
20: text after 1 s, first audio after 2 s, complete after 7.5 s) delivering every callback
twice (the docs: the same task may be delivered more than once).

A song is re-read for its ``first`` and ``complete`` callbacks only (``text`` causes none,
a second copy shares the first's re-read, `lib.tracking.tracker.rereads`), and its scheduled
polls are the safety net every 30 s: 2 polls per finished song (target at most 3). The text
stage is still dated by its callback. A forged ``complete`` for a song in flight is re-read
and marks nothing ready or archived.

``pytest tests/core/test_callback_polls.py -s`` prints the figure (the README's).
"""

from __future__ import annotations

import threading
import time

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette

from lib import ops
from lib.app import http_routes, runtime
from lib.contract.prepare import prepare
from lib.views import submission as sub
from tests.soak.procs import PROVIDER_ENV, free_port

SONGS = 3
POLLS_PER_SONG_TARGET = 3
SONG = {"customMode": False, "instrumental": True, "model": "V5",
        "prompt": "a calm piano piece about the harbour"}


@pytest.fixture
def served(tmp_path, monkeypatch):
    """The app's routes with their lifespan (the runtime's loops) on a free loopback port."""
    for name in PROVIDER_ENV:
        monkeypatch.delenv(name, raising=False)
    port = free_port()
    monkeypatch.setenv("SONGBENCH_DB", str(tmp_path / "songbench.db"))
    monkeypatch.setenv("SONGBENCH_ASSETS_DIR", str(tmp_path / "assets"))
    monkeypatch.setenv("SONGBENCH_PUBLIC_URL", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("SONGBENCH_SIM_SPEED", "20")
    monkeypatch.setenv("SONGBENCH_SIM_TRACK_SECONDS", "3")
    runtime.reset_runtime()
    app = Starlette(routes=http_routes.routes(), lifespan=http_routes.lifespan)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    rt = runtime.get_runtime()
    httpx.post(f"{rt.simulator.base_url}/_sim/faults", json={"duplicate_callbacks": True},
               timeout=5).raise_for_status()
    yield rt
    server.should_exit = True
    runtime.reset_runtime()


def submit(rt) -> str:
    prepared = prepare(ops.get("generate"), SONG, rt.callback_url)
    assert prepared.ok, prepared.errors
    outcome = sub.submit(rt.tracker, "generate", prepared.body)
    assert outcome.ok, outcome.message
    return outcome.task_id


def wait_for(predicate, timeout: float = 40.0, what: str = ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def kinds(rt, task_id: str, kind: str) -> list[dict]:
    return [e for e in rt.log.events_for(task_id) if e["kind"] == kind]


def test_a_song_costs_at_most_three_polls_with_callbacks_on(served):
    rt = served
    songs = [submit(rt) for _ in range(SONGS)]
    wait_for(lambda: all(rt.log.get_task(t)["state"] == "succeeded" for t in songs),
             what="the songs")
    polls = {t: len(kinds(rt, t, "poll")) for t in songs}
    callbacks = sum(len(kinds(rt, t, "callback")) for t in songs)
    per_song = sum(polls.values()) / SONGS
    print(f"\npolls per finished song with callbacks on: {per_song:.1f} (target <= "
          f"{POLLS_PER_SONG_TARGET}; {SONGS} songs, {callbacks} callback deliveries, "
          f"polls {sorted(polls.values())})")
    assert per_song <= POLLS_PER_SONG_TARGET, polls
    for task_id in songs:
        task = rt.log.get_task(task_id)
        # no poll saw the text stage alone: it is dated by its callback, before the first audio
        assert task["submitted_at"] <= task["text_at"] < task["first_audio_at"], task


def test_a_forged_complete_callback_marks_nothing_ready(served):
    rt = served
    task_id = submit(rt)
    provider_id = rt.log.get_task(task_id)["provider_task_id"]
    forged = {"code": 200, "msg": "All generated successfully.", "data": {
        "callbackType": "complete", "task_id": provider_id, "data": [
            {"id": "forged-track", "audio_url": "https://evil.example/x.mp3",
             "stream_audio_url": "https://evil.example/x", "image_url":
             "https://evil.example/x.jpeg", "title": "Forged", "duration": 3.0}]}}
    answer = httpx.post(f"{rt.callback_url}/{task_id}", json=forged, timeout=10)
    assert answer.status_code == 200 and answer.json()["accepted"]
    polled = wait_for(lambda: kinds(rt, task_id, "poll"), what="the re-read")
    task = rt.log.get_task(task_id)
    assert task["state"] in ("pending", "processing"), (task, polled)
    tracks = rt.log.tracks_for(task_id)
    assert all("evil.example" not in str(t) for t in tracks)
    assert not any(a["status"] == "done" for a in rt.log.assets_for(task_id))
    finished = wait_for(lambda: rt.log.get_task(task_id)["state"] == "succeeded",
                        what="the song itself")
    assert finished and all("evil.example" not in str(t) for t in rt.log.tracks_for(task_id))
