"""What a waveform costs the archiver: drawing a 3-minute MP3's waveform (decode, peaks, PNG)
against decoding the same file alone, side by side in one run (best of 3 each).

``python -m tests.bench.waveform [SECONDS]`` prints both times and their ratio. The page never
pays this: the archiver draws once, the board shows the stored PNG.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from lib.qa import decode
from lib.tracking import waveform
from tests.lib.qa import signals


def _best(fn, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main(seconds: float = 180.0) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        mp3 = signals.write(Path(tmp) / "song-mp3.mp3", signals.band_instrumental(seconds))
        alone = _best(lambda: decode.decode(mp3))
        drawn = _best(lambda: waveform.render_file(mp3))
        size = waveform.image_path(mp3).stat().st_size
    print(f"waveform of a {seconds:.0f} s MP3: decoding alone {alone:.3f} s, decode + peaks + "
          f"PNG {drawn:.3f} s ({drawn / alone:.2f}x decoding), PNG {size} bytes")
    return {"decode_s": alone, "waveform_s": drawn, "ratio": drawn / alone}


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 180.0)
