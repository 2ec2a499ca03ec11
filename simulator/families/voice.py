"""Voice family (contract-newer 6): voice generate tasks, polled at
`GET /api/v1/voice/record-info?taskId=` (sunoapi only). Stages `processing` (real-service 5 s)
and `complete` (60 s; neither is documented).

Statuses: `wait_processing` -> `processing_validate` (the recording is being checked) ->
`success` with `voiceId`; failure `fail`. Record and callback shapes: `families._voice`. A job's
`result["voiceId"]` is the new voice, usable as `personaId` with `personaModel: voice_persona`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator.families import SimFamily, _voice

if TYPE_CHECKING:
    from simulator.jobs import Job

KEY, READY, FAILED = "voiceId", "success", "fail"


def record(job: Job, base: str) -> dict[str, Any]:
    return _voice.record(job, KEY, READY, FAILED)


def callback(job: Job, label: str, base: str, shape: str) -> dict[str, Any]:
    return _voice.callback(job, label, KEY, READY, FAILED)


FAMILY = SimFamily(
    name="voice",
    poll_paths={"sunoapi": "/api/v1/voice/record-info", "anyint": None},
    id_param="taskId",
    stages=(("processing", 5.0), ("complete", 60.0)),
    callback_stages=("complete",),
    failed_status=FAILED,
    record=record,
    callback=callback,
)
