"""Earlier work survives a restart of the app: generate a song, stop the whole runtime (tracker,
embedded simulator), start it again on the same data folder, then extend, convert to WAV and
make a persona from the old track - all accepted and finished, on the same simulator port, with
the old media URLs still serving.
"""

from __future__ import annotations

import time

import httpx
import pytest

from lib import ops
from lib.app import runtime
from lib.contract.prepare import prepare
from lib.views import submission as sub

DEADLINE_S = 60.0


@pytest.fixture
def data(fresh_data):
    return fresh_data(12)  # a persona needs 10 s


def finish(rt, task_id: str) -> dict:
    deadline = time.monotonic() + DEADLINE_S
    while time.monotonic() < deadline:
        rt.tracker.run_once(now=time.time() + 10_000)
        task = rt.log.get_task(task_id)
        if task["state"] in ("succeeded", "failed"):
            return task
        time.sleep(0.05)
    raise AssertionError(f"not finished: {rt.log.get_task(task_id)}")


def submit(rt, op: str, values: dict, source=None) -> dict:
    prepared = prepare(ops.get(op), values, rt.callback_url,
                       duration=source.duration if source else None,
                       source_model=source.model if source else None)
    assert prepared.ok, prepared.errors
    outcome = sub.submit(rt.tracker, op, prepared.body)
    assert outcome.ok, outcome.message
    return finish(rt, outcome.task_id)


def test_extend_wav_and_persona_on_a_track_made_before_the_restart(data):
    rt = runtime.get_runtime()
    song = submit(rt, "generate", {"customMode": False, "instrumental": False, "model": "V5",
                                   "prompt": "a song about coming back"})
    assert song["state"] == "succeeded"
    old = sub.finished_tracks(rt.log)[0]
    port = rt.simulator.base_url
    runtime.reset_runtime()  # the app stops: tracker and embedded simulator

    rt = runtime.get_runtime()  # ... and starts again on the same data folder
    assert rt.simulator.base_url == port  # same port: the stored URLs still point at it
    assert httpx.get(old.audio_url, timeout=10).status_code == 200
    source = sub.source_for(rt.log, old.audio_id)
    assert source.finished
    for op, extra in (("extend", {}), ("wav", {}),
                      ("persona", {"description": "warm and close"})):
        values = {**sub.prefill(op, source), **extra}
        task = submit(rt, op, values, source)
        assert task["state"] == "succeeded", (op, task["error_message"])
    assert sub.personas(rt.log), "the persona made after the restart is offered"
