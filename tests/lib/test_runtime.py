"""lib.app.runtime: the tracker loop wakes at once on a callback; the callback URL hides nothing else."""

from __future__ import annotations

import threading
import time

from lib.app import runtime
from lib.settings import Settings


class FakeTracker:
    def __init__(self):
        self.ticks: list[float] = []
        self.callbacks: list = []
        self.ticked = threading.Event()

    def resume(self):
        return 0

    def run_once(self):
        self.ticks.append(time.monotonic())
        self.ticked.set()
        return 0

    def is_hint(self, payload, local_id):
        return False

    def take_callbacks(self, batch):
        self.callbacks.extend(batch)
        return [{"accepted": True, "due": True} for _ in batch]


def make_runtime(tmp_path, public_url=None):
    settings = Settings(base_url="http://127.0.0.1:9", api_key="k-test", db_path=str(tmp_path / "s.db"),
                        assets_dir=str(tmp_path / "assets"), public_url=public_url)
    return runtime.Runtime(settings)


def test_callback_wakes_the_tracker_loop_at_once(tmp_path, monkeypatch):
    monkeypatch.setattr(runtime, "LOOP_INTERVAL_S", 30.0)
    rt = make_runtime(tmp_path)
    rt.tracker = rt.callbacks.tracker = fake = FakeTracker()
    rt.start_background()
    try:
        assert fake.ticked.wait(5)
        fake.ticked.clear()
        sent = time.monotonic()
        recorded = rt.callbacks.put({"code": 200}, {}, None)  # through the route's inbox
        assert recorded.result(5) == {"accepted": True, "due": True}
        assert fake.ticked.wait(5), "the loop slept through the callback"
        assert fake.ticks[-1] - sent < 2.0
        assert rt.tracker_alive() and rt.health()["tracker_running"]
    finally:
        rt.stop_background()
    assert not rt.tracker_alive()


def test_callback_url_uses_the_public_url_or_a_placeholder(tmp_path):
    assert make_runtime(tmp_path).callback_url == runtime.PLACEHOLDER_CALLBACK
    rt = make_runtime(tmp_path, public_url="https://songbench.example.com/")
    assert rt.callback_url == f"https://songbench.example.com/api/callbacks/{rt.callback_secret}"
    assert "k-test" not in str(rt.health())
