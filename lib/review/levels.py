"""Level matching: both takes of a pair play at the same loudness.

`integrated_lufs(path)` measures a file's integrated loudness (ITU-R BS.1770) the way the QA
scorecard does (`lib.qa.loudness.integrated_file`: pyloudnorm's filters and gating, vectorised),
so a session's levels agree with the scorecards it reuses. `gains_db(a, b)` attenuates the louder
take to the quieter one's loudness and never boosts (both gains are <= 0 dB, so the players'
``volume`` - at most 1 - can apply them); an unmeasured take leaves both at 0 dB.
"""

from __future__ import annotations

import math
from pathlib import Path

#: attenuation never goes below this (a near-silent take would otherwise mute the other)
FLOOR_DB = -40.0


def integrated_lufs(path: str | Path) -> float | None:
    """Integrated loudness in LUFS, or None when the file cannot be decoded or is silent."""
    from lib.qa.loudness import integrated_file

    try:
        value = integrated_file(path)
    except Exception:
        return None
    return round(value, 2) if math.isfinite(value) else None


def gains_db(a_lufs: float | None, b_lufs: float | None) -> tuple[float, float]:
    """Gains (dB, <= 0) for the players of A and B so both play at the quieter loudness."""
    if a_lufs is None or b_lufs is None:
        return 0.0, 0.0
    target = min(a_lufs, b_lufs)
    return (round(max(FLOOR_DB, target - a_lufs), 2) + 0.0,
            round(max(FLOOR_DB, target - b_lufs), 2) + 0.0)


def volume(gain_db: float) -> float:
    """An `<audio>` element's ``volume`` (0..1) for a gain in dB; never above 1."""
    return round(min(1.0, 10 ** (gain_db / 20)), 4)
