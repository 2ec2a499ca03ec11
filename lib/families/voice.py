"""Suno Voice family (contract-newer.md §6): voice generate tasks, polled at
``GET /api/v1/voice/record-info?taskId=``; ``status`` ``success`` with a ``voiceId`` succeeds,
``fail``/``processing_validate_fail`` fail. The result ``{"voiceId": ...}`` is usable as a
``personaId`` with ``personaModel: voice_persona`` (V5 and later). Callbacks carry
``data.taskId`` and ``data.voiceId``.
"""

from __future__ import annotations

from lib.contract.family import routes
from lib.families._voice import VoiceFamily

FAMILY = VoiceFamily(
    "voice", routes("/api/v1/voice/record-info"), ready="success", result_key="voiceId",
    failures={"fail": "The voice could not be made: the recording did not match the phrase, "
                      "or the provider failed.",
              "processing_validate_fail": "The recording could not be validated."})
