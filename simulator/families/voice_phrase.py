"""Voice-phrase family (contract-newer 6): voice validate and regenerate tasks, polled at
`GET /api/v1/voice/validate-info?taskId=` (sunoapi only). Stages `processing` (real-service 5 s)
and `complete` (30 s; neither is documented).

Statuses: `wait_processing` -> `processing_validate` -> `wait_validating` with `validateInfo`
(the phrase to record); failure `processing_validate_fail`. Record and callback shapes:
`families._voice`. A job's `result["validateInfo"]` is its phrase.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator.families import SimFamily, _voice

if TYPE_CHECKING:
    from simulator.jobs import Job

KEY, READY, FAILED = "validateInfo", "wait_validating", "processing_validate_fail"


def record(job: Job, base: str) -> dict[str, Any]:
    return _voice.record(job, KEY, READY, FAILED)


def callback(job: Job, label: str, base: str, shape: str) -> dict[str, Any]:
    return _voice.callback(job, label, KEY, READY, FAILED)


FAMILY = SimFamily(
    name="voice_phrase",
    poll_paths={"sunoapi": "/api/v1/voice/validate-info", "anyint": None},
    id_param="taskId",
    stages=(("processing", 5.0), ("complete", 30.0)),
    callback_stages=("complete",),
    failed_status=FAILED,
    record=record,
    callback=callback,
)
