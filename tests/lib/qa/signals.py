"""Test signals with known properties, and files made from them with the pip-shipped ffmpeg."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import numpy as np

from lib.media.audio import ffmpeg_exe

SR = 44100


def seconds(n: float, rate: int = SR) -> int:
    return int(round(n * rate))


def sine(freq: float, dur: float, amp: float = 0.5, rate: int = SR, phase: float = 0.0,
         channels: int = 2) -> np.ndarray:
    t = np.arange(seconds(dur, rate)) / rate
    mono = amp * np.sin(2 * np.pi * freq * t + phase)
    return np.repeat(mono[:, None], channels, axis=1).astype(np.float32)


def noise(dur: float, amp: float = 0.1, seed: int = 0, rate: int = SR) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return (amp * rng.standard_normal((seconds(dur, rate), 2))).astype(np.float32)


def silence(dur: float, rate: int = SR) -> np.ndarray:
    return np.zeros((seconds(dur, rate), 2), np.float32)


def clicks(bpm: float, dur: float, rate: int = SR, amp: float = 0.8) -> np.ndarray:
    """A click track: a 2 kHz 25 ms decaying burst on every beat."""
    out = np.zeros(seconds(dur, rate), np.float32)
    n = int(0.025 * rate)
    t = np.arange(n) / rate
    burst = amp * np.sin(2 * np.pi * 2000 * t) * np.exp(-t / 0.006)
    for at in np.arange(0, dur, 60.0 / bpm):
        i = int(at * rate)
        out[i:i + n] += burst[:len(out[i:i + n])]
    return np.repeat(out[:, None], 2, axis=1)


def harmonic_tone(midi: float, dur: float, amp: float = 0.2, rate: int = SR,
                  partials: int = 6) -> np.ndarray:
    """A note with decaying harmonics and a soft attack/release (mono)."""
    t = np.arange(seconds(dur, rate)) / rate
    f0 = 440.0 * 2 ** ((midi - 69) / 12)
    wave = sum(np.sin(2 * np.pi * f0 * k * t) / k for k in range(1, partials + 1)
               if f0 * k < rate / 2)
    env = np.minimum(1, np.minimum(t / 0.02, (dur - t) / 0.05))
    return (amp * wave * env).astype(np.float32)


def chords(progression: list[list[int]], chord_seconds: float = 1.0) -> np.ndarray:
    """Chords given as MIDI notes, one after another (stereo)."""
    parts = [sum(harmonic_tone(m, chord_seconds, amp=0.12) for m in chord) for chord in progression]
    mono = np.concatenate(parts)
    return np.repeat(mono[:, None], 2, axis=1).astype(np.float32)


def vocal_like(dur: float, rate: int = SR, f0: float = 220.0, seed: int = 1) -> np.ndarray:
    """A sung-vowel-like signal: harmonics of a gliding, vibrato-ed pitch shaped by formants
    around 700, 1,200 and 2,600 Hz, in syllables."""
    rng = np.random.default_rng(seed)
    t = np.arange(seconds(dur, rate)) / rate
    pitch = f0 * 2 ** ((np.floor(t * 2) % 5) * 2 / 12) * (1 + 0.01 * np.sin(2 * np.pi * 5.5 * t))
    phase = 2 * np.pi * np.cumsum(pitch) / rate
    out = np.zeros_like(t)
    for k in range(1, 30):
        fk = f0 * k
        gain = sum(w * np.exp(-0.5 * ((fk - f) / 150) ** 2)
                   for f, w in ((700, 1.0), (1200, 0.8), (2600, 0.5)))
        out += (gain + 0.02 / k) * np.sin(k * phase + rng.uniform(0, 2 * np.pi))
    syllables = 0.6 + 0.4 * np.abs(np.sin(np.pi * t * 2))
    out *= syllables / np.abs(out).max() * 0.5
    return np.repeat(out[:, None], 2, axis=1).astype(np.float32)


def band_instrumental(dur: float, rate: int = SR, seed: int = 2) -> np.ndarray:
    """Drums (low noise bursts on the beat), a bass line and hi-hats: nothing in the voice's
    formant band to speak of."""
    rng = np.random.default_rng(seed)
    t = np.arange(seconds(dur, rate)) / rate
    bass = 0.3 * np.sin(2 * np.pi * 55 * (1 + (np.floor(t) % 2) * 0.5) * t)
    kick = np.zeros_like(t)
    n = int(0.15 * rate)
    tail = np.exp(-np.arange(n) / (0.03 * rate)) * np.sin(2 * np.pi * 60 * np.arange(n) / rate)
    for at in np.arange(0, dur, 0.5):
        i = int(at * rate)
        kick[i:i + n] += 0.6 * tail[:len(kick[i:i + n])]
    hats = rng.standard_normal(t.size) * 0.02
    hats = np.diff(np.diff(hats, prepend=0), prepend=0)   # high-passed: above the formants
    mono = bass + kick + hats
    return np.repeat(mono[:, None], 2, axis=1).astype(np.float32)


def write(path: Path, samples: np.ndarray, rate: int = SR, bitrate: str = "192k") -> Path:
    """Write float samples ``(frames, channels)``: ``.wav`` as 32-bit float (exact), ``.mp3``
    with LAME, anything else by ffmpeg's default for the extension."""
    samples = np.ascontiguousarray(samples, dtype="<f4")
    codec = {".wav": ["-c:a", "pcm_f32le"], ".mp3": ["-c:a", "libmp3lame", "-b:a", bitrate]}
    subprocess.run([ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-f", "f32le",
                    "-ar", str(rate), "-ac", str(samples.shape[1]), "-i", "pipe:0",
                    *codec.get(path.suffix, []), str(path)],
                   input=samples.tobytes(), check=True)
    return path


def ffmpeg_r128(path: Path) -> dict[str, float]:
    """ffmpeg's own EBU R128 measurement (``ebur128`` filter): integrated loudness ``I``
    (LUFS) and true peak ``peak`` (dBTP)."""
    proc = subprocess.run([ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", str(path), "-af",
                           "ebur128=peak=true", "-f", "null", "-"],
                          capture_output=True, text=True, check=True)
    summary = proc.stderr[proc.stderr.rindex("Summary:"):]
    integrated = re.search(r"I:\s+(-?[\d.]+|-inf) LUFS", summary)
    peak = re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    assert integrated and peak, summary
    return {"I": float(integrated.group(1)), "peak": float(peak.group(1))}
