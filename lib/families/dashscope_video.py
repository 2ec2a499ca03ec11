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

from lib.contract.family import Asset, Parsed, url
from lib.families._dashscope import DashScopeTask, output_of


class DashScopeVideo(DashScopeTask):
    name = "dashscope_video"
    asset_labels = {"video": "Video (MP4)"}

    def parse_record(self, record: Mapping[str, Any]) -> Parsed:
        output = output_of(record)
        assets = [Asset("video", link)] if (link := url(output.get("video_url"))) else []
        usage = record.get("usage")
        result = {k: v for k, v in (("actual_prompt", output.get("actual_prompt")),
                                    ("usage", usage if isinstance(usage, dict) else None))
                  if v is not None} or None
        return Parsed(assets=assets, result=result, complete=bool(assets))


FAMILY = DashScopeVideo()
