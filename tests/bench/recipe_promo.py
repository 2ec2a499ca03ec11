"""Promo-clip recipe bench: the whole route sequence from the command line, end to end on the
embedded simulator (its default speed, as ``make run`` has it), against the sum of its steps'
provider times (issue 16's figure: wall time at most 1.3 x that sum, the steps that can run in
parallel doing so).

Each run is ``python -m lib recipe run promo_clip --brief ... --wait --json`` in a fresh data
folder (a process of its own, as a user would type it). It prints, per run: the command's wall
time (process start to exit), the run's wall time (run stored to its last step finished), each
step's provider time (its task's creation to its end), their sum, the critical path (lyrics +
the slower of song and cover + video) and the ratio run wall / sum.

    python -m tests.bench.recipe_promo [RUNS]

Exit code 0 when every run meets the target, 1 when one does not.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET = 1.3
PROVIDER_ENV = ("SONGBENCH_API_KEY", "SONGBENCH_API_BASE_URL", "SONGBENCH_API_DIALECT",
                "SONGBENCH_PUBLIC_URL", "SONGBENCH_UPLOAD_BASE_URL", "SONGBENCH_SIM_PORT",
                "SONGBENCH_TEXT_API_KEY", "SONGBENCH_TEXT_BASE_URL", "SONGBENCH_MEDIA_API_KEY",
                "SONGBENCH_MEDIA_BASE_URL")


def one_run(brief: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="songbench-recipe-bench-") as data:
        env = {k: v for k, v in os.environ.items() if k not in PROVIDER_ENV}
        env.update(SONGBENCH_DB=str(Path(data) / "s.db"),
                   SONGBENCH_ASSETS_DIR=str(Path(data) / "assets"))
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "lib", "recipe", "run", "promo_clip",
                               "--brief", brief, "--wait", "--json"], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=600)
        command_s = time.monotonic() - started
    if done.returncode != 0:
        raise SystemExit(f"the run failed ({done.returncode}):\n{done.stderr[-2000:]}")
    doc = json.loads(done.stdout)
    steps = {s["step"]: s["provider_s"] for s in doc["steps"]}
    critical = steps["lyrics"] + max(steps["song"], steps["cover"]) + steps["video"]
    return {"command_s": command_s, "wall_s": doc["wall_s"], "sum_s": doc["provider_sum_s"],
            "critical_s": critical, "steps": steps, "status": doc["status"]}


def main(argv: list[str]) -> int:
    runs = int(argv[0]) if argv else 3
    ok = True
    print(f"promo_clip from the CLI, {runs} runs (target: run wall <= {TARGET} x the sum of "
          "its steps' provider times)")
    for i in range(runs):
        r = one_run(f"a lemonade brand for hot summer days, take {i + 1}")
        ratio = r["wall_s"] / r["sum_s"]
        ok &= r["status"] == "succeeded" and ratio <= TARGET
        steps = ", ".join(f"{k} {v:.1f} s" for k, v in r["steps"].items())
        print(f"run {i + 1}: {r['status']}; steps {steps}; sum {r['sum_s']:.1f} s; critical "
              f"path {r['critical_s']:.1f} s; run wall {r['wall_s']:.1f} s = {ratio:.2f} x the "
              f"sum ({r['wall_s'] / r['critical_s']:.2f} x the critical path); command "
              f"{r['command_s']:.1f} s")
    print("target met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
