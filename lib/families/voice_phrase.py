"""Suno Voice phrase family (contract-newer.md §6): validate and regenerate tasks, polled at
``GET /api/v1/voice/validate-info?taskId=``. ``status`` is lowercase: wait_processing,
processing_validate (working), wait_validating with a non-empty ``validateInfo`` (the phrase
is ready: succeeded), processing_validate_fail or fail (failed). The phrase is the task
result ``{"phrase": ...}``. Callbacks carry ``data.taskId`` and ``data.validateInfo``.
"""

from __future__ import annotations

from lib.contract.family import routes
from lib.families._voice import VoiceFamily

FAMILY = VoiceFamily(
    "voice_phrase", routes("/api/v1/voice/validate-info"), ready="wait_validating",
    result_key="validateInfo", result_name="phrase",
    failures={"processing_validate_fail": "The voice clip could not be validated.",
              "fail": "The provider could not prepare a phrase for this voice."})
