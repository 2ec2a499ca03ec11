"""Clipped samples: samples (per channel) whose magnitude reaches `CLIP_LEVEL`.

Decoded MP3 is float, so a master clipped before encoding shows as runs of samples at (or, with
the codec's ripple, just over) full scale; a clean master stays under it. The level is a
measurement setting, not a threshold: the thresholds say how many such samples are too many.
"""

from __future__ import annotations

import numpy as np

from lib.qa.flags import Check, Flag
from lib.qa.thresholds import Thresholds

#: -0.0087 dBFS
CLIP_LEVEL = 0.999


def count(chunk: np.ndarray) -> int:
    """Samples (every channel counted) at or over `CLIP_LEVEL`."""
    return int(np.count_nonzero(np.abs(chunk) >= CLIP_LEVEL))


def judge(clipped: int, t: Thresholds) -> Check:
    flag = Flag.FAIL if clipped >= t.clipped_fail else Flag.WARN if clipped >= t.clipped_warn \
        else Flag.OK
    return Check(clipped, flag, f"{clipped} sample(s) at full scale (>= {CLIP_LEVEL:g})",
                 "samples")
