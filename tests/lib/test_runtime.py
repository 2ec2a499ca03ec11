"""lib.app.runtime: the tracker loop wakes at once on a callback; the callback URL hides nothing else."""

from __future__ import annotations

import threading
import time

from lib.app import runtime
from lib.settings import Settings
from lib.tracking import inbox


class Ticks:
    """Stands in for the real tracker's ``run_once`` in the runtime's loop: records its ticks."""

    def __init__(self):
        self.at: list[float] = []
        self.ticked = threading.Event()

    def __call__(self, now=None):
        self.at.append(time.monotonic())
        self.ticked.set()
        return 0


def make_runtime(tmp_path, public_url=None):
    settings = Settings(base_url="http://127.0.0.1:9", api_key="k-test", db_path=str(tmp_path / "s.db"),
                        assets_dir=str(tmp_path / "assets"), public_url=public_url)
    return runtime.Runtime(settings)


def _callback(kind: str, provider_id: str) -> dict:
    return {"code": 200, "msg": "ok", "data": {"callbackType": kind, "task_id": provider_id,
                                                "data": []}}


def test_a_callback_that_makes_a_task_due_wakes_the_loop_at_once_one_that_does_not_does_not(
        tmp_path, monkeypatch):
    monkeypatch.setattr(runtime, "LOOP_INTERVAL_S", 30.0)
    rt = make_runtime(tmp_path)
    task_id = rt.log.create_task("generate", "music", {"prompt": "x"})
    rt.log.mark_submitted(task_id, "prov-1", next_poll_at=None)
    monkeypatch.setattr(rt.tracker, "run_once", ticks := Ticks())
    rt.start_background()
    try:
        assert ticks.ticked.wait(5)
        ticks.ticked.clear()
        text = rt.callbacks.put(_callback("text", "prov-1"), {}, task_id)  # asks for nothing
        assert text.result(5) == {"accepted": True, "due": False, "linked": False}
        assert not ticks.ticked.wait(1.0), "a callback that made nothing due woke the loop"
        sent = time.monotonic()
        # the task's provider id is known now: a hint, answered at once, recorded after
        assert rt.callbacks.put(_callback("first", "prov-1"), {}, task_id) == inbox.QUEUED
        assert ticks.ticked.wait(5), "the loop slept through the callback"
        assert ticks.at[-1] - sent < 2.0
        assert rt.tracker_alive() and rt.health()["tracker_running"]
    finally:
        rt.stop_background()
    assert not rt.tracker_alive()


def test_callback_url_uses_the_public_url_or_a_placeholder(tmp_path):
    assert make_runtime(tmp_path).callback_url == runtime.PLACEHOLDER_CALLBACK
    rt = make_runtime(tmp_path, public_url="https://songbench.example.com/")
    assert rt.callback_url == f"https://songbench.example.com/api/callbacks/{rt.callback_secret}"
    assert "k-test" not in str(rt.health())
