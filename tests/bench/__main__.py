"""Server-side run time of the Tasks and Library pages on a seeded log (`make bench`).

For each log size (10,000 and 100,000 tasks by default; ``python -m tests.bench 10000 ...``
to choose) it seeds a fresh database, then for each page scenario measures the page script's
run time with AppTest (`at.run()` wall time, median of several runs after a warm-up) and, side
by side in the same process, a baseline that reads the whole log into pandas and filters and
pages there. The provider is a dead address (no simulator starts; pages never call it).

A second pass adds the index we asked the log for (``assets(track_id)``), which lets the
board also list WAV/stems/MP4 files made from a track by other tasks.

Targets: at most 150 ms (10k) / 300 ms (100k), and at least 10x faster than pandas.

Then the experiments (unless ``--no-experiments``): the 10 x 10 results grid on a 10,000-task log
against the board's page in the same run (`tests.bench.experiment_results`), and 200 queued
creates through the real runtime against the simulator's create limit, alone and with a second
tab creating meanwhile (`tests.bench.experiment_queue`, about 4 minutes). Then, unless
``--no-video-polling``, our polls per finished DashScope and Kling video task beside the official
DashScope SDK's at several task durations (`tests.bench.video_polling`, about 20 s). Last, unless
``--no-browser``, the browser latency bench (`tests.bench.latency`).
"""

from __future__ import annotations

import functools
import os
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from tests.bench.timing import median_ms

TARGETS = {10_000: 150.0, 100_000: 300.0}
RUNS, WARMUP, BASE_RUNS = 7, 2, 3


# -- baselines: the whole log in pandas -------------------------------------------------------
@functools.cache
def _log(db: str):
    from lib.log.sqlite import SqliteLog

    return SqliteLog(db)


def _read_sql(db: str, sql: str) -> pd.DataFrame:
    """A whole query into pandas, over the log's benchmark hook (`SqliteLog.raw_connection`)."""
    with _log(db).raw_connection() as raw:
        return pd.read_sql(sql, raw.conn)


def _read_board(db: str) -> pd.DataFrame:
    return _read_sql(
        db, "SELECT tasks.*, tracks.id AS track_id, tracks.idx, tracks.title AS track_title, "
        "tracks.tags, tracks.duration, tracks.audio_url, tracks.stream_audio_url, "
        "tracks.image_url, tracks.local_audio_path, tracks.local_image_path FROM tasks "
        "LEFT JOIN tracks ON tracks.task_id = tasks.id")


def baseline_board(db: str, op: list | None = None, state: list | None = None,
                   task_id: str | None = None) -> None:
    df = _read_board(db)
    if task_id:
        df[df["id"] == task_id].to_dict("records")
        return
    if op:
        df = df[df["op"].isin(op)]
    if state:
        df = df[df["state"].isin(state)]
    df["state"].isin(["pending", "processing"]).sum()
    ids = (df.drop_duplicates("id").sort_values(["created_at", "id"], ascending=[False, True])
           ["id"].head(10))
    df[df["id"].isin(ids)].to_dict("records")


def baseline_library(db: str, text: str | None = None, model: list | None = None,
                     page: int = 1, per_page: int = 25) -> None:
    df = _read_sql(db, "SELECT tracks.*, tasks.op AS task_op, tasks.model AS task_model, "
                   "tasks.state AS task_state, tasks.created_at AS task_created_at, "
                   "tasks.prompt AS task_prompt, tasks.title AS task_title FROM tracks "
                   "JOIN tasks ON tasks.id = tracks.task_id")
    if text:
        hay = (df["title"].fillna("") + " " + df["tags"].fillna("") + " "
               + df["lyrics"].fillna("") + " " + df["task_prompt"].fillna(""))
        df = df[hay.str.contains(text, case=False, regex=False)]
    if model:
        df = df[df["task_model"].isin(model)]
    len(df)
    df = df.sort_values(["task_created_at", "task_id", "idx"], ascending=[False, True, True])
    df.iloc[(page - 1) * per_page: page * per_page].to_dict("records")


# -- page runs ----------------------------------------------------------------------------------
def _app(page: str, setup=None):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(f"../../pages/{page}.py", default_timeout=120)
    at.run()
    if setup:
        setup(at)
    if at.exception:
        raise RuntimeError(f"{page}: {at.exception[0].message}")
    return at


