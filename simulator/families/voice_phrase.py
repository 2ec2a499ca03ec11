"""Voice-phrase family (contract-newer 6): voice validate and regenerate tasks, polled at
`GET /api/v1/voice/validate-info?taskId=` (sunoapi only). Stages `processing` (real-service 5 s)
and `complete` (30 s; neither is documented).

Statuses: `wait_processing` -> `processing_validate` -> `wait_validating` with `validateInfo`
(the phrase to record); failure `processing_validate_fail`. Record and callback shapes:
`families._voice`. A job's `result["validateInfo"]` is its phrase.
"""

from simulator.families import _voice

FAMILY = _voice.family("voice_phrase", "/api/v1/voice/validate-info",
                       key="validateInfo", ready="wait_validating", failed="processing_validate_fail",
                       complete_s=30.0)
