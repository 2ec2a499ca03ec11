"""`make soak`: the reliability guarantees under faults, as figures (``python -m tests.soak``).

1. kill -9 mid-create: the app side (`tests.soak.procs`) is killed at random moments while its
   creates are in flight (the simulator delays every create answer), then started again; every
   job the simulator made and charged must end linked and final in the log: lost 0, duplicated 0.
   Also: unknown tasks resolved by their callback.
2. 20 % faulty answers (`tests.soak.proxy`): every submission ends succeeded, failed with a
   reason, or unknown with its way out; exactly one accepted create per submission.
3. Callbacks on the server users run (`streamlit run app.py`, `tests.soak.callback_rates`):
   400 deliveries for 12 in-flight songs alternating with /api/health must not slow it more
   than 1/0.8 (its median latency without / with them >= 0.8x), and a storm of 1,000 for 40
   songs must keep p99 <= 1 s while more songs are being sent.
4. Writes under contention (the tracker's writes, 6 threads and a second process): errors and
   the worst write latency.
5. Fuzz: hypothesis cases per operation through validate and prepare, and exceptions.
6. The media routes (`scenarios.media`, about 2.5 minutes): (a) kill -9 of the app side while
   a DashScope video create or a sync Qwen-Image call is at the simulator or its answer is held
   (`tests.soak.proxy.MediaProxy`), then a restart: every create the simulator accepted ends
   followed to its end or ``unknown`` with its words, none pending for good, none sent twice;
   (b) 45 media creates (DashScope video, Kling video, Qwen-Image) meeting about 20 % faulty
   creates (429 and 503 in the gateway's shape, a 502 page after the job was made) and 20 %
   faulty polls (500): 0 lost, 0 sent twice, every failure and unknown in words.

``python -m tests.soak [kill9 faults rates writes fuzz media]`` runs a subset.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from tests.soak import scenarios


def main(argv: list[str]) -> int:
    chosen = argv or list(scenarios.ALL)
    failed = []
    with tempfile.TemporaryDirectory(prefix="songbench-soak-") as tmp:
        for name in chosen:
            started = time.monotonic()
            print(f"\n== {name}: {scenarios.ALL[name].__doc__.splitlines()[0]}", flush=True)
            ok = scenarios.ALL[name](Path(tmp) / name)
            print(f"   ({time.monotonic() - started:.0f} s) {'PASS' if ok else 'FAIL'}",
                  flush=True)
            if not ok:
                failed.append(name)
    print("\nsoak:", "all targets met" if not failed else f"targets missed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