def scenarios(db: str, sample_task: str):
    def board_filtered(at):
        at.multiselect(key="board_op").set_value(["generate"]).run()
        at.pills(key="board_state").set_value(["succeeded"]).run()

    def detail(at):
        at.query_params["task"] = sample_task
        at.run()

    def lib_filtered(at):
        at.text_input(key="lib_text").input("neon").run()
        at.multiselect(key="lib_model").set_value(["V5"]).run()

    def lib_deep(at):
        at.pagination(key="lib_page").set_value(100).run()

    return [
        ("Tasks", "board, newest 10", "tasks", None, lambda: baseline_board(db)),
        ("Tasks", "board, op+state filter", "tasks", board_filtered,
         lambda: baseline_board(db, ["generate"], ["succeeded"])),
        ("Tasks", "detail ?task=", "tasks", detail,
         lambda: baseline_board(db, task_id=sample_task)),
        ("Library", "tracks, page 1", "library", None, lambda: baseline_library(db)),
        ("Library", "text+model filter", "library", lib_filtered,
         lambda: baseline_library(db, "neon", ["V5"])),
        ("Library", "page 100", "library", lib_deep, lambda: baseline_library(db, page=100)),
    ]


def measure(n: int, db: str, label: str, rows: list) -> None:
    from lib.app.runtime import get_runtime

    log = get_runtime().log
    sample = log.list_tasks(limit=1, offset=25, state="succeeded", op="generate")[0]["id"]
    for page_name, scenario, page, setup, baseline in scenarios(db, sample):
        at = _app(page, setup)
        page_ms = median_ms(at.run, RUNS, WARMUP)
        if at.exception:
            raise RuntimeError(f"{page_name} {scenario}: {at.exception[0].message}")
        base_ms = median_ms(baseline, BASE_RUNS, 1)
        rows.append((page_name, scenario + label, n, page_ms, base_ms))
        print(f"  {page_name:8s} {scenario + label:42s} {page_ms:8.1f} ms   pandas "
              f"{base_ms:8.1f} ms", flush=True)


def main(sizes: list[int]) -> None:
    from lib.app import runtime
    from lib.log.sqlite import SqliteLog
    from tests.bench.seed import seed

    rows: list = []
    for n in sizes:
        tmp = Path(tempfile.mkdtemp(prefix=f"songbench-bench-{n}-"))
        db = str(tmp / "songbench.db")
        os.environ.update(SONGBENCH_DB=db, SONGBENCH_ASSETS_DIR=str(tmp / "assets"),
                          SONGBENCH_API_KEY="bench-key",
                          SONGBENCH_API_BASE_URL="http://127.0.0.1:9")
        runtime.reset_runtime()
        start = time.perf_counter()
        counts = seed(SqliteLog(db), n, assets_dir=tmp / "assets")
        print(f"\n== {n:,} tasks: seeded {counts} in {time.perf_counter() - start:.1f} s "
              f"({os.path.getsize(db) / 1e6:.0f} MB)", flush=True)
        measure(n, db, "", rows)
        runtime.reset_runtime()
    print("\npage       scenario                                     tasks   page ms  pandas ms"
          "   x faster  target  <=target  >=10x")
    for page_name, scenario, n, page_ms, base_ms in rows:
        target = TARGETS.get(n, 300.0)
        ratio = base_ms / page_ms if page_ms else float("inf")
        fast = "yes" if page_ms <= target else "NO"
        tenx = "yes" if ratio >= 10 else "no"
        print(f"{page_name:10s} {scenario:44s} {n:7,d} {page_ms:9.1f} {base_ms:10.1f} "
              f"{ratio:10.1f} {target:7.0f}   {fast:>6s}  {tenx:>5s}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    main([int(a) for a in args] or [10_000, 100_000])
    if "--no-experiments" not in sys.argv:
        from tests.bench.experiment_queue import queue_bench
        from tests.bench.experiment_results import results_bench

        results_bench()
        queue_bench()
    if "--no-video-polling" not in sys.argv:
        from tests.bench.video_polling import main as video_polling

        video_polling([], out=print)
    if "--no-qa" not in sys.argv:
        from tests.bench.qa import qa_bench

        qa_bench(out=print)
    if "--no-browser" not in sys.argv:
        from tests.bench.first_paint import first_paint_bench

        first_paint_bench(out=print)
    if "--no-browser" not in sys.argv:
        from tests.bench.latency import latency_bench

        print("\n== time from simulator SUCCESS to a playable <audio> on the board")
        latency_bench(n=5, modes=("callbacks", "polling"), out=print)
