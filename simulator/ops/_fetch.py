"""Sources fetched once per task (mashup, voice): `kept(r, job, field, url, rel)` fetches `url`
and keeps it at `rel` beside the task; a re-run of the render (a restart, a remake of a track)
reads the kept copy instead of fetching again. An unreachable URL is `RenderError(451)` and a
source that is not audio `RenderError(400)`, both naming `field`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from simulator import audio_io
from simulator.jobs import RenderError

if TYPE_CHECKING:
    from simulator.jobs import Job
    from simulator.render import Renderer


def kept(r: Renderer, job: Job, field: str, url: str, rel: str) -> np.ndarray:
    """The decoded PCM of `url`, fetched once and kept at `rel`."""
    path = r.store.path(rel)
    if path.exists():
        data = path.read_bytes()
    else:
        try:
            data = r.fetch(url, job)
        except RenderError as exc:
            raise RenderError(exc.code, f"{field}: {exc}") from None
        r.store.write(rel, data)
    try:
        return audio_io.decode(data)
    except Exception as exc:
        raise RenderError(400, f"{field} is not decodable audio: {exc}") from None
