"""Timestamped lyrics (contract §5.10): word timings and a waveform for one track; the answer
comes at once (synchronous)."""

import math
from typing import Any

from lib.contract.fields import AUDIO_ID, TASK_ID
from lib.contract.operation import Operation, Ui
from lib.contract.validation import is_number
from lib.ops._common import TRACK, paths


def summarize(result: Any) -> str | None:
    words = result.get("alignedWords") if isinstance(result, dict) else None
    if words is None:
        return None
    ends = [float(w["endS"]) for w in words if isinstance(w, dict) and is_number(w.get("endS"))]
    return f"{len(words)} aligned words over {math.ceil(max(ends, default=0))} s"


OPERATION = Operation(
    "timestamped_lyrics", "Timestamped lyrics", "sync",
    paths("/api/v1/generate/get-timestamped-lyrics", "/suno/timestamped-lyrics"),
    (TASK_ID, AUDIO_ID),
    Ui("transform", "Timestamped lyrics", "Get timed lyrics", order=130, sources=(TRACK,),
       from_track=True),
    sync=True, credits_estimate=1,
    description="Word timings and a waveform for one track (answers at once).",
    summarize=summarize)
