"""Kling image tasks (images/generations; contract-media 1.2, 1.5): polled on the create route's
own GET, ``{create}/{task_id}``, like the video tasks.

The record is the envelope's ``data``: ``task_status`` submitted -> processing -> succeed |
failed, ``task_status_msg``, and on success ``task_result.images[] {index, url}`` (assets
``image:1``, ``image:2``...; provider URLs expire, so they are archived as soon as the task
succeeds). A ``succeed`` without an image URL is polled again.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lib.contract.family import Asset, Family, Parsed, url
from lib.contract.states import State

STATES = {"submitted": State.PENDING, "processing": State.PROCESSING,
          "succeed": State.SUCCEEDED, "failed": State.FAILED}


class KlingImage(Family):
    name = "kling_image"
    provider = "kling"
    poll = {"anyint": "{create}/{task_id}"}
    status_key = "task_status"
    failure_words = {"failed": "Kling could not make it."}
    asset_labels = {"image:": "Image "}

    def map_status(self, raw: Any) -> State:
        if raw is None:
            return State.PENDING
        return STATES.get(str(raw).strip().lower(), State.PROCESSING)

    def parse_record(self, record: Mapping[str, Any]) -> Parsed:
        result = record.get("task_result")
        found = result.get("images") if isinstance(result, dict) else None
        links = [link for item in (found if isinstance(found, list) else [])
                 if isinstance(item, dict) and (link := url(item.get("url")))]
        assets = [Asset(f"image:{i}", link) for i, link in enumerate(links, 1)]
        return Parsed(assets=assets, result={"image_count": len(links)} if links else None,
                      complete=bool(assets))

    def error_of(self, record: Mapping[str, Any], state: State) -> tuple[Any, str | None]:
        if state is not State.FAILED:
            return None, None
        return None, str(record.get("task_status_msg") or "") or None


FAMILY = KlingImage()
