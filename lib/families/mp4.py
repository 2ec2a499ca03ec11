"""MP4 (music video) family: poll ``successFlag`` strings (contract §5.16),
``response.videoUrl``; callback ``video_url`` (null on failure, §6.5). Asset: ``mp4``."""

from __future__ import annotations

from lib.contract.family import FileFamily, routes, single_file

FAMILY = FileFamily(
    "mp4", routes("/api/v1/mp4/record-info", "/suno/query/mp4"),
    {"GENERATE_MP4_FAILED": "The music video could not be made."}, {"mp4": "MP4"}, "video_url",
    lambda record: single_file(record, "mp4", "videoUrl"))
