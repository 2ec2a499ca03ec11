"""Pieces several operation modules share: routes, the music rules, visibility and source checks.

Nothing here is specific to one operation; each `lib.ops.<op>` module picks what it needs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lib.contract.fields import (
    DURATION_MODELS, Field, PERSONA_MODEL_MODELS, SIMPLE_PROMPT_LIMIT, SIMPLE_PROMPT_LIMITS,
    LengthIf, RequiredIf,
)
from lib.contract.operation import (
    AudioLimits, DraftSpec, FieldError, SourceFacts, SourceSpec,
)
from lib.contract.validation import is_number, number_text

#: Source audio may be at most 8 min (1 min with V4_5ALL) for upload-cover/upload-extend.
MAX_SOURCE_S = 8 * 60
MAX_SOURCE_S_V4_5ALL = 60


def paths(sunoapi: str, anyint: str | None = None) -> dict[str, str | None]:
    """Create routes per dialect; ``anyint=None``: the AnyInt gateway has no such route."""
    return {"sunoapi": sunoapi, "anyint": anyint}


# ---- sources --------------------------------------------------------------------------------
TRACK = SourceSpec("track", {"taskId": "provider_task_id", "audioId": "audio_id"},
                   "Source track")
TRACK_AUDIO_ONLY = SourceSpec("track", {"audioId": "audio_id"}, "Source track")
AUDIO = SourceSpec("audio", {"uploadUrl": "url"}, "Source audio")

# ---- the generate / upload-cover matrix (contract §5.1, §5.3) ----------------------------------
CUSTOM_INSTR = RequiredIf({"customMode": True, "instrumental": True}, ("style", "title"))
CUSTOM_VOCAL = RequiredIf({"customMode": True, "instrumental": False}, ("style", "title"))
SIMPLE = RequiredIf({"customMode": False}, ("prompt",))
SIMPLE_LEN = LengthIf({"customMode": False}, "prompt", SIMPLE_PROMPT_LIMIT,
                      by_model=SIMPLE_PROMPT_LIMITS)
#: Only shown (and only sent) in custom mode.
# ---- the text helper's drafts (lib.text.forms) ---------------------------------------------------
#: A drafted song: its title, style and lyrics (sung as the custom-mode prompt), custom mode on.
SONG_INTO = {"title": "title", "style": "style", "lyrics": "prompt"}
SONG_DRAFT = DraftSpec("song", SONG_INTO, sets={"customMode": True, "instrumental": False})
#: Extend with the song's own parameters ("Custom parameters" on).
EXTEND_SONG_DRAFT = DraftSpec("song", SONG_INTO, sets={"defaultParamFlag": True})
#: A one-line description of music (a sound, a lyrics theme) as the prompt.
MUSIC_PROMPT_DRAFT = DraftSpec("music_prompt", {"prompt": "prompt"})
IMAGE_DRAFT = DraftSpec("image_prompt", {"prompt": "prompt"})
VIDEO_DRAFT = DraftSpec("video_prompt", {"prompt": "prompt"})

CUSTOM_ONLY = ("style", "title", "personaId", "personaModel", "duration", "variety")


def number(body: Mapping[str, Any], name: str) -> float | None:
    value = body.get(name)
    if value is None or not is_number(value):
        return None
    return float(value)


def prompt_or_lyrics(body: Mapping[str, Any]) -> list[FieldError]:
    """Custom mode with vocals sings the prompt, or (V6 era) the ``lyrics`` field."""
    vocal_custom = body.get("customMode") is True and body.get("instrumental") is False
    if vocal_custom and not _given(body.get("prompt")) and not _given(body.get("lyrics")):
        return [FieldError("prompt", "Prompt / lyrics is required in custom mode for a song "
                                     "with vocals (or give Lyrics)")]
    return []


def _given(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def v6_fields(body: Mapping[str, Any]) -> list[FieldError]:
    """The V6-era rules (contract-newer.md §1): duration with V5_5/V6* in custom mode only,
    variety in custom mode only, personaModel with V5 and later, voice personas need an id."""
    out: list[FieldError] = []
    model, custom = body.get("model"), body.get("customMode", True)
    if "duration" in body and model not in DURATION_MODELS:
        chosen = f" (the model is {model})" if isinstance(model, str) else ""
        out.append(FieldError("duration", f"Duration needs model {_either(DURATION_MODELS)}"
                                          f"{chosen}"))
    for name, words in (("duration", "Duration"), ("variety", "Variety")):
        if name in body and custom is False:
            out.append(FieldError(name, f"{words} only applies in custom mode"))
    if "personaModel" in body and model not in PERSONA_MODEL_MODELS:
        out.append(FieldError("personaModel", "Persona kind needs model "
                                              f"{_either(PERSONA_MODEL_MODELS)}"))
    if body.get("personaModel") == "voice_persona" and not _given(body.get("personaId")):
        out.append(FieldError("personaId", "Persona ID is required for a voice persona (the "
                                           "Suno Voice id)"))
    return out


def _either(names: tuple[str, ...]) -> str:
    return ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else names[0]


def custom_only(name: str, values: Mapping[str, Any]) -> bool:
    """Simple mode hides style/title/persona and the custom-only V6 fields."""
    return name not in CUSTOM_ONLY or bool(values.get("customMode"))


def custom_params_only(name: str, values: Mapping[str, Any]) -> bool:
    """Extend with "Custom parameters" off inherits everything: only the model remains."""
    return name in ("defaultParamFlag", "model") or bool(values.get("defaultParamFlag"))


# ---- source checks ------------------------------------------------------------------------------
def past_end(field: str, words: str, seconds: float, duration: float) -> list[FieldError]:
    """``field`` (``words`` in a sentence) points past the end of the source track."""
    return [FieldError(field, f"{words} ({number_text(seconds)} s) is past the end of the "
                              f"{duration:.2f} s track")]


def too_short(duration: float, needs: str) -> list[FieldError]:
    """The source track is too short for what the operation needs."""
    return [FieldError("audioId", f"The track is {duration:.2f} s long; {needs}")]


def continue_at_inside(body: Mapping[str, Any], source: SourceFacts) -> list[FieldError]:
    at, duration = number(body, "continueAt"), source.duration
    if at is not None and duration and at >= duration:
        return [FieldError("continueAt", f"Continue at ({number_text(at)} s) must be before the "
                                         f"end of the {duration:.2f} s source")]
    return []


def upload_length(body: Mapping[str, Any], source: SourceFacts) -> list[FieldError]:
    duration = source.duration
    if not duration:
        return []
    cap = MAX_SOURCE_S_V4_5ALL if body.get("model") == "V4_5ALL" else MAX_SOURCE_S
    if duration > cap:
        return [FieldError("uploadUrl", f"The source audio is {duration:.0f} s long; "
                                        f"{body.get('model')} accepts at most {cap // 60} min")]
    return []


def continue_prefill(source: Any) -> dict[str, Any]:
    """Extend near the end of the source (the last second, or half of a very short one)."""
    d = source.duration
    if not d:
        return {}
    return {"continueAt": round(max(d / 2, d - 1), 2) if d > 1 else round(d / 2, 2)}


#: The options closing every DashScope wan video request (contract-media 2.5), text or image to
#: video alike.
WAN_VIDEO_OPTIONS = (
    Field("prompt_extend", "bool", "Extend the prompt", "Let the provider rewrite the "
          "prompt in more detail.", default=True, at="parameters"),
    Field("seed", "int", "Seed", "The same seed and request give the same video.", min=0,
          max=2147483647, at="parameters"),
    Field("watermark", "bool", "Watermark", "Add the provider's “AI Generated” mark.",
          default=False, at="parameters"),
)


# ---- the DashScope wan video models' tiers (contract-media 2.5 [V-3p]) ------------------------
#: The t2v sizes of each resolution tier (the first of each is its 16:9 size).
WAN_SIZE_TIERS = {
    "480P": ("832*480", "480*832", "624*624"),
    "720P": ("1280*720", "720*1280", "960*960", "1088*832", "832*1088"),
    "1080P": ("1920*1080", "1080*1920", "1440*1440", "1632*1248", "1248*1632"),
}


def tier_of(size: str) -> str | None:
    """The resolution tier of a t2v size (None: not a wan size)."""
    return next((tier for tier, sizes in WAN_SIZE_TIERS.items() if size in sizes), None)


def either(values: tuple[str, ...] | list[str]) -> str:
    """``a``, ``a or b``, ``a, b or c``."""
    values = list(values)
    return ", ".join(values[:-1]) + f" or {values[-1]}" if len(values) > 1 else values[0]


def durations_text(values: tuple[int, ...]) -> str:
    """``5 s``, ``5 or 10 s``, ``2-15 s``."""
    if len(values) == 1:
        return f"{values[0]} s"
    if values == tuple(range(values[0], values[-1] + 1)) and len(values) > 2:
        return f"{values[0]}-{values[-1]} s"
    return " or ".join(str(v) for v in values) + " s"


#: The audio a wan video takes (contract-media 2.5 [V-3p]: "wav or mp3, 3-30 s ..., at most
#: 15 MB"): declared on the operations' audio source, checked on upload (`AudioLimits`).
WAN_AUDIO_S = (3.0, 30.0)
WAN_AUDIO = AudioLimits(types=("wav", "mp3"), max_mb=15, seconds=WAN_AUDIO_S, who="DashScope")
#: A song's audio for music-driven video, optional: an upload, a finished track (a longer one
#: can be sent as a 30 s clip) or a public URL.
WAN_AUDIO_SOURCE = SourceSpec("audio", {"audio_url": "url"}, "Audio track (optional)",
                              clip_s=WAN_AUDIO_S[1], limits=WAN_AUDIO)


def wan_audio_length(body: Mapping[str, Any], source: SourceFacts) -> list[FieldError]:
    """The audio track must be 3-30 s long (a longer one is refused before it is sent)."""
    low, high = WAN_AUDIO_S
    duration = source.duration
    if not body.get("audio_url") or not duration or low <= duration <= high:
        return []
    length = number_text(round(duration, 1))
    return [FieldError("audio_url", f"Audio track is {length} s long; DashScope takes "
                                    f"{number_text(low)}-{number_text(high)} s of audio "
                                    f"({WAN_AUDIO.words()}): pick a shorter track or upload a "
                                    "clip of it")]


def video_summary(result: Any) -> str | None:
    """A video task's result in one line: ``"5 s of video · prompt as the provider ran it: …"``
    (DashScope: ``usage`` and ``actual_prompt``; Kling: ``duration``); the file has its player."""
    if not isinstance(result, Mapping):
        return None
    raw = result.get("usage")
    usage: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
    seconds = usage.get("video_duration") or usage.get("duration") or result.get("duration")
    if isinstance(seconds, str):
        try:
            seconds = float(seconds)
        except ValueError:
            seconds = None
    parts = [f"{seconds:g} s of video"] if isinstance(seconds, (int, float)) else []
    ran = result.get("actual_prompt") or result.get("orig_prompt")
    if isinstance(ran, str) and ran.strip():
        parts.append(f"prompt as the provider ran it: {ran.strip()}")
    return " · ".join(parts) or None
