"""MP4 (music video) family: poll ``successFlag`` strings (contract §5.16),
``response.videoUrl``; callback ``video_url`` (null on failure, §6.5). Asset: ``mp4``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lib.contract.family import Family, Parsed
from lib.families.wav import single_file


class Mp4(Family):
    name = "mp4"
    poll = {"sunoapi": "/api/v1/mp4/record-info", "anyint": "/suno/query/mp4"}
    failure_words = {"GENERATE_MP4_FAILED": "The music video could not be made.",
                     "CREATE_TASK_FAILED": "The provider could not start the task.",
                     "CALLBACK_EXCEPTION": "The provider failed while delivering the result."}
    asset_labels = {"mp4": "MP4"}
    callback_keys = ("video_url",)
    callback_priority = 10

    def parse_record(self, record: Mapping[str, Any]) -> Parsed:
        return single_file(record, "mp4", "videoUrl")


FAMILY = Mp4()
