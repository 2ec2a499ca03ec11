"""Image to video on Kling (contract-media 1.5): ``POST /transtreams/kling/v1/videos/
image2video``: ``image`` (the first frame, an http(s) URL) and optionally ``image_tail`` (the
last); the video keeps the picture's shape. Polled on ``.../image2video/{task_id}`` (the
``kling_video`` family)."""

from __future__ import annotations

from lib.contract.fields import Field
from lib.contract.operation import Operation, SourceSpec, Ui
from lib.ops._common import VIDEO_DRAFT, video_summary
from lib.ops import _kling as k

OPERATION = Operation(
    "kling_i2v", "Kling image to video", "kling_video",
    {"anyint": "/transtreams/kling/v1/videos/image2video"},
    (
        k.model_field(k.VIDEO_MODELS, "video"),
        Field("image", "url", "Image", "The first frame: an archived image or cover, or any "
              "public image URL.", required=True),
        Field("image_tail", "url", "Last frame", "An image the video ends on (optional)."),
        k.prompt_field(required=False, what="video"),
        k.NEGATIVE, k.MODE, k.DURATION, k.SOUND, k.CFG,
    ),
    Ui("media", "Kling image to video", "Animate with Kling", order=50,
       draft=VIDEO_DRAFT,
       sources=(SourceSpec("image", {"image": "url"}, "Image"),),
       advanced=("negative_prompt", "cfg_scale", "image_tail")),
    checks=(k.video_rules,),
    provider="kling", summarize=video_summary,
    shape=k.shape,
    description="A video from a picture (its first frame), as a Kling task.")
