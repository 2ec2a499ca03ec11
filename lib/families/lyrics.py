"""Lyrics family: poll ``status`` (contract §5.9), the variants in ``response.data``; callbacks
use camelCase ``taskId`` (§6.2). No files: the variants are the task's result."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lib.contract.family import COMMON_FAILURES, Family, Parsed, response


class Lyrics(Family):
    name = "lyrics"
    poll = {"sunoapi": "/api/v1/lyrics/record-info", "anyint": "/suno/query/lyrics"}
    status_key = "status"
    callback_priority = 80
    failure_words = {
        "GENERATE_LYRICS_FAILED": "The provider could not write the lyrics.",
        "SENSITIVE_WORD_ERROR": "The provider refused the text: it contains sensitive words or "
                                "an artist name. Rephrase the theme and try again.",
        **COMMON_FAILURES,
    }

    def parse_record(self, record: Mapping[str, Any]) -> Parsed:
        items = response(record).get("data") or []
        variants = [
            {"title": v.get("title"), "text": v.get("text"), "status": v.get("status"),
             "error_message": v.get("errorMessage") or None}
            for v in (items if isinstance(items, list) else []) if isinstance(v, dict)
        ]
        return Parsed(result={"variants": variants} if variants else None,
                      complete=any(v["text"] for v in variants))

    def claims_callback(self, payload: Mapping[str, Any], body: Mapping[str, Any]) -> bool:
        items = body.get("data")
        if isinstance(items, list) and items:
            return any(isinstance(i, dict) and "text" in i for i in items)
        return "callbackType" in body and "taskId" in body

    def callback_failed(self, payload: Mapping[str, Any], body: Mapping[str, Any]) -> bool:
        return False


FAMILY = Lyrics()
