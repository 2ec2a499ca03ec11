"""Music family: generate, extend, covers, add vocals/instrumental, replace section, mashup,
sounds. Poll ``status`` PENDING -> TEXT_SUCCESS -> FIRST_SUCCESS -> SUCCESS (contract §5.8, §7);
callbacks ``callbackType`` text/first/complete/error with snake_case tracks (§6.1).

A task succeeds only when every track has its ``audioUrl``. Assets: ``mp3`` and ``image`` per
track.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lib.contract.family import (
    COMMON_FAILURES, SENSITIVE_TEXT, Asset, Family, Parsed, Track, number, response, text, url,
)
from lib.contract.states import State

_STAGES = {"PENDING": "queued", "TEXT_SUCCESS": "text", "FIRST_SUCCESS": "first",
           "SUCCESS": "complete"}


def track_from(item: Mapping[str, Any], index: int, *, snake: bool = False) -> Track:
    """A `Track` from a camelCase poll item or (``snake=True``) a snake_case callback item."""
    def get(camel: str, snake_name: str) -> Any:
        return item.get(snake_name if snake else camel, item.get(camel))

    return Track(
        id=str(item.get("id") or f"#{index}"),
        index=index,
        title=text(item.get("title")),
        tags=text(item.get("tags")),
        lyrics=text(item.get("prompt")),
        model_name=text(get("modelName", "model_name")),
        duration=number(item.get("duration")),
        audio_url=url(get("audioUrl", "audio_url")),
        stream_audio_url=url(get("streamAudioUrl", "stream_audio_url")),
        image_url=url(get("imageUrl", "image_url")),
        create_time=text(get("createTime", "create_time")),
    )


class Music(Family):
    name = "music"
    poll = {"sunoapi": "/api/v1/generate/record-info", "anyint": "/suno/query/task"}
    status_key = "status"
    incomplete_stage = "first"
    callback_priority = 90
    failure_words = {
        "SENSITIVE_WORD_ERROR": SENSITIVE_TEXT,
        **COMMON_FAILURES,
        "GENERATE_AUDIO_FAILED": "The provider could not generate the audio.",
    }
    asset_labels = {"mp3": "MP3", "image": "Image"}

    def map_status(self, raw: Any) -> State:
        if raw is not None and str(raw).strip().upper() in ("TEXT_SUCCESS", "FIRST_SUCCESS"):
            return State.PROCESSING
        return super().map_status(raw)

    def stage_of(self, raw: Any) -> str:
        stage = super().stage_of(raw)
        if stage == "queued" and raw is not None:
            return _STAGES.get(str(raw).strip().upper(), "queued")
        return stage

    def parse_record(self, record: Mapping[str, Any]) -> Parsed:
        items = response(record).get("sunoData") or []
        items = items if isinstance(items, list) else []
        tracks = [track_from(item, i) for i, item in enumerate(items) if isinstance(item, dict)]
        assets = []
        for t in tracks:
            if t.audio_url:
                assets.append(Asset("mp3", t.audio_url, t.id))
            if t.image_url:
                assets.append(Asset("image", t.image_url, t.id))
        return Parsed(tracks, assets, None, bool(tracks) and all(t.audio_url for t in tracks))

    def claims_callback(self, payload: Mapping[str, Any], body: Mapping[str, Any]) -> bool:
        items = body.get("data")
        if isinstance(items, list) and items:
            return not any(isinstance(i, dict) and "text" in i for i in items)
        return "callbackType" in body and "task_id" in body

    def callback_failed(self, payload: Mapping[str, Any], body: Mapping[str, Any]) -> bool:
        return False

    def callback_tracks(self, body: Mapping[str, Any]) -> list[Track]:
        items = body.get("data")
        if not isinstance(items, list):
            return []
        return [track_from(item, i, snake=True) for i, item in enumerate(items)
                if isinstance(item, dict)]


FAMILY = Music()
