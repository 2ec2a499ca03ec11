"""Tempo and key estimates, checked against a tempo ("120 bpm") or key ("E minor") that the
style text asked for.

**Tempo** (numpy only): an onset envelope - the rise of the log energy of the signal's first
difference (which favours attacks: drums, plucks) over `lib.qa.measure.ENERGY_HOP`-sample frames
(about 172 per second) - has its mean removed and is autocorrelated; each lag between 50 and
220 bpm scores its autocorrelation plus half that at twice the lag (a beat also repeats every
two beats), weighted by a log-normal prior centred on 120 bpm (0.7 octave wide, so the half
and double tempo lose ties); the best lag is refined by parabolic interpolation. Limits: half or
double the felt tempo can win (a click track at 174 bpm reads 87; busy hi-hats double a slow
song), which the check reports as a warning, not a failure; music without clear attacks (pads,
rubato) gives a weak estimate (`confidence` near 0). On 18 simulator songs of random tempo
(70-170 bpm), 11 come out within 3 %, 4 at half or double, 3 elsewhere (songs without drums);
click tracks from 72 to 150 bpm within 2 %.

**Key**: a chroma (`Chroma`: per spectrum frame, the magnitudes of the spectral peaks between
100 and 2,000 Hz summed per pitch class and normalised, then summed over frames) correlated with
the Krumhansl-Kessler major and minor key profiles in the 12 transpositions; the best of the 24
is the key. On 24 simulator songs of random keys, 20 come out exact (the others mostly a fifth
away). Limits: relative keys (E minor
/ G major) share their notes and are the usual confusion (reported as a warning); a track that
modulates gets the key it spends most energy in.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from lib.qa.flags import Check, Flag, skipped
from lib.qa.thresholds import Thresholds
from lib.qa.words import number, wording

NOTES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
_FLATS = {"Db": 1, "Eb": 3, "Gb": 6, "Ab": 8, "Bb": 10, "Cb": 11, "Fb": 4}
_PROFILES = {
    "major": np.array([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88]),
    "minor": np.array([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17]),
}
MIN_BPM, MAX_BPM, PRIOR_BPM, PRIOR_OCTAVES = 50.0, 220.0, 120.0, 0.7

_TEMPO_RE = re.compile(r"(\d{2,3}(?:[.,]\d+)?)\s*-?\s*bpm\b", re.IGNORECASE)
_KEY_RE = re.compile(r"(?<![A-Za-z])([A-G])\s*(#|♯|b|♭|-?sharp|-?flat)?\s*[- ]?"
                     r"(major|minor|maj|min)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Key:
    """A key: tonic pitch class (0 = C) and mode."""

    tonic: int
    mode: str        # "major" | "minor"

    def __str__(self) -> str:
        return f"{NOTES[self.tonic]} {self.mode}"

    @property
    def relative(self) -> Key:
        """The relative key (same notes): E minor <-> G major."""
        if self.mode == "minor":
            return Key((self.tonic + 3) % 12, "major")
        return Key((self.tonic + 9) % 12, "minor")


def asked_tempo(style: str | None) -> float | None:
    """The first "<number> bpm" in the style text."""
    found = _TEMPO_RE.search(style or "")
    return float(found.group(1).replace(",", ".")) if found else None


def asked_key(style: str | None) -> Key | None:
    """The first "<note> [#|b|sharp|flat] major|minor" in the style text ("E minor",
    "F# major", "Bb min")."""
    found = _KEY_RE.search(style or "")
    if not found:
        return None
    letter, accidental, mode = found.group(1).upper(), (found.group(2) or "").lower(), \
        found.group(3).lower()
    tonic = NOTES.index(letter)
    if accidental in ("#", "♯", "sharp", "-sharp"):
        tonic += 1
    elif accidental in ("b", "♭", "flat", "-flat"):
        tonic = _FLATS.get(letter + "b", tonic - 1)
    return Key(tonic % 12, "minor" if mode.startswith("min") else "major")


def estimate_tempo(onset_energy: np.ndarray, fps: float) -> tuple[float | None, float]:
    """``(bpm, confidence 0..1)`` from the energies of the differenced signal per frame;
    ``(None, 0)`` under 4 seconds or without any attack."""
    if onset_energy.size < 4 * fps:
        return None, 0.0
    floor = max(float(onset_energy.max()) * 1e-9, 1e-20)
    novelty = np.maximum(np.diff(np.log10(onset_energy + floor)), 0.0)
    novelty -= novelty.mean()
    n = novelty.size
    spectrum = np.fft.rfft(novelty, 2 * n)
    ac = np.fft.irfft(np.abs(spectrum) ** 2)[:n] / np.arange(n, 0, -1)
    if ac[0] <= 0:
        return None, 0.0
    lo, hi = int(60 * fps / MAX_BPM), int(math.ceil(60 * fps / MIN_BPM))
    if hi + 1 >= n // 2:
        return None, 0.0
    lags = np.arange(lo, hi + 1)
    bpm = 60 * fps / lags
    double = np.minimum(2 * lags, n - 1)
    prior = np.exp(-0.5 * (np.log2(bpm / PRIOR_BPM) / PRIOR_OCTAVES) ** 2)
    score = (ac[lags] + 0.5 * ac[double]) * prior
    best = int(lags[int(np.argmax(score))])
    left, mid, right = ac[best - 1], ac[best], ac[best + 1]
    shift = 0.0
    if left - 2 * mid + right < 0:
        shift = float(np.clip(0.5 * (left - right) / (left - 2 * mid + right), -0.5, 0.5))
    confidence = float(np.clip(mid / ac[0], 0.0, 1.0))
    return 60 * fps / (best + shift), confidence


class Chroma:
    """Pitch-class profile of magnitude-spectrum frames: per frame, the magnitudes of its
    spectral peaks between 100 and 2,000 Hz summed per pitch class and normalised (so every
    sounding frame counts the same), summed over frames."""

    def __init__(self, rate: int, n_fft: int) -> None:
        freqs = np.fft.rfftfreq(n_fft, 1 / rate)
        self.band = np.flatnonzero((freqs >= 100) & (freqs <= 2000))
        classes = np.round(12 * np.log2(freqs[self.band] / 440.0) + 69).astype(int) % 12
        self.fold = np.zeros((self.band.size, 12), np.float32)
        self.fold[np.arange(self.band.size), classes] = 1.0
        self.total = np.zeros(12, np.float64)

    def feed(self, magnitude: np.ndarray) -> None:
        """Add frames ``(frames, bins)``."""
        lo, hi = self.band[0] - 1, self.band[-1] + 2
        part = magnitude[:, lo:hi]
        mid = part[:, 1:-1]
        peaks = (mid > part[:, :-2]) & (mid >= part[:, 2:])
        per_frame = np.where(peaks, mid, 0) @ self.fold
        sums = per_frame.sum(axis=1, keepdims=True)
        self.total += (per_frame / np.where(sums > 0, sums, 1)).sum(axis=0)


def estimate_key(pitch_classes: np.ndarray) -> tuple[Key | None, float]:
    """``(key, confidence)`` from a chroma: the best of the 24 profile correlations, and its
    margin over the second best that is not its relative key (0..2)."""
    if pitch_classes.size != 12 or not np.any(pitch_classes > 0) or pitch_classes.std() == 0:
        return None, 0.0
    scores = []
    for mode, profile in _PROFILES.items():
        for tonic in range(12):
            r = float(np.corrcoef(pitch_classes, np.roll(profile, tonic))[0, 1])
            scores.append((r, Key(tonic, mode)))
    scores.sort(key=lambda s: -s[0])
    best_r, best = scores[0]
    rival = next(r for r, k in scores[1:] if k != best.relative)
    return best, round(best_r - rival, 3)


def judge_tempo(bpm: float | None, confidence: float, style: str | None,
                t: Thresholds) -> Check:
    asked = asked_tempo(style)
    value = None if bpm is None else round(bpm, 1)
    extra = {"asked": asked, "confidence": round(confidence, 3)}
    if asked is None:
        check = skipped("no tempo asked in the style" + (f"; about {bpm:.0f} bpm" if bpm
                                                          else ""), value, "bpm")
        check.extra = extra
        return check
    if bpm is None:
        return Check(None, Flag.WARN, f"asked {asked:g} bpm; no tempo found (too short or no "
                     "attacks)", "bpm", extra)
    off = abs(bpm / asked - 1)
    octave = min(abs(bpm / (2 * asked) - 1), abs(2 * bpm / asked - 1))
    if off <= t.tempo_ok_fraction:
        flag, words = Flag.OK, "as asked"
    elif off <= t.tempo_warn_fraction:
        flag, words = Flag.WARN, f"{100 * off:.0f} % off"
    elif octave <= t.tempo_ok_fraction:
        flag, words = Flag.WARN, "half or double the asked tempo"
    else:
        flag, words = Flag.FAIL, f"{100 * off:.0f} % off"
    return Check(value, flag, f"about {bpm:.1f} bpm, asked {asked:g} bpm: {words}", "bpm", extra)


def judge_key(key: Key | None, confidence: float, style: str | None, t: Thresholds) -> Check:
    asked = asked_key(style)
    value = None if key is None else str(key)
    extra = {"asked": None if asked is None else str(asked), "confidence": confidence}
    if asked is None:
        check = skipped("no key asked in the style" + (f"; sounds like {key}" if key else ""),
                        value)
        check.extra = extra
        return check
    if key is None:
        return Check(None, Flag.WARN, f"asked {asked}; no key found (no tonal content)", "",
                     extra)
    if key == asked:
        flag, words = Flag.OK, "as asked"
    elif key == asked.relative:
        flag, words = Flag.WARN, "the relative key of the asked one (same notes)"
    elif key.tonic == asked.tonic:
        flag, words = Flag.WARN, "same tonic, other mode"
    else:
        flag, words = Flag.FAIL, "not the asked key"
    return Check(value, flag, f"sounds like {key}, asked {asked}: {words}", "", extra)


@wording("tempo")
def tempo_words(name: str, check: Check) -> str:
    value, asked = number(check.value), number(check.extra.get("asked"))
    if value is None:
        return "no tempo found" + (f" (asked {asked:g} bpm)" if asked else "")
    return f"tempo {value:.0f} bpm" + (f", asked {asked:g}" if asked else "")


@wording("key")
def key_words(name: str, check: Check) -> str:
    asked = check.extra.get("asked")
    return f"key {check.value or 'no key found'}" + (f", asked {asked}" if asked else "")
