"""Longer song: a song, then an extension of one of its takes (with the take's own
parameters)."""

from lib.recipes.book._shared import INSTRUMENTAL, MUSIC_MODEL, TAKE, simple_song
from lib.recipes.steps import Inputs, Recipe, Step


def _extend(inputs: Inputs) -> dict:
    track = inputs.track("song", str(inputs.values["take"]))
    # an extension keeps the source's model: the one the song was asked for (the track's
    # model_name is the provider's own name for it)
    return {"defaultParamFlag": False, "audioId": track["id"],
            "model": inputs.request("song").get("model", inputs.values["model"])}


RECIPE = Recipe(
    "longer_song", "Longer song",
    "A song from the brief, then one of its takes extended (the first, the longest, or the "
    "one you choose).",
    (Step("song", "Song", "generate", simple_song, gives="two takes"),
     Step("extend", "Extension", "extend", _extend, after=("song",),
          gives="the take continued")),
    (MUSIC_MODEL, INSTRUMENTAL, TAKE), brief_label="What the song is about", brief_max=500)
