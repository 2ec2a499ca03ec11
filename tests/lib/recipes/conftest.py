"""A runtime on a fast simulator (music, text and media all simulated) with a temp log, and
`drive`: the tracker and the recipe runner ticked until a run ends."""

from __future__ import annotations

import pytest

from lib.app import runtime
from lib.settings import Settings
from tests.helpers import drive_run


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


drive = drive_run  # the tracker and the runner ticked until the run ends
