"""Recover audio (contract-newer.md §5): fresh playable links for every track of a finished
music task (``sunoTaskId``: the original music task id), e.g. after the provider's files
expired. The recovered links replace the tracks' own. sunoapi.org only."""

from typing import Any

from lib.contract.fields import CALLBACK, Field
from lib.contract.operation import Operation, SourceSpec, Ui
from lib.ops._common import paths

MUSIC_TASK = SourceSpec("task", {"sunoTaskId": "provider_task_id"}, "Music task",
                        task_family="music")


def summarize(result: Any) -> str | None:
    rows = result.get("tracks") if isinstance(result, dict) else None
    if not rows:
        return None
    ok = sum(1 for r in rows if r.get("status") == "success")
    failed = [f"{r.get('title') or r.get('id', '?')[:8]}: {r.get('reason') or 'failed'}"
              for r in rows if r.get("status") != "success"]
    return f"{ok} of {len(rows)} tracks recovered" + (f" ({'; '.join(failed)})" if failed else "")


OPERATION = Operation(
    "recovery", "Recover audio", "recovery", paths("/api/v1/suno/recovery"),
    (Field("sunoTaskId", "str", "Music task ID", "Provider task id of the original music task.",
           required=True), CALLBACK),
    Ui("transform", "Recover audio", "Recover audio", order=140, sources=(MUSIC_TASK,),
       from_track=True),
    credits_estimate=0, description="Fresh links for the tracks of a music task.",
    summarize=summarize)
