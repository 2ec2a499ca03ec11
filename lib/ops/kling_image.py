"""Images on Kling (contract-media 1.2, 1.5): ``POST /transtreams/kling/v1/images/generations``
(flat native fields), a Kling task polled on ``.../generations/{task_id}`` until its
``task_result.images[].url`` (the ``kling_image`` family; archived once it succeeds)."""

from __future__ import annotations

from typing import Any

from lib.contract.fields import Field
from lib.contract.operation import Operation, Ui
from lib.ops._common import IMAGE_DRAFT
from lib.ops import _kling as k

MODELS = ("kling-v2-1", "kling-v2", "kling-v1-5", "kling-v1")
RATIOS = ("16:9", "9:16", "1:1", "4:3", "3:4", "3:2", "2:3", "21:9")


def summarize(result: Any) -> str | None:
    count = result.get("image_count") if isinstance(result, dict) else None
    return f"{count} image{'s' if count != 1 else ''}" if count else None


OPERATION = Operation(
    "kling_image", "Kling image", "kling_image",
    {"anyint": "/transtreams/kling/v1/images/generations"},
    (
        k.model_field(MODELS, "image"),
        k.prompt_field(required=True, what="image"),
        k.NEGATIVE,
        Field("image", "url", "Reference image", "A picture to start from (optional)."),
        Field("n", "int", "Number of images", "How many images (1-9).", min=1, max=9,
              default=1),
        Field("aspect_ratio", "enum", "Aspect ratio", "The image's shape.", enum=RATIOS,
              default=RATIOS[0]),
        Field("resolution", "enum", "Resolution", "1k (about 1024×1024 pixels) or 2k.",
              enum=("1k", "2k"), default="1k"),
    ),
    Ui("media", "Kling image", "Make Kling image", order=60,
       draft=IMAGE_DRAFT,
       advanced=("negative_prompt", "image")),
    summarize=summarize,
    provider="kling",
    shape=k.shape,
    description="Images from a prompt, as a Kling task.")
