"""Text to video on DashScope (contract-media 1.4, 2.5): a prompt (and, for music-driven
video, a song's audio) becomes an MP4, as a DashScope task polled until its ``video_url``.

Sent by the DashScope adapter: ``POST /dashscope/v1/services/aigc/video-generation/
video-synthesis`` with ``X-DashScope-Async: enable``, the fields under ``input`` and
``parameters``. t2v models take ``size`` (i2v ones ``resolution``: another operation).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lib.contract.fields import Field
from lib.ops._common import (
    VIDEO_DRAFT, WAN_AUDIO, WAN_AUDIO_SOURCE, WAN_SIZE_TIERS, WAN_VIDEO_OPTIONS, durations_text,
    either, tier_of, video_summary, wan_audio_length,
)
from lib.contract.operation import FieldError, Operation, Ui

#: t2v model ids (contract-media 1.4 [I]: confirm with the Models API), newest first.
MODELS = ("wan2.6-t2v", "wan2.5-t2v-preview", "wan2.2-t2v-plus", "wanx2.1-t2v-turbo",
          "wanx2.1-t2v-plus")
#: Models that take an audio track (wan2.5, wan2.6); the older ones make silent video.
WITH_SOUND = ("wan2.6-t2v", "wan2.5-t2v-preview")
#: contract-media 2.5 [V-3p]: the resolution tiers each model offers (wan2.6 has no 480P) and
#: its durations (s); the simulator keeps the same table.
TIERS = {"wan2.6-t2v": ("720P", "1080P"), "wan2.5-t2v-preview": ("480P", "720P", "1080P"),
         "wan2.2-t2v-plus": ("480P", "1080P"), "wanx2.1-t2v-turbo": ("480P", "720P"),
         "wanx2.1-t2v-plus": ("720P",)}
DURATIONS = {"wan2.6-t2v": tuple(range(2, 16)), "wan2.5-t2v-preview": (5, 10)}  # others: 5
#: The audio track DashScope takes (contract-media 2.5): 3-30 s, wav or mp3, at most 15 MB.
AUDIO_S = WAN_AUDIO.seconds
AUDIO = WAN_AUDIO_SOURCE
SIZES = tuple(size for tier in ("720P", "480P", "1080P") for size in WAN_SIZE_TIERS[tier])


def sizes_of(model: str) -> tuple[str, ...]:
    """The t2v sizes ``model`` offers (its tiers' sizes)."""
    return tuple(size for tier in TIERS.get(model, ()) for size in WAN_SIZE_TIERS[tier])


def _model_rules(body: Mapping[str, Any]) -> list[FieldError]:
    """Each model's sizes (its resolution tiers) and durations; audio only with wan2.5/2.6."""
    model = body.get("model", MODELS[0])
    if not isinstance(model, str) or model not in TIERS:
        return []  # an unknown model is the model field's own error
    problems = []
    size = body.get("size")
    if isinstance(size, str) and size not in sizes_of(model):
        tier = tier_of(size)
        what = f"Size {size}" + (f" ({tier})" if tier else "")
        problems.append(FieldError("size", f"{what} is not offered by {model}: it makes "
                                           f"{either(TIERS[model])} video, sizes "
                                           f"{either(sizes_of(model))}"))
    allowed = DURATIONS.get(model, (5,))
    duration = body.get("duration", 5)
    if isinstance(duration, int) and not isinstance(duration, bool) and duration not in allowed:
        problems.append(FieldError("duration", f"Duration must be {durations_text(allowed)} "
                                               f"with {model}"))
    if body.get("audio_url") and model not in WITH_SOUND:
        problems.append(FieldError("audio_url", "Audio track needs wan2.5 or wan2.6 (this "
                                                "model makes silent video)"))
    return problems




OPERATION = Operation(
    "video_t2v", "Text to video", "dashscope_video",
    {"anyint": "/dashscope/v1/services/aigc/video-generation/video-synthesis"},
    (
        Field("model", "enum", "Model", "The DashScope video model.", required=True,
              enum=MODELS, default=MODELS[0]),
        Field("prompt", "text", "Prompt", "What the video shows.", required=True,
              max_len=1500, max_len_by_model={m: 1500 if m in WITH_SOUND else 800
                                              for m in MODELS}, at="input"),
        Field("negative_prompt", "text", "Negative prompt", "What the video must not show.",
              max_len=500, at="input"),
        Field("audio_url", "url", "Audio track", "A song's audio (wav or mp3, 3-30 s): the "
              "video follows it (music-driven video).", at="input"),
        Field("size", "enum", "Size", "Width*height of the video (480P, 720P or 1080P, as the "
              "model offers: wan2.6 has no 480P).", enum=SIZES, default=SIZES[0],
              at="parameters"),
        Field("duration", "int", "Duration (s)", "Seconds of video (2-15 with wan2.6, 5 or 10 "
              "with wan2.5, 5 with the older models).",
              min=2, max=15, default=5, at="parameters"),
        *WAN_VIDEO_OPTIONS,
    ),
    Ui("media", "Text to video", "Make video", order=10, sources=(AUDIO,),
       draft=VIDEO_DRAFT,
       advanced=("seed", "watermark", "negative_prompt"), source_checks=wan_audio_length),
    checks=(_model_rules,),
    provider="dashscope", summarize=video_summary,
    description="A video from a prompt (with a song's audio: music-driven), as a DashScope "
                "task.")
