"""`DashScopeTask`: what every DashScope async task family shares (video synthesis, the async
image routes): the poll route ``GET /dashscope/v1/tasks/{task_id}``, the seven statuses
(PENDING, SUSPENDED, RUNNING, SUCCEEDED, FAILED, CANCELED, UNKNOWN: an expired or wrong id, HTTP
200, a failure), their failure words and ``output.code`` / ``output.message`` of a failed task.
A family adds its ``name``, ``asset_labels`` and ``parse_record`` (where its files are)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lib.contract.family import Family
from lib.contract.states import State

STATES = {"PENDING": State.PENDING, "SUSPENDED": State.PENDING, "RUNNING": State.PROCESSING,
          "SUCCEEDED": State.SUCCEEDED, "FAILED": State.FAILED, "CANCELED": State.FAILED,
          "UNKNOWN": State.FAILED}


def output_of(record: Mapping[str, Any]) -> Mapping[str, Any]:
    """A task record's ``output`` object ({} when it has none)."""
    output = record.get("output")
    return output if isinstance(output, dict) else {}


class DashScopeTask(Family):
    provider = "dashscope"
    poll = {"anyint": "/dashscope/v1/tasks/{task_id}"}
    failure_words = {
        "FAILED": "The provider could not make it.",
        "CANCELED": "The task was cancelled at the provider before it started.",
        "UNKNOWN": "The provider no longer knows this task: its id expired (DashScope keeps "
                   "tasks 24 h) or is wrong. It is not polled any more.",
    }
    status_key = "output.task_status"

    def map_status(self, raw: Any) -> State:
        if raw is None:
            return State.PENDING
        return STATES.get(str(raw).strip().upper(), State.PROCESSING)

    def error_of(self, record: Mapping[str, Any], state: State) -> tuple[Any, str | None]:
        output = output_of(record)
        return output.get("code"), output.get("message") or None
