"""Audio recovery family (contract-newer.md §5): fresh playable links for every track of a
finished music task. Poll ``GET /api/v1/suno/recovery/record-info?task_id=`` (snake_case); the
status is the envelope's own ``code``: 201 still running (``data`` null), 200 finished with at
least one track recovered, 500 every track failed (with ``data``) - a 500 without ``data`` is a
server error and is retried. ``data`` lists ``{id, audio_url, title, status, error}`` in the
original order; ``id`` is the original track's audio id, so each recovered URL replaces that
track's (`PollResult.recovered`) and is archived as that track's ``mp3`` (it may be ``.m4a``).
The callback has the same flat shape (top-level ``task_id``, list ``data``, no callbackType).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lib.contract.family import Asset, Family, Parsed, url
from lib.contract.states import State

RECOVERY_ERRORS = {
    "no_audio_id_mappings": "the provider has no record of this track",
    "account_missing": "the account that made it is gone",
    "get_tokens_failed": "the provider could not authorise the recovery",
    "feed_failed": "the provider could not read its history",
    "clip_error": "the track itself is in error at the provider",
    "clip_not_complete": "the track never finished",
    "mango_transfer_failed": "the file transfer failed",
}


def _items(data: Any) -> list[dict]:
    return [i for i in (data if isinstance(data, list) else []) if isinstance(i, dict)]


class Recovery(Family):
    name = "recovery"
    poll = {"sunoapi": "/api/v1/suno/recovery/record-info", "anyint": None}
    id_param = "task_id"
    status_key = "code"
    failure_words = {"500": "No track could be recovered."}
    callback_priority = 60

    def accepts(self, envelope: Mapping[str, Any]) -> bool:
        code = envelope.get("code")
        return code in (200, 201) or (code == 500 and isinstance(envelope.get("data"), list))

    def says_missing(self, envelope: Mapping[str, Any]) -> bool:
        """kie.ai's recorded reply for an unknown recovery id: code 500, no data, "does not
        exist" (contract-newer §5) - a forgotten task, not a server error to retry."""
        return (envelope.get("code") == 500 and envelope.get("data") is None
                and "does not exist" in str(envelope.get("msg") or "").lower())

    def unwrap(self, envelope: Mapping[str, Any]) -> Any:
        return dict(envelope)  # the status is the envelope's code

    def map_status(self, raw: Any) -> State:
        known = {200: State.SUCCEEDED, 201: State.PROCESSING, 500: State.FAILED}
        return known.get(raw, State.PENDING if raw is None else State.PROCESSING)

    def parse_record(self, record: Mapping[str, Any]) -> Parsed:
        rows = []
        recovered: dict[str, str] = {}
        for item in _items(record.get("data")):
            link = url(item.get("audio_url"))
            ok = str(item.get("status") or "").lower() == "success" and link is not None
            if ok:
                recovered[str(item.get("id"))] = link  # type: ignore[assignment]
            error = str(item.get("error") or "")
            rows.append({"id": str(item.get("id")), "title": item.get("title"),
                         "status": "success" if ok else "failed", "audio_url": link,
                         "error": error, "reason": RECOVERY_ERRORS.get(error, error) or None})
        assets = [Asset("mp3", link, track_id) for track_id, link in recovered.items()]
        return Parsed(assets=assets, result={"tracks": rows} if rows else None,
                      complete=bool(recovered), recovered=recovered)

    def error_of(self, record: Mapping[str, Any], state: State) -> tuple[Any, str | None]:
        if state is State.FAILED:
            return record.get("code"), record.get("msg") or None
        return None, None

    def claims_callback(self, payload: Mapping[str, Any], body: Mapping[str, Any]) -> bool:
        return ("callbackType" not in payload and "task_id" in payload
                and isinstance(payload.get("data"), list)
                and all("status" in i for i in _items(payload["data"])))

    def callback_failed(self, payload: Mapping[str, Any], body: Mapping[str, Any]) -> bool:
        return not any(str(i.get("status")).lower() == "success"
                       for i in _items(payload.get("data")))


FAMILY = Recovery()
