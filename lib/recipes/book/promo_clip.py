"""Promo clip: brief -> text helper -> song + cover image -> music-driven video with the
song's audio (the song and the cover image are made at the same time)."""

from typing import Any

from lib.recipes.book._shared import (
    DRAFTED_SONG_STEP, LYRICS_STEP, MUSIC_MODEL, TAKE, TEXT_MODEL, choices_of,
)
from lib.recipes.steps import Inputs, Param, Recipe, Step

IMAGE_MODELS, IMAGE_SIZES = choices_of("qwen_image", "model"), choices_of("qwen_image", "size")
#: the image-to-video models that follow an audio track (contract-media 2.5: wan2.5 and wan2.6)
VIDEO_MODELS = tuple(m for m in choices_of("video_i2v", "model") if m.startswith(("wan2.5",
                                                                                  "wan2.6")))


def _cover(inputs: Inputs) -> dict[str, Any]:
    song = inputs.song("lyrics")
    return {"model": inputs.values["image_model"], "size": inputs.values["image_size"],
            "prompt": f"Album cover for the song “{song.get('title', '')}”: {inputs.brief}. "
                      f"Style: {song.get('style', '')}."[:800],
            "prompt_extend": True, "watermark": False, "n": 1}


def _video(inputs: Inputs) -> dict[str, Any]:
    seconds = int(inputs.values["seconds"])
    track = inputs.track("song", str(inputs.values["take"]))
    song = inputs.song("lyrics")
    return {"model": inputs.values["video_model"], "img_url": inputs.image_url("cover"),
            "audio_url": inputs.audio_clip(track, seconds, float(inputs.values["start"])),
            "prompt": f"Promo clip for “{song.get('title', '')}”: {inputs.brief}"[:800],
            "resolution": "720P", "duration": seconds, "prompt_extend": True,
            "watermark": False}


RECIPE = Recipe(
    "promo_clip", "Promo clip",
    "The text helper drafts the song; the song and its cover image are made at the same "
    "time; then a video starts from the cover and follows a clip of the song's audio.",
    (LYRICS_STEP, DRAFTED_SONG_STEP,
     Step("cover", "Cover image", "qwen_image", _cover, after=("lyrics",), gives="an image"),
     Step("video", "Promo video", "video_i2v", _video, after=("song", "cover"),
          gives="a video with the song's sound")),
    (MUSIC_MODEL, TEXT_MODEL, TAKE,
     Param("image_model", "Image model", IMAGE_MODELS[0], choices=IMAGE_MODELS),
     Param("image_size", "Image size", IMAGE_SIZES[0], choices=IMAGE_SIZES),
     Param("video_model", "Video model", VIDEO_MODELS[0], choices=VIDEO_MODELS),
     Param("seconds", "Clip length (s)", 5, "Seconds of the song the video follows (and of "
           "video).", choices=tuple(range(3, 16))),
     Param("start", "Clip start (s)", 0, "Where in the song the clip starts.")),
    brief_label="What the product and the song are about")
