"""Make a persona (contract §5.12): a reusable voice from a 10-30 s segment of a finished track
(synchronous). Without ``vocalEnd`` the segment ends at 30 s, or at the end of a shorter
track."""

from collections.abc import Mapping
from typing import Any

from lib.contract.fields import AUDIO_ID, STYLE, TASK_ID, Field, Window
from lib.contract.operation import FieldError, Operation, SourceFacts, Ui
from lib.ops._common import TRACK, number, past_end, paths, too_short

SEGMENT_MIN_S, SEGMENT_MAX_S = 10.0, 30.0


def summarize(result: Any) -> str | None:
    if not isinstance(result, dict) or not result.get("personaId"):
        return None
    return f"Persona {result.get('name') or ''} ({result['personaId']})".replace("  ", " ")


def _segment(source: Any) -> dict[str, Any]:
    """Name it after the track; the first 30 s (or the whole of a shorter track). A track too
    short for any segment gets no bounds: the source check explains why."""
    d = source.duration
    if d and d < SEGMENT_MIN_S:
        return {"name": source.title}
    return {"name": source.title, "vocalStart": 0.0,
            "vocalEnd": round(min(SEGMENT_MAX_S, d), 2) if d else SEGMENT_MAX_S}


def _inside(body: Mapping[str, Any], source: SourceFacts) -> list[FieldError]:
    d = source.duration
    if not d:
        return []
    if d < SEGMENT_MIN_S:
        return too_short(d, f"a persona needs a {SEGMENT_MIN_S:g} s segment")
    start = number(body, "vocalStart") or 0.0
    end = number(body, "vocalEnd")
    if start >= d:
        return past_end("vocalStart", "Vocal start", start, d)
    if end is not None:
        return past_end("vocalEnd", "Vocal end", end, d) if end > d else []
    left = min(SEGMENT_MAX_S, d) - start  # the default end: 30 s, or the end of the track
    if left < SEGMENT_MIN_S:
        return [FieldError("vocalStart", f"Only {left:.2f} s of the {d:.2f} s track remain "
                                         f"after the vocal start; a persona needs "
                                         f"{SEGMENT_MIN_S:g} s")]
    return []


OPERATION = Operation(
    "persona", "Make a persona", "sync",
    paths("/api/v1/generate/generate-persona", "/suno/generate-persona"),
    (TASK_ID, AUDIO_ID,
     Field("name", "str", "Name", "Persona name.", required=True),
     Field("description", "text", "Description", "What makes this voice.", required=True),
     Field("vocalStart", "float", "Vocal start (s)", "Segment start (default 0).", min=0.0),
     Field("vocalEnd", "float", "Vocal end (s)", "Segment end (default 30 s, or the end of a "
           "shorter track; 10–30 s long).", min=0.0),
     STYLE.but(max_len_by_model=None)),
    Ui("transform", "Persona", "Make persona", order=90, sources=(TRACK,), prefill=_segment,
       source_checks=_inside, from_track=True),
    windows=(Window("vocalStart", "vocalEnd", SEGMENT_MIN_S, SEGMENT_MAX_S,
                    defaults=(0.0, 30.0)),),
    sync=True, credits_estimate=0, description="A reusable voice from a finished track.",
    summarize=summarize)
