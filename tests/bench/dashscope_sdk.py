"""The official DashScope SDK's poll cadence, as its wait loop implements it (dashscope 2.0.2,
``dashscope/client/base_api.py`` lines 826-908, ``BaseAsyncApi.wait``, which
``BaseAsyncApi.call`` runs after its create (line 663) and ``VideoSynthesis.wait`` calls,
``dashscope/aigc/video_synthesis.py`` line 555): ``wait_seconds = 1``,
``max_wait_seconds = 5``, ``increment_steps = 3``; each step fetches the task at once (the first
fetch right after the create's answer) and, unless the status is one of SUCCEEDED, FAILED,
CANCELED, UNKNOWN, sleeps ``wait_seconds`` (line 898), which doubles on every third step up to
5 s (line 864). Fetches at 0, 1, 2, 4, 6, 8, 12, 16, 20, 25, 30 ... s. No imports: the unit test
of our cadence (`tests/lib/test_video_poll_cadence.py`) uses it too."""

from __future__ import annotations

#: the wait loop's constants (dashscope/client/base_api.py, BaseAsyncApi.wait, lines 851-853)
FIRST_WAIT_S, MAX_WAIT_S, INCREMENT_STEPS = 1, 5, 3


def fetch_times(duration_s: float) -> list[float]:
    """When the SDK's ``wait`` fetches a task that is done ``duration_s`` seconds after its
    create answered: every fetch up to the first that sees the terminal state."""
    t, wait, step, times = 0.0, FIRST_WAIT_S, 0, []
    while True:
        step += 1
        if wait < MAX_WAIT_S and step % INCREMENT_STEPS == 0:
            wait = min(wait * 2, MAX_WAIT_S)
        times.append(t)
        if t >= duration_s:
            return times
        t += wait


def polls(duration_s: float) -> int:
    """The SDK's fetches for a task done ``duration_s`` seconds after its create."""
    return len(fetch_times(duration_s))
