"""The experiment queue against the provider's create limit (`make bench`).

A real simulator (`simulator.server.run_in_thread`, its per-key limit of 20 creates per 10 s ON,
fast stages) and the app's real runtime (`lib.app.runtime.Runtime`: `SunoClient`, the
`SharedRateLimiter` on the task log, the tracker loop and the `QueueRunner` with its 4 senders).
One experiment of 200 cells (20 variants x 10 repeats) is queued and the runtime sends it.

The simulator's create route is wrapped to stamp every create as it arrives (before its limit
check), so the figures are the provider's view:

* time to send all 200 (from the senders' start to the last create accepted), against the
  100 s the limit allows (200 / 20 per 10 s; with a second tab, its creates count too).
  Target: within 10 %, <= 110 s;
* the most creates in any 10 s window as received. Target: <= 20;
* creates answered 430 (call frequency too high). Target: 0.

Run 2 does the same while another thread submits interactive creates through the same runtime
(a second tab on the Generate page) every few seconds: the same targets hold for everything the
simulator received, and it prints how long those interactive creates waited.

``python -m tests.bench.experiment_queue [N]`` runs it alone (N cells, default 200).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

CELLS = 200
VARIANTS = 20
LIMIT_CALLS, LIMIT_PERIOD_S = 20, 10.0
TARGET_SLACK = 1.10
INTERACTIVE_EVERY_S = 3.0
DEAD_CALLBACK = "http://127.0.0.1:9"  # nothing listens: callbacks fail at once, polling works
BASE = {"customMode": False, "instrumental": False, "model": "V5",
        "prompt": "a song about the northern sea"}


def max_in_window(times: list[float], period: float = LIMIT_PERIOD_S) -> int:
    """The most events in any closed window of ``period`` s (the simulator counts a call made
    exactly ``period`` s after another as inside the window)."""
    times = sorted(times)
    best, lo = 0, 0
    for hi, t in enumerate(times):
        while t - times[lo] > period:
            lo += 1
        best = max(best, hi - lo + 1)
    return best


class Stamps:
    """Every create the simulator received: (wall time, accepted by its limit)."""

    def __init__(self, engine: Any) -> None:
        self._lock = threading.Lock()
        self.calls: list[tuple[float, bool]] = []
        original = engine.rate_ok

        def rate_ok(key: str) -> bool:
            at = time.time()
            ok = original(key)
            with self._lock:
                self.calls.append((at, ok))
            return ok

        engine.rate_ok = rate_ok  # the create route looks it up on the engine per call


def run_once(cells: int, interactive: bool, out: Callable[[str], object]) -> dict[str, Any]:
    from lib.settings import Settings
    from lib.app.runtime import Runtime
    from lib.experiments import grid, service
    from simulator.config import SimConfig
    from simulator.server import run_in_thread

    tmp = Path(tempfile.mkdtemp(prefix="songbench-bench-queue-"))
    sim = run_in_thread(SimConfig(speed=50.0, track_seconds=2.0, credits=10**7, workers=2,
                                  rate_limit_calls=LIMIT_CALLS,
                                  rate_limit_window=LIMIT_PERIOD_S))
    stamps = Stamps(sim.sim.engine)
    settings = Settings(base_url=sim.base_url, upload_base_url=sim.base_url,
                        api_key="bench-key", db_path=str(tmp / "songbench.db"),
                        assets_dir=str(tmp / "assets"), public_url=DEAD_CALLBACK)
    rt = Runtime(settings)
    try:
        repeats = max(1, cells // VARIANTS)
        axis = grid.Axis("style", tuple(f"style {i + 1}" for i in range(VARIANTS)))
        plan = grid.plan("generate", BASE, grid.expand([axis]), repeats)
        assert plan.ok, plan.errors
        exp = service.create(rt.log, service.Setup(name="queue bench", op="generate",
                                                   base=BASE, axes=[axis], repeats=repeats),
                             plan)
        waits: list[float] = []
        stop = threading.Event()

        def second_tab() -> None:
            while not stop.wait(INTERACTIVE_EVERY_S):
                began = time.monotonic()
                rt.tracker.submit("generate", {**BASE, "style": "interactive",
                                               "callBackUrl": rt.callback_url})
                waits.append(time.monotonic() - began)

        tab = threading.Thread(target=second_tab, name="bench-second-tab", daemon=True)
        start = time.time()
        rt.start_background()
        if interactive:
            tab.start()
        deadline = time.monotonic() + cells / LIMIT_CALLS * LIMIT_PERIOD_S * 3 + 60
        while time.monotonic() < deadline:
            sent = [t for t in rt.log.experiment_tasks(exp) if t["state"] != "pending"
                    or t["provider_task_id"]]
            if len(sent) == plan.calls and not rt.log.queued_count():
                break
            time.sleep(0.2)
        stop.set()
        if interactive:
            tab.join(timeout=30)
        tasks = rt.log.experiment_tasks(exp)
    finally:
        rt.stop_background()
        rt.client.close()
        sim.stop()
    accepted = [t["submitted_at"] for t in tasks if t["provider_task_id"] and t["submitted_at"]]
    calls = stamps.calls
    refused = sum(1 for _, ok in calls if not ok)
    failed = [t for t in tasks if t["state"] in ("failed", "unknown")]
    elapsed = (max(accepted) - start) if len(accepted) == plan.calls else float("nan")
    return {"cells": plan.calls, "accepted": len(accepted), "failed": len(failed),
            "seconds": elapsed,
            "received": len(calls), "max_window": max_in_window([t for t, _ in calls]),
            "refused_430": refused, "interactive": len(waits),
            "interactive_waits": waits}


def report(label: str, r: dict[str, Any], out: Callable[[str], object]) -> bool:
    # with a second tab the limit is shared: it allows time for every create it received
    allowed = r["allowed"] = r["received"] / LIMIT_CALLS * LIMIT_PERIOD_S
    target = allowed * TARGET_SLACK
    ok_time = r["seconds"] <= target
    ok_window = r["max_window"] <= LIMIT_CALLS
    ok_430 = r["refused_430"] == 0
    out(f"\n== {label}")
    out(f"  queued cells sent           {r['accepted']:5d} / {r['cells']} "
        f"({r['failed']} failed or unknown)")
    out(f"  time to send them           {r['seconds']:7.1f} s   the limit allows {allowed:.0f} s"
        f" for {r['received']} creates ({r['seconds'] / allowed:.2f}x)   target <= "
        f"{target:.0f} s   {'yes' if ok_time else 'NO'}")
    out(f"  creates the simulator got   {r['received']:5d}"
        + (f"   (of which {r['interactive']} interactive)" if r["interactive"] else ""))
    out(f"  most in any {LIMIT_PERIOD_S:g} s window    {r['max_window']:5d}   target <= "
        f"{LIMIT_CALLS}   {'yes' if ok_window else 'NO'}")
    out(f"  answered 430                {r['refused_430']:5d}   target 0   "
        f"{'yes' if ok_430 else 'NO'}")
    if r["interactive_waits"]:
        w = r["interactive_waits"]
        out(f"  interactive create took     median {statistics.median(w):.1f} s, "
            f"max {max(w):.1f} s (waiting for a slot, then the request)")
    return ok_time and ok_window and ok_430


def queue_bench(cells: int = CELLS, out: Callable[[str], object] = print) -> list[dict]:
    out(f"\n== experiment queue: {cells} creates through the runtime's 4 senders, the "
        f"simulator's limit of {LIMIT_CALLS} per {LIMIT_PERIOD_S:g} s on")
    runs = []
    for label, interactive in (("queue alone", False),
                               (f"queue + a second tab creating every "
                                f"{INTERACTIVE_EVERY_S:g} s", True)):
        r = run_once(cells, interactive, out)
        r["label"], r["ok"] = label, report(label, r, out)
        runs.append(r)
    return runs


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    queue_bench(int(sys.argv[1]) if len(sys.argv) > 1 else CELLS)
