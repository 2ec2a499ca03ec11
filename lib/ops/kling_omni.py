"""Kling V3 Omni video (contract-media 1.2, 1.5): ``POST /transtreams/kling/v1/videos/
omni-video`` (flat native fields, ``model_name`` kling-v3-omni with ``model`` equal to it), a
Kling task polled on ``.../omni-video/{task_id}`` until its ``task_result.videos[].url`` (the
``kling_video`` family, like text2video and image2video).

The fields are the ones the contract lists for the Transtreams routes that apply to Omni
(ANY-KV): ``prompt``, ``duration``, ``aspect_ratio``, ``sound`` (Omni's audio mode, on | off)
and ``voice_id``; ``mode`` belongs to the Std/Pro routes. The image and video reference fields
are truncated in the stored docs, so this form sends none (a prompt-only Omni video).
"""

from __future__ import annotations

from lib.contract.fields import Field
from lib.contract.operation import Operation, Ui
from lib.ops._common import VIDEO_DRAFT, video_summary
from lib.ops import _kling as k

MODELS = ("kling-v3-omni",)
RATIOS = ("16:9", "9:16", "1:1")

OPERATION = Operation(
    "kling_omni", "Kling Omni video", "kling_video",
    {"anyint": "/transtreams/kling/v1/videos/omni-video"},
    (
        k.model_field(MODELS, "Omni video"),
        k.prompt_field(required=True, what="video"),
        Field("duration", "int", "Duration (s)", "Seconds of video (3-15).", min=3, max=15,
              default=5),
        Field("aspect_ratio", "enum", "Aspect ratio", "The video's shape.", enum=RATIOS,
              default=RATIOS[0]),
        Field("sound", "enum", "Sound", "Omni's audio mode: on makes a soundtrack, off a "
              "silent video.", enum=("off", "on"), default="off"),
        Field("voice_id", "str", "Voice ID", "A Kling voice for speech in the video "
              "(optional).", max_len=256),
    ),
    Ui("media", "Kling Omni", "Make Omni video", order=45, draft=VIDEO_DRAFT,
       advanced=("voice_id",)),
    provider="kling", summarize=video_summary,
    shape=k.shape,
    description="A video from a prompt with Kling V3 Omni, as a Kling task.")
