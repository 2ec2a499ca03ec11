"""kling_image — `POST /transtreams/kling/v1/images/generations`, polled at
`GET /transtreams/kling/v1/images/generations/{task_id}` (contract-media 1.2), kling_image family.

Rules (`_kling`): `model_name` kling-v2-1 ("Kling: Image v2.1") or an older Kling image model,
`prompt` required, optional `image` (a reference: URL or base64), `n` 1-9 (default 1),
`aspect_ratio` (16:9 default, 9:16, 1:1, 4:3, 3:4, 3:2, 2:3, 21:9), `resolution` 1k|2k.
Render: `n` PNGs of the size drawn from the prompt (blended over the reference when given).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator.media_ops import MediaOp
from simulator.media_ops import _fields as f
from simulator.media_ops import _kling as k

if TYPE_CHECKING:
    from simulator.jobs import Job
    from simulator.render import Renderer

MODELS = ("kling-v2-1", "kling-v2", "kling-v1-5", "kling-v1")


def _rules(body: dict[str, Any]) -> None:
    k.common(body, MODELS)
    k.image_fields(body)
    f.source(body, "image", bare_base64=True)


def _render(r: Renderer, job: Job) -> None:
    k.render_images(r, job, [("image", job.body["image"])] if job.body.get("image") else [])


OP = MediaOp(
    name="kling_image", api="kling", family="kling_image", kind="image", model_field="model_name",
    paths=("/transtreams/kling/v1/images/generations",),
    models=MODELS, check=_rules, prompts=k.prompts, render=_render,
)
