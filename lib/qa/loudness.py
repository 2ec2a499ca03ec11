"""Integrated loudness (ITU-R BS.1770-4 / EBU R128, in LUFS) and true peak (dBTP).

**Loudness.** The K-weighting filters are pyloudnorm's own (`pyloudnorm.IIRfilter`, the high
shelf and the high pass `pyloudnorm.Meter` uses), applied with `scipy.signal.sosfilt` chunk by
chunk as the audio is decoded (the filter state carries over). The gating follows pyloudnorm's
`Meter.integrated_loudness` step for step - 400 ms blocks every 100 ms, channel weights
1, 1, 1, 1.41, 1.41, absolute gate -70 LUFS, relative gate -10 LU - but on the 100 ms sums of
squares, vectorised: `Meter.integrated_loudness` loops in Python over every block and costs
seconds on a song; this gives its number (tests compare both, and ffmpeg's ``ebur128``).

**True peak.** The signal is upsampled 4x by a 49-tap Kaiser-windowed sinc (cut-off at the
original Nyquist frequency; the phase at the original samples is the samples themselves); the
true peak is the largest magnitude of the samples and of the three interpolated phases, over all
channels. Only 64-sample blocks that can hold a value above the peak found so far are
interpolated: an interpolated value is at most ``L1 * max |x|`` over its 12 input samples
(``L1``: the largest sum of absolute taps of a phase, about 1.76), so skipping the other blocks
never changes the result (tests check against full 4x oversampling). The interpolated values
over 0 dBTP are counted too (`TruePeak.overs`, inter-sample peaks that clip on playback): once
the peak is over 0 dBTP, every block that can hold one is interpolated.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pyloudnorm
import scipy.signal

from lib.qa.flags import Check, Flag
from lib.qa.words import number, wording

#: BS.1770 channel weights (L, R, C, Ls, Rs), as pyloudnorm
CHANNEL_WEIGHTS = (1.0, 1.0, 1.0, 1.41, 1.41)
ABSOLUTE_GATE = -70.0
RELATIVE_GATE = -10.0
BLOCK_HOPS = 4        # a 400 ms gating block is four 100 ms hops
OVERSAMPLE = 4
TP_TAPS = 49
TP_BLOCK = 32


def k_weighting(rate: int) -> np.ndarray:
    """Second-order sections of pyloudnorm's K-weighting filter at ``rate``."""
    shelf = pyloudnorm.IIRfilter(4.0, 1 / math.sqrt(2), 1500.0, rate, "high_shelf")
    high_pass = pyloudnorm.IIRfilter(0.0, 0.5, 38.0, rate, "high_pass")
    return np.array([[*f.b, *f.a] for f in (shelf, high_pass)], dtype=np.float64)


class HopSums:
    """Sums (or maxima) of a 1-D stream over consecutive hops of ``hop`` samples."""

    def __init__(self, hop: int, reduce: str = "sum") -> None:
        self.hop = hop
        self.reduce = np.add.reduce if reduce == "sum" else np.maximum.reduce
        self._rest = np.zeros(0, np.float64)
        self.parts: list[np.ndarray] = []

    def feed(self, values: np.ndarray) -> None:
        if self._rest.size:
            values = np.concatenate([self._rest, values])
        whole = values.size - values.size % self.hop
        if whole:
            self.parts.append(self.reduce(values[:whole].reshape(-1, self.hop), axis=1)
                              .astype(np.float64))
        self._rest = values[whole:].astype(np.float64, copy=True)

    def result(self, partial: bool = False) -> np.ndarray:
        """Every whole hop (and with ``partial`` the last, shorter one)."""
        parts = list(self.parts)
        if partial and self._rest.size:
            parts.append(np.array([self.reduce(self._rest)]))
        return np.concatenate(parts) if parts else np.zeros(0, np.float64)


class KWeighted:
    """Streams channel-major chunks ``(channels, frames)`` through the K-weighting filter;
    keeps the weighted sum of squares of every 100 ms hop (what the gating needs)."""

    def __init__(self, rate: int, channels: int) -> None:
        self.rate = rate
        self.hop = max(1, round(rate / 10))
        self.sos = k_weighting(rate).astype(np.float32)
        self.zi = np.zeros((len(self.sos), channels, 2), np.float32)
        self.weights = (CHANNEL_WEIGHTS + (1.41,) * channels)[:channels]
        self.sums = HopSums(self.hop)

    def feed(self, chunk: np.ndarray) -> None:
        filtered, self.zi = scipy.signal.sosfilt(self.sos, chunk, axis=-1, zi=self.zi)
        total = np.square(filtered[0])
        for weight, channel in zip(self.weights[1:], filtered[1:], strict=True):
            total += np.float32(weight) * np.square(channel)
        self.sums.feed(total)

    def hops(self) -> np.ndarray:
        return self.sums.result()


