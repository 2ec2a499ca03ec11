"""Rolling-window limiter: 20 per 10 s, blocking, thread-safe."""

import threading
import time

import pytest

from lib.provider.ratelimit import RateLimiter


class FakeTime:
    """A manual clock whose sleep advances it."""

    def __init__(self):
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def test_twenty_calls_pass_then_the_21st_waits_for_the_oldest():
    t = FakeTime()
    lim = RateLimiter(20, 10.0, clock=t.clock, sleep=t.sleep)
    for _i in range(20):
        assert lim.acquire() == 0.0
        t.now += 0.1  # calls at 1000.0 .. 1001.9
    assert lim.in_window() == 20
    waited = lim.acquire()  # now 1002.0: oldest (1000.0) leaves the window at 1010.0
    assert waited == pytest.approx(8.0)
    assert t.now == pytest.approx(1010.0)
    assert lim.in_window() == 20


def test_window_is_rolling_not_fixed():
    t = FakeTime()
    lim = RateLimiter(2, 10.0, clock=t.clock, sleep=t.sleep)
    lim.acquire()
    t.now += 9
    lim.acquire()
    t.now += 1.5  # first call expired, second still inside
    assert lim.acquire() == 0.0
    assert lim.acquire() == pytest.approx(8.5)  # now 1010.5; the call at 1009 leaves at 1019


def test_in_any_window_at_most_max_calls():
    t = FakeTime()
    lim = RateLimiter(20, 10.0, clock=t.clock, sleep=t.sleep)
    stamps = []
    for _ in range(65):
        lim.acquire()
        stamps.append(t.now)
        t.now += 0.05
    for s in stamps:
        assert sum(1 for x in stamps if s <= x < s + 10.0) <= 20


def test_invalid_arguments():
    with pytest.raises(ValueError):
        RateLimiter(0, 10)
    with pytest.raises(ValueError):
        RateLimiter(1, 0)


def test_thread_safe_under_contention():
    """Real threads and a real (short) window: never more than max_calls inside one window."""
    lim = RateLimiter(5, 0.2)
    stamps: list[float] = []
    lock = threading.Lock()

    def worker():
        for _ in range(3):
            lim.acquire()
            with lock:
                stamps.append(time.monotonic())

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=10)
    assert len(stamps) == 18
    stamps.sort()
    for i in range(len(stamps) - 5):
        assert stamps[i + 5] - stamps[i] >= 0.2 - 1e-3  # the 6th after any call is a window later
