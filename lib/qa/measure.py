"""One decode, every measurement: `measure_file` streams the file's samples once (`lib.qa.decode`)
through all the accumulators, chunk by chunk while ffmpeg goes on decoding, then finishes each
measure from what they gathered. Judging the values against thresholds is `lib.qa.scorecard`.

Per chunk (channel-major float32): the K-weighting filter and its 100 ms sums
(`lib.qa.loudness.KWeighted`), the true-peak scan (`TruePeak`), the runs of samples at the peak
(`lib.qa.clipping.Runs`, clipping), the energy of
every `ENERGY_HOP`-sample frame (silence) and of the differenced mono signal (tempo), and the
magnitude spectra of consecutive `SPECTRUM_SECONDS` frames of the mono signal (key, vocals).
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import scipy.fft

from lib.qa import clipping, decode, loudness, silence, tempo_key, vocals

#: samples per frame of the silence and onset energies (5.8 ms at 44.1 kHz)
ENERGY_HOP = 256
#: about this long a spectrum frame (a power of two in samples: 8192 at 44.1 kHz)
SPECTRUM_SECONDS = 0.186


@dataclass
class Measures:
    """Everything measured on one file (values only; no verdicts)."""

    duration: float
    rate: int
    channels: int
    lufs: float
    true_peak_dbtp: float
    sample_peak_dbfs: float
    #: samples in clipped runs (every channel; `lib.qa.clipping`)
    clipped: int
    leading_silence: float
    trailing_silence: float
    gaps: list[tuple[float, float]]
    tempo_bpm: float | None
    tempo_confidence: float
    key: str | None
    key_confidence: float
    vocal_share: float | None
    vocal_stem_db: float | None = None
    #: clipped runs, the level they were counted at (dBFS; None: the peak is under
    #: `lib.qa.clipping.LOOK_FROM_DBFS`) and inter-sample peaks over 0 dBTP (None in
    #: scorecards measured before they were)
    clipped_runs: int | None = None
    clip_level_dbfs: float | None = None
    true_peak_overs: int | None = None
    #: seconds spent: decoding and measuring together, and the part after the last chunk
    timing: dict[str, float] = field(default_factory=dict)

    def silence(self) -> silence.Silence:
        return silence.Silence(self.leading_silence, self.trailing_silence, list(self.gaps))

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("lufs", "true_peak_dbtp", "sample_peak_dbfs", "vocal_stem_db"):
            if data[key] is not None and not math.isfinite(data[key]):
                data[key] = None if data[key] > 0 else "-inf"
        data["gaps"] = [list(g) for g in self.gaps]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Measures:
        values: dict[str, Any] = {k: data.get(k) for k in cls.__dataclass_fields__}
        for key in ("lufs", "true_peak_dbtp", "sample_peak_dbfs", "vocal_stem_db"):
            if values[key] == "-inf":
                values[key] = float("-inf")
        values["gaps"] = [tuple(g) for g in values.get("gaps") or []]
        values["timing"] = values.get("timing") or {}
        return cls(**values)


def _key_name(key: tempo_key.Key | None) -> str | None:
    return None if key is None else str(key)


class _Spectra:
    """Magnitude spectra of consecutive, non-overlapping Hann-windowed frames of a 1-D stream."""

    def __init__(self, rate: int) -> None:
        self.rate = rate
        self.n_fft = 1 << max(8, round(math.log2(rate * SPECTRUM_SECONDS)))
        self.window = np.hanning(self.n_fft).astype(np.float32)
        freqs = np.fft.rfftfreq(self.n_fft, 1 / rate)
        self.presence = (freqs >= vocals.PRESENCE_BAND[0]) & (freqs < vocals.PRESENCE_BAND[1])
        self.total = (freqs >= vocals.TOTAL_BAND[0]) & (freqs < vocals.TOTAL_BAND[1])
        self.chroma = tempo_key.Chroma(rate, self.n_fft)
        self.presence_energy: list[np.ndarray] = []
        self.total_energy: list[np.ndarray] = []
        self._rest = np.zeros(0, np.float32)

    def feed(self, mono: np.ndarray) -> None:
        if self._rest.size:
            mono = np.concatenate([self._rest, mono])
        whole = mono.size - mono.size % self.n_fft
        self._rest = mono[whole:].copy()
        if not whole:
            return
        frames = mono[:whole].reshape(-1, self.n_fft) * self.window
        magnitude = np.abs(scipy.fft.rfft(frames, axis=1))
        self.chroma.feed(magnitude)
        power = np.square(magnitude)
        self.presence_energy.append(power[:, self.presence].sum(axis=1))
        self.total_energy.append(power[:, self.total].sum(axis=1))

    def bands(self) -> tuple[np.ndarray, np.ndarray]:
        if not self.total_energy:
            return np.zeros(0), np.zeros(0)
        return np.concatenate(self.presence_energy), np.concatenate(self.total_energy)


def measure_file(path: str | Path, *, stem_path: str | Path | None = None,
                 chunk_seconds: float = 1.0) -> Measures:
    """Decode ``path`` once and measure everything (`Measures`). ``stem_path``: a vocal stem
    of the same track, measured against the mix. Raises `lib.qa.decode.DecodeError` for a
    file that is not audio."""
    started = time.perf_counter()
    fmt, chunks = decode.stream(path, chunk_seconds)
    rate, channels = fmt.rate, fmt.channels
    k_weighted = loudness.KWeighted(rate, channels)
    true_peak = loudness.TruePeak(channels)
    runs = clipping.Runs(channels)
    energy = loudness.HopSums(ENERGY_HOP)
    onsets = loudness.HopSums(ENERGY_HOP)
    spectra = _Spectra(rate)
    frames = 0
    sum_squares = 0.0
    previous = np.zeros(1, np.float32)
    for interleaved in chunks:
        chunk = np.ascontiguousarray(interleaved.T)        # (channels, frames)
        frames += chunk.shape[1]
        k_weighted.feed(chunk)
        true_peak.feed(chunk)
        runs.feed(chunk)
        squares = np.square(chunk[0])
        mono = chunk[0].copy()
        for channel in chunk[1:]:
            squares += np.square(channel)
            mono += channel
        if channels > 1:
            mono *= np.float32(1 / channels)
        energy.feed(squares)
        sum_squares += float(squares.sum(dtype=np.float64))
        onsets.feed(np.square(np.diff(mono, prepend=previous)))
        previous = mono[-1:]
        spectra.feed(mono)
    true_peak.feed(np.zeros((channels, 0), np.float32), last=True)
    streamed = time.perf_counter()

    duration = frames / rate if rate else 0.0
    quiet = silence.find(energy.result(partial=True), ENERGY_HOP, rate, channels, duration)
    bpm, tempo_confidence = tempo_key.estimate_tempo(onsets.result(), rate / ENERGY_HOP)
    key, key_confidence = tempo_key.estimate_key(spectra.chroma.total)
    presence, total = spectra.bands()
    stem_db = None
    if stem_path is not None:
        mix_rms = math.sqrt(sum_squares / max(1, frames * channels))
        stem, _ = decode.decode(stem_path)
        stem_rms = float(np.sqrt(np.mean(np.square(stem, dtype=np.float64)))) if stem.size \
            else 0.0
        stem_db = vocals.stem_level_db(stem_rms, mix_rms)
    sample_peak = true_peak.sample_peak
    clipped = runs.result()
    done = time.perf_counter()
    return Measures(
        duration=round(duration, 4), rate=rate, channels=channels,
        lufs=loudness.integrated(k_weighted.hops(), k_weighted.hop),
        true_peak_dbtp=true_peak.dbtp, clipped=clipped.samples, clipped_runs=clipped.runs,
        clip_level_dbfs=clipped.level_dbfs, true_peak_overs=true_peak.overs,
        sample_peak_dbfs=20 * math.log10(sample_peak) if sample_peak > 0 else float("-inf"),
        leading_silence=quiet.leading, trailing_silence=quiet.trailing, gaps=quiet.gaps,
        tempo_bpm=None if bpm is None else round(bpm, 2),
        tempo_confidence=round(tempo_confidence, 3), key=_key_name(key),
        key_confidence=key_confidence, vocal_share=vocals.presence_share(presence, total),
        vocal_stem_db=stem_db,
        timing={"total_s": round(done - started, 4), "after_stream_s": round(done - streamed, 4)})
