"""Media task families of the DashScope and Kling routes: one module per family, found by scanning
this package (`simulator.registry`), like `simulator.families` for the music routes (kept apart:
those are the music contract's families, checked against lib's). Each module defines
`FAMILY = MediaFamily(...)`: its timeline and the payload of its poll answer. Shared pieces:
`_dashscope` (DashScope task output, statuses, times) and `_kling` (Kling task data).

The engine runs these jobs like music jobs (`Engine.create`, renders in the pool, stages that
advance when due and rendered, persistence, the per-task clock); what differs is here and in
`simulator.media_ops`: no callbacks (contract-media 1.4: DashScope video is poll only), statuses
of their own, and a cancel while queued (DashScope).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from simulator.registry import discover

if TYPE_CHECKING:
    from simulator.jobs import Job


@dataclass(frozen=True)
class MediaFamily:
    """One media task family.

    * `api`: the route family that polls it ("dashscope" | "kling" | "openai": Kling through
      the OpenAI-style `/openai/v1/videos`).
    * `stages`: (label, real-service seconds after creation): `running` (the task leaves the
      queue: DashScope PENDING -> RUNNING, Kling submitted -> processing) and `complete`.
    * `failed_status` / `canceled_status`: the raw status of a failed / cancelled job (None:
      the family cannot be cancelled).
    * `answer(job, base_url) -> dict`: the poll answer's payload for a live job (DashScope: the
      whole body but `request_id`; Kling: the envelope's `data`); the caller holds the engine lock.
    """

    name: str
    api: str
    stages: tuple[tuple[str, float], ...]
    failed_status: str
    answer: Callable[[Job, str], dict[str, Any]]
    canceled_status: str | None = None
    callback_stages: tuple[str, ...] = ()

    def callback(self, job: Job, label: str, base: str, shape: str) -> dict[str, Any]:
        """No callbacks: the engine asks only for a failure's, which is never sent (no URL)."""
        return {}


MEDIA_FAMILIES: dict[str, MediaFamily] = discover(__name__, __path__, "FAMILY")
