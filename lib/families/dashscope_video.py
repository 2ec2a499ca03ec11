"""DashScope video tasks (video synthesis): polled on ``GET /dashscope/v1/tasks/{task_id}``
(contract-media 1.4, 2.5-2.8); no callbacks. (The async image routes' tasks share the poll
route and statuses; their family reads ``output.results[].url``.)

The record is the whole answer: ``output.task_status`` is one of PENDING, SUSPENDED (queued),
RUNNING, SUCCEEDED, FAILED, CANCELED, UNKNOWN. ``UNKNOWN`` comes with HTTP 200 and means the id
expired (24 h) or never existed: a failure, not "still running". Success needs its file,
``output.video_url`` (asset ``video``): a success without it is polled again. A failed task
carries ``output.code`` and ``output.message`` (the DashScope adapter words the code like any
other provider's).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lib.contract.family import Asset, Family, Parsed, url
from lib.contract.states import State

_STATES = {"PENDING": State.PENDING, "SUSPENDED": State.PENDING, "RUNNING": State.PROCESSING,
           "SUCCEEDED": State.SUCCEEDED, "FAILED": State.FAILED, "CANCELED": State.FAILED,
           "UNKNOWN": State.FAILED}


def _output(record: Mapping[str, Any]) -> Mapping[str, Any]:
    output = record.get("output")
    return output if isinstance(output, dict) else {}


class DashScopeVideo(Family):
    name = "dashscope_video"
    provider = "dashscope"
    poll = {"anyint": "/dashscope/v1/tasks/{task_id}"}
    failure_words = {
        "FAILED": "The provider could not make it.",
        "CANCELED": "The task was cancelled at the provider before it started.",
        "UNKNOWN": "The provider no longer knows this task: its id expired (DashScope keeps "
                   "tasks 24 h) or is wrong. It is not polled any more.",
    }
    asset_labels = {"video": "Video (MP4)"}
    status_key = "output.task_status"

    def map_status(self, raw: Any) -> State:
        if raw is None:
            return State.PENDING
        return _STATES.get(str(raw).strip().upper(), State.PROCESSING)

    def parse_record(self, record: Mapping[str, Any]) -> Parsed:
        output = _output(record)
        assets = [Asset("video", link)] if (link := url(output.get("video_url"))) else []
        usage = record.get("usage")
        result = {k: v for k, v in (("actual_prompt", output.get("actual_prompt")),
                                    ("usage", usage if isinstance(usage, dict) else None))
                  if v is not None} or None
        return Parsed(assets=assets, result=result, complete=bool(assets))

    def error_of(self, record: Mapping[str, Any], state: State) -> tuple[Any, str | None]:
        output = _output(record)
        return output.get("code"), output.get("message") or None


FAMILY = DashScopeVideo()
