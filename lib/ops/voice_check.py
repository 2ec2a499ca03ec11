"""Suno Voice, step 3 (contract-newer.md §6): is a voice ready to sing? ``task_id``
(snake_case) is the voice generate task id. Synchronous: ``{"isAvailable": bool}``.
sunoapi.org only."""

from typing import Any

from lib.contract.fields import Field
from lib.contract.operation import Operation, SourceSpec, Ui
from lib.ops._common import paths

VOICE_TASK = SourceSpec("task", {"task_id": "provider_task_id"}, "Voice task",
                        task_ops=("voice_generate",))


def summarize(result: Any) -> str | None:
    if not isinstance(result, dict) or "isAvailable" not in result:
        return None
    return "The voice is available" if result["isAvailable"] else "The voice is not available yet"


OPERATION = Operation(
    "voice_check", "Voice: check", "sync", paths("/api/v1/voice/check-voice"),
    (Field("task_id", "str", "Voice task ID", "Provider task id of the voice generate task.",
           required=True),),
    Ui("voices", "3. Check", "Check the voice", order=30, sources=(VOICE_TASK,)),
    sync=True, credits_estimate=0, description="Step 3: is the voice ready to use?",
    summarize=summarize)
