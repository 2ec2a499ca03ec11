"""Vocals on a track that was asked to be instrumental.

**With a vocal stem** (a ``stem:vocals`` file from a vocal separation of the track): the stem's
RMS level relative to the mix's, in dB; an instrumental track's vocal stem should be near
silence. This is the measure to trust.

**Without one, a heuristic**: the share of active frames (about 0.19 s each, above -40 dB of the
loudest) whose 1-3.4 kHz band - where the voice's formants put most of its energy - holds more
than `PRESENCE_FRACTION` of the 50-8,000 Hz energy. Sung music scores high; drums, bass and
guitars score low. Its limits: lead synths, pianos and strings playing in that band look sung
(the simulator's ambient and orchestral instrumentals score 0.8 and 0.5, its jazz song with
vocals 0.3), so the heuristic can only ever *warn*; a stem (vocal removal) settles it.
"""

from __future__ import annotations

import math

import numpy as np

from lib.qa.flags import Check, Flag, skipped
from lib.qa.thresholds import Thresholds
from lib.qa.words import wording

PRESENCE_BAND = (1000.0, 3400.0)
TOTAL_BAND = (50.0, 8000.0)
PRESENCE_FRACTION = 0.10
ACTIVE_DB = -40.0


def presence_share(presence: np.ndarray, total: np.ndarray) -> float | None:
    """The heuristic's value from per-frame band energies (None without active frames)."""
    if not total.size or total.max() <= 0:
        return None
    active = total > total.max() * 10 ** (ACTIVE_DB / 10)
    if not active.any():
        return None
    return float(np.mean(presence[active] > PRESENCE_FRACTION * total[active]))


def stem_level_db(stem_rms: float, mix_rms: float) -> float:
    """The vocal stem's level relative to the mix (dB; -inf for a silent stem)."""
    if stem_rms <= 0:
        return float("-inf")
    return 20 * math.log10(stem_rms / mix_rms) if mix_rms > 0 else float("inf")


def judge(instrumental: bool | None, share: float | None, stem_db: float | None,
          t: Thresholds) -> Check:
    if stem_db is not None:
        value = None if not math.isfinite(stem_db) else round(stem_db, 1)
        extra = {"method": "stem", "heuristic": share}
        if not instrumental:
            return Check(value, Flag.SKIP, f"vocal stem at {stem_db:.1f} dB of the mix (vocals "
                         "were not asked to be absent)", "dB", extra)
        flag = Flag.FAIL if stem_db > t.vocal_stem_fail_db else Flag.WARN \
            if stem_db > t.vocal_stem_warn_db else Flag.OK
        words = "vocals present" if flag is not Flag.OK else "no vocals"
        return Check(value, flag, f"instrumental asked; vocal stem at {stem_db:.1f} dB of the "
                     f"mix: {words}", "dB", extra)
    if share is None:
        return skipped("no active audio to look for vocals in")
    extra = {"method": "heuristic"}
    if not instrumental:
        check = skipped(f"vocal-band share {share:.2f} (vocals were not asked to be absent)",
                        round(share, 3))
        check.extra = extra
        return check
    flag = Flag.WARN if share > t.vocal_heuristic_warn else Flag.OK
    words = "may have vocals (heuristic; a vocal stem would settle it)" if flag is Flag.WARN \
        else "no sign of vocals (heuristic)"
    return Check(round(share, 3), flag, f"instrumental asked; vocal-band share {share:.2f}: "
                 f"{words}", "", extra)


@wording("vocals")
def vocals_words(name: str, check: Check) -> str:
    return "vocals in an instrumental" if check.flag is Flag.FAIL \
        else "may have vocals (instrumental asked)"
