"""kling_text2video — `POST /transtreams/kling/v1/videos/text2video`, polled at
`GET /transtreams/kling/v1/videos/text2video/{task_id}` (contract-media 1.5), kling_video family.

Rules (`_kling`): `model_name` kling-v3 (Std/Pro through `mode`) or an older Kling video model,
`prompt` required, `aspect_ratio` 16:9|9:16|1:1 (default 16:9), `duration`, the sound fields.
Render: a clip drawn from the prompt, 720p (std) or 1080p (pro), with sound when
`generate_audio` is true or `sound` is on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator.media_ops import MediaOp
from simulator.media_ops import _kling as k

if TYPE_CHECKING:
    from simulator.jobs import Job
    from simulator.render import Renderer

MODELS = ("kling-v3", "kling-v2-1-master", "kling-v2-master", "kling-v1-6")


def _rules(body: dict[str, Any]) -> None:
    k.video_fields(body, k.common(body, MODELS))


def _render(r: Renderer, job: Job) -> None:
    k.render_video(r, job, [])


OP = MediaOp(
    name="kling_text2video", api="kling", family="kling_video", kind="video", model_field="model_name",
    paths=("/transtreams/kling/v1/videos/text2video",),
    models=MODELS, check=_rules, prompts=k.prompts, render=_render,
)
