"""Lyrics-first song: the text helper writes the lyrics, style and title; the song is made
from them in custom mode."""

from lib.recipes.book._shared import DRAFTED_SONG_STEP, LYRICS_STEP, MUSIC_MODEL, TEXT_MODEL
from lib.recipes.steps import Recipe

RECIPE = Recipe(
    "lyrics_first", "Lyrics-first song",
    "The text helper drafts sectioned lyrics, a style and a title from the brief (checked "
    "against the music model's limits); the song is made from them in custom mode.",
    (LYRICS_STEP, DRAFTED_SONG_STEP),
    (MUSIC_MODEL, TEXT_MODEL), brief_label="What the song is about")
