"""Split stems (contract §5.15, ``type: split_stem``): up to 12 instrument stems. sunoapi.org
shares the vocal-removal route (the ``type`` decides); AnyInt has its own route."""

from typing import Any

from lib.contract.fields import AUDIO_ID, CALLBACK, TASK_ID, Field
from lib.contract.operation import Operation, Ui
from lib.ops._common import TRACK, paths


def summarize(result: Any) -> str | None:
    stems = result.get("stems") if isinstance(result, dict) else None
    if not stems:
        return None
    return f"{len(stems)} stems with ids (usable for MIDI): " + ", ".join(
        s.get("name") or s.get("id", "?")[:8] for s in stems)


OPERATION = Operation(
    "split_stem", "Split stems", "stems",
    paths("/api/v1/vocal-removal/generate", "/suno/split-stem"),
    (TASK_ID, AUDIO_ID,
     Field("type", "enum", "Type", "split_stem: up to 12 instrument stems.",
           enum=("split_stem",), default="split_stem", required=True, hidden=True), CALLBACK),
    Ui("transform", "Split stems", "Split stems", order=80, sources=(TRACK,), from_track=True),
    fixed={"type": "split_stem"}, credits_estimate=50,
    description="Up to 12 stems (vocals, drums, bass, ...).", summarize=summarize)
