"""Images and audio a media task reads (`img_url`, `audio_url`, Kling `image`...), fetched once
and kept beside the task (`tasks/<id>/inputs/<field>`), so a render re-run after a restart reads
the kept copy. A reference is an http(s) URL (this simulator's own `/files/` URLs, signed or not,
are read from its media store), a `data:` URI or, for Kling, plain base64. A source that cannot
be fetched is `RenderError(451)`, one that is not an image / not audio `RenderError(400)`, both
naming the field (DashScope: `BadRequest.InputDownloadFailed` / `InvalidParameter`)."""

from __future__ import annotations

import base64
import binascii
import io
import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

import numpy as np
from PIL import Image

from simulator import audio_io
from simulator.jobs import RenderError
from simulator.media_store import PREFIX
from simulator.synth import SR

if TYPE_CHECKING:
    from simulator.jobs import Job
    from simulator.render import Renderer

_DATA_URI = re.compile(r"^data:[\w.+-]+/[\w.+-]+;base64,", re.I)


def _own_unsigned(r: Renderer, job: Job, url: str) -> str:
    """A URL of this simulator's own media without its `?Expires=` query (read from the store)."""
    parts = urlsplit(url)
    bases = {b.rstrip("/") for b in (r.config.public_url, job.base_url) if b}
    if parts.query and parts.path.startswith(PREFIX) and f"{parts.scheme}://{parts.netloc}" in bases:
        return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    return url


def raw(r: Renderer, job: Job, field: str, ref: str) -> bytes:
    """The bytes of a reference, fetched or decoded once per task and kept."""
    path = r.store.path(f"tasks/{job.task_id}/inputs/{field.replace('.', '_')}")
    if path.exists():
        return path.read_bytes()
    if ref.startswith(("http://", "https://")):
        try:
            data = r.fetch(_own_unsigned(r, job, ref), job)
        except RenderError as exc:
            raise RenderError(exc.code, f"{field}: {exc}") from None
    else:
        try:
            data = base64.b64decode(_DATA_URI.sub("", ref), validate=False)
        except (binascii.Error, ValueError):
            raise RenderError(400, f"{field}: not valid base64") from None
    r.store.write(f"tasks/{job.task_id}/inputs/{field.replace('.', '_')}", data)
    return data


def image(r: Renderer, job: Job, field: str, ref: str) -> Image.Image:
    """A referenced picture (RGB)."""
    try:
        return Image.open(io.BytesIO(raw(r, job, field, ref))).convert("RGB")
    except Exception as exc:  # PIL raises several types for data that is not an image
        raise RenderError(400, f"{field} is not a decodable image: {type(exc).__name__}") from None


def audio(r: Renderer, job: Job, field: str, ref: str, *, seconds: tuple[float, float] | None = None,
          max_bytes: int | None = None) -> np.ndarray:
    """Referenced audio as stereo PCM at `synth.SR`; `seconds` (lo, hi) and `max_bytes` are the
    limits the provider enforces when the task runs."""
    data = raw(r, job, field, ref)
    if max_bytes is not None and len(data) > max_bytes:
        raise RenderError(400, f"{field} is too large: {len(data)} bytes, limit {max_bytes}")
    try:
        pcm = audio_io.decode(data)
    except Exception as exc:
        raise RenderError(400, f"{field} is not decodable audio: {type(exc).__name__}") from None
    length = len(pcm) / SR
    if seconds is not None and not seconds[0] <= length <= seconds[1]:
        raise RenderError(400, f"{field} must last {seconds[0]:g} to {seconds[1]:g} s (got {length:.1f} s)")
    return pcm