def integrated(hop_sums: np.ndarray, hop: int) -> float:
    """Gated integrated loudness (LUFS) from weighted 100 ms sums of squares; ``-inf`` when
    nothing passes the gates (silence, or shorter than one 400 ms block)."""
    if hop_sums.size < BLOCK_HOPS:
        return float("-inf")
    window = np.convolve(hop_sums, np.ones(BLOCK_HOPS), mode="valid") / (BLOCK_HOPS * hop)
    with np.errstate(divide="ignore"):
        block_lufs = -0.691 + 10 * np.log10(window)
    above = window[block_lufs >= ABSOLUTE_GATE]
    if not above.size:
        return float("-inf")
    relative = -0.691 + 10 * math.log10(float(above.mean())) + RELATIVE_GATE
    gated = window[(block_lufs > relative) & (block_lufs > ABSOLUTE_GATE)]
    if not gated.size:
        return float("-inf")
    return -0.691 + 10 * math.log10(float(gated.mean()))


def integrated_file(path: str | Path, chunk_seconds: float = 8.0) -> float:
    """A file's integrated loudness alone (LUFS; ``-inf`` for silence), decoded chunk by
    chunk through `KWeighted` as `lib.qa.measure.measure_file` does. Raises
    `lib.qa.decode.DecodeError` for a file that is not audio."""
    from lib.qa import decode

    fmt, chunks = decode.stream(path, chunk_seconds)
    weighted = KWeighted(fmt.rate, fmt.channels)
    for interleaved in chunks:
        weighted.feed(np.ascontiguousarray(interleaved.T))
    return integrated(weighted.hops(), weighted.hop)


def _tp_phases() -> tuple[np.ndarray, float]:
    """The three interpolating phases (3, 12) over input samples n-5 .. n+6, and the largest
    sum of absolute taps among them."""
    taps = scipy.signal.firwin(TP_TAPS, 1 / OVERSAMPLE, window=("kaiser", 8.0)) * OVERSAMPLE
    center = TP_TAPS // 2
    phases = np.array([[taps[center + 20 - OVERSAMPLE * i + r] for i in range(12)]
                       for r in range(1, OVERSAMPLE)], dtype=np.float32)
    return phases, float(np.abs(phases).sum(axis=1).max())


_PHASES, _L1 = _tp_phases()
_BEFORE, _AFTER = 5, 6       # input samples each interpolated value needs before/after n


