"""What a voice recording sounds like, for Suno Voice (numpy only): its pitch, the vocal gender
that pitch suggests, and a timbre (0 dark .. 1 bright) from its spectral centroid.

* pitch: the median over voiced frames (within 20 dB of the loudest) of the autocorrelation
  peak between 60 and 1000 Hz (2048-sample frames of the mono mix, the first 30 s);
* vocal gender: "m" under 165 Hz, else "f" (by the timbre when no pitch is found);
* timbre: the voiced frames' mean spectral centroid on a log scale, 400 Hz -> 0, 3200 Hz -> 1.

`synth` renders a voice persona's vocals with this gender (octave, formants) and timbre.
"""

from __future__ import annotations

import numpy as np

from simulator import synth

FRAME = 2048
F0_RANGE = (60.0, 1000.0)
MALE_BELOW_HZ = 165.0
CENTROID_RANGE = (400.0, 3200.0)


def _frames(pcm) -> np.ndarray:
    mono = synth._as_stereo(pcm).mean(axis=1)[:30 * synth.SR]
    n = len(mono) // FRAME
    frames = mono[:n * FRAME].reshape(n, FRAME) if n else mono[None, :].copy()
    energy = np.sqrt(np.mean(frames ** 2, axis=1))
    return frames[energy >= 0.1 * energy.max()] if energy.max() > 0 else frames[:0]


def _pitch(frame: np.ndarray) -> float | None:
    x = frame - frame.mean()
    spec = np.fft.rfft(x, 2 * len(x))
    ac = np.fft.irfft(np.abs(spec) ** 2)[:len(x)]
    if ac[0] <= 0:
        return None
    lo, hi = int(synth.SR / F0_RANGE[1]), min(int(synth.SR / F0_RANGE[0]), len(x) - 1)
    lag = lo + int(np.argmax(ac[lo:hi]))
    return synth.SR / lag if ac[lag] > 0.3 * ac[0] else None


def voiceprint(pcm) -> dict[str, float | str | None]:
    """`{"pitch_hz", "vocal_gender", "timbre"}` of a recording (see the module doc)."""
    frames = _frames(pcm)
    if not len(frames):
        return {"pitch_hz": None, "vocal_gender": "f", "timbre": 0.5}
    pitches = [p for p in (_pitch(f) for f in frames) if p is not None]
    mag = np.abs(np.fft.rfft(frames * np.hanning(frames.shape[1]), axis=1)).mean(axis=0)
    freqs = np.fft.rfftfreq(frames.shape[1], 1 / synth.SR)
    centroid = float((mag * freqs).sum() / mag.sum()) if mag.sum() > 0 else CENTROID_RANGE[0]
    lo, hi = CENTROID_RANGE
    timbre = float(np.clip(np.log2(max(centroid, 1.0) / lo) / np.log2(hi / lo), 0.0, 1.0))
    pitch = float(np.median(pitches)) if pitches else None
    if pitch is not None:
        gender = "m" if pitch < MALE_BELOW_HZ else "f"
    else:
        gender = "m" if timbre < 0.5 else "f"
    return {"pitch_hz": None if pitch is None else round(pitch, 1), "vocal_gender": gender,
            "timbre": round(timbre, 4)}
