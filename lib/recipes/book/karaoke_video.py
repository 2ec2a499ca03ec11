"""Karaoke / lyric video: a song, its timestamped lyrics, and a music video of the take."""

from lib.recipes.book._shared import MUSIC_MODEL, TAKE, of_track, simple_song
from lib.recipes.steps import Recipe, Step

RECIPE = Recipe(
    "karaoke_video", "Karaoke / lyric video",
    "A song, the word timings of one take (the karaoke view on its task page) and a music "
    "video of that take.",
    (Step("song", "Song", "generate", simple_song, gives="two takes"),
     Step("timing", "Timed lyrics", "timestamped_lyrics", of_track("song"), after=("song",),
          gives="word timings"),
     Step("video", "Music video", "mp4", of_track("song"), after=("song",),
          gives="an MP4")),
    (MUSIC_MODEL, TAKE), brief_label="What the song is about", brief_max=500)
