"""kling_omni_image — `POST /transtreams/kling/v1/images/omni-image`, polled at
`GET /transtreams/kling/v1/images/omni-image/{task_id}` (contract-media 1.2), kling_image family.

Rules (`_kling`): `model_name` kling-v3-omni, `prompt` required, optional `image_list`
([{image_url}], at most 4: the first is the reference), `n` 1-9, `aspect_ratio`, `resolution`.
Render: as kling_image.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator.media_ops import MediaOp
from simulator.media_ops import _kling as k

if TYPE_CHECKING:
    from simulator.jobs import Job
    from simulator.render import Renderer

MODELS = ("kling-v3-omni",)


def _rules(body: dict[str, Any]) -> None:
    k.common(body, MODELS)
    k.image_fields(body)
    k.image_list(body)


def _render(r: Renderer, job: Job) -> None:
    k.render_images(r, job, [(f"image_list[{i}]", ref) for i, ref in enumerate(k.image_list(job.body)[:1])])


OP = MediaOp(
    name="kling_omni_image", api="kling", family="kling_image", kind="image", model_field="model_name",
    paths=("/transtreams/kling/v1/images/omni-image",),
    models=MODELS, check=_rules, prompts=k.prompts, render=_render,
)
