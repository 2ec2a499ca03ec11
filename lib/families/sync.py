"""Synchronous answers (timestamped lyrics, style boost, persona, voice check): no poll route.

Style boost carries ``successFlag`` "0" pending, "1" success, "2" failed; the other answers carry
no status (``None`` = success). An empty answer is a failure. The answer is the task result.
"""

from __future__ import annotations

from typing import Any

from lib.contract.family import Family, PollResult, generic_state
from lib.contract.states import State

_FLAGS = {"0": State.PENDING, "1": State.SUCCEEDED, "2": State.FAILED}


class Sync(Family):
    name = "sync"
    poll = {"sunoapi": None, "anyint": None}
    failure_words = {"2": "The provider reported a failure."}

    def map_status(self, raw: Any) -> State:
        if raw is None:
            return State.SUCCEEDED
        return _FLAGS.get(str(raw).strip(), generic_state(raw))

    def parse(self, data: Any) -> PollResult:
        raw = data.get("successFlag") if isinstance(data, dict) else None
        if data is None:
            raw = "2"  # an empty synchronous answer is a failure, not a success
        state = self.map_status(raw)
        stage = self.stage_of(raw)
        record = data if isinstance(data, dict) else {}
        return PollResult(raw, state, stage, error_code=record.get("errorCode"),
                          error_message=record.get("errorMessage") or None, result=data)


FAMILY = Sync()
