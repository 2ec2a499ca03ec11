"""Silence at the start, at the end and inside a track.

A frame is silent when its RMS level (all channels together) is under `SILENCE_DBFS`; frames
are `lib.qa.measure.ENERGY_HOP` samples (5.8 ms at 44.1 kHz), so times are found to well
within 0.1 s. Leading and trailing silence are the silent runs touching the ends (any length);
a gap is a silent run inside the track of at least `MIN_GAP_S` seconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from lib.qa.flags import Check, Flag, band, worst
from lib.qa.thresholds import Thresholds
from lib.qa.words import clock, number, wording

SILENCE_DBFS = -60.0
MIN_GAP_S = 1.0


@dataclass
class Silence:
    """Seconds of silence at the start and the end, and the gaps ``[(start_s, end_s)]``."""

    leading: float
    trailing: float
    gaps: list[tuple[float, float]] = field(default_factory=list)


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """``(start, end)`` index ranges where ``mask`` is true."""
    if not mask.size:
        return []
    edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    return list(zip(np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist(),
                    strict=True))


def find(energy: np.ndarray, hop: int, rate: int, channels: int, duration: float) -> Silence:
    """Silence from the sums of squares of consecutive ``hop``-sample frames (all channels);
    the last frame may be shorter."""
    if not energy.size:
        return Silence(duration, duration)
    sizes = np.full(energy.size, float(hop))
    sizes[-1] = max(1.0, duration * rate - hop * (energy.size - 1))
    mean_square = energy / (sizes * channels)
    silent = mean_square < 10 ** (SILENCE_DBFS / 10)
    seconds = hop / rate
    runs = _runs(silent)
    if runs and runs[0] == (0, energy.size):
        return Silence(duration, duration)
    leading = trailing = 0.0
    gaps = []
    for start, end in runs:
        if start == 0:
            leading = end * seconds
        elif end == energy.size:
            trailing = duration - start * seconds
        elif (end - start) * seconds >= MIN_GAP_S:
            gaps.append((round(start * seconds, 3), round(end * seconds, 3)))
    return Silence(round(leading, 3), round(max(trailing, 0.0), 3), gaps)


def judge(silence: Silence, duration: float, t: Thresholds) -> dict[str, Check]:
    """Three checks: ``leading_silence``, ``trailing_silence``, ``gaps``."""
    if duration > 0 and silence.leading >= duration:
        all_silent = Check(duration, Flag.FAIL, "the whole track is silent", "s")
        return {"leading_silence": all_silent,
                "trailing_silence": Check(duration, Flag.FAIL, "the whole track is silent", "s"),
                "gaps": Check(0, Flag.FAIL, "the whole track is silent")}
    lead = band(silence.leading, t.leading_silence_ok, t.leading_silence_warn)
    trail = band(silence.trailing, t.trailing_silence_ok, t.trailing_silence_warn)
    longest = max((end - start for start, end in silence.gaps), default=0.0)
    gaps = [{"start": s, "end": e} for s, e in silence.gaps]
    if not gaps:
        gap_check = Check(0, Flag.OK, f"no silent gap of {MIN_GAP_S:g} s or more inside")
    else:
        where = ", ".join(f"{s:.1f}-{e:.1f} s" for s, e in silence.gaps[:5])
        more = f" and {len(gaps) - 5} more" if len(gaps) > 5 else ""
        flag = worst([Flag.WARN, Flag.FAIL if longest >= t.gap_fail_seconds else Flag.WARN])
        gap_check = Check(len(gaps), flag, f"{len(gaps)} silent gap(s) inside: {where}{more} "
                          f"(longest {longest:.1f} s)", "gaps", {"gaps": gaps})
    return {
        "leading_silence": Check(silence.leading, lead,
                                 f"{silence.leading:.2f} s of silence at the start", "s"),
        "trailing_silence": Check(silence.trailing, trail,
                                  f"{silence.trailing:.2f} s of silence at the end", "s"),
        "gaps": gap_check,
    }


@wording("leading_silence", "trailing_silence")
def edge_words(name: str, check: Check) -> str:
    if check.detail.startswith("the whole track"):
        return "the whole track is silent"
    where = "start" if name == "leading_silence" else "end"
    return f"{number(check.value) or 0:.1f} s of silence at the {where}"


@wording("gaps")
def gaps_words(name: str, check: Check) -> str:
    gaps = check.extra.get("gaps") or []
    if not gaps:
        return "the whole track is silent"
    start, end = max(((g["start"], g["end"]) for g in gaps), key=lambda g: g[1] - g[0])
    more = f" (+{len(gaps) - 1} more)" if len(gaps) > 1 else ""
    return f"{end - start:.1f} s of silence at {clock(start)}{more}"
