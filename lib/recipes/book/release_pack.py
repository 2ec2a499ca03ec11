"""Release pack: a song, then its WAV, its stems and its cover art, at the same time."""

from typing import Any

from lib.recipes.book._shared import INSTRUMENTAL, MUSIC_MODEL, TAKE, of_track, simple_song
from lib.recipes.steps import Inputs, Recipe, Step


def _cover(inputs: Inputs) -> dict[str, Any]:
    return {"taskId": inputs.provider_id("song")}


RECIPE = Recipe(
    "release_pack", "Release pack",
    "A song, then everything a release needs from one take: a lossless WAV, the instrument "
    "stems and cover art (the three run at the same time).",
    (Step("song", "Song", "generate", simple_song, gives="two takes"),
     Step("wav", "WAV", "wav", of_track("song"), after=("song",), gives="a WAV"),
     Step("stems", "Stems", "split_stem", of_track("song"), after=("song",),
          gives="up to 12 stems"),
     Step("cover", "Cover art", "cover_art", _cover, after=("song",), gives="cover images")),
    (MUSIC_MODEL, INSTRUMENTAL, TAKE), brief_label="What the song is about", brief_max=500)
