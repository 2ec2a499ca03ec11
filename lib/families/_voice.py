"""`VoiceFamily`: the two Suno Voice families (`voice_phrase`, `voice`), the same but for their
route, ready status, result key and failure words."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lib.contract.family import Family, Parsed
from lib.contract.states import State

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
