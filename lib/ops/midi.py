"""MIDI (contract-newer.md §4): the notes of a finished ``split_stem`` separation, from all its
stems or from one (``audioId``: a stem id from that task's ``originData``). Family ``midi``:
the notes come back as JSON; Songbench writes them as a ``.mid`` file. sunoapi.org only."""

from typing import Any

from lib.contract.fields import CALLBACK, TASK_ID, Field
from lib.contract.operation import Operation, SourceSpec, Ui
from lib.ops._common import paths

STEM_TASK = SourceSpec("task", {"taskId": "provider_task_id"}, "Split-stem task",
                       task_ops=("split_stem",))


def summarize(result: Any) -> str | None:
    if not isinstance(result, dict) or "instruments" not in result:
        return None
    instruments = result["instruments"]
    notes = sum(len(i.get("notes") or []) for i in instruments)
    names = ", ".join(i.get("name", "?") for i in instruments) or "none detected"
    return f"MIDI: {notes} notes in {len(instruments)} instruments ({names})"


OPERATION = Operation(
    "midi", "MIDI from stems", "midi", paths("/api/v1/midi/generate"),
    (TASK_ID.but(label="Split-stem task ID", help="Provider task id of a finished split_stem "
                 "separation."),
     Field("audioId", "str", "Stem ID", "One stem of that task (empty: every stem)."),
     CALLBACK),
    Ui("transform", "MIDI", "Make MIDI", order=85, sources=(STEM_TASK,)),
    credits_estimate=5, description="The notes of separated stems, as MIDI.",
    summarize=summarize)
