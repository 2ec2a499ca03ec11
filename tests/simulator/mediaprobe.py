"""What a client checks in a media file, measured independently of the simulator: a PNG's size,
an MP4's codec, size, duration, frame rate and whether it has sound (read with the pip-shipped
ffmpeg through imageio-ffmpeg's own reader, an ffprobe stand-in)."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Any

import httpx
import imageio_ffmpeg
from PIL import Image


def fetch(url: str) -> bytes:
    resp = httpx.get(url, timeout=30)
    assert resp.status_code == 200, (url, resp.status_code, resp.text[:200])
    return resp.content


def png_size(data: bytes) -> tuple[int, int]:
    """The size of PNG bytes (asserting they are a PNG that decodes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", data[:16]
    image = Image.open(io.BytesIO(data))
    image.load()
    return image.size


def video_info(data: bytes) -> dict[str, Any]:
    """{codec, size, duration, fps, audio (codec or None), frames, seconds} of MP4 bytes."""
    assert data[4:8] == b"ftyp", data[:16]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "clip.mp4"
        path.write_bytes(data)
        reader = imageio_ffmpeg.read_frames(str(path))
        meta = next(reader)
        reader.close()
        frames, seconds = imageio_ffmpeg.count_frames_and_secs(str(path))
    return {"codec": meta["codec"], "size": tuple(meta["size"]), "duration": meta["duration"], "fps": meta["fps"],
            "audio": meta.get("audio_codec"), "frames": frames, "seconds": seconds}
