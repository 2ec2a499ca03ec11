"""Suno Voice family (contract-newer.md §6): voice generate tasks, polled at
``GET /api/v1/voice/record-info?taskId=``; ``status`` ``success`` with a ``voiceId`` succeeds,
``fail``/``processing_validate_fail`` fail. The result ``{"voiceId": ...}`` is usable as a
``personaId`` with ``personaModel: voice_persona`` (V5 and later). Callbacks carry
``data.taskId`` and ``data.voiceId``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lib.contract.family import Family, Parsed
from lib.contract.states import State
from lib.families.voice_phrase import voice_state


class Voice(Family):
    name = "voice"
    poll = {"sunoapi": "/api/v1/voice/record-info", "anyint": None}
    status_key = "status"
    failure_words = {"fail": "The voice could not be made: the recording did not match the "
                             "phrase, or the provider failed.",
                     "processing_validate_fail": "The recording could not be validated."}
    callback_keys = ("voiceId",)
    callback_priority = 20

    def map_status(self, raw: Any) -> State:
        return voice_state(raw, "success")

    def parse_record(self, record: Mapping[str, Any]) -> Parsed:
        voice_id = record.get("voiceId")
        voice_id = str(voice_id) if voice_id else ""
        return Parsed(result={"voiceId": voice_id} if voice_id else None, complete=bool(voice_id))

    def error_of(self, record: Mapping[str, Any], state: State) -> tuple[Any, str | None]:
        code, message = super().error_of(record, state)
        return (None, None) if state is not State.FAILED and not message else (code or None,
                                                                              message)

    def callback_failed(self, payload: Mapping[str, Any], body: Mapping[str, Any]) -> bool:
        return self.map_status(body.get("status")) is State.FAILED


FAMILY = Voice()
