"""DashScope's synchronous images (Qwen-Image, contract-media 1.3, 2.4): no task, no poll route;
the create's answer is the whole result.

``output.choices[].message.content[].image`` are the images (assets ``image:1``,
``image:2``...: their URLs expire after 24 h, archived at once); ``usage.{width, height,
image_count}`` is the result. This route counts in ``output.task_metric`` (singular; the task
routes write ``task_metrics``): both are read. An answer without an image is a failure (its
``code``/``message`` when the answer has them), never a success.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lib.contract.family import Asset, Family, PollResult, readable_status, unreadable_text, url
from lib.contract.states import Stage, State

NO_IMAGE = "NO_IMAGE"


def _output(record: Mapping[str, Any]) -> Mapping[str, Any]:
    output = record.get("output")
    return output if isinstance(output, dict) else {}


def images(record: Mapping[str, Any]) -> list[str]:
    """The image URLs of an answer, in order."""
    found = []
    choices = _output(record).get("choices")
    for choice in choices if isinstance(choices, list) else []:
        message = choice.get("message") if isinstance(choice, dict) else None
        content = message.get("content") if isinstance(message, dict) else None
        for block in content if isinstance(content, list) else []:
            if isinstance(block, dict) and (link := url(block.get("image"))):
                found.append(link)
    return found


class DashScopeSyncImage(Family):
    name = "dashscope_sync_image"
    provider = "dashscope"
    poll = {"anyint": None}
    failure_words = {NO_IMAGE: "The provider answered without an image (nothing to archive)."}
    asset_labels = {"image:": "Image "}
    #: The answer carries no status of its own (its images say it); a status written where
    #: DashScope's task routes put theirs is read the same way.
    status_key = "output.task_status"

    def map_status(self, raw: Any) -> State:
        word = str(raw).strip().upper()
        if word == "SUCCEEDED":
            return State.SUCCEEDED
        return State.FAILED if word in ("FAILED", "CANCELED", "UNKNOWN", NO_IMAGE) \
            else State.PROCESSING

    def parse(self, data: Any) -> PollResult:
        record = data if isinstance(data, dict) else {}
        raw = self.raw_status(record)
        if raw is not None and (not readable_status(raw)
                                or self.map_status(raw) is State.PROCESSING):
            # a status we do not know: not a success, not a proof of failure
            shown = raw if readable_status(raw) else unreadable_text(raw)
            return PollResult(shown, State.PROCESSING, Stage.QUEUED.value)
        links = images(record)
        metric = _output(record).get("task_metric") or _output(record).get("task_metrics")
        usage = record.get("usage")
        usage = usage if isinstance(usage, dict) else {}
        result = {k: v for k, v in (("width", usage.get("width")),
                                    ("height", usage.get("height")),
                                    ("image_count", usage.get("image_count") or len(links)),
                                    ("task_metric", metric if isinstance(metric, dict)
                                     else None)) if v} or None
        if not links or (raw is not None and self.map_status(raw) is not State.SUCCEEDED):
            output = _output(record)
            return PollResult(NO_IMAGE, State.FAILED, Stage.ERROR.value,
                              error_code=output.get("code") or record.get("code"),
                              error_message=str(output.get("message") or record.get("message")
                                                or "") or None, result=result)
        assets = [Asset(f"image:{i}", link) for i, link in enumerate(links, 1)]
        return PollResult("SUCCEEDED", State.SUCCEEDED, Stage.COMPLETE.value, assets=assets,
                          result=result)


FAMILY = DashScopeSyncImage()
