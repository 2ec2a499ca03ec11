"""kling_omni_video — `POST /transtreams/kling/v1/videos/omni-video`, polled at
`GET /transtreams/kling/v1/videos/omni-video/{task_id}` (contract-media 1.2, 1.5), kling_video
family.

Rules (`_kling`): `model_name` kling-v3-omni, `prompt` required, `duration` 3-15,
`aspect_ratio`, `sound` on|off (default off), optional `image_list` ([{image_url}], at most 4:
the first is the first frame). Render: like text2video, or a push-in on the first image.
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
    k.video_fields(body, k.common(body, MODELS))
    k.image_list(body)


def _render(r: Renderer, job: Job) -> None:
    refs = k.image_list(job.body)[:1]
    k.render_video(r, job, [(f"image_list[{i}]", ref) for i, ref in enumerate(refs)])


OP = MediaOp(
    name="kling_omni_video", api="kling", family="kling_video", kind="video", model_field="model_name",
    paths=("/transtreams/kling/v1/videos/omni-video",),
    models=MODELS, check=_rules, prompts=k.prompts, render=_render,
)
