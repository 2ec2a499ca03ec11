"""Waveform images of archived tracks: drawn once, stored beside the audio, recorded as assets.

`peaks(path, columns)` decodes a file once (`lib.qa.decode.stream`) and keeps the smallest and
largest sample of every short block, then folds the blocks into ``columns`` (min, max) pairs of
the mono mix. `draw(mins, maxs)` turns them into a transparent PNG (`WIDTH` x `HEIGHT`, one
vertical bar per column from min to max; silence is a 1-pixel flat line at the centre), in the
theme's colour. `store_for_track` writes ``<track>-waveform.png`` next to the track's MP3 and
records it in the log as the track's ``waveform`` asset (`TaskLog.save_local_asset`).

The archiver draws it right after storing a track's MP3 (`lib.tracking.assets.AssetArchiver`);
tracks archived before waveforms existed get theirs drawn by the archiver, one per pass
(`backfill`). Pages only show the stored PNG: nothing is decoded or drawn at render time.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
from PIL import Image

from lib.log import AssetStatus, TaskLog
from lib.qa import decode

KIND = "waveform"
WIDTH, HEIGHT = 800, 80
#: the theme's primary colour (``.streamlit/config.toml``), opaque; the background is clear
COLOR = (249, 115, 22, 255)
#: frames per block whose min and max are kept while decoding (11.6 ms at 44.1 kHz)
BLOCK = 512


def _block_extrema(mono: np.ndarray, carry: np.ndarray) -> tuple[np.ndarray, np.ndarray,
                                                                   np.ndarray]:
    """(mins, maxs) of whole `BLOCK`-frame blocks of ``carry + mono``, and what is left."""
    data = np.concatenate([carry, mono]) if carry.size else mono
    whole = data.size - data.size % BLOCK
    if not whole:
        return np.zeros(0, np.float32), np.zeros(0, np.float32), data
    blocks = data[:whole].reshape(-1, BLOCK)
    return blocks.min(axis=1), blocks.max(axis=1), data[whole:].copy()


def fold(mins: np.ndarray, maxs: np.ndarray, columns: int) -> tuple[np.ndarray, np.ndarray]:
    """Fold per-block extrema into ``columns`` (min, max) pairs, each column covering an equal
    share of the blocks (with fewer blocks than columns, blocks are repeated)."""
    n = mins.size
    if n == 0:
        return np.zeros(columns, np.float32), np.zeros(columns, np.float32)
    if n < columns:
        index = np.arange(columns) * n // columns
        return mins[index].astype(np.float32), maxs[index].astype(np.float32)
    starts = np.linspace(0, n, columns + 1).astype(int)[:-1]   # strictly increasing here
    return (np.minimum.reduceat(mins, starts).astype(np.float32),
            np.maximum.reduceat(maxs, starts).astype(np.float32))


def peaks(path: str | Path, columns: int = WIDTH) -> tuple[np.ndarray, np.ndarray, float]:
    """``(mins, maxs, duration)`` of the mono mix of the file at ``path``, in ``columns``
    columns. Raises `lib.qa.decode.DecodeError` for a file that is not audio."""
    fmt, chunks = decode.stream(path, chunk_seconds=4.0)
    carry = np.zeros(0, np.float32)
    low_parts, high_parts = [], []
    frames = 0
    for chunk in chunks:
        mono = chunk.mean(axis=1, dtype=np.float32) if fmt.channels > 1 else chunk[:, 0]
        frames += mono.size
        low, high, carry = _block_extrema(mono, carry)
        low_parts.append(low)
        high_parts.append(high)
    if carry.size:
        low_parts.append(carry.min(keepdims=True))
        high_parts.append(carry.max(keepdims=True))
    mins = np.concatenate(low_parts) if low_parts else np.zeros(0, np.float32)
    maxs = np.concatenate(high_parts) if high_parts else np.zeros(0, np.float32)
    low, high = fold(mins, maxs, columns)
    return low, high, frames / fmt.rate if fmt.rate else 0.0


def draw(mins: np.ndarray, maxs: np.ndarray, height: int = HEIGHT,
         color: tuple[int, int, int, int] = COLOR) -> Image.Image:
    """A transparent RGBA image, one column per (min, max) pair: a bar from max (top) to min
    (bottom) around the centre line, scaled so the loudest column fills the height. Silent
    columns are a single pixel on the centre row."""
    width = int(mins.size)
    top = np.clip(np.asarray(maxs, np.float64), -1.0, 1.0)
    bottom = np.clip(np.asarray(mins, np.float64), -1.0, 1.0)
    scale = max(float(np.max(np.abs(np.concatenate([top, bottom])))) if width else 0.0, 1e-9)
    centre = (height - 1) / 2
    half = (height - 1) / 2
    y_top = np.rint(centre - np.maximum(top, 0) / scale * half).astype(int)
    y_bottom = np.rint(centre - np.minimum(bottom, 0) / scale * half).astype(int)
    mid = int(round(centre))
    y_top = np.clip(np.minimum(y_top, mid), 0, height - 1)
    y_bottom = np.clip(np.maximum(y_bottom, mid), 0, height - 1)
    rows = np.arange(height)[:, None]
    mask = (rows >= y_top[None, :]) & (rows <= y_bottom[None, :])
    pixels = np.zeros((height, width, 4), np.uint8)
    pixels[mask] = color
    return Image.fromarray(pixels, "RGBA")


def image_path(audio_path: str | Path) -> Path:
    """Where a track's waveform goes: beside its audio, ``<track>-waveform.png``."""
    audio = Path(audio_path)
    stem = audio.stem[: -len("-mp3")] if audio.stem.endswith("-mp3") else audio.stem
    return audio.with_name(f"{stem}-{KIND}.png")


