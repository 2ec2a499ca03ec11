"""Suno Voice phrase family (contract-newer.md §6): validate and regenerate tasks, polled at
``GET /api/v1/voice/validate-info?taskId=``. ``status`` is lowercase: wait_processing,
processing_validate (working), wait_validating with a non-empty ``validateInfo`` (the phrase
is ready: succeeded), processing_validate_fail or fail (failed). The phrase is the task
result ``{"phrase": ...}``. Callbacks carry ``data.taskId`` and ``data.validateInfo``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lib.contract.family import Family, Parsed
from lib.contract.states import State

VOICE_FAILURES = ("processing_validate_fail", "fail")


def voice_state(raw: Any, ready: str) -> State:
    """Lowercase voice statuses: ``ready`` succeeds, the failures fail, the rest are working."""
    word = str(raw or "").strip().lower()
    if not word:
        return State.PENDING
    if word in VOICE_FAILURES:
        return State.FAILED
    return State.SUCCEEDED if word == ready else State.PROCESSING


class VoicePhrase(Family):
    name = "voice_phrase"
    poll = {"sunoapi": "/api/v1/voice/validate-info", "anyint": None}
    status_key = "status"
    failure_words = {"processing_validate_fail": "The voice clip could not be validated.",
                     "fail": "The provider could not prepare a phrase for this voice."}
    callback_keys = ("validateInfo",)
    callback_priority = 20

    def map_status(self, raw: Any) -> State:
        return voice_state(raw, "wait_validating")

    def parse_record(self, record: Mapping[str, Any]) -> Parsed:
        phrase = record.get("validateInfo")
        phrase = phrase.strip() if isinstance(phrase, str) else ""
        return Parsed(result={"phrase": phrase} if phrase else None, complete=bool(phrase))

    def error_of(self, record: Mapping[str, Any], state: State) -> tuple[Any, str | None]:
        code, message = super().error_of(record, state)
        return (None, None) if state is not State.FAILED and not message else (code or None,
                                                                              message)

    def callback_failed(self, payload: Mapping[str, Any], body: Mapping[str, Any]) -> bool:
        return self.map_status(body.get("status")) is State.FAILED


FAMILY = VoicePhrase()
