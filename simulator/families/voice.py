"""Voice family (contract-newer 6): voice generate tasks, polled at
`GET /api/v1/voice/record-info?taskId=` (sunoapi only). Stages `processing` (real-service 5 s)
and `complete` (60 s; neither is documented).

Statuses: `wait_processing` -> `processing_validate` (the recording is being checked) ->
`success` with `voiceId`; failure `fail`. Record and callback shapes: `families._voice`. A job's
`result["voiceId"]` is the new voice, usable as `personaId` with `personaModel: voice_persona`.
"""

from simulator.families import _voice

FAMILY = _voice.family("voice", "/api/v1/voice/record-info",
                       key="voiceId", ready="success", failed="fail", complete_s=60.0)
