"""qwen_image — `POST /dashscope/v1/services/aigc/multimodal-generation/generation`, sync
(contract-media 1.3, 2.4): the image route AnyInt publishes.

Rules: `model` one of qwen-image, qwen-image-plus, qwen-image-max (or wan2.6-t2i, whose sync
variant uses this route); `input.messages` exactly one `user` message whose `content` is an array
holding one non-empty `{"text"}` block (<= 800 characters; qwen-image models take no `{"image"}`
block: editing is another model); `parameters.size` one of the Qwen-Image sizes (both spellings
the sources give for 4:3 and 3:4; default 1328*1328; wan2.6-t2i: any W*H of 768*768..1440*1440
pixels, ratio 1:4..4:1), `n` 1 (wan2.6-t2i 1-4), `negative_prompt` <= 500, `prompt_extend`,
`watermark` booleans, `seed` 0..2147483647.

Answer (after the real service's ~15 s divided by `speed`): `output.choices[].message.content[]
.image` (one PNG of the size per image, drawn from the prompt and seed, "AI Generated" when
`watermark`), `output.task_metric` (singular on this route), `usage.{width, height,
image_count}`. The URLs expire after `media_retention_hours` (24 h).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from simulator import art
from simulator.formats import media_url
from simulator.media_ops import Invalid, MediaOp
from simulator.media_ops import _fields as f

if TYPE_CHECKING:
    from simulator.render import Renderer

QWEN = ("qwen-image", "qwen-image-plus", "qwen-image-max")
MODELS = (*QWEN, "wan2.6-t2i")
SIZES = ("1664*928", "1472*1140", "1472*1104", "1328*1328", "1140*1472", "1104*1472", "928*1664")
DEFAULT_SIZE = "1328*1328"
PROMPT_MAX, NEGATIVE_MAX = 800, 500
REAL_SECONDS = 15.0
BAD_MESSAGE = "Role must be user or assistant and Content length must be greater than 0"


def prompt_of(body: dict[str, Any]) -> str:
    """The text block of the (checked) message."""
    content = body["input"]["messages"][0]["content"]
    return next(block["text"] for block in content if isinstance(block, dict) and "text" in block)


def _prompts(body: dict[str, Any]) -> list[str]:
    try:
        return [prompt_of(body), str(body.get("parameters", {}).get("negative_prompt") or "")]
    except (KeyError, IndexError, TypeError, StopIteration):
        return []


def _messages(inp: dict[str, Any], model: str) -> None:
    messages = inp.get("messages")
    if not isinstance(messages, list) or not messages:
        raise Invalid("input.messages is required: an array with one user message")
    if len(messages) != 1:
        raise Invalid(f"input.messages must hold exactly one message (got {len(messages)})")
    message = messages[0]
    if not isinstance(message, dict) or message.get("role") != "user" or not isinstance(message.get("content"), list):
        raise Invalid(BAD_MESSAGE)
    texts = [b for b in message["content"] if isinstance(b, dict) and "text" in b]
    if any(isinstance(b, dict) and "image" in b for b in message["content"]):
        raise Invalid(f"input.messages[0].content: {model} makes images from text only (no image block)")
    if len(texts) != 1 or not isinstance(texts[0]["text"], str) or not texts[0]["text"].strip():
        raise Invalid(BAD_MESSAGE)
    if len(texts[0]["text"]) > PROMPT_MAX:
        raise Invalid(f"input.messages[0].content[].text is too long: {len(texts[0]['text'])} characters, "
                      f"limit {PROMPT_MAX}")


def size_of(body: dict[str, Any]) -> tuple[int, int]:
    return f.size(body.get("parameters", {}).get("size") or DEFAULT_SIZE)


def _rules(body: dict[str, Any]) -> None:
    model = body["model"]
    _messages(f.obj(body, "input", required=True), model)
    params = f.obj(body, "parameters")
    w, h = size_of(body)
    if model in QWEN:
        if params.get("size") is not None and params["size"] not in SIZES:
            raise Invalid(f"parameters.size must be one of {', '.join(SIZES)} for {model} (got {params['size']!r})")
        f.integer(params, "n", "parameters.", allowed=(1,))
    else:
        if not 768 * 768 <= w * h <= 1440 * 1440 or not .25 <= w / h <= 4:
            raise Invalid(f"parameters.size {w}*{h}: {model} takes 768*768 to 1440*1440 pixels, ratio 1:4 to 4:1")
        f.integer(params, "n", "parameters.", lo=1, hi=4)
    f.text(params, "negative_prompt", "parameters.", max_len=NEGATIVE_MAX)
    for name in ("prompt_extend", "watermark"):
        f.boolean(params, name, "parameters.")
    f.seed(params)


def _answer(r: Renderer, body: dict[str, Any], request_id: str, base: str) -> dict[str, Any]:
    started = time.monotonic()
    params = body.get("parameters", {})
    (w, h), n, prompt = size_of(body), int(params.get("n") or 1), prompt_of(body)
    seed = params.get("seed")
    images = []
    for i in range(n):
        picture = art.artwork((prompt, seed if seed is not None else request_id, i), w, h, prompt, body["model"],
                              watermark=bool(params.get("watermark")))
        rel = f"images/{request_id}/{i}.png"
        r.store.put(rel, art.encode(picture), kind="dashscope")
        images.append({"image": f"{media_url(base, rel)}?Expires={int(r.store.expires(rel) or 0)}"})
    time.sleep(max(0.0, r.config.stage_delay(REAL_SECONDS) - (time.monotonic() - started)))
    return {"output": {"choices": [{"finish_reason": "stop", "message": {"role": "assistant", "content": images}}],
                       "task_metric": {"TOTAL": n, "SUCCEEDED": n, "FAILED": 0}},
            "usage": {"width": w, "height": h, "image_count": n}, "request_id": request_id}


OP = MediaOp(
    name="qwen_image", api="dashscope", family="sync", kind="image",
    paths=("/dashscope/v1/services/aigc/multimodal-generation/generation",),
    models=MODELS, check=_rules, prompts=_prompts, answer=_answer,
)
