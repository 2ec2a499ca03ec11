"""Image to video on DashScope (contract-media 1.4, 2.5): a picture (``img_url``: any archived
image or cover, or a public URL) comes alive as an MP4, as a DashScope task polled until its
``video_url`` (the ``dashscope_video`` family, like text to video).

Sent by the DashScope adapter: ``POST /dashscope/v1/services/aigc/video-generation/
video-synthesis`` with ``X-DashScope-Async: enable``. i2v models take ``parameters.resolution``
(480P / 720P / 1080P, per model), not ``size``: the video keeps the picture's shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lib.contract.fields import Field
from lib.ops._common import (
    VIDEO_DRAFT, WAN_AUDIO_SOURCE, WAN_VIDEO_OPTIONS, durations_text, either, video_summary,
    wan_audio_length,
)
from lib.contract.operation import FieldError, Operation, SourceSpec, Ui

#: i2v model ids (contract-media 1.4 [I]: confirm with the Models API), newest first.
MODELS = ("wan2.6-i2v-flash", "wan2.6-i2v", "wan2.5-i2v-preview", "wan2.2-i2v-plus",
          "wan2.2-i2v-flash", "wanx2.1-i2v-turbo", "wanx2.1-i2v-plus")
RESOLUTIONS = ("480P", "720P", "1080P")
#: contract-media 2.5 [V-3p]: each model's resolutions and durations (s).
TIERS = {"wan2.6-i2v-flash": ("720P", "1080P"), "wan2.6-i2v": ("720P", "1080P"),
         "wan2.5-i2v-preview": RESOLUTIONS, "wan2.2-i2v-plus": ("480P", "1080P"),
         "wan2.2-i2v-flash": ("480P", "720P"), "wanx2.1-i2v-turbo": ("480P", "720P"),
         "wanx2.1-i2v-plus": ("720P",)}
DURATIONS = {"wan2.6-i2v-flash": tuple(range(2, 16)), "wan2.6-i2v": tuple(range(2, 16)),
             "wan2.5-i2v-preview": (5, 10), "wanx2.1-i2v-turbo": (3, 4, 5)}
#: Models that make video with sound (take an audio track); the others make silent video.
WITH_SOUND = ("wan2.6-i2v-flash", "wan2.6-i2v", "wan2.5-i2v-preview")


def _model_rules(body: Mapping[str, Any]) -> list[FieldError]:
    """Each model's resolutions and durations; audio only with wan2.5/wan2.6."""
    model = body.get("model", MODELS[0])
    if not isinstance(model, str) or model not in TIERS:
        return []  # an unknown model is the model field's own error
    problems = []
    resolution = body.get("resolution")
    if resolution is not None and resolution not in TIERS[model]:
        problems.append(FieldError("resolution", f"Resolution {resolution} is not offered by "
                                                 f"{model}: it makes {either(TIERS[model])} "
                                                 "video"))
    allowed = DURATIONS.get(model, (5,))
    duration = body.get("duration", 5)
    if isinstance(duration, int) and not isinstance(duration, bool) and duration not in allowed:
        problems.append(FieldError("duration", f"Duration must be {durations_text(allowed)} with "
                                               f"{model}"))
    if body.get("audio_url") and model not in WITH_SOUND:
        problems.append(FieldError("audio_url", "Audio track needs wan2.5 or wan2.6 (this "
                                                "model makes silent video)"))
    return problems


OPERATION = Operation(
    "video_i2v", "Image to video", "dashscope_video",
    {"anyint": "/dashscope/v1/services/aigc/video-generation/video-synthesis"},
    (
        Field("model", "enum", "Model", "The DashScope image-to-video model.", required=True,
              enum=MODELS, default=MODELS[0]),
        Field("img_url", "url", "Image", "The first frame: an archived image or cover, or any "
              "public image URL.", required=True, at="input"),
        Field("prompt", "text", "Prompt", "How the picture moves (optional).", max_len=1500,
              max_len_by_model={m: 1500 if m in WITH_SOUND else 800 for m in MODELS},
              at="input"),
        Field("negative_prompt", "text", "Negative prompt", "What the video must not show.",
              max_len=500, at="input"),
        Field("audio_url", "url", "Audio track", "A song's audio (wav or mp3, 3-30 s): the "
              "video follows it.", at="input"),
        Field("resolution", "enum", "Resolution", "480P, 720P or 1080P (as the model offers); "
              "the video keeps the image's shape.", enum=RESOLUTIONS, default="720P",
              at="parameters"),
        Field("duration", "int", "Duration (s)", "Seconds of video (2-15 with wan2.6).",
              min=2, max=15, default=5, at="parameters"),
        *WAN_VIDEO_OPTIONS,
    ),
    Ui("media", "Image to video", "Animate image", order=20,
       draft=VIDEO_DRAFT,
       sources=(SourceSpec("image", {"img_url": "url"}, "Image"), WAN_AUDIO_SOURCE),
       advanced=("seed", "watermark", "negative_prompt"), source_checks=wan_audio_length),
    checks=(_model_rules,),
    provider="dashscope", summarize=video_summary,
    description="A video from a picture (its first frame), as a DashScope task.")