def render_file(audio_path: str | Path, out: str | Path | None = None, *, width: int = WIDTH,
                height: int = HEIGHT) -> Path:
    """Draw the waveform of ``audio_path`` into ``out`` (default `image_path`); returns it.
    Written to a temporary name and renamed, so a half-written PNG is never visible."""
    target = Path(out) if out is not None else image_path(audio_path)
    low, high, _ = peaks(audio_path, width)
    tmp = target.with_name(f".{target.name}.part")
    draw(low, high, height).save(tmp, format="PNG", optimize=True)
    tmp.replace(target)
    return target


def store_for_track(log: TaskLog, task_id: str, track_id: str, audio_path: str | Path,
                    now: float | None = None) -> Path | None:
    """Draw a track's waveform beside its audio and record it as its ``waveform`` asset; a file
    that cannot be decoded is recorded as a failed asset (so it is not tried again) and None
    is returned."""
    now = time.time() if now is None else now
    try:
        path = render_file(audio_path)
    except (decode.DecodeError, OSError, ValueError) as exc:
        log.save_local_asset(task_id, track_id, KIND, None, status=AssetStatus.FAILED,
                             error=f"{type(exc).__name__}: {exc}"[:300], now=now)
        return None
    log.save_local_asset(task_id, track_id, KIND, str(path), content_type="image/png",
                         size=path.stat().st_size, now=now)
    return path


def backfill(log: TaskLog, limit: int = 5, now: float | None = None,
             after_id: int = 0) -> int | None:
    """Draw waveforms for up to ``limit`` archived track MP3s that have none yet (tracks
    archived before waveforms existed), from asset id ``after_id`` on; returns the last asset
    id looked at (pass it next time), or None when none was left."""
    rows = log.assets_lacking("mp3", KIND, limit, after_id)
    for row in rows:
        local = row["local_path"]
        if row["track_id"] and local:
            store_for_track(log, row["task_id"], row["track_id"], local, now)
    return rows[-1]["id"] if rows else None
