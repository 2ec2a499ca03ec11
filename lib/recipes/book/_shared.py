"""What several recipes share: their common settings and the bodies they build alike."""

from __future__ import annotations

from typing import Any

from lib import ops
from lib.contract.fields import MODEL, MODELS
from lib.recipes.steps import Inputs, Param, Step
from lib.text.draft import song_body

MUSIC_MODEL = Param("model", "Music model", str(MODEL.default), "The Suno model of the songs.",
                    choices=MODELS)
INSTRUMENTAL = Param("instrumental", "Instrumental", False, "Songs without vocals.")
TAKE = Param("take", "Take to go on from", "first",
             "Which of the song's takes the next step uses: the first, the longest, or ask "
             "(the run waits for your choice).", choices=("first", "longest", "ask"))
TEXT_MODEL = Param("text_model", "Text model", "",
                   "The text helper's model (empty: the text server's first chat model).")


def simple_song(inputs: Inputs) -> dict[str, Any]:
    """A song from the brief as its description (non-custom mode)."""
    return {"customMode": False, "instrumental": bool(inputs.values.get("instrumental")),
            "model": inputs.values["model"], "prompt": inputs.brief}


def drafted_song(step: str):
    """A custom-mode song from a drafted one (``step``: the text helper's)."""
    def build(inputs: Inputs) -> dict[str, Any]:
        return song_body(inputs.song(step), inputs.values["model"])
    return build


def of_track(step: str, **extra: Any):
    """A body naming one take of ``step`` (``taskId`` + ``audioId``), chosen by the run's
    ``take`` rule."""
    def build(inputs: Inputs) -> dict[str, Any]:
        track = inputs.track(step, str(inputs.values.get("take", "first")))
        return {"taskId": inputs.provider_id(step), "audioId": track["id"], **extra}
    return build


def choices_of(op: str, field: str) -> tuple[str, ...]:
    """The values an operation's enum field takes (its own list, never a copy)."""
    return tuple(str(v) for f in ops.get(op).fields if f.name == field for v in f.enum or ())


#: The text helper drafts a custom-mode song (title, style, sectioned lyrics) from the brief.
LYRICS_STEP = Step("lyrics", "Lyrics", "text_chat", lambda i: i.brief, draft="song",
                   gives="title, style and lyrics")
#: The song made from that draft, in custom mode.
DRAFTED_SONG_STEP = Step("song", "Song", "generate", drafted_song("lyrics"), after=("lyrics",),
                         gives="two takes")