class TruePeak:
    """Streams channel-major chunks ``(channels, frames)``; `peak` is the true peak (linear)
    of everything fed so far, `dbtp` in dB. Feed the last chunk with ``last=True`` (it may be
    empty)."""

    def __init__(self, channels: int) -> None:
        self.peak = 0.0             # the largest |sample| or interpolated value so far
        self.sample_peak = 0.0      # the largest |sample|
        self.overs = 0              # interpolated values over 0 dBTP (inter-sample overs)
        self.blocks = 0             # blocks seen / interpolated (for figures)
        self.interpolated_blocks = 0
        # the input not yet scanned, with _BEFORE samples of context (zeros before the start)
        self._tail = np.zeros((channels, _BEFORE), np.float32)

    def feed(self, chunk: np.ndarray, last: bool = False) -> None:
        if chunk.size:
            self.sample_peak = max(self.sample_peak, float(np.abs(chunk).max()))
            self.peak = max(self.peak, self.sample_peak)
        parts = [self._tail, chunk]
        if last:
            parts.append(np.zeros((self._tail.shape[0], _AFTER), np.float32))
        ext = np.concatenate(parts, axis=1)
        end = ext.shape[1] - _AFTER      # positions _BEFORE .. end-1 have their whole window
        if end > _BEFORE:
            self._scan(ext, end)
            self._tail = ext[:, end - _BEFORE:]
        else:
            self._tail = ext

    def _scan(self, ext: np.ndarray, end: int) -> None:
        """Interpolate between the samples at positions _BEFORE .. end-1 of ``ext`` where a
        value above the peak found so far is possible."""
        mag = np.abs(ext[0])
        for channel in ext[1:]:
            np.maximum(mag, np.abs(channel), out=mag)
        start, size = _BEFORE, end - _BEFORE
        n_blocks = -(-size // TP_BLOCK)
        self.blocks += n_blocks
        body = np.zeros(n_blocks * TP_BLOCK, np.float32)
        body[:size] = mag[start:end]
        core = body.reshape(n_blocks, TP_BLOCK).max(axis=1)
        before = np.concatenate([[mag[:start].max()], core[:-1]])   # neighbours cover +-64
        after = np.concatenate([core[1:], [mag[end:].max()]])
        wide = np.maximum(np.maximum(before, core), after)
        order = np.argsort(-wide, kind="stable")
        span = TP_BLOCK + _BEFORE + _AFTER
        padded = np.concatenate([ext, np.zeros((ext.shape[0], span), np.float32)], axis=1)
        for batch in np.array_split(order, max(1, len(order) // 128)):
            batch = batch[wide[batch] * _L1 > min(self.peak, 1.0)]
            if not batch.size:
                break              # the rest of the order is quieter still
            self.interpolated_blocks += batch.size
            first = start - _BEFORE + batch * TP_BLOCK      # window start of each block
            for channel in padded:
                # (blocks, TP_BLOCK, 12) windows of consecutive positions, times (12, 3)
                rows = np.lib.stride_tricks.sliding_window_view(channel, span)[first]
                windows = np.lib.stride_tricks.sliding_window_view(rows, 12, axis=1)
                values = np.abs(windows[:, :TP_BLOCK] @ _PHASES.T)
                # positions past ``end`` read zero padding or the next samples: both are
                # values of the band-limited signal or below it, never above the true peak
                self.peak = max(self.peak, float(values.max()))
                if self.peak > 1.0:
                    # ... but they are counted in the next scan: only positions before it
                    inside = (batch[:, None] * TP_BLOCK + np.arange(TP_BLOCK)) < size
                    self.overs += int(np.count_nonzero((values > 1.0) & inside[:, :, None]))

    @property
    def dbtp(self) -> float:
        return 20 * math.log10(self.peak) if self.peak > 0 else float("-inf")


def _oversampled(samples: np.ndarray) -> np.ndarray:
    """The three interpolated phases of every sample position ``(channels, frames, 3)``."""
    ext = np.pad(samples.astype(np.float32).T, ((0, 0), (_BEFORE, _AFTER)))
    view = np.lib.stride_tricks.sliding_window_view(ext, 12, axis=1)    # (ch, n, 12)
    return view @ _PHASES.T


def overs_full(samples: np.ndarray) -> int:
    """Interpolated values over 0 dBTP of ``(frames, channels)`` samples by full 4x
    oversampling (slow; for tests)."""
    return int(np.count_nonzero(np.abs(_oversampled(samples)) > 1.0))


def true_peak_full(samples: np.ndarray) -> float:
    """The same true peak (dBTP) of ``(frames, channels)`` samples by full 4x oversampling
    (slow; for tests)."""
    values = _oversampled(samples)
    peak = max(float(np.abs(samples).max(initial=0.0)), float(np.abs(values).max(initial=0.0)))
    return 20 * math.log10(peak) if peak > 0 else float("-inf")


def judge_loudness(lufs: float, t: object) -> Check:
    from lib.qa.thresholds import Thresholds

    assert isinstance(t, Thresholds)
    if not math.isfinite(lufs):
        return Check(None, Flag.FAIL, "no loudness: the track is silent (or under 0.4 s)",
                     "LUFS")
    if t.lufs_min_ok <= lufs <= t.lufs_max_ok:
        flag = Flag.OK
    elif t.lufs_min_warn <= lufs <= t.lufs_max_warn:
        flag = Flag.WARN
    else:
        flag = Flag.FAIL
    words = ("" if flag is Flag.OK else
             " (too quiet)" if lufs < t.lufs_min_ok else " (too loud)")
    return Check(round(lufs, 2), flag, f"{lufs:.1f} LUFS integrated{words}; ok from "
                 f"{t.lufs_min_ok:g} to {t.lufs_max_ok:g}", "LUFS")


@wording("loudness")
def loudness_words(name: str, check: Check) -> str:
    value = number(check.value)
    if value is None:
        return "no loudness (silent)"
    return f"{value:.1f} LUFS, too {'quiet' if 'quiet' in check.detail else 'loud'}"
