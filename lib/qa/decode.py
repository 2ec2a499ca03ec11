"""Decode any audio file ffmpeg reads into float32 PCM, once, as a stream of chunks.

The pip-shipped ffmpeg (`lib.media.audio.ffmpeg_exe`) writes a float WAV to a pipe; its header
tells the sample rate and channel count (no ffprobe needed), then the samples follow. A reader
thread drains the pipe into chunks while the caller works on the chunks already read, so the
QA checks run on one core while ffmpeg decodes on the other (`stream`); `decode` is the same
read gathered into one array (the bench's baseline: "decoding alone").

Samples are float32, shape ``(frames, channels)``, at the file's own rate and channel count
(nothing is resampled or mixed down); MP3 encoder delay and padding are trimmed by ffmpeg from
the LAME header, so the length is the track's real length.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import queue
import struct
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from lib.media.audio import ffmpeg_exe

#: bytes read from the pipe at a time (about 0.74 s of 44.1 kHz stereo float)
READ_BYTES = 1 << 18
_WAVE_FLOAT, _WAVE_EXTENSIBLE = 3, 0xFFFE


class DecodeError(RuntimeError):
    """ffmpeg could not read the file; the message carries the end of its stderr."""


@dataclass(frozen=True)
class Format:
    """What the decoded stream carries."""

    rate: int
    channels: int


def _command(path: Path) -> list[str]:
    return [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-nostdin", "-i", str(path),
            "-map", "0:a:0", "-vn", "-f", "wav", "-acodec", "pcm_f32le", "-bitexact", "pipe:1"]


class _Pipe:
    """ffmpeg's stdout read into ``bytes`` pieces by a thread (so ffmpeg never waits on us)."""

    def __init__(self, path: Path) -> None:
        if not path.is_file():
            raise DecodeError(f"{path}: no such file")
        self.proc = subprocess.Popen(_command(path), stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0)
        assert self.proc.stdout is not None
        self._fd = self.proc.stdout.fileno()
        with contextlib.suppress(OSError, AttributeError):   # a bigger pipe: fewer wake-ups
            fcntl.fcntl(self._fd, fcntl.F_SETPIPE_SZ, 1 << 20)
        self.pieces: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self.stderr = b""
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._held: list[bytes] = []
        self._held_bytes = 0
        self._done = False

    def _read(self) -> None:
        try:
            while piece := os.read(self._fd, READ_BYTES):
                self.pieces.put(piece)
        except OSError:
            pass
        finally:
            self.pieces.put(None)

    def take(self, n: int) -> bytes:
        """Exactly ``n`` bytes (fewer at the end of the stream; b"" after it)."""
        while not self._done and self._held_bytes < n:
            piece = self.pieces.get()
            if piece is None:
                self._done = True
            else:
                self._held.append(piece)
                self._held_bytes += len(piece)
        data = self._held[0] if len(self._held) == 1 else b"".join(self._held)
        out, rest = (data, b"") if len(data) <= n else (data[:n], data[n:])
        self._held, self._held_bytes = ([rest] if rest else []), len(rest)
        return out

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        _, err = self.proc.communicate()
        self.stderr = err or b""
        self._reader.join(timeout=5)

    def failure(self) -> DecodeError:
        lines = self.stderr.decode(errors="replace").strip().splitlines()
        text = lines[-1][-300:] if lines else ""
        return DecodeError(f"ffmpeg could not decode the file: {text or 'no audio stream'}")


def _header(pipe: _Pipe) -> Format:
    """Parse the RIFF/WAVE chunks up to ``data``; returns the stream format."""
    riff = pipe.take(12)
    if len(riff) < 12 or riff[:4] != b"RIFF" or riff[8:12] != b"WAVE":
        pipe.close()
        raise pipe.failure()
    fmt: Format | None = None
    while True:
        head = pipe.take(8)
        if len(head) < 8:
            pipe.close()
            raise pipe.failure()
        cid, size = head[:4], struct.unpack("<I", head[4:])[0]
        if cid == b"data":
            if fmt is None:
                raise DecodeError("ffmpeg wrote no format before the samples")
            return fmt
        body = pipe.take(size + (size & 1))
        if cid == b"fmt ":
            tag, channels, rate = struct.unpack("<HHI", body[:8])
            bits = struct.unpack("<H", body[14:16])[0]
            if tag not in (_WAVE_FLOAT, _WAVE_EXTENSIBLE) or bits != 32 or channels < 1:
                raise DecodeError(f"unexpected decoded format (tag {tag}, {bits} bits)")
            fmt = Format(rate=rate, channels=channels)


def stream(path: str | Path, chunk_seconds: float = 1.0) -> tuple[Format, Iterator[np.ndarray]]:
    """Start decoding ``path``; returns its format and an iterator of float32 chunks
    ``(frames, channels)`` of about ``chunk_seconds`` each (the last one shorter). Raises
    `DecodeError` when the file is not audio ffmpeg can read."""
    pipe = _Pipe(Path(path))
    try:
        fmt = _header(pipe)
    except BaseException:
        pipe.close()
        raise
    frame_bytes = 4 * fmt.channels
    want = max(1, int(chunk_seconds * fmt.rate)) * frame_bytes

    def chunks() -> Iterator[np.ndarray]:
        try:
            while data := pipe.take(want):
                whole = len(data) - len(data) % frame_bytes   # a cut-off last frame is dropped
                if whole:
                    yield np.frombuffer(data[:whole] if whole < len(data) else data,
                                        dtype="<f4").reshape(-1, fmt.channels)
                if len(data) < want:
                    break
        finally:
            pipe.close()
        if pipe.proc.returncode not in (0, -9):
            raise pipe.failure()

    return fmt, chunks()


def decode(path: str | Path) -> tuple[np.ndarray, int]:
    """The whole file: ``(samples, rate)``, float32 ``(frames, channels)``."""
    fmt, chunks = stream(path, chunk_seconds=8.0)
    parts = list(chunks)
    samples = np.concatenate(parts) if parts else np.zeros((0, fmt.channels), np.float32)
    return samples, fmt.rate
