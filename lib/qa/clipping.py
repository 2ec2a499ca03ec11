"""Clipping: runs of consecutive samples at the file's own peak, and inter-sample peaks over
0 dBTP.

A master clipped at full scale has flat tops: runs of consecutive samples at the level where it
was clipped. Lossy encoding moves that level - a 220 Hz sine hard-clipped at full scale decodes
from a 192 kb/s MP3 with its tops at about -0.25 dBFS, from 128 kb/s at about -0.45 dBFS with
overshoots at +0.3 dBFS - so the tops are looked for at the file's own peak, as audio tools do:

* a sample is *at the peak* when its magnitude is within `TOLERANCE_DB` of the file's sample
  peak (the peak's level rounded down to the `STEP_DB` grid: the level is 0.50 to 0.55 dB under
  the peak);
* a *clipped run* is `MIN_RUN` or more consecutive samples of one channel at the peak; the
  measure is the samples in such runs (every channel counted), the number of runs and their
  share of all the samples of the track;
* only a track whose peak reaches `LOOK_FROM_DBFS` is looked at: within a tolerance, the crest
  of a clean tone is as flat as a clipped top (a 220 Hz sine stays within 0.5 dB of its crest
  for 22 samples), so level is what tells them apart, and a clean master that peaks at -1 dBTP
  is never flagged. Limits: a clipped master turned down under -0.5 dBFS is not found, and a
  clean, pure low tone peaking above it reads as clipped.

Plus the true peak (4x oversampled, `lib.qa.loudness.TruePeak`) and its inter-sample peaks over
`OVER_DBTP`: they clip when the track is played (a D/A converter, a decode to fixed point), so
they make the check at least a warning; the `true_peak` check judges the level itself.

**One pass.** The peak is only known at the end, so `Runs` keeps the run statistics (samples,
runs, longest) of every level of the grid that the final level can still be: from
`TOLERANCE_DB` under the peak so far (never under `LOOK_FROM_DBFS - TOLERANCE_DB`) up to the
peak so far. No sample fed so far reaches a level above that peak, so when the peak rises the
new levels start from zero and the levels that fall under the window are dropped. A run open at
the end of a chunk carries over to the next chunk, per level and channel.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from lib.qa.flags import Check, Flag
from lib.qa.thresholds import Thresholds
from lib.qa.words import number, wording

#: the grid of candidate levels (dB)
STEP_DB = 0.05
#: how far under the file's peak a sample still counts as at the peak (dB)
TOLERANCE_DB = 0.5
#: consecutive samples at the peak that make a clipped run (Audacity's "Find Clipping" default)
MIN_RUN = 3
#: a track whose sample peak stays under this (dBFS) has no clipped runs
LOOK_FROM_DBFS = -0.5
#: inter-sample peaks over this (dBTP) clip on playback
OVER_DBTP = 0.0

_TOLERANCE_STEPS = round(TOLERANCE_DB / STEP_DB)
_LOOK_FROM = round(LOOK_FROM_DBFS / STEP_DB)
_LOWEST = _LOOK_FROM - _TOLERANCE_STEPS     # the lowest level the final one can be


def _grid(magnitude: float) -> int:
    """The grid level at or under a magnitude (index: level = index * STEP_DB dBFS)."""
    return math.floor(20 * math.log10(magnitude) / STEP_DB + 1e-9)


def _grid_levels(magnitudes: np.ndarray) -> np.ndarray:
    return np.floor(20 * np.log10(magnitudes) / STEP_DB + 1e-9).astype(np.int64)


@dataclass
class _Level:
    """Clipped runs at one level of the grid, and the runs still open (per channel)."""

    open: np.ndarray
    samples: int = 0
    runs: int = 0
    longest: int = 0

    def close(self, lengths: np.ndarray) -> None:
        long = lengths[lengths >= MIN_RUN]
        if long.size:
            self.samples += int(long.sum())
            self.runs += int(long.size)
            self.longest = max(self.longest, int(long.max()))


@dataclass(frozen=True)
class Clipped:
    """Clipped runs of a whole track (`Runs.result`)."""

    samples: int
    runs: int
    longest: int
    #: the level the runs were counted at (dBFS); None: the peak stays under `LOOK_FROM_DBFS`
    level_dbfs: float | None
    #: every sample of the track, all channels
    total: int = 0

    @property
    def share(self) -> float:
        return self.samples / self.total if self.total else 0.0


@dataclass
class Runs:
    """Streams channel-major chunks ``(channels, frames)``; `result` gives the clipped runs at
    the final peak."""

    channels: int
    peak: float = 0.0
    total: int = 0
    levels: dict[int, _Level] = field(default_factory=dict)

    def feed(self, chunk: np.ndarray) -> None:
        if not chunk.size:
            return
        self.total += chunk.size
        self.peak = max(self.peak, float(chunk.max()), -float(chunk.min()))
        if self.peak <= 0:
            return
        top = _grid(self.peak)
        low = max(top - _TOLERANCE_STEPS, _LOWEST)
        for index in [i for i in self.levels if i < low]:
            del self.levels[index]
        if top < low:
            return
        for index in range(low, top + 1):
            if index not in self.levels:
                self.levels[index] = _Level(np.zeros(self.channels, np.int64))
        frames = chunk.shape[1]
        floor = 10 ** (low * STEP_DB / 20) * (1 - 1e-6)
        for channel, samples in enumerate(chunk):
            magnitude = np.abs(samples)
            where = np.flatnonzero(magnitude >= floor)
            grid = _grid_levels(magnitude[where]) if where.size else where
            for index in range(low, top + 1):
                self._runs(self.levels[index], channel, where[grid >= index], frames)

    @staticmethod
    def _runs(level: _Level, channel: int, at: np.ndarray, frames: int) -> None:
        """Add the runs of the chunk's sample positions ``at`` (sorted) to ``level``."""
        carried = int(level.open[channel])
        if not at.size:
            level.close(np.array([carried]))
            level.open[channel] = 0
            return
        breaks = np.flatnonzero(np.diff(at) != 1)
        starts = np.concatenate([[0], breaks + 1])
        lengths = np.diff(np.concatenate([starts, [at.size]]))
        if carried:
            if at[0] == 0:
                lengths[0] += carried           # the open run goes on
            else:
                level.close(np.array([carried]))
        if at[-1] == frames - 1:               # the last run is still open
            level.open[channel] = lengths[-1]
            lengths = lengths[:-1]
        else:
            level.open[channel] = 0
        level.close(lengths)

    def result(self) -> Clipped:
        """The runs at the level `TOLERANCE_DB` under the peak (the open runs closed)."""
        if self.peak <= 0 or _grid(self.peak) < _LOOK_FROM:
            return Clipped(0, 0, 0, None, self.total)
        index = _grid(self.peak) - _TOLERANCE_STEPS
        level = self.levels.get(index) or _Level(np.zeros(self.channels, np.int64))
        level.close(level.open)
        level.open = np.zeros(self.channels, np.int64)
        return Clipped(level.samples, level.runs, level.longest, round(index * STEP_DB, 2),
                       self.total)


