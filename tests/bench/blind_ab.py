"""Blind A/B costs, side by side in one run: creating a session (the loudness of every take,
decoded, or reused from the QA scorecards) beside decoding the same takes alone, and the results
(Bradley-Terry + 1000 bootstrap rounds) for 8 pairs x 5 reviewers.

Run: ``python -m tests.bench.blind_ab``
"""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

from lib.log.sqlite import SqliteLog
from lib.qa.tracks import score_track
from lib.review import sessions, view
from lib.media.audio import decode
from tests.lib.review.support import finished_experiment, write_tone

SECONDS = 180.0


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="songbench-blind-bench-"))
    log = SqliteLog(tmp / "log.db")
    exp = finished_experiment(log, tmp / "takes", repeats=4)
    for path in (tmp / "takes").glob("*.wav"):  # 3-minute takes, like real songs
        write_tone(path, 0.4 if path.name.startswith("warm") else 0.2, seconds=SECONDS,
                   rate=44100)
    sets = sessions.experiment_sets(log, exp)
    takes = [t for v in sets.values() for t in v]

    t0 = time.perf_counter()
    for take in takes:
        decode(take.path)
    decoding = time.perf_counter() - t0

    t0 = time.perf_counter()
    sid = sessions.create(log, name="bench", x_label="warm", xs=sets["warm"],
                          y_label="bright", ys=sets["bright"], seed=1)
    creating = time.perf_counter() - t0

    for take in takes:  # what the archiver does for every stored MP3
        score_track(log, take.track_id, take.path)
    t0 = time.perf_counter()
    sessions.create(log, name="bench 2", x_label="warm", xs=sets["warm"], y_label="bright",
                    ys=sets["bright"], seed=1,
                    measure=view.loudness_from_scorecards(log, takes))
    reusing = time.perf_counter() - t0

    for r in range(5):
        sessions.join(log, sid, f"reviewer {r}")
    rng = random.Random(0)
    for trial in log.ab_trials(sid):
        sessions.answer(log, trial["id"], rng.choice("ab") if rng.random() < 0.8 else "none")
    t0 = time.perf_counter()
    out = sessions.outcome(log, sid)
    results = time.perf_counter() - t0
    assert out is not None

    print(f"{len(takes)} takes of {SECONDS:.0f} s: decoding alone {decoding:.2f} s; creating a "
          f"session {creating:.2f} s ({creating / decoding:.1f}x decoding); reusing the QA "
          f"loudness {reusing:.3f} s ({reusing / decoding:.3f}x)")
    print(f"results for {out.pairs} pairs x 5 reviewers ({out.answered} answers, 1000 "
          f"bootstrap rounds): {results:.2f} s")


if __name__ == "__main__":
    main()
