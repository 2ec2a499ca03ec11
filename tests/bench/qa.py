"""The QA scorecard's cost against decoding alone, on a 3-minute MP3 (``make bench``).

A 3-minute song is rendered by the simulator's own synthesiser (drums, bass, keyboard and a
voice, 120 bpm in E minor) and encoded to MP3 as the simulator serves it. Then, side by side
in one process and interleaved run by run (so both see the same machine load):

* decode alone: `lib.qa.decode.decode` - the same ffmpeg decode the scorecard streams through;
* the full scorecard: `lib.qa.scorecard_for_file` - one decode and every check (duration,
  silence, loudness, true peak, clipping, vocals, tempo, key, lyrics, links not probed).

It prints the medians and the ratio scorecard / decode against the target (at most 1.5x), and
exits with status 1 when over.

``python -m tests.bench.qa [RUNS]``
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

TARGET = 1.5
RUNS, WARMUP = 7, 1
SECONDS = 180.0


def make_song(folder: Path, seconds: float = SECONDS) -> Path:
    from simulator import audio_io, synth

    spec = synth.SongSpec(seed=11, tempo_bpm=120.0, key=4, scale="minor",
                          instruments=("drums", "bass", "keyboard"), vocal=True, seconds=seconds)
    return audio_io.encode_mp3(synth.render(spec).mix(), folder / "three-minutes.mp3")


def qa_bench(runs: int = RUNS, out=print) -> dict[str, float]:
    from lib.qa import Asked, scorecard_for_file
    from lib.qa.decode import decode

    folder = Path(tempfile.mkdtemp(prefix="songbench-bench-qa-"))
    started = time.perf_counter()
    path = make_song(folder)
    out(f"\n== QA scorecard vs decode alone: {path.stat().st_size / 1e6:.1f} MB MP3, "
        f"{SECONDS:g} s (rendered in {time.perf_counter() - started:.1f} s)")
    asked = Asked(expected_seconds=SECONDS, instrumental=False,
                  style="synthwave, 120 bpm, E minor")

    def decode_only() -> None:
        decode(path)

    def scorecard() -> None:
        scorecard_for_file(path, Asked(**vars(asked)))

    times: dict[str, list[float]] = {"decode": [], "scorecard": []}
    for _ in range(WARMUP):
        decode_only()
        scorecard()
    for i in range(runs):
        order = (("decode", decode_only), ("scorecard", scorecard))
        for name, fn in order if i % 2 == 0 else order[::-1]:
            start = time.perf_counter()
            fn()
            times[name].append((time.perf_counter() - start) * 1000)
    decode_ms = statistics.median(times["decode"])
    card_ms = statistics.median(times["scorecard"])
    ratio = card_ms / decode_ms
    card = scorecard_for_file(path, asked)
    out(f"decode alone      median {decode_ms:7.0f} ms  ({runs} runs: "
        f"{', '.join(f'{t:.0f}' for t in times['decode'])})")
    out(f"full scorecard    median {card_ms:7.0f} ms  ({runs} runs: "
        f"{', '.join(f'{t:.0f}' for t in times['scorecard'])})")
    out(f"ratio scorecard / decode: {ratio:.2f}x (target <= {TARGET}x) -> "
        f"{'OK' if ratio <= TARGET else 'OVER'}")
    m = card.measures
    out(f"measured: {m.duration:.1f} s, {m.lufs:.1f} LUFS, true peak {m.true_peak_dbtp:.1f} "
        f"dBTP, tempo {m.tempo_bpm} bpm, key {m.key}; after the last chunk "
        f"{1000 * m.timing.get('after_stream_s', 0):.0f} ms")
    return {"decode_ms": decode_ms, "scorecard_ms": card_ms, "ratio": ratio}


if __name__ == "__main__":
    figures = qa_bench(int(sys.argv[1]) if len(sys.argv) > 1 else RUNS)
    sys.exit(0 if figures["ratio"] <= TARGET else 1)
