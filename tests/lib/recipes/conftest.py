"""A runtime on a fast simulator (music, text and media all simulated) with a temp log, and
`drive`: the tracker and the recipe runner ticked until a run ends."""

from __future__ import annotations

import time

import pytest

from lib.app import runtime
from lib.recipes import progress
from lib.settings import Settings


def make_runtime(tmp_path, base_url: str) -> runtime.Runtime:
    settings = Settings(base_url=base_url, db_path=str(tmp_path / "s.db"),
                        assets_dir=str(tmp_path / "assets"), use_simulator=True)
    made = runtime.Runtime(settings.with_simulator(base_url))
    # the QA scorecard and the waveform of each archived take are tested elsewhere: here
    # they only slow the runs down
    made.archiver.on_audio, made.archiver.waveforms = None, False
    return made


@pytest.fixture
def rt(tmp_path, simulator):
    made = make_runtime(tmp_path, simulator.base_url)
    yield made
    made.recipes.stop()
    made.providers.close()


def drive(rt, run_id: str, timeout: float = 60.0, until=None) -> progress.RunView:
    """Tick the tracker (clock pushed ahead, so polls are due at once) and the runner (steps
    started in this thread) until the run is no longer running (or ``until(view)``)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        rt.tracker.run_once(now=time.time() + 10_000)
        rt.recipes.run_once(wait=True)
        view = progress.load(rt.log, run_id)
        if until is not None and until(view):
            return view
        if until is None and view.status != "running":
            return view
        time.sleep(0.02)
    raise AssertionError(f"run {run_id} did not end: {progress.describe(view)}")
