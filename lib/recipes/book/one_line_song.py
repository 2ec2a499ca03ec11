"""One-line song: a brief becomes a song (generate, description mode)."""

from lib.recipes.book._shared import INSTRUMENTAL, MUSIC_MODEL, simple_song
from lib.recipes.steps import Recipe, Step

RECIPE = Recipe(
    "one_line_song", "One-line song",
    "A one-line brief becomes two takes of a song (the music model writes the lyrics).",
    (Step("song", "Song", "generate", simple_song, gives="two takes"),),
    (MUSIC_MODEL, INSTRUMENTAL), brief_label="What the song is about", brief_max=500)
