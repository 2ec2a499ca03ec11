"""Qwen-Image on DashScope (contract-media 1.3, 2.4): a prompt becomes images at once, in the
answer of one synchronous call (no task to poll).

Sent by the DashScope adapter: ``POST /dashscope/v1/services/aigc/multimodal-generation/
generation`` without ``X-DashScope-Async``; the prompt goes as the one user message's text
block (``input.messages[0].content[0].text``), the rest under ``parameters``. The row is written
first (a timeout after sending makes the task ``unknown``, never resent); the answer's image
URLs expire after 24 h, so they are archived as soon as the answer is recorded.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lib.contract.fields import Field
from lib.contract.operation import FieldError, Operation, Ui
from lib.ops._common import IMAGE_DRAFT

#: Image models of the route (contract-media 1.3: take the ids from the Models API).
MODELS = ("qwen-image-plus", "qwen-image", "qwen-image-max", "wan2.6-t2i")
#: The Qwen-Image models: their fixed sizes, one image per call.
QWEN = ("qwen-image-plus", "qwen-image", "qwen-image-max")
#: contract-media 2.4 (sources disagree on 1140 vs 1104: both are offered).
SIZES = ("1328*1328", "1664*928", "1472*1140", "1472*1104", "1140*1472", "1104*1472",
         "928*1664")
PROMPT_MAX, NEGATIVE_MAX, N_MAX = 800, 500, 4


def _model_rules(body: Mapping[str, Any]) -> list[FieldError]:
    """qwen-image models make one image per call; wan2.6-t2i makes up to 4."""
    model = body.get("model", MODELS[0])
    n = body.get("n", 1)
    if model in QWEN and isinstance(n, int) and n != 1:
        return [FieldError("n", f"Number of images must be 1 with {model} (wan2.6-t2i makes up "
                                f"to {N_MAX})")]
    return []


def _shape(wire: dict[str, Any]) -> dict[str, Any]:
    """The prompt as the one user message's text block."""
    inp = dict(wire.pop("input", None) or {})
    prompt = inp.pop("prompt", "")
    inp["messages"] = [{"role": "user", "content": [{"text": prompt}]}]
    return {**wire, "input": inp}


def summarize(result: Any) -> str | None:
    if not isinstance(result, dict):
        return None
    count, w, h = result.get("image_count"), result.get("width"), result.get("height")
    if not count:
        return None
    size = f", {w}×{h}" if w and h else ""
    return f"{count} image{'s' if count != 1 else ''}{size}"


OPERATION = Operation(
    "qwen_image", "Image (Qwen-Image)", "dashscope_sync_image",
    {"anyint": "/dashscope/v1/services/aigc/multimodal-generation/generation"},
    (
        Field("model", "enum", "Model", "The DashScope image model.", required=True,
              enum=MODELS, default=MODELS[0]),
        Field("prompt", "text", "Prompt", "What the image shows.", required=True,
              max_len=PROMPT_MAX, at="input"),
        Field("negative_prompt", "text", "Negative prompt", "What the image must not show.",
              max_len=NEGATIVE_MAX, at="parameters"),
        Field("size", "enum", "Size", "Width*height of the image.", enum=SIZES,
              default=SIZES[0], at="parameters"),
        Field("n", "int", "Number of images", "How many images (1 with qwen-image models).",
              min=1, max=N_MAX, default=1, at="parameters"),
        Field("seed", "int", "Seed", "The same seed and request give the same image.", min=0,
              max=2147483647, at="parameters"),
        Field("prompt_extend", "bool", "Extend the prompt", "Let the provider rewrite the "
              "prompt in more detail.", default=True, at="parameters"),
        Field("watermark", "bool", "Watermark", "Add the provider's “AI Generated” mark.",
              default=False, at="parameters"),
    ),
    Ui("media", "Image", "Make image", order=30, advanced=("seed", "watermark", "n",
                                                           "negative_prompt"),
       draft=IMAGE_DRAFT),
    sync=True,
    checks=(_model_rules,),
    summarize=summarize,
    provider="dashscope",
    shape=_shape,
    description="Images from a prompt, answered at once by DashScope's Qwen-Image route and "
                "archived.")
