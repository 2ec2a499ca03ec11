"""A provider task's data in the simulator: `Job` (one task of one operation), its `Track`s,
`JobError` (why it failed) and `RenderError` (a source the render cannot use). The engine
(`simulator.engine`) runs jobs; families, operations, renders and persistence read them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Track:
    """One generated song of a music job; `audio`/`image` are media-store relative paths."""

    id: str
    title: str = ""
    tags: str = ""
    prompt: str = ""
    model: str = ""  # the request's model key (V5, ...); `model_name` is its record-info name
    model_name: str = "chirp-crow"
    created: float = 0.0
    duration: float | None = None
    audio: str | None = None
    stream: str | None = None
    image: str | None = None
    spec: Any = None  # synth.SongSpec the audio was made from (the song is re-made from it: ops/_music)


class RenderError(Exception):
    """A source the render cannot use, with the callback/record code to report (400, 451); the
    charge is refunded. Any other exception in a render fails the job with 500, not refunded."""

    def __init__(self, code: int, msg: str) -> None:
        super().__init__(msg)
        self.code = code


@dataclass
class JobError:
    """Why a job failed: raw status, body/callback code, message, whether the charge is refunded
    (by default: the documented rule, code 531 only)."""

    status: str
    code: int
    msg: str
    refund: bool | None = None

    def __post_init__(self) -> None:
        if self.refund is None:
            self.refund = self.code == 531


@dataclass
class Job:
    """One provider task."""

    task_id: str
    op: str
    family: str
    body: dict[str, Any]
    key: str
    created: float
    base_url: str
    callback_url: str | None
    stages: tuple[str, ...]
    due: tuple[float, ...]
    stage: int = 0
    ready: int = 0
    tracks: list[Track] = field(default_factory=list)
    result: dict[str, Any] = field(default_factory=dict)
    error: JobError | None = None
    fail_at: float | None = None
    failed: bool = False
    completed: float | None = None
    charged: int = 0
    refunded: bool = False
    parent: dict[str, str] = field(default_factory=dict)
    held: list[str] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return self.failed or self.stage >= len(self.stages)


def new_id() -> str:
    """A 32-hex task id like the real service's."""
    return uuid.uuid4().hex
