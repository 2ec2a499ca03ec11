"""Cover-art family: poll ``successFlag`` integer 0 pending, 1 success, 2 generating, 3 failed
(contract §5.11, §7); ``response.images``; callback ``images`` (§6.6). Assets ``cover:<n>``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lib.contract.family import Asset, Family, Parsed, as_int, response, url
from lib.contract.states import State

_FLAGS = {0: State.PENDING, 1: State.SUCCEEDED, 2: State.PROCESSING, 3: State.FAILED}


class Cover(Family):
    name = "cover"
    poll = {"sunoapi": "/api/v1/suno/cover/record-info", "anyint": "/suno/query/cover"}
    failure_words = {"3": "Cover art generation failed."}
    asset_labels = {"cover:": "Cover art "}
    callback_keys = ("images",)
    callback_priority = 10

    def map_status(self, raw: Any) -> State:
        return _FLAGS.get(as_int(raw), State.PENDING if raw is None else State.PROCESSING)  # type: ignore[arg-type]

    def parse_record(self, record: Mapping[str, Any]) -> Parsed:
        images = response(record).get("images") or []
        images = [u for u in (images if isinstance(images, list) else []) if url(u)]
        return Parsed(assets=[Asset(f"cover:{i}", u) for i, u in enumerate(images, start=1)],
                      complete=bool(images))

    def error_of(self, record: Mapping[str, Any], state: State) -> tuple[Any, str | None]:
        code, message = super().error_of(record, state)
        if state is not State.FAILED and code == 200:
            code = None  # cover record-info reports errorCode 200 on success
        return code, message


FAMILY = Cover()
