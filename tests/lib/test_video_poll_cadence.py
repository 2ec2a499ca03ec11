"""Our poll cadence for video tasks against the official DashScope SDK's (issue 16's figure,
`tests.bench.video_polling`): the runtime's tracker (its default schedule, one tick per
`LOOP_INTERVAL_S`) polls a DashScope or Kling video task that takes D seconds at most as often
as the SDK's wait loop would (`tests.bench.dashscope_sdk`), sees its end within one capped
interval (it does not poll much less often than needed either), and never polls it again once
it is terminal. The gateway is an httpx.MockTransport answering by the tracker's clock."""

from __future__ import annotations

import math
import re
from pathlib import Path

import httpx
import pytest
from tenacity import wait_none

from lib.app.runtime import LOOP_INTERVAL_S
from lib.log.sqlite import SqliteLog
from lib.provider.hub import Providers
from lib.settings import load_settings
from lib.tracking.tracker import Tracker
from tests.bench import dashscope_sdk

GATEWAY = "https://gateway.media.test"
DURATIONS = (1.0, 3.0, 7.5, 10.0, 19.0, 30.0, 44.0, 60.0, 95.0, 120.0, 181.0, 300.0, 600.0)
#: a finished video is seen at most this long after its end (the schedule's 30 s cap)
LAG_S = 30.0
AFTER_S = 300.0  # watched this long after the last task ended
BODIES = {
    "video_t2v": {"model": "wan2.6-t2v", "prompt": "a vinyl record", "size": "1280*720",
                  "duration": 5},
    "video_i2v": {"model": "wan2.6-i2v-flash", "prompt": "alive", "resolution": "720P",
                  "img_url": "https://cdn.test/poster.png", "duration": 5},
    "kling_t2v": {"model_name": "kling-v3", "prompt": "a drummer", "mode": "std",
                  "duration": 5, "aspect_ratio": "16:9"},
}


class NoLimit:
    def acquire(self, *args, **kwargs) -> None:
        return None

    def __getattr__(self, name):
        return lambda *args, **kwargs: None


class Gateway:
    """Creates answer a new task id; a task's poll says RUNNING (``processing``) until its
    duration has passed on the tracker's clock, then SUCCEEDED with its video."""

    def __init__(self, clock: list[float]) -> None:
        self.clock = clock
        self.durations: list[float] = []
        self.done_at: dict[str, float] = {}
        self.polls: dict[str, list[float]] = {}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        kling = "/kling/" in request.url.path
        if request.method == "POST":
            task_id = f"t{len(self.done_at)}"
            self.done_at[task_id] = self.clock[0] + self.durations.pop(0)
            self.polls[task_id] = []
            if kling:
                return httpx.Response(200, json={"code": 0, "message": "SUCCEED", "data": {
                    "task_id": task_id, "task_status": "submitted"}})
            return httpx.Response(200, json={"output": {"task_id": task_id,
                                                        "task_status": "PENDING"},
                                             "request_id": "r"})
        task_id = request.url.path.rsplit("/", 1)[-1]
        self.polls[task_id].append(self.clock[0])
        done = self.clock[0] >= self.done_at[task_id]
        if kling:
            data = {"task_id": task_id, "task_status": "succeed" if done else "processing"}
            if done:
                data["task_result"] = {"videos": [{"id": "v", "url": "https://cdn.test/v.mp4",
                                                   "duration": "5"}]}
            return httpx.Response(200, json={"code": 0, "message": "SUCCEED", "data": data})
        output = {"task_id": task_id, "task_status": "SUCCEEDED" if done else "RUNNING"}
        if done:
            output["video_url"] = "https://cdn.test/v.mp4"
        return httpx.Response(200, json={"output": output, "request_id": "r"})


@pytest.mark.parametrize("op", sorted(BODIES))
def test_video_tasks_are_polled_no_more_often_than_the_sdk_and_never_after_their_end(
        tmp_path, op):
    clock = [1_000_000.0]
    gateway = Gateway(clock)
    settings = load_settings(env={"SONGBENCH_MEDIA_BASE_URL": GATEWAY,
                                  "SONGBENCH_MEDIA_API_KEY": "k"}, secrets={})
    providers = Providers(settings, transport=httpx.MockTransport(gateway), sleep=lambda s: None,
                          wait=wait_none(), limiters={"dashscope": NoLimit(), "kling": NoLimit()})
    log = SqliteLog(tmp_path / "log.db")
    # the runtime's tracker: its default schedule (lib.app.runtime builds it so)
    tracker = Tracker(log, providers, clock=lambda: clock[0])
    tasks = {}
    for duration in DURATIONS:
        gateway.durations.append(duration)
        task_id = tracker.submit(op, BODIES[op])
        tasks[task_id] = duration
    while True:  # tick by tick, skipping the ticks where nothing is due
        waiting = [r["next_poll_at"] for r in log.list_tasks(limit=100)
                   if r["state"] not in ("succeeded", "failed") and r["next_poll_at"]]
        if not waiting:
            break
        clock[0] += max(1, math.ceil((min(waiting) - clock[0]) / LOOP_INTERVAL_S)) * \
            LOOP_INTERVAL_S
        tracker.run_once()
    for _ in range(int(AFTER_S / 10)):  # then time passes: nothing is polled any more
        clock[0] += 10
        tracker.run_once()
    for task_id, duration in tasks.items():
        row = log.get_task(task_id)
        provider_id = row["provider_task_id"]
        polls = gateway.polls[provider_id]
        assert row["state"] == "succeeded", (duration, row)
        seen = [t for t in polls if t >= gateway.done_at[provider_id]]
        sdk = dashscope_sdk.polls(duration)
        assert len(polls) <= sdk, f"{op}, {duration} s: {len(polls)} polls, the SDK {sdk}"
        assert len(seen) == 1, (op, duration, polls)  # one poll saw the end, none after it
        # seen at most 30 s (one capped interval) and a tick after its end: not too rarely
        assert seen[0] - gateway.done_at[provider_id] <= LAG_S + LOOP_INTERVAL_S, \
            (op, duration, polls)


def test_the_sdk_cadence_is_the_installed_sdks_wait_loop():
    """The constants `tests.bench.dashscope_sdk` copies are the installed SDK's."""
    dashscope = pytest.importorskip("dashscope")
    source = (Path(dashscope.__file__).parent / "client" / "base_api.py").read_text()
    wait = source[source.index("    def wait(\n        cls,\n        task: Union[str, "
                               "DashScopeAPIResponse]"):]
    assert re.search(r"wait_seconds = 1\n\s+max_wait_seconds = 5\n\s+increment_steps = 3",
                     wait)
    assert "wait_seconds = min(wait_seconds * 2, max_wait_seconds)" in wait
    assert dashscope_sdk.fetch_times(30.5) == [0, 1, 2, 4, 6, 8, 12, 16, 20, 25, 30, 35]
