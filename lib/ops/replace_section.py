"""Replace a section (contract §5.7): regenerate 6-60 s of a track (at most half of it)."""

import math
from collections.abc import Mapping
from typing import Any

from lib.contract.fields import (
    AUDIO_ID, CALLBACK, NEGATIVE_TAGS, PROMPT, STYLE, TASK_ID, TITLE, Field, Window,
)
from lib.contract.operation import DraftSpec, FieldError, Operation, SourceFacts, Ui
from lib.contract.validation import number_text
from lib.ops._common import TRACK, number, past_end, paths, too_short


def _down(seconds: float) -> float:
    """Rounded down to 1/100 s (rounding up could make the window longer than allowed)."""
    return math.floor(seconds * 100) / 100


def _window(source: Any) -> dict[str, Any]:
    """A valid window: 6-60 s, at most half the track, inside it."""
    d = source.duration
    if not d or d / 2 < 6:
        return {}
    start, length = _down(d / 4), _down(min(30.0, d / 2))
    return {"infillStartS": start, "infillEndS": round(start + length, 2)}


def _inside(body: Mapping[str, Any], source: SourceFacts) -> list[FieldError]:
    d = source.duration
    if not d:
        return []
    start, end = number(body, "infillStartS"), number(body, "infillEndS")
    if end is not None and end > d:
        return past_end("infillEndS", "End", end, d)
    if start is not None and end is not None and end - start > d / 2 + 1e-6:
        return [FieldError("infillEndS", f"The section is {number_text(end - start)} s; at "
                                         f"most half the track ({d / 2:.2f} s)")]
    return too_short(d, "replacing needs a 6 s section, at most half the track") if d < 12 else []


OPERATION = Operation(
    "replace_section", "Replace a section", "music",
    paths("/api/v1/generate/replace-section", "/suno/replace-section"),
    (TASK_ID, AUDIO_ID, PROMPT.but(required=True, label="New lyrics", max_len_by_model=None),
     STYLE.but(name="tags", label="Style", required=True, max_len_by_model=None),
     TITLE.but(required=True, max_len_by_model=None), NEGATIVE_TAGS,
     Field("infillStartS", "float", "Start (s)", "Start of the section to replace.",
           required=True, min=0.0),
     Field("infillEndS", "float", "End (s)", "End of the section (6–60 s after the start; "
           "at most half the track).", required=True, min=0.0),
     CALLBACK.but(required=False)),
    Ui("transform", "Replace section", "Replace section", order=60, sources=(TRACK,),
       draft=DraftSpec("song", {"title": "title", "style": "tags", "lyrics": "prompt"}),
       prefill=_window, source_checks=_inside, from_track=True, advanced=("negativeTags",)),
    windows=(Window("infillStartS", "infillEndS", 6.0, 60.0),),
    credits_estimate=5, description="Regenerate 6–60 s of a track.")
