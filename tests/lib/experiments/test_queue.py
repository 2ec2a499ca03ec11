"""lib.experiments.queue with the real log, tracker and client over a fake provider, on a fake
clock: the create limit across senders and tabs, pause, resume, cancel, crash recovery."""

from __future__ import annotations

import json

import httpx
import pytest
from tenacity import wait_none

from lib.settings import Settings
from lib.experiments import grid, service
from lib.experiments.queue import QueueRunner
from lib.log import CellRef
from lib.log.sqlite import SqliteLog
from lib.provider.client import SunoClient
from lib.provider.ratelimit import SharedRateLimiter
from lib.tracking.tracker import Tracker

BASE = {"customMode": True, "instrumental": False, "model": "V5", "prompt": "a calm piano",
        "title": "Calm"}  # custom mode: the style axes count
CALLBACK = "http://127.0.0.1:9/api/callbacks/s3cret"


class Clock:
    def __init__(self, t: float = 1_000_000.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.t += seconds


class Provider:
    """Accepts every create (or answers with ``create``), remembering when it came."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.posts: list[tuple[float, dict]] = []
        self.create = None

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            self.posts.append((self.clock(), json.loads(request.content)))
            if self.create is not None:
                return self.create(request)
            return httpx.Response(200, json={"code": 200, "msg": "success",
                                             "data": {"taskId": f"prov-{len(self.posts)}"}})
        return httpx.Response(200, json={"code": 200, "msg": "success", "data": {
            "taskId": request.url.params.get("taskId"), "status": "PENDING"}})


@pytest.fixture
def env(tmp_path):
    clock = Clock()
    log = SqliteLog(tmp_path / "log.db")
    provider = Provider(clock)
    settings = Settings(base_url="http://provider.test", api_key="sk-test",
                        db_path=str(tmp_path / "log.db"))
    limiter = SharedRateLimiter(log.take_rate_slot, clock=clock, sleep=clock.sleep)
    client = SunoClient(settings, transport=httpx.MockTransport(provider), limiter=limiter,
                        on_event=log.log_client_event, sleep=clock.sleep, wait=wait_none())
    tracker = Tracker(log, client, clock=clock, callback_base=CALLBACK)
    queue = QueueRunner(log, tracker, limiter, lambda: CALLBACK, clock=clock, idle=0)
    return log, provider, tracker, queue, clock


def queue_grid(log, styles, repeats=1, name="exp"):
    a, _ = grid.parse_axis("generate", "style", "\n".join(styles))
    setup = service.Setup(name=name, op="generate", base=BASE, axes=[a], repeats=repeats)
    plan = grid.plan("generate", BASE, grid.expand([a]), repeats)
    return service.create(log, setup, plan)


def max_in_window(times, period=10.0):
    times = sorted(times)
    return max(sum(1 for u in times if t <= u < t + period) for t in times)


def test_drain_sends_each_cell_once_with_its_experiment_variant_and_repeat(env):
    log, provider, _, queue, _ = env
    exp = queue_grid(log, ["rock", "jazz"], repeats=2)
    assert queue.drain() == 4
    assert len(provider.posts) == 4
    tasks = log.experiment_tasks(exp)
    assert sorted((t["variant"], t["repeat_no"]) for t in tasks) == [
        ("jazz", 1), ("jazz", 2), ("rock", 1), ("rock", 2)]
    assert all(t["provider_task_id"] and t["state"] == "pending" for t in tasks)
    # each body names its own task in the callback URL, and carries the variant's style
    for (_, body), task in zip(provider.posts, tasks, strict=True):
        assert body["callBackUrl"] == f"{CALLBACK}/{task['id']}"
        assert body["style"] == task["variant"]
    assert {c["status"] for c in log.experiment_cells(exp)} == {"sent"}
    assert log.get_experiment(exp)["status"] == "done"
    assert queue.drain() == 0 and len(provider.posts) == 4


def test_200_creates_stay_under_the_limit_and_take_what_it_allows(env):
    log, provider, _, queue, clock = env
    start = clock()
    queue_grid(log, [f"style {i}" for i in range(20)], repeats=10)
    assert queue.drain() == 200
    times = [t for t, _ in provider.posts]
    assert max_in_window(times) == 19  # one slot of each window is left to people
    # the first 19 at once, then 19 per 10.5 s window: 10 waits
    assert times[-1] - start == pytest.approx(105.0, abs=0.01)


def test_other_tabs_share_the_limit(env):
    log, provider, tracker, queue, _ = env
    for _ in range(15):  # another tab submitting by hand, through the same log
        tracker.submit("generate", {**BASE, "callBackUrl": CALLBACK})
    queue_grid(log, ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"])
    queue.drain()
    assert len(provider.posts) == 25
    assert max_in_window([t for t, _ in provider.posts]) == 19



def test_the_queue_leaves_a_slot_of_each_window_to_people(env):
    log, provider, tracker, queue, clock = env
    queue_grid(log, [f"s{i}" for i in range(25)])
    assert queue.send_one() is not None
    start = clock()
    for _ in range(18):
        queue.send_one()
    assert clock() == start and len(provider.posts) == 19
    tracker.submit("generate", {**BASE, "callBackUrl": CALLBACK})  # a person, right now
    assert len(provider.posts) == 20 and clock() == start, "the person did not wait"
    queue.send_one()  # the queue waits for the next window
    assert clock() > start + 10


def test_pause_resume_and_cancel(env):
    log, provider, _, queue, _ = env
    exp = queue_grid(log, ["rock", "jazz", "folk"])
    assert queue.send_one() is not None
    assert service.pause(log, exp)
    assert queue.send_one() is None and len(provider.posts) == 1
    assert log.queued_count() == 0  # paused cells are not due
    assert service.resume(log, exp)
    assert queue.send_one() is not None and len(provider.posts) == 2
    assert service.cancel(log, exp)
    assert queue.drain() == 0 and len(provider.posts) == 2
    assert [c["status"] for c in log.experiment_cells(exp)] == ["sent", "sent", "cancelled"]
    assert not service.resume(log, exp), "a cancelled experiment stays cancelled"


def test_a_cell_paused_while_it_waited_for_its_slot_goes_back_unsent(env):
    log, provider, _, queue, _ = env
    exp = queue_grid(log, ["rock"])

    class PausingLimiter:
        def acquire_background(self):
            service.pause(log, exp)
            return 0.0

    queue.limiter = PausingLimiter()
    assert queue.send_one() is None
    assert provider.posts == []
    [cell] = log.experiment_cells(exp)
    assert cell["status"] == "queued" and cell["task_id"] is None


def test_a_crash_between_claim_and_task_row_requeues_the_cell(env):
    log, provider, _, queue, clock = env
    exp = queue_grid(log, ["rock", "jazz"])
    claimed = log.claim_cell(now=clock())  # the sender dies here: no task row, nothing sent
    assert claimed["status"] == "sending"
    assert log.recover_cells(now=clock() + 5) == 0, "a fresh claim may be a live sender's"
    clock.t += 61
    queue.housekeeping(force=True)
    assert queue.drain() == 2
    assert sorted(b["style"] for _, b in provider.posts) == ["jazz", "rock"]
    assert len(log.experiment_tasks(exp)) == 2


def test_a_crash_after_the_task_row_never_resends(env):
    log, provider, tracker, queue, clock = env
    exp = queue_grid(log, ["rock"])
    cell = log.claim_cell(now=clock())
    # the task row (and so the cell's "sent") is written, then the process dies mid-request
    log.create_task("generate", "music", BASE, task_id=cell["task_id"],
                    cell=CellRef(cell["id"], exp, "rock", 1), now=clock())
    clock.t += 121
    queue.housekeeping(force=True)
    assert queue.drain() == 0 and provider.posts == []
    [row] = log.experiment_tasks(exp)
    assert row["variant"] == "rock"
    tracker.run_once()  # the tracker's own rule: an unsent-looking pending row becomes unknown
    assert log.get_task(row["id"])["state"] == "unknown"


def test_an_uncertain_answer_is_unknown_and_never_resent(env):
    log, provider, _, queue, _ = env
    provider.create = lambda request: httpx.Response(502, text="<html>Bad gateway</html>")
    exp = queue_grid(log, ["rock", "jazz"])
    assert queue.drain() == 2
    assert len(provider.posts) == 2
    assert [t["state"] for t in log.experiment_tasks(exp)] == ["unknown", "unknown"]
    assert queue.drain() == 0 and len(provider.posts) == 2


def test_rerun_a_variant_continues_its_repeats(env):
    log, provider, _, queue, _ = env
    exp = queue_grid(log, ["rock", "jazz"], repeats=2)
    queue.drain()
    assert service.rerun_variant(log, exp, "jazz", 2) == 2
    assert log.get_experiment(exp)["status"] == "running"
    assert queue.drain() == 2
    jazz = sorted(t["repeat_no"] for t in log.experiment_tasks(exp) if t["variant"] == "jazz")
    assert jazz == [1, 2, 3, 4]


def test_clone_gives_back_the_setup(env):
    log, *_ = env
    exp = queue_grid(log, ["rock", "jazz"], repeats=3, name="Styles")
    setup = service.setup_of(log.get_experiment(exp))
    assert setup.name == "Styles (copy)" and setup.repeats == 3 and setup.base == BASE
    assert [(a.field, a.values) for a in setup.axes] == [("style", ("rock", "jazz"))]
    assert service.find(log, exp[:8])["id"] == exp
    assert service.find(log, exp[:3]) is None


def test_a_persons_create_goes_before_the_queue(tmp_path):
    """Two threads want the next slot: the queue's sender steps aside for the person."""
    import threading
    import time

    log = SqliteLog(tmp_path / "log.db")
    limiter = SharedRateLimiter(log.take_rate_slot, max_calls=1, period=0.6, margin=0.0,
                                reserve=0)
    limiter.acquire()  # the window is full for 0.6 s
    order: list[str] = []
    background = threading.Thread(target=lambda: (limiter.acquire_background(),
                                                  order.append("queue")))
    background.start()
    time.sleep(0.1)  # the queue is waiting first
    person = threading.Thread(target=lambda: (limiter.acquire(), order.append("person")))
    person.start()
    person.join(5)
    background.join(5)
    assert order == ["person", "queue"]
