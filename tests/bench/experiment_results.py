"""The lib part of the Experiments page on a big log: the 10 x 10 results grid (`make bench`).

`seed_experiment_log` (tests/bench/seed.py) seeds 10,000 tasks and one experiment of 10 variants
x 10 repeats (100 finished tasks with tracks). In the same process, on the same log, it times
(median of several runs after a warm-up):

* the grid: `results.results(log, id)` + `results.variant_summary` - what the page computes
  before it draws;
* the baselines: the board's first page (`lib.views.board.board_page`, 10 tasks, what the Tasks
  page computes) and a board page of 100 tasks (as many task views as the grid has).

It prints the times and the ratios (grid / baseline). The Streamlit page itself is timed by the
page benchmark, which can reuse the same seeded log.

``python -m tests.bench.experiment_results [TASKS]`` runs it alone.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

RUNS, WARMUP = 9, 2


def _median_ms(fn: Callable[[], object], runs: int = RUNS, warmup: int = WARMUP) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def results_bench(tasks: int = 10_000, out: Callable[[str], object] = print) -> dict[str, float]:
    from lib.experiments import results
    from lib.log.sqlite import SqliteLog
    from lib.views import board
    from tests.bench.seed import seed_experiment_log

    tmp = Path(tempfile.mkdtemp(prefix="songbench-bench-exp-"))
    db = tmp / "songbench.db"
    assets = tmp / "assets"
    start = time.perf_counter()
    exp = seed_experiment_log(db, tasks=tasks)
    log = SqliteLog(db)
    total = log.count_tasks()
    out(f"\n== results grid: {total:,} tasks in the log, experiment {exp[:8]} "
        f"(seeded in {time.perf_counter() - start:.1f} s)")

    def grid() -> None:
        res = results.results(log, exp, assets)
        results.variant_summary(res)

    res = results.results(log, exp, assets)
    cells = len(res.cells)
    tracks = sum(len(c.view.tracks) for c in res.cells.values() if c.view)
    figures = {
        "grid_ms": _median_ms(grid),
        "board10_ms": _median_ms(lambda: board.board_page(log, limit=10, assets_dir=assets)),
        "board100_ms": _median_ms(lambda: board.board_page(log, limit=100, assets_dir=assets)),
    }
    figures["x_board10"] = figures["grid_ms"] / figures["board10_ms"]
    figures["x_board100"] = figures["grid_ms"] / figures["board100_ms"]
    out(f"  grid ({len(res.variants)} variants x {len(res.repeats)} repeats = {cells} cells, "
        f"{tracks} tracks) + variant summary: {figures['grid_ms']:8.1f} ms")
    out(f"  baseline: board first page (10 tasks)             {figures['board10_ms']:8.1f} ms"
        f"   grid = {figures['x_board10']:.1f}x")
    out(f"  baseline: board page of 100 tasks                 {figures['board100_ms']:8.1f} ms"
        f"   grid = {figures['x_board100']:.1f}x")
    return figures


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    results_bench(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
