"""Rolling-window rate limiters (the provider allows 20 create calls per 10 s).

* `RateLimiter` - in memory, thread-safe: one process;
* `SharedRateLimiter` - the slots live in a store every process shares (the task log's
  `take_rate_slot`), so the app's tabs, its experiment queue and a command-line run together
  stay under the limit. A small margin widens the window: a request that waited for the
  network must not land inside the provider's window of the one 20 calls before it.
"""

from __future__ import annotations

import collections
import threading
import time
from collections.abc import Callable
from typing import Protocol


class Limiter(Protocol):
    """What the client needs: block until one create may be sent."""

    def acquire(self) -> float:
        """Take a slot, waiting as needed; returns the seconds waited."""
        ...

    def acquire_background(self) -> float:
        """`acquire` for work nobody is watching (the experiment queue): it lets a person's
        create of this process go first."""
        ...


class RateLimiter:
    """At most ``max_calls`` acquisitions in any rolling ``period`` seconds.

    :meth:`acquire` blocks (via the injectable ``sleep``) until a slot frees. ``clock`` must be
    monotonic. Threads waiting for a slot do not hold the lock while sleeping.
    """

    def __init__(self, max_calls: int = 20, period: float = 10.0, *,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        if max_calls < 1 or period <= 0:
            raise ValueError("max_calls must be >= 1 and period > 0")
        self.max_calls = max_calls
        self.period = period
        self._clock = clock
        self._sleep = sleep
        self._calls: collections.deque[float] = collections.deque()
        self._lock = threading.Lock()

    def _try(self) -> float:
        """Take a slot and return 0, or return how long to wait before trying again."""
        with self._lock:
            now = self._clock()
            while self._calls and self._calls[0] <= now - self.period:
                self._calls.popleft()
            if len(self._calls) < self.max_calls:
                self._calls.append(now)
                return 0.0
            return max(self._calls[0] + self.period - now, 1e-3)

    def acquire(self) -> float:
        """Block until a slot is free and take it. Returns the total seconds waited."""
        waited = 0.0
        while (delay := self._try()) > 0:
            self._sleep(delay)
            waited += delay
        return waited

    def acquire_background(self) -> float:
        """No priorities in memory: the same as `acquire`."""
        return self.acquire()

    def in_window(self) -> int:
        """How many calls the current window holds (for display)."""
        with self._lock:
            now = self._clock()
            return sum(1 for t in self._calls if t > now - self.period)


#: How often a background caller looks again while it waits (or steps aside).
BACKGROUND_STEP_S = 0.1
#: Slots of each window the experiment queue leaves to people (a create by hand goes at once).
PEOPLE_RESERVE = 1
#: Added to the window of the shared limiter (network jitter between us and the provider).
SHARED_MARGIN_S = 0.5


class SharedRateLimiter:
    """At most ``max_calls`` per rolling ``period + margin`` s across every user of ``take``.

    ``take(max_calls, period, now)`` takes a slot atomically and returns 0, or the seconds to
    wait before trying again (`lib.log.TaskLog.take_rate_slot`). ``clock`` is wall time: the
    slots are compared across processes.
    """

    def __init__(self, take: Callable[..., float], max_calls: int = 20, period: float = 10.0, *,
                 margin: float = SHARED_MARGIN_S, reserve: int = PEOPLE_RESERVE,
                 clock: Callable[[], float] = time.time,
                 sleep: Callable[[float], None] = time.sleep):
        if max_calls < 1 or period <= 0 or margin < 0 or not 0 <= reserve < max_calls:
            raise ValueError("max_calls must be >= 1, period > 0, margin >= 0 and "
                             "0 <= reserve < max_calls")
        self.max_calls = max_calls
        #: background callers leave this many slots of each window to people
        self.reserve = reserve
        self.period = period + margin
        self._take = take
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._foreground = 0  # people of this process waiting for a slot

    def acquire(self) -> float:
        """Take a slot as soon as one frees (a person is waiting for this create)."""
        with self._lock:
            self._foreground += 1
        try:
            waited = 0.0
            while (delay := self._take(self.max_calls, self.period, now=self._clock())) > 0:
                self._sleep(delay)
                waited += delay
            return waited
        finally:
            with self._lock:
                self._foreground -= 1

    def acquire_background(self) -> float:
        """Take a slot for work nobody watches: never one of the `reserve` last slots of a
        window (kept for people, in every process), and never while a person of this process
        waits for one (it looks every `BACKGROUND_STEP_S` and steps aside)."""
        waited = 0.0
        ready_at = self._clock()
        while True:
            with self._lock:
                yielding = self._foreground > 0
            if not yielding and self._clock() >= ready_at:
                delay = self._take(self.max_calls - self.reserve, self.period,
                                   now=self._clock())
                if delay <= 0:
                    return waited
                ready_at = self._clock() + delay
            step = min(max(ready_at - self._clock(), 0.0), BACKGROUND_STEP_S) or BACKGROUND_STEP_S
            self._sleep(step)
            waited += step
