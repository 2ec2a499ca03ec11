"""Suno Voice phrase family (contract-newer.md §6): validate and regenerate tasks, polled at
``GET /api/v1/voice/validate-info?taskId=``. ``status`` is lowercase: wait_processing,
processing_validate (working), wait_validating with a non-empty ``validateInfo`` (the phrase
is ready: succeeded), processing_validate_fail or fail (failed). The phrase is the task
result ``{"phrase": ...}``. Callbacks carry ``data.taskId`` and ``data.validateInfo``.

`VoiceFamily` serves both voice families (`lib.families.voice` too).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lib.contract.family import Family, Parsed, routes
from lib.contract.states import FamilyName, State

VOICE_FAILURES = ("processing_validate_fail", "fail")


class VoiceFamily(Family):
    """Lowercase voice statuses: ``ready`` succeeds when the record's ``result_key`` is filled,
    the failures fail, the rest are working. The result is ``{result_name: value}``."""

    status_key = "status"
    callback_priority = 20

    def __init__(self, name: str, poll: Mapping[str, str | None], *, ready: str,
                 result_key: str, failures: Mapping[str, str],
                 result_name: str | None = None) -> None:
        self.name = name
        self.poll = poll
        self.ready = ready
        self.result_key = result_key
        self.result_name = result_name or result_key
        self.failure_words = failures
        self.callback_keys = (result_key,)

    def map_status(self, raw: Any) -> State:
        word = str(raw or "").strip().lower()
        if not word:
            return State.PENDING
        if word in VOICE_FAILURES:
            return State.FAILED
        return State.SUCCEEDED if word == self.ready else State.PROCESSING

    def parse_record(self, record: Mapping[str, Any]) -> Parsed:
        value = record.get(self.result_key)
        value = value.strip() if isinstance(value, str) else ""
        return Parsed(result={self.result_name: value} if value else None, complete=bool(value))

    def error_of(self, record: Mapping[str, Any], state: State) -> tuple[Any, str | None]:
        code, message = super().error_of(record, state)
        if state is not State.FAILED and not message:
            return None, None
        return code or None, message

    def callback_failed(self, payload: Mapping[str, Any], body: Mapping[str, Any]) -> bool:
        return self.map_status(body.get("status")) is State.FAILED


FAMILY = VoiceFamily(
    FamilyName.VOICE_PHRASE, routes("/api/v1/voice/validate-info"), ready="wait_validating",
    result_key="validateInfo", result_name="phrase",
    failures={"processing_validate_fail": "The voice clip could not be validated.",
              "fail": "The provider could not prepare a phrase for this voice."})
