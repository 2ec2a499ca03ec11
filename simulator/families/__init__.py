"""Task families: one module per family (music, lyrics, cover, stems, wav, mp4, midi, recovery,
voice_phrase, voice), found by scanning this package (`simulator.registry`). Each module defines `FAMILY = SimFamily(...)`: its poll route
per dialect, its stage timeline, its failure status, and how its jobs look in a record-info
answer and in a callback body. Shared payload pieces are in `_common` (and `_voice` for the two
Suno Voice families).

Conformance choices (the poll answers are checked against sunoapi-music.openapi.yaml): every
poll time is ISO-8601 UTC (the schema says `format: date-time`); callbacks keep the documented
`"2025-01-01 00:00:00"` form.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from simulator.registry import discover

if TYPE_CHECKING:
    from simulator.jobs import Job


@dataclass(frozen=True)
class SimFamily:
    """One task family.

    * `poll_paths`: dialect ("sunoapi" | "anyint") -> GET route answering record-info (None:
      the dialect has no such route).
    * `id_param`: the query parameter naming the task ("taskId"; recovery: "task_id").
    * `stages`: (label, real-service due seconds after creation) in order; the last is complete.
    * `callback_stages`: the labels that send a callback when reached (failures always send
      an `error` callback).
    * `failed_status`: the raw status of a failed job.
    * `record(job, base_url) -> dict`: the record-info `data` (caller holds the engine lock).
    * `callback(job, label, base_url, shape) -> dict`: the callback body for a label
      (`shape` is "wrapped" | "flat", used by families whose callbacks have both forms).
    * `poll_answer(job | None, task_id, base_url) -> dict`: families whose poll status is the
      envelope's own `code` (recovery) build the whole answer body, also for an unknown id
      (`job` None); the others answer `{"code": 200, "msg", "data": record(...)}` or 404.
    """

    name: str
    poll_paths: dict[str, str | None]
    id_param: str
    stages: tuple[tuple[str, float], ...]
    callback_stages: tuple[str, ...]
    failed_status: str
    record: Callable[[Job, str], dict[str, Any]]
    callback: Callable[[Job, str, str, str], dict[str, Any]]
    poll_answer: Callable[[Job | None, str, str], dict[str, Any]] | None = None


FAMILIES: dict[str, SimFamily] = discover(__name__, __path__, "FAMILY")
