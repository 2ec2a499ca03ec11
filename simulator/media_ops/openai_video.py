"""openai_video — `POST /openai/v1/videos`, polled at `GET /openai/v1/videos/{video_id}`, the file
at `GET /openai/v1/videos/{video_id}/content` (contract-media 1.2, 1.5: ANY-KV en recommends
these OpenAI-style routes for new Kling integrations; `routes_videos`), openai_video family.

Fields [V ANY-KV en; the rest of the table is not stored]: `model` (required: kling-3.0, which
is Kling v3 here, or kling-v3-omni), `prompt` (required), `duration` (or OpenAI's `seconds`),
`aspect_ratio` (or OpenAI's `size` "1280x720", read as its ratio), `mode` std|pro,
`generate_audio`, `sound`, `image` (the first frame's URL), `input_reference` (a URL, or an
uploaded file: the route keeps it and passes its URL), `frame_images` ([{url, role: first_frame
| last_frame}]). They are checked with Kling's rules (`_kling`) on their native names; the job
keeps the native body (with the request's `model` and the output `size`).
Render: as kling_text2video / kling_image2video.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from simulator.media_ops import Invalid, MediaOp
from simulator.media_ops import _fields as f
from simulator.media_ops import _kling as k

if TYPE_CHECKING:
    from simulator.jobs import Job
    from simulator.render import Renderer

MODELS = {"kling-3.0": "kling-v3", "kling-v3-omni": "kling-v3-omni"}  # request model -> native model_name
_SIZE = re.compile(r"^(\d{2,5})x(\d{2,5})$")


def _ratio_of(size: Any) -> str:
    match = _SIZE.match(size) if isinstance(size, str) else None
    if not match:
        raise Invalid(f"size must be \"WIDTHxHEIGHT\", e.g. \"1280x720\" (got {size!r})")
    w, h = int(match.group(1)), int(match.group(2))
    return min(k.VIDEO_RATIOS, key=lambda r: abs(int(r.split(":")[0]) / int(r.split(":")[1]) - w / h))


def _frames(body: dict[str, Any]) -> list[str]:
    refs = [body[name] for name in ("image", "input_reference") if isinstance(body.get(name), str) and body[name]]
    frames = body.get("frame_images")
    if frames is not None:
        if not isinstance(frames, list) or not all(isinstance(x, dict) and f.is_source(x.get("url")) for x in frames):
            raise Invalid("frame_images must be an array of {url, role: first_frame | last_frame}")
        ordered = sorted(frames, key=lambda x: x.get("role") == "last_frame")
        refs += [x["url"] for x in ordered]
    for ref in refs:
        if not f.is_source(ref):
            raise Invalid("image, input_reference and frame_images[].url must be http(s) URLs or data: URIs")
    return refs[:2]


def native(body: dict[str, Any]) -> dict[str, Any]:
    """The request on Kling's native field names (checked)."""
    model = f.text(body, "model", required=True)
    if model not in MODELS:
        raise Invalid(f"model must be one of {', '.join(MODELS)} (got {model!r})", "model_not_found")
    out = {"model_name": MODELS[model], "prompt": body.get("prompt"),
           "duration": body.get("duration", body.get("seconds")),
           "aspect_ratio": body.get("aspect_ratio") or (_ratio_of(body["size"]) if body.get("size") else None),
           **{name: body[name] for name in ("mode", "negative_prompt", "generate_audio", "sound", "voice_id")
              if body.get(name) is not None}}
    out = {key: value for key, value in out.items() if value is not None}
    k.common(out, tuple(MODELS.values()))
    k.video_fields(out, out["model_name"])
    frames = _frames(body)
    w, h = k.video_size(out.get("mode"), _aspect(out.get("aspect_ratio") or "16:9"))  # an image's shape wins later
    return {**out, "model": model, "frames": frames, "size": f"{w}x{h}"}


def _aspect(ratio: str) -> float:
    w, h = ratio.split(":")
    return int(w) / int(h)


def _rules(body: dict[str, Any]) -> None:
    native(body)


def _render(r: Renderer, job: Job) -> None:
    refs = [(f"frames[{i}]", ref) for i, ref in enumerate(job.body.get("frames", []))]
    k.render_video(r, job, refs)


OP = MediaOp(
    name="openai_video", api="openai", family="openai_video", kind="video",
    paths=("/openai/v1/videos",), models=tuple(MODELS), check=_rules, prompts=k.prompts, render=_render,
    prepare=native,
)
