"""Decode and measure archived audio with pydub and the pip-shipped ffmpeg (no ffprobe needed).

pydub normally asks ffprobe for the stream layout; passing an explicit input ``codec`` skips
that, so we pick the decoder from the file extension (`CODECS`); plain PCM WAV is read by pydub
itself. Levels are in dBFS of the decoded float samples: ``peak_dbfs`` is the loudest sample,
``rms_dbfs`` the RMS over the whole file (a rough loudness; no K-weighting).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from pathlib import Path

import imageio_ffmpeg
import numpy as np

with warnings.catch_warnings():
    # pydub warns at import that ffmpeg is not on PATH; we always set the converter explicitly
    warnings.simplefilter("ignore", RuntimeWarning)
    from pydub import AudioSegment

#: extension -> (ffmpeg demuxer format, ffmpeg decoder)
CODECS = {
    "mp3": ("mp3", "mp3"), "wav": ("wav", "pcm_s16le"), "flac": ("flac", "flac"),
    "ogg": ("ogg", "vorbis"), "m4a": ("mp4", "aac"), "mp4": ("mp4", "aac"),
}


@dataclass(frozen=True)
class AudioInfo:
    """Measurements of one decoded file."""

    duration: float
    sample_rate: int
    channels: int
    peak_dbfs: float
    rms_dbfs: float


def ffmpeg_exe() -> str:
    """Path of the ffmpeg binary shipped by imageio-ffmpeg."""
    return imageio_ffmpeg.get_ffmpeg_exe()


def _dbfs(value: float) -> float:
    return 20 * math.log10(value) if value > 0 else float("-inf")


def load(path: str | Path) -> AudioSegment:
    """Decode a file into a pydub `AudioSegment` (format from the extension)."""
    path = Path(path)
    ext = path.suffix.lstrip(".").lower()
    if ext not in CODECS:
        raise ValueError(f"cannot decode {path.name}: unknown audio extension {ext!r}")
    AudioSegment.converter = ffmpeg_exe()
    fmt, codec = CODECS[ext]
    return AudioSegment.from_file(str(path), format=fmt, codec=codec)


def decode(path: str | Path) -> tuple[np.ndarray, int]:
    """``(samples, sample_rate)``: float32 in [-1, 1], shape ``(frames, channels)``."""
    segment = load(path)
    scale = float(1 << (8 * segment.sample_width - 1))
    samples = np.array(segment.get_array_of_samples(), dtype=np.float32) / scale
    return samples.reshape(-1, segment.channels), segment.frame_rate


def probe(path: str | Path) -> AudioInfo:
    """Duration, sample rate, channel count, peak and RMS level of an audio file."""
    samples, rate = decode(path)
    peak = float(np.max(np.abs(samples))) if samples.size else 0.0
    rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64)))) if samples.size else 0.0
    return AudioInfo(duration=samples.shape[0] / rate, sample_rate=rate,
                     channels=samples.shape[1], peak_dbfs=_dbfs(peak), rms_dbfs=_dbfs(rms))
