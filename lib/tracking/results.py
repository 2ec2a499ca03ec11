"""Parse the ``data`` of a poll answer (record-info) of any family into one `PollResult`.

Poll answers are camelCase (contract 5.8-5.16). A task is only ``succeeded`` when the provider
says success AND the result URLs are there (music: every track has ``audioUrl``; wav: the WAV
URL; stems: at least one stem; mp4: the video; cover: at least one image; lyrics: at least one
text). Otherwise a success status is reported as ``processing`` and polled again.

``CALLBACK_EXCEPTION`` means the provider failed to deliver *its callback*; when the results are
complete anyway the task is ``succeeded`` (we poll, so a lost callback costs nothing) and the
error message is kept.

Asset kinds: ``mp3`` and ``image`` per music track, ``wav``, ``mp4``, ``stem:<name>`` (e.g.
``stem:vocal``, ``stem:backing_vocals``), ``cover:<n>`` (1-based) for cover-art images. Lyrics
variants, timestamped lyrics, boosted styles and personas have no files: they go to
``PollResult.result`` (stored as the task's ``result_json``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from lib.contract.states import State, map_status, stage_of


@dataclass(frozen=True)
class Track:
    """One generated song (a music task yields two)."""

    id: str
    index: int
    title: str | None = None
    tags: str | None = None
    lyrics: str | None = None
    model_name: str | None = None
    duration: float | None = None
    audio_url: str | None = None
    stream_audio_url: str | None = None
    image_url: str | None = None
    create_time: str | None = None


@dataclass(frozen=True)
class Asset:
    """A downloadable result file; ``track_id`` is the provider audio id it belongs to, if any."""

    kind: str
    url: str
    track_id: str | None = None


@dataclass(frozen=True)
class PollResult:
    """Everything we take from one poll (or synchronous) answer."""

    raw_status: Any
    state: State
    stage: str
    tracks: list[Track] = field(default_factory=list)
    assets: list[Asset] = field(default_factory=list)
    error_code: Any = None
    error_message: str | None = None
    result: Any = None


def _url(value: Any) -> str | None:
    """A usable URL or None (empty strings and non-strings count as missing)."""
    return value if isinstance(value, str) and value.strip() else None


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _float(value: Any) -> float | None:
    try:
        return None if value is None or value == "" else float(value)
    except (TypeError, ValueError):
        return None


def track_from(item: dict, index: int, *, snake: bool = False) -> Track:
    """A `Track` from a camelCase poll item or (``snake=True``) a snake_case callback item."""
    def get(camel: str, snake_name: str) -> Any:
        return item.get(snake_name if snake else camel, item.get(camel))

    return Track(
        id=str(item.get("id") or f"#{index}"),
        index=index,
        title=_text(item.get("title")),
        tags=_text(item.get("tags")),
        lyrics=_text(item.get("prompt")),
        model_name=_text(get("modelName", "model_name")),
        duration=_float(item.get("duration")),
        audio_url=_url(get("audioUrl", "audio_url")),
        stream_audio_url=_url(get("streamAudioUrl", "stream_audio_url")),
        image_url=_url(get("imageUrl", "image_url")),
        create_time=_text(get("createTime", "create_time")),
    )


def _response(data: dict) -> dict:
    response = data.get("response")
    return response if isinstance(response, dict) else {}


def _music(data: dict) -> tuple[list[Track], list[Asset], Any, bool]:
    items = _response(data).get("sunoData") or []
    tracks = [track_from(item, i) for i, item in enumerate(items) if isinstance(item, dict)]
    assets = []
    for t in tracks:
        if t.audio_url:
            assets.append(Asset("mp3", t.audio_url, t.id))
        if t.image_url:
            assets.append(Asset("image", t.image_url, t.id))
    complete = bool(tracks) and all(t.audio_url for t in tracks)
    return tracks, assets, None, complete


def _lyrics(data: dict) -> tuple[list[Track], list[Asset], Any, bool]:
    items = _response(data).get("data") or []
    variants = [
        {"title": v.get("title"), "text": v.get("text"), "status": v.get("status"),
         "error_message": v.get("errorMessage") or None}
        for v in items if isinstance(v, dict)
    ]
    complete = any(v["text"] for v in variants)
    return [], [], ({"variants": variants} if variants else None), complete


def _single(kind: str, key: str):
    def parse(data: dict) -> tuple[list[Track], list[Asset], Any, bool]:
        url = _url(_response(data).get(key))
        source = _text(data.get("audioId") or data.get("musicId"))
        return [], ([Asset(kind, url, source)] if url else []), None, url is not None
    return parse


def _stem_name(key: str) -> str:
    """``backingVocalsUrl`` -> ``backing_vocals``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", key[: -len("Url")]).lower()


def _stems(data: dict) -> tuple[list[Track], list[Asset], Any, bool]:
    source = _text(data.get("audioId") or data.get("musicId"))
    assets = [
        Asset(f"stem:{_stem_name(key)}", url, source)
        for key, value in _response(data).items()
        if key.endswith("Url") and (url := _url(value))
    ]
    complete = any(a.kind != "stem:origin" for a in assets)
    return [], assets, None, complete


def _cover(data: dict) -> tuple[list[Track], list[Asset], Any, bool]:
    images = [u for u in (_response(data).get("images") or []) if _url(u)]
    assets = [Asset(f"cover:{i}", u) for i, u in enumerate(images, start=1)]
    return [], assets, None, bool(images)


def _sync(data: Any) -> tuple[list[Track], list[Asset], Any, bool]:
    return [], [], data, data is not None


_PARSERS = {
    "music": _music,
    "lyrics": _lyrics,
    "wav": _single("wav", "audioWavUrl"),
    "stems": _stems,
    "mp4": _single("mp4", "videoUrl"),
    "cover": _cover,
    "sync": _sync,
}
_STATUS_FIELD = {"music": "status", "lyrics": "status"}


def parse_poll(family: str, data: Any) -> PollResult:
    """Parse the ``data`` of a poll answer (or a synchronous answer for family ``sync``)."""
    if family not in _PARSERS:
        raise ValueError(f"unknown task family {family!r}")
    record = data if isinstance(data, dict) else {}
    raw = record.get(_STATUS_FIELD.get(family, "successFlag"))
    if family == "sync" and data is None:
        raw = "2"  # an empty synchronous answer is a failure, not a success
    tracks, assets, result, complete = _PARSERS[family](data if family == "sync" else record)
    state = map_status(family, raw)
    if state is State.SUCCEEDED and not complete:
        state = State.PROCESSING
    elif str(raw).upper() == "CALLBACK_EXCEPTION" and complete:
        state = State.SUCCEEDED
    stage = "complete" if state is State.SUCCEEDED else stage_of(family, raw)
    if state is State.PROCESSING and stage == "complete":
        stage = "first" if family == "music" else "queued"
    error_code = record.get("errorCode")
    error_message = record.get("errorMessage") or None
    if family == "cover" and state is not State.FAILED and error_code == 200:
        error_code = None  # cover record-info reports errorCode 200 on success
    return PollResult(raw, state, stage, tracks, assets, error_code, error_message, result)
