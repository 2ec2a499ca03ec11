"""Estimated stems of audio the simulator did not synthesise (uploaded sources): numpy only.

The synthesised songs know their layers. An upload is just a mix, and treating it as one layer
made every later separation of a track built on it degenerate (split_stem returning the same
two files as separate_vocal). `song(pcm, vocals)` turns a mix into a `synth.Song` whose layers
are estimated the way a simple separator would, and sum to the mix exactly:

* a short-time Fourier transform (2048-sample sqrt-Hann frames, 50 % overlap: perfect
  reconstruction) of both channels;
* soft masks per frame and frequency band (48 log-spaced bands) that add up to one:
  `drums` = percussive energy (median across bands beats median across time, as in
  harmonic/percussive separation); the sustained rest by band: below 250 Hz `bass`, above
  4 kHz `fx`, and in between `vocals` for the part in the stereo centre (only when the source
  may hold a voice) and `keyboard` for the rest;
* silent layers are dropped; float rounding goes to the loudest layer.

Like any separator it only estimates: each stem may hold some of the others.
"""

from __future__ import annotations

import numpy as np

from simulator import synth

N, HOP = 2048, 1024
BANDS = np.r_[0.0, np.geomspace(40.0, synth.SR / 2, 48)]   # band edges (Hz)
BASS_MAX_HZ, MID_MAX_HZ = 250.0, 4000.0
TIME_SPAN, BAND_SPAN = 9, 7                                # median filter widths (frames, bands)
_CHUNK = 256                                               # frames transformed at a time
_WINDOW = np.sqrt(np.hanning(N + 1)[:N]).astype(np.float32)  # periodic: squares overlap-add to 1


def _band_of_bins() -> np.ndarray:
    freqs = np.fft.rfftfreq(N, 1 / synth.SR)
    return np.clip(np.searchsorted(BANDS, freqs, side="right") - 1, 0, len(BANDS) - 2)


def _spectra(padded: np.ndarray, first: int, last: int) -> np.ndarray:
    """STFT frames [first, last) of padded stereo PCM: (frames, bins, 2) complex."""
    idx = (np.arange(first, last)[:, None] * HOP + np.arange(N))
    return np.fft.rfft(padded[idx] * _WINDOW[None, :, None], axis=1)


def _median(x: np.ndarray, span: int, axis: int) -> np.ndarray:
    pad = [(0, 0), (0, 0)]
    pad[axis] = (span // 2, span // 2)
    windows = np.lib.stride_tricks.sliding_window_view(np.pad(x, pad, mode="edge"), span, axis=axis)
    return np.median(windows, axis=-1)


def _masks(padded: np.ndarray, frames: int, vocals: bool) -> dict[str, np.ndarray]:
    """Per-(frame, band) masks of each layer; they sum to one everywhere."""
    bins = _band_of_bins()
    count = np.bincount(bins, minlength=len(BANDS) - 1).astype(np.float64)
    mid_power = np.zeros((frames, len(count)))
    side_power = np.zeros((frames, len(count)))
    for first in range(0, frames, _CHUNK):
        spec = _spectra(padded, first, min(first + _CHUNK, frames))
        for out, part in ((mid_power, spec.sum(axis=2)), (side_power, spec[..., 0] - spec[..., 1])):
            power = np.abs(part) ** 2
            out[first:first + len(spec)] = np.stack(
                [np.bincount(bins, weights=row, minlength=len(count)) for row in power]) / np.maximum(count, 1)
    total = mid_power + side_power + 1e-12
    harmonic, percussive = _median(total, TIME_SPAN, 0), _median(total, BAND_SPAN, 1)
    drums = percussive ** 2 / (percussive ** 2 + harmonic ** 2 + 1e-24)
    sustained = 1.0 - drums
    centre = (BANDS[:-1] + BANDS[1:]) / 2
    low, high = centre < BASS_MAX_HZ, centre >= MID_MAX_HZ
    mid = ~low & ~high
    masks = {"drums": drums, "bass": sustained * low, "fx": sustained * high}
    if vocals:
        centred = mid_power / total        # share of the band's energy in the stereo centre
        masks["vocals"] = sustained * mid * centred
        masks["keyboard"] = sustained * mid * (1.0 - centred)
    else:
        masks["keyboard"] = sustained * mid
    return masks


def layers(pcm, *, vocals: bool) -> dict[str, np.ndarray]:
    """Estimated stem layers (stem order) of stereo or mono PCM, summing to it exactly."""
    x = synth._as_stereo(pcm)
    n = len(x)
    blocks = -(-n // HOP)                   # signal blocks, after one block of front padding
    frames = blocks + 1
    padded = np.zeros(((frames + 1) * HOP, 2), np.float32)
    padded[HOP:HOP + n] = x
    masks = _masks(padded, frames, vocals)
    bins = _band_of_bins()
    out = {name: np.zeros(((frames + 1), HOP, 2), np.float32) for name in masks}
    for first in range(0, frames, _CHUNK):
        last = min(first + _CHUNK, frames)
        spec = _spectra(padded, first, last)
        for name, mask in masks.items():
            parts = np.fft.irfft(spec * mask[first:last][:, bins, None], n=N, axis=1) * _WINDOW[None, :, None]
            out[name][first:last] += parts[:, :HOP]
            out[name][first + 1:last + 1] += parts[:, HOP:]
    result = {name: blocks_.reshape(-1, 2)[HOP:HOP + n] for name, blocks_ in out.items()}
    loud = {name: float(np.sqrt(np.mean(np.square(v)))) for name, v in result.items()}
    top = max(loud, key=loud.get)
    kept = {name: v for name, v in result.items() if loud[name] > 1e-5 or name == top}
    kept[top] = kept[top] + (x - sum(kept.values()))   # rounding and dropped layers
    return {name: kept[name] for name in synth.STEM_NAMES if name in kept}


def song(pcm, *, vocals: bool) -> synth.Song:
    """A `synth.Song` of source PCM with estimated layers (gain 1, no spec: its key and tempo
    are analysed by the synth when needed)."""
    return synth.Song(layers(pcm, vocals=vocals), 1.0, None)
