"""The lib part of the Experiments page on a big log: the 10 x 10 results grid (`make bench`).

`seed_experiment_log` (tests/bench/seed.py) seeds 10,000 tasks and one experiment of 10 variants
x 10 repeats (100 finished tasks with tracks). In the same process, on the same log, it times
(median of several runs after a warm-up):

* the grid: `results.results(log, id)` + `results.variant_summary` - what the page computes
  before it draws;
* the baselines: the board's first page (`lib.views.board.board_page`, 10 tasks, what the Tasks
  page computes) and a board page of 100 tasks (as many task views as the grid has).

It prints the times and the ratios (grid / baseline), then times the Streamlit pages on the
same log with AppTest (`page_bench`): the results grid and the summary against the Tasks board.

``python -m tests.bench.experiment_results [TASKS]`` runs it alone.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tests.bench.timing import median_ms

RUNS, WARMUP = 9, 2


def _median_ms(fn: Callable[[], object], runs: int = RUNS, warmup: int = WARMUP) -> float:
    return median_ms(fn, runs, warmup)


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
    figures.update(page_bench(db, exp, out))
    return figures


def page_bench(db: Path, exp: str, out: Callable[[str], object] = print,
               runs: int = 5) -> dict[str, float]:
    """The Streamlit pages on the same log, with AppTest (script run to the end, fragments
    included): the experiment's results grid and summary against the Tasks board."""
    import os

    from streamlit.testing.v1 import AppTest

    from lib.app import runtime

    root = Path(__file__).resolve().parents[2]
    os.environ["SONGBENCH_DB"] = str(db)
    os.environ["SONGBENCH_ASSETS_DIR"] = str(db.parent / "assets")
    runtime.reset_runtime()

    def page(path: str, query: dict[str, str]) -> Callable[[], object]:
        def run() -> None:
            at = AppTest.from_file(str(root / path), default_timeout=120)
            for k, v in query.items():
                at.query_params[k] = v
            at.run()
            assert not at.exception, at.exception
        return run

    try:
        figures = {
            "page_grid_ms": _median_ms(page("pages/experiments.py", {"id": exp}), runs, 1),
            "page_summary_ms": _median_ms(page("pages/experiments.py",
                                               {"id": exp, "view": "summary"}), runs, 1),
            "page_board_ms": _median_ms(page("pages/tasks.py", {}), runs, 1),
        }
    finally:
        runtime.reset_runtime()
    figures["x_page_board"] = figures["page_grid_ms"] / figures["page_board_ms"]
    out(f"  page: results grid (10 x 10)                      {figures['page_grid_ms']:8.1f} ms"
        f"   = {figures['x_page_board']:.1f}x the Tasks board page")
    out(f"  page: summary (tables and charts)                 "
        f"{figures['page_summary_ms']:8.1f} ms")
    out(f"  baseline: Tasks board page                        {figures['page_board_ms']:8.1f} ms")
    return figures


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    results_bench(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
