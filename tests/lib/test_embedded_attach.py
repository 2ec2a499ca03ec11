"""lib.app.embedded.attach_or_start: the command line talks to the app's simulator when the app
runs (one simulator per data folder), else starts its own."""

from __future__ import annotations

import httpx

from lib.settings import Settings
from lib.app.embedded import AttachedSimulator, attach_or_start, simulator_dir
from simulator.config import SimConfig
from simulator.server import run_in_thread
from tests.conftest import FAST


def settings(tmp_path) -> Settings:
    return Settings(base_url="https://api.sunoapi.org", db_path=str(tmp_path / "songbench.db"),
                    use_simulator=True)


def test_attaches_to_the_simulator_that_serves_the_folder(tmp_path):
    s = settings(tmp_path)
    app_sim = run_in_thread(SimConfig(**{**FAST, "data_dir": simulator_dir(s)}))
    try:
        handle = attach_or_start(s)
        assert isinstance(handle, AttachedSimulator) and handle.base_url == app_sim.base_url
        handle.stop()  # not ours: it keeps serving
        assert httpx.get(f"{app_sim.base_url}/_sim/config", timeout=5).status_code == 200
    finally:
        app_sim.stop()


def test_starts_its_own_when_none_serves_the_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("SONGBENCH_SIM_SPEED", "400")
    s = settings(tmp_path)
    handle = attach_or_start(s)
    try:
        assert not isinstance(handle, AttachedSimulator)
        assert handle.sim.persistence.dir == simulator_dir(s)
        # and a second caller now attaches to it instead of failing on the folder's lock
        again = attach_or_start(s)
        assert isinstance(again, AttachedSimulator) and again.base_url == handle.base_url
    finally:
        handle.stop()
