"""The DashScope video models and their rules (contract-media 2.5; [V-3p] values, so they are a
table here, easy to change).

* kind: `t2v` (takes `parameters.size`, a concrete "W*H" of its tiers), `i2v` (takes
  `parameters.resolution` "480P"/"720P"/"1080P" and `input.img_url`), `kf2v` (first and last
  frame: `input.first_frame_url`, optional `input.last_frame_url`, and a resolution), `media`
  (wan2.7-i2v: `input.media`, an array; with `img_url` instead the create is accepted and the
  task FAILS with `InvalidParameter` "Field required: input.media").
* durations: the allowed `parameters.duration` (default 5).
* prompt_max: `input.prompt` length (wan2.5/2.6: 1500, wan2.2/2.1: 800); negative prompts <= 500.
* sound: makes video with sound (takes `input.audio_url`, 3-30 s wav/mp3 <= 15 MB, truncated
  to the duration; without it a soundtrack is made unless `parameters.audio` is false).
* multi_shot: `parameters.shot_type: "multi"` allowed (needs `prompt_extend` true): wan2.6 only.
"""

from __future__ import annotations

from dataclasses import dataclass

TIERS = {  # resolution tier -> the t2v sizes of that tier (the first is the 16:9 default)
    "480P": ("832*480", "480*832", "624*624"),
    "720P": ("1280*720", "720*1280", "960*960", "1088*832", "832*1088"),
    "1080P": ("1920*1080", "1080*1920", "1440*1440", "1632*1248", "1248*1632"),
}
PROMPT_MAX_NEW, PROMPT_MAX_OLD, NEGATIVE_MAX = 1500, 800, 500
AUDIO_SECONDS, AUDIO_MAX_BYTES = (3.0, 30.0), 15 * 1024 * 1024


@dataclass(frozen=True)
class WanModel:
    kind: str
    tiers: tuple[str, ...]
    default_tier: str
    durations: tuple[int, ...] = (5,)
    prompt_max: int = PROMPT_MAX_OLD
    sound: bool = False
    multi_shot: bool = False

    def sizes(self) -> tuple[str, ...]:
        return tuple(s for tier in self.tiers for s in TIERS[tier])


_NEW = dict(prompt_max=PROMPT_MAX_NEW, sound=True)
_WAN26 = dict(durations=tuple(range(2, 16)), multi_shot=True, **_NEW)
MODELS = {
    "wan2.6-t2v": WanModel("t2v", ("720P", "1080P"), "1080P", **_WAN26),
    "wan2.5-t2v-preview": WanModel("t2v", ("480P", "720P", "1080P"), "1080P", durations=(5, 10), **_NEW),
    "wan2.2-t2v-plus": WanModel("t2v", ("480P", "1080P"), "1080P"),
    "wanx2.1-t2v-turbo": WanModel("t2v", ("480P", "720P"), "720P"),
    "wanx2.1-t2v-plus": WanModel("t2v", ("720P",), "720P"),
    "wan2.7-i2v": WanModel("media", ("720P", "1080P"), "1080P", **_WAN26),
    "wan2.6-i2v": WanModel("i2v", ("720P", "1080P"), "1080P", **_WAN26),
    "wan2.6-i2v-flash": WanModel("i2v", ("720P", "1080P"), "1080P", **_WAN26),
    "wan2.5-i2v-preview": WanModel("i2v", ("480P", "720P", "1080P"), "1080P", durations=(5, 10), **_NEW),
    "wan2.2-i2v-plus": WanModel("i2v", ("480P", "1080P"), "1080P"),
    "wan2.2-i2v-flash": WanModel("i2v", ("480P", "720P"), "720P"),
    "wanx2.1-i2v-turbo": WanModel("i2v", ("480P", "720P"), "720P", durations=(3, 4, 5)),
    "wanx2.1-i2v-plus": WanModel("i2v", ("720P",), "720P"),
    "wanx2.1-kf2v-plus": WanModel("kf2v", ("720P",), "720P"),
}


def tier_of(size: str) -> str:
    """The resolution tier of a t2v size."""
    return next(tier for tier, sizes in TIERS.items() if size in sizes)


def size_for(tier: str, width: int, height: int) -> tuple[int, int]:
    """The size of `tier` whose aspect ratio is closest to a source image's (i2v keeps the
    picture's shape: a 16:9 image at 720P gives 1280*720)."""
    ratio = width / max(height, 1)
    best = min(TIERS[tier], key=lambda s: abs(_ratio(s) - ratio) / ratio)
    w, h = best.split("*")
    return int(w), int(h)


def _ratio(size: str) -> float:
    w, h = size.split("*")
    return int(w) / int(h)
