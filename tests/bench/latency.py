"""Latency bench: simulator SUCCESS -> playable `<audio>` on the board, in a real browser.

For each mode the bench starts the app (`streamlit run app.py`, embedded simulator at
`SONGBENCH_SIM_SPEED`), opens the board (`/tasks`) in one tab and leaves it open like a user
would, then submits `n` songs one after the other from the Generate page in a second tab (each at
a random phase of the board's refresh timer). An in-page watcher (every 50 ms, between script
runs only: mid-run the DOM can hold the previous run's elements under a new key) stamps, per task
card, the first moment the card shows **Succeeded with an `<audio>` that has a source**
(`ready`), and the first moment a player's src is the *final*
URL (archived `/api/assets/...` or the provider's final `audioUrl`, not the `/stream/` URL)
(`final`). The SUCCESS time comes from the simulator's admin API (`GET /_sim/tasks/<id>`,
`completed`, epoch seconds on the same machine clock).

Modes:
* ``callbacks`` - the default when the embedded simulator runs under the server: the
  simulator calls `/api/callbacks/<secret>` and the tracker polls the task at once.
  Target: median <= 2 s.
* ``polling`` - `SONGBENCH_PUBLIC_URL=http://127.0.0.1:9` (nothing listens there), so callbacks
  never arrive and the tracker's back-off polls find the result. Target: median <= board refresh
  interval + 1 s.

Entry point: `latency_bench(n=5, modes=("callbacks", "polling"))` returns the figures and prints
a table; ``python -m tests.bench.latency [N]`` runs it alone.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import httpx

from lib.log.sqlite import SqliteLog
from tests.browser import flows, harness

POLLING_PUBLIC_URL = "http://127.0.0.1:9"
WATCH = """(id) => {
  window.__sbLatency = window.__sbLatency || {};
  const rec = window.__sbLatency[id] = {ready: null, final: null, first_src: null, src: null};
  const isFinal = (src) => src && !src.includes('/stream/');
  const app = document.querySelector('[data-testid=stApp]');
  const timer = setInterval(() => {
    // mid-run the DOM may still hold the previous run's elements under a new key
    if (app.getAttribute('data-test-script-state') !== 'notRunning') return;
    const card = document.querySelector(`.st-key-task-${id}`);
    if (!card) return;
    const audio = [...card.querySelectorAll('audio')].filter(a => a.getAttribute('src'));
    const now = Date.now() / 1000;
    if (audio.length && rec.first_src === null) rec.first_src = now;
    if (audio.length && rec.ready === null && card.innerText.includes('Succeeded')) {
      rec.ready = now; rec.src = audio[0].src;
    }
    if (rec.final === null && audio.some(a => isFinal(a.src))) rec.final = now;
    if (rec.ready !== null && rec.final !== null) clearInterval(timer);
  }, 50);
  return true;
}"""


def _refresh_seconds() -> float:
    try:
        from lib.views.board import REFRESH_SECONDS

        return float(REFRESH_SECONDS)
    except Exception:
        return 2.0


def _success_time(server: harness.AppServer, task_id: str, timeout: float = 60.0) -> float:
    log = SqliteLog(server.data_dir / "songbench.db")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        task = log.get_task(task_id) or {}
        provider_id = task.get("provider_task_id")
        if provider_id:
            info = httpx.get(f"{server.sim_url}/_sim/tasks/{provider_id}", timeout=5).json()
            if info.get("failed"):
                raise RuntimeError(f"simulated task {provider_id} failed: {info.get('error')}")
            if info.get("completed"):
                return float(info["completed"])
        time.sleep(0.1)
    raise TimeoutError(f"task {task_id} never reached SUCCESS in the simulator")


def _measure_mode(browser, mode: str, n: int, timeout: float, log: Callable[[str], None], *,
                  refresh: float, seed: int = 0) -> dict:
    env = {"SONGBENCH_PUBLIC_URL": POLLING_PUBLIC_URL} if mode == "polling" else {}
    with harness.AppServer(env_overrides=env) as server:
        if mode == "callbacks" and not server.health().get("callbacks"):
            raise RuntimeError("callbacks mode: the app has no public URL for callbacks")
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        board, form = context.new_page(), context.new_page()
        harness.goto(board, f"{server.url}/tasks")
        rows = []
        rng = random.Random(seed)
        for i in range(n):
            # submit at a random phase of the board's refresh timer, or every song would see
            # the same tick offset (the simulator's timeline is the same for every song)
            form.wait_for_timeout(rng.uniform(0, refresh) * 1000)
            task_id = flows.submit_song(form, server.url, f"bench song {i + 1}: a {mode} waltz")
            board.bring_to_front()  # a background tab's timers are throttled
            board.evaluate(WATCH, task_id)
            success = _success_time(server, task_id, timeout)
            deadline = time.monotonic() + timeout
            rec: dict[str, Any] = {}
            while time.monotonic() < deadline:
                rec = board.evaluate("(id) => window.__sbLatency[id]", task_id) or {}
                if rec.get("ready") is not None:
                    break
                board.wait_for_timeout(100)
            if rec.get("ready") is None:
                raise TimeoutError(f"{mode}: task {task_id} never showed a playable <audio>")
            board.wait_for_timeout(300)  # let the watcher catch a final src on the same tick
            rec = board.evaluate("(id) => window.__sbLatency[id]", task_id)
            row = {"task": task_id, "ready_s": rec["ready"] - success,
                   "final_s": None if rec["final"] is None else rec["final"] - success,
                   "first_src_s": None if rec["first_src"] is None else rec["first_src"] - success,
                   "src": rec["src"]}
            rows.append(row)
            log(f"  {mode} #{i + 1}: ready {row['ready_s']:+.2f} s, final "
                + ("-" if row["final_s"] is None else f"{row['final_s']:+.2f} s")
                + f", first src {row['first_src_s']:+.2f} s")
        context.close()
    ready = [r["ready_s"] for r in rows]
    finals = [r["final_s"] for r in rows if r["final_s"] is not None]
    return {"rows": rows, "median_s": statistics.median(ready), "max_s": max(ready),
            "final_median_s": statistics.median(finals) if finals else None,
            "final_seen": len(finals)}


def latency_bench(n: int = 5, modes: tuple[str, ...] = ("callbacks", "polling"),
                  timeout: float = 60.0, out: Callable[[str], None] = print,
                  seed: int = 0) -> dict[str, dict]:
    """Run the bench; returns ``{mode: {"median_s", "max_s", "target_s", "ok", "rows", ...}}``."""
    problem = harness.chromium_problem()
    if problem:
        raise RuntimeError(f"latency bench needs Chromium: {problem}")
    from playwright.sync_api import sync_playwright

    refresh = _refresh_seconds()
    targets = {"callbacks": 2.0, "polling": refresh + 1.0}
    results: dict[str, dict] = {}
    out(f"latency: SUCCESS -> playable <audio> on an open board ({n} songs per mode, "
        f"sim speed {harness.FAST_SIM['SONGBENCH_SIM_SPEED']}, board refresh {refresh:g} s)")
    with sync_playwright() as pw:
        browser = harness.launch_browser(pw)
        try:
            for mode in modes:
                res = _measure_mode(browser, mode, n, timeout, out, refresh=refresh, seed=seed)
                res["target_s"] = targets[mode]
                res["ok"] = res["median_s"] <= targets[mode]
                results[mode] = res
        finally:
            browser.close()
    out(f"{'mode':<10} {'median':>8} {'max':>8} {'target':>8}  final-src (median, seen)")
    for mode, r in results.items():
        final = "-" if r["final_median_s"] is None else f"{r['final_median_s']:.2f} s"
        out(f"{mode:<10} {r['median_s']:>7.2f}s {r['max_s']:>7.2f}s {r['target_s']:>7.1f}s  "
            f"{final}, {r['final_seen']}/{len(r['rows'])}  {'OK' if r['ok'] else 'OVER TARGET'}")
    return results


if __name__ == "__main__":
    latency_bench(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
