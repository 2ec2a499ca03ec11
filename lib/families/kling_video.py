"""Kling video tasks (text2video, image2video; contract-media 1.5): polled on the create
route's own GET, ``{create}/{task_id}`` (the Kling adapter fills it from the task's operation);
no callbacks are relied on.

The record is the envelope's ``data``: ``task_status`` submitted -> processing -> succeed |
failed, ``task_status_msg`` (why it failed), and on success ``task_result.videos[] {id, url,
duration}`` (asset ``video``; a second video ``video:2``...). A ``succeed`` without a video URL
is polled again, never called a success.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lib.contract.family import Asset, Family, Parsed, number, url
from lib.contract.states import State

STATES = {"submitted": State.PENDING, "processing": State.PROCESSING,
          "succeed": State.SUCCEEDED, "failed": State.FAILED}


def task_result(record: Mapping[str, Any]) -> Mapping[str, Any]:
    result = record.get("task_result")
    return result if isinstance(result, dict) else {}


def items(record: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    found = task_result(record).get(key)
    return [item for item in found if isinstance(item, dict)] if isinstance(found, list) else []


class KlingVideo(Family):
    name = "kling_video"
    provider = "kling"
    poll = {"anyint": "{create}/{task_id}"}
    status_key = "task_status"
    failure_words = {"failed": "Kling could not make it."}
    asset_labels = {"video": "Video (MP4)", "video:": "Video "}

    def map_status(self, raw: Any) -> State:
        if raw is None:
            return State.PENDING
        return STATES.get(str(raw).strip().lower(), State.PROCESSING)

    def parse_record(self, record: Mapping[str, Any]) -> Parsed:
        videos = [(v, link) for v in items(record, "videos") if (link := url(v.get("url")))]
        assets = [Asset("video" if i == 1 else f"video:{i}", link)
                  for i, (_, link) in enumerate(videos, 1)]
        seconds = [d for v, _ in videos if (d := number(v.get("duration"))) is not None]
        result = {"videos": len(videos), "duration": seconds[0]} if seconds else None
        return Parsed(assets=assets, result=result, complete=bool(assets))

    def error_of(self, record: Mapping[str, Any], state: State) -> tuple[Any, str | None]:
        if state is not State.FAILED:
            return None, None
        return None, str(record.get("task_status_msg") or "") or None


FAMILY = KlingVideo()
