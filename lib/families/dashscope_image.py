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

from lib.contract.family import Asset, Parsed, url
from lib.families._dashscope import DashScopeTask, output_of


def _results(record: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    found = output_of(record).get("results")
    return [r for r in found if isinstance(r, dict)] if isinstance(found, list) else []


class DashScopeImage(DashScopeTask):
    name = "dashscope_image"
    asset_labels = {"image:": "Image "}

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
            ("task_metrics", output_of(record).get("task_metrics"))) if v} or None
        return Parsed(assets=assets, result=result, complete=bool(assets))


FAMILY = DashScopeImage()
