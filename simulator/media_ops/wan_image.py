"""wan_image — `POST /dashscope/v1/services/aigc/text2image/image-synthesis`, async only
(contract-media 2.3), dashscope_image family. Not published by AnyInt: the dashboard's
"experimental pass-through" (contract-media 0.3, 6.2).

Rules: `X-DashScope-Async: enable` (403 without); `model` one of the wan t2i models below;
`input.prompt` required (<= 500 characters for wan2.2/2.1 and wanx-v1, 800 for
wanx2.0-t2i-turbo, 2000 for wan2.5-t2i-preview), `input.negative_prompt` <= 500;
`parameters.size` "W*H" (wan2.2 and earlier: 512..1440 per side, default 1024*1024;
wan2.5-t2i-preview: 768*768..1440*1440 pixels, ratio 1:4..4:1, default 1280*1280; wanx-v1: one
of its four sizes), `n` 1-4 (default 4, as the service), `seed`, `prompt_extend`, `watermark`;
wanx-v1 also `style` ("<auto>", "<sketch>", ...).

Render: `n` PNGs of the size drawn from the prompt (same prompt and seed: same pictures);
`actual_prompt` is the rewritten prompt when `prompt_extend` (default true) is on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator import art, texts
from simulator.media_ops import Invalid, MediaOp
from simulator.media_ops import _fields as f

if TYPE_CHECKING:
    from simulator.jobs import Job
    from simulator.render import Renderer

PROMPT_MAX = {"wan2.5-t2i-preview": 2000, "wanx2.0-t2i-turbo": 800}  # others: 500
DEFAULT_PROMPT_MAX, NEGATIVE_MAX = 500, 500
MODELS = ("wan2.5-t2i-preview", "wan2.2-t2i-flash", "wan2.2-t2i-plus", "wanx2.1-t2i-turbo", "wan2.1-t2i-turbo",
          "wanx2.1-t2i-plus", "wanx2.0-t2i-turbo", "wanx-v1")
WANX_V1_SIZES = ("1024*1024", "720*1280", "1280*720", "768*1152")
WANX_V1_STYLES = ("<auto>", "<photography>", "<portrait>", "<3d cartoon>", "<anime>", "<oil painting>",
                  "<watercolor>", "<sketch>", "<chinese painting>", "<flat illustration>")


def default_size(model: str) -> str:
    return "1280*1280" if model == "wan2.5-t2i-preview" else "1024*1024"


def _size(model: str, value: Any) -> None:
    w, h = f.size(value)
    if model == "wanx-v1":
        if value not in WANX_V1_SIZES:
            raise Invalid(f"parameters.size must be one of {', '.join(WANX_V1_SIZES)} for wanx-v1 (got {value!r})")
    elif model == "wan2.5-t2i-preview":
        if not 768 * 768 <= w * h <= 1440 * 1440 or not .25 <= w / h <= 4:
            raise Invalid(f"parameters.size {value}: {model} takes 768*768 to 1440*1440 pixels, ratio 1:4 to 4:1")
    elif not (512 <= w <= 1440 and 512 <= h <= 1440):
        raise Invalid(f"parameters.size {value}: {model} takes 512 to 1440 pixels per side")


def _rules(body: dict[str, Any]) -> None:
    model = body["model"]
    inp, params = f.obj(body, "input", required=True), f.obj(body, "parameters")
    f.text(inp, "prompt", "input.", required=True, max_len=PROMPT_MAX.get(model, DEFAULT_PROMPT_MAX))
    f.text(inp, "negative_prompt", "input.", max_len=NEGATIVE_MAX)
    if params.get("size") is not None:
        _size(model, params["size"])
    f.integer(params, "n", "parameters.", lo=1, hi=4)
    f.seed(params)
    for name in ("prompt_extend", "watermark"):
        f.boolean(params, name, "parameters.")
    if params.get("style") is not None:
        if model != "wanx-v1":
            raise Invalid(f"parameters.style is a wanx-v1 parameter ({model} takes none)")
        f.choice(params, "style", "parameters.", WANX_V1_STYLES)


def _prompts(body: dict[str, Any]) -> list[str]:
    inp = body.get("input") or {}
    return [str(inp.get("prompt") or ""), str(inp.get("negative_prompt") or "")]


def _render(r: Renderer, job: Job) -> None:
    r.engine.reach(job, "running")
    inp, params = job.body["input"], job.body.get("parameters") or {}
    prompt, n = inp["prompt"], int(params.get("n") or 4)
    w, h = f.size(params.get("size") or default_size(job.body["model"]))
    seed = params.get("seed")
    images = []
    for i in range(n):
        picture = art.artwork((prompt, seed if seed is not None else job.task_id, i), w, h, prompt,
                              job.body["model"], watermark=bool(params.get("watermark")))
        images.append(r.store.put(f"tasks/{job.task_id}/image_{i}.png", art.encode(picture),
                                  kind="dashscope").removeprefix("/files/"))
    extend = params.get("prompt_extend", True) is not False
    job.result.update(images=images, n=n, prompt=prompt, size=f"{w}*{h}",
                      actual_prompt=texts.extend_prompt(prompt, "image") if extend else None,
                      expires=r.store.expires(images[0]))
    r.engine.reach(job, "complete")


OP = MediaOp(
    name="wan_image", api="dashscope", family="dashscope_image", kind="image",
    paths=("/dashscope/v1/services/aigc/text2image/image-synthesis",),
    models=MODELS, check=_rules, prompts=_prompts, render=_render, needs_async=True,
)
