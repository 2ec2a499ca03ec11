"""Audio files for the simulator: encode PCM to MP3/WAV and decode any audio back to PCM.

Everything goes through the pip-shipped ffmpeg (`imageio_ffmpeg`); no ffprobe is needed. PCM is
float32 stereo `(n, 2)` at `synth.SR`.
"""
from __future__ import annotations

import functools
import os
import subprocess
import tempfile
import wave
from pathlib import Path

import imageio_ffmpeg
import numpy as np

from simulator.synth import SR


class AudioError(RuntimeError):
    """ffmpeg failed to encode or decode; the message carries its stderr."""


@functools.cache
def ffmpeg_exe() -> str:
    """Path of the pip-shipped ffmpeg binary (libmp3lame, libx264, aac)."""
    return imageio_ffmpeg.get_ffmpeg_exe()


def run_ffmpeg(args: list[str], stdin: bytes | None = None) -> bytes:
    """Run ffmpeg quietly with `args`; return its stdout or raise `AudioError`."""
    quiet = ["-hide_banner", "-loglevel", "error"] + (["-nostdin"] if stdin is None else [])
    proc = subprocess.run([ffmpeg_exe(), *quiet, *args], input=stdin, capture_output=True,
                          stdin=subprocess.DEVNULL if stdin is None else None)
    if proc.returncode != 0:
        raise AudioError(f"ffmpeg {' '.join(args[-3:])} failed: {proc.stderr.decode(errors='replace')[-800:]}")
    return proc.stdout


def _stereo(pcm) -> np.ndarray:
    """Little-endian float32 (n, 2) copy of mono or stereo PCM."""
    x = np.asarray(pcm, dtype="<f4")
    if x.ndim == 1:
        x = x[:, None]
    if x.ndim != 2 or x.shape[1] not in (1, 2):
        raise ValueError(f"expected mono or (n, 2) stereo PCM, got shape {x.shape}")
    return np.ascontiguousarray(np.repeat(x, 2, axis=1) if x.shape[1] == 1 else x)


def encode_mp3(pcm, path, bitrate: str = "128k") -> Path:
    """Encode PCM to a constant-bitrate MP3 (LAME, with a Xing header so decoders trim padding)."""
    path = Path(path)
    run_ffmpeg(["-f", "f32le", "-ar", str(SR), "-ac", "2", "-i", "pipe:0",
                "-c:a", "libmp3lame", "-b:a", bitrate, "-y", str(path)], stdin=_stereo(pcm).tobytes())
    return path


def encode_wav(pcm, path) -> Path:
    """Write PCM as a 16-bit stereo PCM WAV at `SR` (values clipped to [-1, 1])."""
    path = Path(path)
    ints = np.round(np.clip(_stereo(pcm), -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(SR)
        w.writeframes(ints.tobytes())
    return path


def decode(path_or_bytes) -> np.ndarray:
    """Decode any audio ffmpeg reads (mp3, wav, m4a, mp4, ...) to float32 stereo at `SR`.

    Bytes are written to a temporary file first: MP4/M4A cannot be read from a pipe when their
    index sits at the end."""
    if isinstance(path_or_bytes, (bytes, bytearray, memoryview)):
        fd, tmp = tempfile.mkstemp(suffix=".audio")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(path_or_bytes)
            return decode(tmp)
        finally:
            os.unlink(tmp)
    raw = run_ffmpeg(["-i", str(path_or_bytes), "-vn", "-f", "f32le", "-ac", "2", "-ar", str(SR), "pipe:1"])
    return np.frombuffer(raw, dtype="<f4").reshape(-1, 2).copy()


def duration_of(path) -> float:
    """Duration in seconds: read from the header for WAV, by decoding otherwise (exact, no ffprobe)."""
    if Path(path).suffix.lower() == ".wav":
        try:
            with wave.open(str(path), "rb") as w:
                return w.getnframes() / w.getframerate()
        except wave.Error:
            pass   # not plain PCM WAV (e.g. float or extensible): decode it below
    return len(decode(path)) / SR
