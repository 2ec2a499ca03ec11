"""wan text to image on DashScope's async route (contract-media 0.3, 2.2, 2.3, 6.2): a prompt
becomes images as a DashScope task polled on ``/dashscope/v1/tasks/{task_id}`` until its
``output.results[].url`` (the ``dashscope_image`` family).

AnyInt does **not** publish this route (``/dashscope/v1/services/aigc/text2image/image-
synthesis``; contract-media 6.2: an open question), so it is an experimental pass-through the
user switches on: ``SONGBENCH_MEDIA_WAN_T2I_ASYNC=1`` (`Operation.opt_in`; off by default, the
Media page shows it only then, and the adapter sends nothing without it). Sent by the DashScope
adapter with ``X-DashScope-Async: enable``, the prompts under ``input``, the rest under
``parameters``; ``n`` goes as 1 unless asked for more (the service's default is 4, billed
per image).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lib.contract.fields import Field
from lib.contract.operation import FieldError, Operation, Ui
from lib.ops._common import IMAGE_DRAFT

#: The wan t2i models of the async route (contract-media 2.2; QC spells wanx2.1-t2i-turbo
#: wan2.1-t2i-turbo), newest first.
MODELS = ("wan2.5-t2i-preview", "wan2.2-t2i-flash", "wan2.2-t2i-plus", "wanx2.1-t2i-turbo",
          "wanx2.1-t2i-plus", "wanx2.0-t2i-turbo")
#: ``input.prompt`` per model (contract-media 2.3): 2000 for wan2.5, 800 for wanx2.0, else 500.
PROMPT_MAX = {m: {"wan2.5-t2i-preview": 2000, "wanx2.0-t2i-turbo": 800}.get(m, 500)
              for m in MODELS}
NEGATIVE_MAX, N_MAX = 500, 4
SIZES = ("1024*1024", "1280*1280", "1440*1440", "1280*720", "720*1280", "1152*864",
         "864*1152", "1440*720", "512*512", "768*1024")
#: The switch of this unpublished route.
SWITCH = "SONGBENCH_MEDIA_WAN_T2I_ASYNC"


def _size_problem(model: str, size: str) -> str | None:
    """wan2.5: 768*768 to 1440*1440 pixels, ratio 1:4 to 4:1; older models 512-1440 a side."""
    w, _, h = size.partition("*")
    if not (w.isdigit() and h.isdigit()):
        return None  # not a size: the enum's own error
    width, height = int(w), int(h)
    if model == "wan2.5-t2i-preview":
        if 768 * 768 <= width * height <= 1440 * 1440 and .25 <= width / height <= 4:
            return None
        return (f"Size {size} is not offered by {model}: it takes 768*768 to 1440*1440 pixels "
                "(ratio 1:4 to 4:1)")
    if 512 <= width <= 1440 and 512 <= height <= 1440:
        return None
    return f"Size {size} is not offered by {model}: it takes 512 to 1440 pixels a side"


def _model_rules(body: Mapping[str, Any]) -> list[FieldError]:
    model, size = body.get("model", MODELS[0]), body.get("size")
    if model not in MODELS or not isinstance(size, str):
        return []
    problem = _size_problem(model, size)
    return [FieldError("size", problem)] if problem else []


def _shape(wire: dict[str, Any]) -> dict[str, Any]:
    """One image unless more are asked for (the service makes 4 when ``n`` is absent)."""
    return {**wire, "parameters": {"n": 1, **(wire.get("parameters") or {})}}


def summarize(result: Any) -> str | None:
    """``2 images · 1 failed · prompt as the provider ran it: …``."""
    if not isinstance(result, Mapping) or not result.get("image_count"):
        return None
    count = result["image_count"]
    parts = [f"{count} image{'s' if count != 1 else ''}"]
    if result.get("failed_images"):
        parts.append(f"{result['failed_images']} failed")
    ran = result.get("actual_prompt")
    if isinstance(ran, str) and ran.strip():
        parts.append(f"prompt as the provider ran it: {ran.strip()}")
    return " · ".join(parts)


OPERATION = Operation(
    "wan_image", "Image (wan, async pass-through)", "dashscope_image",
    {"anyint": "/dashscope/v1/services/aigc/text2image/image-synthesis"},
    (
        Field("model", "enum", "Model", "The wan text-to-image model.", required=True,
              enum=MODELS, default=MODELS[0]),
        Field("prompt", "text", "Prompt", "What the image shows.", required=True,
              max_len=max(PROMPT_MAX.values()), max_len_by_model=PROMPT_MAX, at="input"),
        Field("negative_prompt", "text", "Negative prompt", "What the image must not show.",
              max_len=NEGATIVE_MAX, at="input"),
        Field("size", "enum", "Size", "Width*height (wan2.5: 768*768 to 1440*1440 pixels; the "
              "older models 512 to 1440 a side).", enum=SIZES, default=SIZES[0],
              at="parameters"),
        Field("n", "int", "Number of images", "How many images (1-4; each is billed).",
              min=1, max=N_MAX, default=1, at="parameters"),
        Field("seed", "int", "Seed", "The same seed and request give the same images.", min=0,
              max=2147483647, at="parameters"),
        Field("prompt_extend", "bool", "Extend the prompt", "Let the provider rewrite the "
              "prompt in more detail (a few seconds more).", default=True, at="parameters"),
        Field("watermark", "bool", "Watermark", "Add the provider's “AI Generated” mark.",
              default=False, at="parameters"),
    ),
    Ui("media", "Image (wan, async)", "Make wan image", order=35,
       intro="Images from a prompt on DashScope's async wan route, as a task. The AnyInt "
             f"gateway does not publish this route: it is on because {SWITCH}=1 is set.",
       advanced=("seed", "watermark", "n", "negative_prompt"), draft=IMAGE_DRAFT),
    checks=(_model_rules,),
    summarize=summarize,
    provider="dashscope",
    opt_in=SWITCH,
    shape=_shape,
    description="Images from a prompt, as a DashScope wan text-to-image task (an unpublished "
                "route, switched on by a setting).")
