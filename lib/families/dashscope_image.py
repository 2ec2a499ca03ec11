"""DashScope image tasks (the async wan text-to-image route, ``text2image/image-synthesis``;
contract-media 2.3): polled on ``GET /dashscope/v1/tasks/{task_id}`` like video; no callbacks.

Statuses as every DashScope task (PENDING, SUSPENDED, RUNNING, SUCCEEDED, FAILED, CANCELED,
UNKNOWN: an expired or wrong id, HTTP 200). On success ``output.results[].url`` are the images
(assets ``image:1``, ``image:2``...; their URLs expire after 24 h, archived once it succeeds);
with ``n`` > 1 the task succeeds when one image does, and a failed item carries its own
``code``/``message`` instead of a URL (counted, not an asset). A success without any URL is
polled again. ``usage.image_count``, ``output.task_metrics`` and the rewritten prompt
(``results[].actual_prompt``) are the result.
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


def _results(record: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    found = _output(record).get("results")
    return [r for r in found if isinstance(r, dict)] if isinstance(found, list) else []


class DashScopeImage(Family):
    name = "dashscope_image"
    provider = "dashscope"
    poll = {"anyint": "/dashscope/v1/tasks/{task_id}"}
    failure_words = {
        "FAILED": "The provider could not make it.",
        "CANCELED": "The task was cancelled at the provider before it started.",
        "UNKNOWN": "The provider no longer knows this task: its id expired (DashScope keeps "
                   "tasks 24 h) or is wrong. It is not polled any more.",
    }
    asset_labels = {"image:": "Image "}
    status_key = "output.task_status"

    def map_status(self, raw: Any) -> State:
        if raw is None:
            return State.PENDING
        return _STATES.get(str(raw).strip().upper(), State.PROCESSING)

    def parse_record(self, record: Mapping[str, Any]) -> Parsed:
        results = _results(record)
        links = [link for r in results if (link := url(r.get("url")))]
        assets = [Asset(f"image:{i}", link) for i, link in enumerate(links, 1)]
        usage = record.get("usage")
        usage = usage if isinstance(usage, dict) else {}
        ran = next((r["actual_prompt"] for r in results
                    if isinstance(r.get("actual_prompt"), str)), None)
        failed = [r for r in results if not url(r.get("url")) and r.get("code")]
        result = {k: v for k, v in (
            ("image_count", usage.get("image_count") or len(links) or None),
            ("failed_images", len(failed) or None),
            ("actual_prompt", ran),
            ("task_metrics", _output(record).get("task_metrics"))) if v} or None
        return Parsed(assets=assets, result=result, complete=bool(assets))

    def error_of(self, record: Mapping[str, Any], state: State) -> tuple[Any, str | None]:
        output = _output(record)
        return output.get("code"), output.get("message") or None


FAMILY = DashScopeImage()
