"""kling_image2video — `POST /transtreams/kling/v1/videos/image2video`, polled at
`GET /transtreams/kling/v1/videos/image2video/{task_id}` (contract-media 1.5), kling_video family.

Rules (`_kling`): `model_name` kling-v3 or an older Kling video model; `image` (the first frame:
an http(s) URL or base64) and/or `image_tail` (the last frame) required; `prompt` optional; the
video's shape follows the image (no `aspect_ratio`). Render: a push-in on the image, or a
cross-fade from `image` to `image_tail`, 720p (std) or 1080p (pro), with sound when asked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator.media_ops import Invalid, MediaOp
from simulator.media_ops import _fields as f
from simulator.media_ops import _kling as k

if TYPE_CHECKING:
    from simulator.jobs import Job
    from simulator.render import Renderer

MODELS = ("kling-v3", "kling-v2-1-master", "kling-v2-master", "kling-v1-6")


def _rules(body: dict[str, Any]) -> None:
    k.video_fields(body, k.common(body, MODELS, prompt_required=False), ratio=False)
    image = f.source(body, "image", bare_base64=True)
    tail = f.source(body, "image_tail", bare_base64=True)
    if not image and not tail:
        raise Invalid("image is required (the first frame: an http(s) URL or base64); or image_tail")


def _render(r: Renderer, job: Job) -> None:
    k.render_video(r, job, [(name, job.body[name]) for name in ("image", "image_tail") if job.body.get(name)])


OP = MediaOp(
    name="kling_image2video", api="kling", family="kling_video", kind="video", model_field="model_name",
    paths=("/transtreams/kling/v1/videos/image2video",),
    models=MODELS, check=_rules, prompts=k.prompts, render=_render,
)
