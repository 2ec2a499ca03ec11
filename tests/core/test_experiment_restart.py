"""An experiment's queue survives a restart of the app: cells sent before stay sent (never
resent), a cell claimed by the process that died is queued again, the rest go out after the
restart, and every task finishes."""

from __future__ import annotations

import time

import pytest

from lib.app import runtime
from lib.experiments import grid, service

BASE = {"customMode": True, "instrumental": False, "model": "V5", "prompt": "a restart test",
        "title": "Restart"}  # custom mode: the style axis counts


@pytest.fixture
def data(fresh_data):
    return fresh_data(3)


def test_the_queue_resumes_after_a_restart(data):
    rt = runtime.get_runtime()
    axis, _ = grid.parse_axis("generate", "style", "rock\njazz\nfolk")
    setup = service.Setup(name="Restart", op="generate", base=BASE, axes=[axis], repeats=2)
    exp = service.create(rt.log, setup, grid.plan("generate", BASE, grid.expand([axis]), 2))
    assert rt.queue.send_one() and rt.queue.send_one()  # two sent before the "crash"
    dead_claim = rt.log.claim_cell(now=time.time() - 120)  # claimed, then the process died
    assert dead_claim is not None
    runtime.reset_runtime()

    rt = runtime.get_runtime()  # the app starts again on the same folder
    rt.start_background()
    try:
        assert service.wait(rt.log, exp, timeout=90, every=0.2)
    finally:
        rt.stop_background()
    tasks = rt.log.experiment_tasks(exp)
    assert sorted((t["variant"], t["repeat_no"]) for t in tasks) == sorted(
        (v, r) for v in ("rock", "jazz", "folk") for r in (1, 2))
    assert {t["state"] for t in tasks} == {"succeeded"}
    assert len({t["provider_task_id"] for t in tasks}) == 6
    assert {c["status"] for c in rt.log.experiment_cells(exp)} == {"sent"}
    assert rt.log.get_experiment(exp)["status"] == "done"