def judge(clipped: int, t: Thresholds, *, runs: int | None = None, share: float | None = None,
          level_dbfs: float | None = None, true_peak_dbtp: float | None = None,
          overs: int | None = None) -> Check:
    """Clipped samples against the thresholds; inter-sample peaks over `OVER_DBTP` are at
    least a warning."""
    flag = Flag.FAIL if clipped >= t.clipped_fail else Flag.WARN if clipped >= t.clipped_warn \
        else Flag.OK
    over = true_peak_dbtp is not None and math.isfinite(true_peak_dbtp) \
        and true_peak_dbtp > OVER_DBTP
    if over and flag is Flag.OK:
        flag = Flag.WARN
    rule = f"runs of {MIN_RUN}+ samples within {TOLERANCE_DB:g} dB of the peak"
    if clipped:
        detail = f"{clipped:,} sample(s) clipped" + (f" in {runs:,} run(s)" if runs else "")
        if share is not None:
            detail += f" ({percent(share)} of the track)"
        detail += f": {rule}" + (f" ({level_dbfs:.2f} dBFS or above)" if level_dbfs is not None
                                 else "")
    elif level_dbfs is None and runs is not None:
        detail = f"no clipped runs: the peak stays under {LOOK_FROM_DBFS:g} dBFS"
    else:
        detail = f"no clipped runs ({rule})"
    if true_peak_dbtp is not None and math.isfinite(true_peak_dbtp):
        detail += f"; true peak {true_peak_dbtp:+.2f} dBTP"
        if over:
            detail += (f", {overs:,} oversampled value(s) over {OVER_DBTP:g} dBTP" if overs
                       else f", inter-sample peaks over {OVER_DBTP:g} dBTP")
    extra = {"runs": runs, "share": None if share is None else float(f"{share:.4g}"),
             "level_dbfs": level_dbfs, "true_peak_dbtp": None if true_peak_dbtp is None or
             not math.isfinite(true_peak_dbtp) else round(true_peak_dbtp, 2), "overs": overs}
    return Check(clipped, flag, detail, "samples", extra)


@wording("clipping")
def clipping_words(name: str, check: Check) -> str:
    """``"clipped: 312 samples (0.003% of the track), true peak +0.3 dBTP"``, or, without
    clipped runs, ``"2,058 inter-sample peaks over 0 dBTP"``."""
    count, share, dbtp = int(number(check.value) or 0), number(check.extra.get("share")), \
        number(check.extra.get("true_peak_dbtp"))
    if not count and dbtp is not None and dbtp > OVER_DBTP:
        overs = number(check.extra.get("overs"))
        return f"{f'{int(overs):,} ' if overs else ''}inter-sample peaks over {OVER_DBTP:g} dBTP"
    text = f"clipped: {count:,} samples"
    if share is not None:
        text += f" ({percent(share)} of the track)"
    return text + (f", true peak {dbtp:+.1f} dBTP" if dbtp is not None else "")


def percent(share: float | None) -> str:
    """``0.54`` -> ``"54%"``, ``0.0123`` -> ``"1.2%"``, ``3e-5`` -> ``"0.003%"``, ``4e-6`` ->
    ``"under 0.001%"``."""
    if not share:
        return "0%"
    value = 100 * share
    if value >= 10:
        return f"{value:.0f}%"
    if value >= 1:
        return f"{value:.1f}%"
    return f"{value:.1g}%" if value >= 0.001 else "under 0.001%"
