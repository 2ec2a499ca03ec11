"""Lyrics-first song: the text helper writes the lyrics, style and title; the song is made
from them in custom mode."""

from lib.recipes.book._shared import MUSIC_MODEL, TEXT_MODEL, drafted_song
from lib.recipes.steps import Recipe, Step

RECIPE = Recipe(
    "lyrics_first", "Lyrics-first song",
    "The text helper drafts sectioned lyrics, a style and a title from the brief (checked "
    "against the music model's limits); the song is made from them in custom mode.",
    (Step("lyrics", "Lyrics", "text_chat", lambda i: i.brief, draft="song",
          gives="title, style and lyrics"),
     Step("song", "Song", "generate", drafted_song("lyrics"), after=("lyrics",),
          gives="two takes")),
    (MUSIC_MODEL, TEXT_MODEL), brief_label="What the song is about")
