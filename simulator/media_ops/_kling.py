"""Rules, sizes and renders shared by the Kling operations (contract-media 1.5; native Kling
field names as ANY-KV lists them; the tables are [I] where the stored docs are truncated).

Fields: `model_name` (required; `model`, when sent, must equal it), `prompt` (<= 2500
characters; required except on image2video), `negative_prompt` (<= 2500), `mode` std|pro
(video; default std), `duration` (an integer or a numeric string: 3-15 s on the v3 models,
5 or 10 on older ones; default 5), `aspect_ratio`, `cfg_scale` 0..1, `generate_audio` (bool),
`sound` on|off, `voice_id`, `callback_url` (accepted; the simulator sends no Kling callbacks),
`external_task_id` (echoed in `task_info`).

Sizes: video std has a 720-pixel short side, pro 1080 (16:9 std: 1280x720); images `1k` about
1024x1024 pixels, `2k` about 2048x2048, at the aspect ratio (sides multiples of 16).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from PIL import Image

from simulator import art, clip
from simulator.media_ops import Invalid
from simulator.media_ops import _fields as f
from simulator.media_ops import _inputs, _sound

if TYPE_CHECKING:
    from simulator.jobs import Job
    from simulator.render import Renderer

TEXT_MAX = 2500
V3_MODELS = ("kling-v3", "kling-v3-omni")
VIDEO_RATIOS = ("16:9", "9:16", "1:1")
IMAGE_RATIOS = ("16:9", "9:16", "1:1", "4:3", "3:4", "3:2", "2:3", "21:9")
RESOLUTIONS = ("1k", "2k")


def common(body: dict[str, Any], models: tuple[str, ...], *, prompt_required: bool = True) -> str:
    """`model_name`, `model`, prompts, callback and external id; returns the model name."""
    name = f.text(body, "model_name", required=True)
    if name not in models:
        raise Invalid(f"model_name must be one of {', '.join(models)} on this route (got {name!r})", 1203)
    if body.get("model") is not None and body["model"] != name:
        raise Invalid(f"model ({body['model']!r}) and model_name ({name!r}) must name the same model")
    f.text(body, "prompt", required=prompt_required, max_len=TEXT_MAX)
    f.text(body, "negative_prompt", max_len=TEXT_MAX)
    f.number(body, "cfg_scale", lo=0, hi=1)
    f.text(body, "external_task_id", max_len=256)
    if body.get("callback_url") is not None and not str(body["callback_url"]).startswith(("http://", "https://")):
        raise Invalid("callback_url must be an http(s) URL")
    return name


def video_fields(body: dict[str, Any], name: str, *, ratio: bool = True) -> None:
    """`mode`, `duration`, `aspect_ratio`, the sound fields."""
    f.choice(body, "mode", "", ("std", "pro"))
    allowed = tuple(range(3, 16)) if name in V3_MODELS else (5, 10)
    f.integer(body, "duration", allowed=allowed, numeric_string=True)
    if ratio:
        f.choice(body, "aspect_ratio", "", VIDEO_RATIOS)
    f.boolean(body, "generate_audio")
    f.choice(body, "sound", "", ("on", "off"))
    f.text(body, "voice_id", max_len=256)


def image_fields(body: dict[str, Any]) -> None:
    """`n`, `aspect_ratio`, `resolution` of the image routes."""
    f.integer(body, "n", lo=1, hi=9)
    f.choice(body, "aspect_ratio", "", IMAGE_RATIOS)
    f.choice(body, "resolution", "", RESOLUTIONS)


def image_list(body: dict[str, Any], limit: int = 4) -> list[str]:
    """The references of `image_list` ([{image_url} | {image}], Omni) after checking them."""
    items = body.get("image_list")
    if items is None:
        return []
    if not isinstance(items, list) or len(items) > limit:
        raise Invalid(f"image_list must be an array of at most {limit} images")
    refs = []
    for i, item in enumerate(items):
        ref = item.get("image_url") or item.get("image") if isinstance(item, dict) else None
        if not f.is_source(ref, bare_base64=True):
            raise Invalid(f"image_list[{i}] must be {{image_url: <http(s) URL or base64>}}")
        refs.append(ref)
    return refs


def prompts(body: dict[str, Any]) -> list[str]:
    return [str(body.get("prompt") or ""), str(body.get("negative_prompt") or "")]


def _ratio(value: str) -> float:
    w, h = value.split(":")
    return int(w) / int(h)


def video_size(mode: str | None, ratio: float) -> tuple[int, int]:
    """The output size of a video: a 720 (std) or 1080 (pro) short side at the aspect ratio."""
    short = 1080 if mode == "pro" else 720
    ratio = min((_ratio(r) for r in VIDEO_RATIOS), key=lambda r: abs(r - ratio))
    long_side = int(round(short * max(ratio, 1 / ratio) / 2)) * 2
    return (long_side, short) if ratio >= 1 else (short, long_side)


def image_size(resolution: str | None, aspect: str | None) -> tuple[int, int]:
    """The output size of an image: ~1024^2 (1k) or ~2048^2 (2k) pixels at the aspect ratio."""
    area, r = (2048 if resolution == "2k" else 1024) ** 2, _ratio(aspect or "16:9")
    w = math.sqrt(area * r)
    return int(round(w / 16)) * 16, int(round(area / w / 16)) * 16


def has_sound(body: dict[str, Any]) -> bool:
    return bool(body.get("generate_audio")) or body.get("sound") == "on"


def render_video(r: Renderer, job: Job, refs: list[tuple[str, str]], body: dict[str, Any] | None = None) -> None:
    """The video of a Kling task (`body`: its native fields, default the job's body): a push-in
    on the first reference (or a picture drawn from the prompt), a cross-fade to the second when
    there is one; with sound when asked. Its first frame is kept as `thumbnail.png`."""
    r.engine.reach(job, "running")
    body = body if body is not None else job.body
    prompt, seconds = str(body.get("prompt") or ""), int(body.get("duration") or 5)
    frames: list[Image.Image] = [_inputs.image(r, job, field, ref) for field, ref in refs][:2]
    if frames:
        w, h = video_size(body.get("mode"), frames[0].width / frames[0].height)
    else:
        w, h = video_size(body.get("mode"), _ratio(body.get("aspect_ratio") or "16:9"))
        frames = [art.artwork((prompt, job.task_id), w, h, prompt, body["model_name"])]
    sound = _sound.bed(prompt or body["model_name"], seconds, job.task_id) if has_sound(body) else None
    thumbnail = r.store.put(f"tasks/{job.task_id}/thumbnail.png", art.encode(clip.fit(frames[0], w, h)), kind="kling")
    rel = f"tasks/{job.task_id}/video.mp4"
    clip.make_clip(frames, w, h, seconds, r.store.path(rel), sound)
    r.store.register(rel, kind="kling")
    job.result.update(video=rel, thumbnail=thumbnail.removeprefix("/files/"), duration=seconds, size=f"{w}x{h}",
                      audio=sound is not None, expires=r.store.expires(rel))
    r.engine.reach(job, "complete")


def render_images(r: Renderer, job: Job, refs: list[tuple[str, str]]) -> None:
    """The images of a Kling image task: `n` pictures drawn from the prompt (a reference image,
    when given, is fetched and blended in as the base)."""
    r.engine.reach(job, "running")
    body = job.body
    prompt, n = str(body.get("prompt") or ""), int(body.get("n") or 1)
    w, h = image_size(body.get("resolution"), body.get("aspect_ratio"))
    base = clip.fit(_inputs.image(r, job, refs[0][0], refs[0][1]), w, h) if refs else None
    images = []
    for i in range(n):
        picture = art.artwork((prompt, job.task_id, i), w, h, prompt, body["model_name"])
        if base is not None:
            picture = Image.blend(base, picture, 0.45)
        images.append(r.store.put(f"tasks/{job.task_id}/image_{i}.png", art.encode(picture),
                                  kind="kling").removeprefix("/files/"))
    job.result.update(images=images, size=f"{w}x{h}", expires=r.store.expires(images[0]))
    r.engine.reach(job, "complete")
