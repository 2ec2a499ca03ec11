"""Reusable voice: a song, a persona made from one take's voice, and a second song sung with
that persona."""

from typing import Any

from lib.recipes.book._shared import MUSIC_MODEL, TAKE, of_track, simple_song
from lib.recipes.steps import Inputs, Param, Problem, Recipe, Step


def _persona(inputs: Inputs) -> dict[str, Any]:
    body = of_track("song")(inputs)
    return {**body, "name": inputs.values["persona_name"] or "Recipe voice",
            "description": inputs.brief[:200]}


def _again(inputs: Inputs) -> dict[str, Any]:
    result = inputs.of("persona").result
    persona = result.get("personaId") if isinstance(result, dict) else None
    if not persona:
        raise Problem("The persona step's answer has no persona id.")
    track = inputs.track("song", str(inputs.values["take"]))
    return {"customMode": True, "instrumental": False, "model": inputs.values["model"],
            "prompt": inputs.values["second_lyrics"], "style": (track["tags"] or "")[:200],
            "title": f"{(track['title'] or 'Song')[:60]} (same voice)", "personaId": persona}


RECIPE = Recipe(
    "reusable_voice", "Reusable voice",
    "A song, a persona made from one take's voice, then a second song sung by that persona "
    "(in the first one's style).",
    (Step("song", "Song", "generate", simple_song, gives="two takes"),
     Step("persona", "Persona", "persona", _persona, after=("song",), gives="a persona id"),
     Step("again", "Song in the same voice", "generate", _again, after=("song", "persona"),
          gives="two takes")),
    (MUSIC_MODEL, TAKE,
     Param("persona_name", "Persona name", "Recipe voice", "The persona's name."),
     Param("second_lyrics", "Second song's lyrics", "[Verse]\nSame voice, a brand new day\n"
           "[Chorus]\nSing it again", "The lyrics the persona sings.")),
    brief_label="What the first song is about (also the persona's description)", brief_max=500)
