"""wan_video — `POST /dashscope/v1/services/aigc/video-generation/video-synthesis`, async only
(contract-media 1.4, 2.5), dashscope_video family; also served at
`/dashscope/v1/services/aigc/image2video/video-synthesis`, where the official SDK sends the
first-and-last-frame model (`kf2v`).

Rules (per model, `_wan_models`): `X-DashScope-Async: enable` (403 without); `input.prompt`
(required for t2v, <= 1500 / 800 characters), `input.negative_prompt` <= 500; t2v models take
`parameters.size` (one of their tiers' W*H) and refuse `resolution`, i2v and kf2v models take
`parameters.resolution` (480P/720P/1080P of their tiers) and refuse `size`; `input.img_url`
(i2v), `input.first_frame_url` (kf2v, `last_frame_url` optional), `input.media` (wan2.7-i2v:
an array of `{type, url}`; without it the task is accepted and FAILS "Field required:
input.media"); `parameters.duration` one of the model's durations (default 5); `input.audio_url`
only on models with sound (wan2.5/2.6); `shot_type` single|multi, multi only on wan2.6 and
never with `prompt_extend: false`; `seed`, `watermark`, `prompt_extend`, `audio` booleans.

Render: an H.264 MP4 of exactly the size (i2v: the tier's size closest to the image's shape) and
duration: a slow push-in on a picture drawn from the prompt (t2v) or on the given image (i2v),
a cross-fade from the first to the last frame (kf2v); with sound: the `audio_url` audio, cut to
the duration (3-30 s wav/mp3, <= 15 MB, checked when the task runs: FAILED InvalidParameter;
unreachable: FAILED BadRequest.InputDownloadFailed), else a soundtrack from the prompt unless
`parameters.audio` is false; silent on wan2.2/2.1.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator import art, clip, texts
from simulator.jobs import JobError, RenderError
from simulator.media_ops import Invalid, MediaOp
from simulator.media_ops import _fields as f
from simulator.media_ops import _inputs, _sound
from simulator.media_ops._wan_models import (
    AUDIO_MAX_BYTES, AUDIO_SECONDS, MODELS, NEGATIVE_MAX, TIERS, WanModel, size_for, tier_of,
)

if TYPE_CHECKING:
    from PIL import Image

    from simulator.jobs import Job
    from simulator.render import Renderer

MEDIA_TYPES = ("first_frame", "last_frame", "driving_audio", "reference_image")


def _frame_fields(model: WanModel, inp: dict[str, Any]) -> None:
    if model.kind == "i2v":
        f.source(inp, "img_url", "input.", required=True)
    elif model.kind == "kf2v":
        f.source(inp, "first_frame_url", "input.", required=True)
        f.source(inp, "last_frame_url", "input.")
    elif model.kind == "media" and inp.get("media") is not None:
        media = inp["media"]
        if not isinstance(media, list) or not media:
            raise Invalid("input.media must be a non-empty array of {type, url}")
        for i, item in enumerate(media):
            if not isinstance(item, dict) or item.get("type") not in MEDIA_TYPES or not f.is_source(item.get("url")):
                raise Invalid(f"input.media[{i}] must be {{type: {'|'.join(MEDIA_TYPES)}, url}}")
    if model.kind == "t2v":
        for name in ("img_url", "first_frame_url"):
            if inp.get(name):
                raise Invalid(f"input.{name}: text-to-video models take no image (use an i2v model)")


def _output_fields(name: str, model: WanModel, params: dict[str, Any]) -> None:
    if model.kind == "t2v":
        if params.get("resolution") is not None:
            raise Invalid(f"parameters.resolution: {name} is text-to-video and takes parameters.size (\"W*H\")")
        if params.get("size") is not None and params["size"] not in model.sizes():
            raise Invalid(f"parameters.size must be one of {', '.join(model.sizes())} for {name} "
                          f"(got {params['size']!r})")
    else:
        if params.get("size") is not None:
            raise Invalid(f"parameters.size: {name} takes parameters.resolution "
                          f"({'/'.join(model.tiers)}), not a size")
        f.choice(params, "resolution", "parameters.", model.tiers)
    f.integer(params, "duration", "parameters.", allowed=model.durations)


def _rules(body: dict[str, Any]) -> None:
    name = body["model"]
    model = MODELS[name]
    inp, params = f.obj(body, "input", required=True), f.obj(body, "parameters")
    f.text(inp, "prompt", "input.", required=model.kind == "t2v", max_len=model.prompt_max)
    f.text(inp, "negative_prompt", "input.", max_len=NEGATIVE_MAX)
    _frame_fields(model, inp)
    _output_fields(name, model, params)
    if inp.get("audio_url") is not None:
        if not model.sound:
            raise Invalid(f"input.audio_url: {name} makes silent video (audio needs wan2.5 or wan2.6)")
        f.source(inp, "audio_url", "input.")
    shot = f.choice(params, "shot_type", "parameters.", ("single", "multi"))
    for key in ("prompt_extend", "watermark", "audio"):
        f.boolean(params, key, "parameters.")
    if shot == "multi" and (not model.multi_shot or params.get("prompt_extend") is False):
        raise Invalid("parameters.shot_type multi needs a wan2.6 model and prompt_extend true")
    f.seed(params)


def _doom(body: dict[str, Any]) -> JobError | None:
    if MODELS[body["model"]].kind == "media" and not body["input"].get("media"):
        return JobError("FAILED", 400, "Field required: input.media")
    return None


def _prompts(body: dict[str, Any]) -> list[str]:
    inp = body.get("input") or {}
    return [str(inp.get("prompt") or ""), str(inp.get("negative_prompt") or "")]


def _refs(model: WanModel, inp: dict[str, Any]) -> tuple[list[tuple[str, str]], str | None]:
    """The (field, reference) of the frames, and the audio reference."""
    if model.kind == "media":
        media = inp.get("media") or []
        frames = [(f"input.media[{i}]", m["url"]) for i, m in enumerate(media) if m["type"] != "driving_audio"][:2]
        audio = next((m["url"] for m in media if m["type"] == "driving_audio"), inp.get("audio_url"))
        return frames, audio
    names = {"i2v": ("img_url",), "kf2v": ("first_frame_url", "last_frame_url")}.get(model.kind, ())
    return [(f"input.{n}", inp[n]) for n in names if inp.get(n)], inp.get("audio_url")


def _render(r: Renderer, job: Job) -> None:
    r.engine.reach(job, "running")
    name, inp, params = job.body["model"], job.body["input"], job.body.get("parameters") or {}
    model, prompt = MODELS[name], inp.get("prompt") or ""
    seconds = int(params.get("duration") or 5)
    refs, audio_ref = _refs(model, inp)
    frames: list[Image.Image] = [_inputs.image(r, job, field, ref) for field, ref in refs]
    if model.kind == "t2v":
        w, h = f.size(params.get("size") or TIERS[model.default_tier][0])
        seed = params.get("seed")
        frames = [art.artwork((prompt, seed if seed is not None else job.task_id), w, h, prompt, name,
                              watermark=bool(params.get("watermark")))]
    elif not frames:
        raise RenderError(400, "input.media: no first_frame to animate")
    else:
        w, h = size_for(params.get("resolution") or model.default_tier, *frames[0].size)
    sound = None
    if model.sound and audio_ref:
        sound = _inputs.audio(r, job, "input.audio_url", audio_ref, seconds=AUDIO_SECONDS, max_bytes=AUDIO_MAX_BYTES)
    elif model.sound and params.get("audio") is not False:
        sound = _sound.bed(prompt or name, seconds, job.task_id)
    rel = f"tasks/{job.task_id}/video.mp4"
    clip.make_clip(frames, w, h, seconds, r.store.path(rel), sound)
    r.store.register(rel, kind="dashscope")
    extend = params.get("prompt_extend", True) is not False
    job.result.update(video=rel, duration=seconds, size=f"{w}*{h}", sr=int(tier_of(f"{w}*{h}")[:-1]),
                      prompt=prompt, actual_prompt=texts.extend_prompt(prompt, "video") if extend and prompt else None,
                      expires=r.store.expires(rel), audio=sound is not None)
    r.engine.reach(job, "complete")


OP = MediaOp(
    name="wan_video", api="dashscope", family="dashscope_video", kind="video",
    paths=("/dashscope/v1/services/aigc/video-generation/video-synthesis",
           "/dashscope/v1/services/aigc/image2video/video-synthesis"),
    models=tuple(MODELS), check=_rules, prompts=_prompts, render=_render, doom=_doom, needs_async=True,
)
