"""Text to video on Kling (contract-media 1.5): ``POST /transtreams/kling/v1/videos/
text2video`` (flat native fields), a Kling task polled on ``.../text2video/{task_id}`` until
its ``task_result.videos[].url`` (the ``kling_video`` family)."""

from __future__ import annotations

from lib.contract.fields import Field
from lib.contract.operation import Operation, Ui
from lib.ops._common import VIDEO_DRAFT, video_summary
from lib.ops import _kling as k

RATIOS = ("16:9", "9:16", "1:1")

OPERATION = Operation(
    "kling_t2v", "Kling text to video", "kling_video",
    {"anyint": "/transtreams/kling/v1/videos/text2video"},
    (
        k.model_field(k.VIDEO_MODELS, "video"),
        k.prompt_field(required=True, what="video"),
        k.NEGATIVE, k.MODE, k.DURATION,
        Field("aspect_ratio", "enum", "Aspect ratio", "The video's shape.", enum=RATIOS,
              default=RATIOS[0]),
        k.SOUND, k.CFG,
    ),
    Ui("media", "Kling video", "Make Kling video", order=40,
       draft=VIDEO_DRAFT,
       advanced=("negative_prompt", "cfg_scale")),
    checks=(k.video_rules,),
    provider="kling", summarize=video_summary,
    shape=k.shape,
    description="A video from a prompt, as a Kling task.")
