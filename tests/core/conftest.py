"""Runtime tests that restart: a fresh data folder with the provider unset (the embedded
simulator runs, fast) and the runtime reset around the test."""

from __future__ import annotations

import pytest

from lib.app import runtime

PROVIDER_ENV = ("SONGBENCH_API_KEY", "SONGBENCH_API_BASE_URL", "SONGBENCH_API_DIALECT",
                "SONGBENCH_PUBLIC_URL", "SONGBENCH_UPLOAD_BASE_URL", "SONGBENCH_SIM_PORT")


@pytest.fixture
def fresh_data(tmp_path, monkeypatch):
    """A function ``(track_seconds) -> data folder`` setting up the environment for one test."""

    def setup(track_seconds: int) -> object:
        for name in PROVIDER_ENV:
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("SONGBENCH_DB", str(tmp_path / "songbench.db"))
        monkeypatch.setenv("SONGBENCH_ASSETS_DIR", str(tmp_path / "assets"))
        monkeypatch.setenv("SONGBENCH_SIM_SPEED", "300")
        monkeypatch.setenv("SONGBENCH_SIM_TRACK_SECONDS", str(track_seconds))
        runtime.reset_runtime()
        return tmp_path

    yield setup
    runtime.reset_runtime()
