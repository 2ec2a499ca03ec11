"""Suno Voice, a new phrase (contract-newer.md §6): ask again for the phrase of an existing
validation task. The callback field is really spelt ``calBackUrl`` here. Family
``voice_phrase``; we take the returned task id as a new task (the docs do not say).
sunoapi.org only."""

from lib.contract.fields import CALLBACK, Field
from lib.contract.operation import Operation, SourceSpec, Ui
from lib.ops._common import paths
from lib.ops._voice import summarize

PHRASE_TASK = SourceSpec("task", {"taskId": "provider_task_id"}, "Validation task",
                         task_ops=("voice_validate", "voice_regenerate"))

OPERATION = Operation(
    "voice_regenerate", "Voice: a new phrase", "voice_phrase",
    paths("/api/v1/voice/regenerate"),
    (Field("taskId", "str", "Validation task ID", "Provider task id of the validation task.",
           required=True),
     CALLBACK.but(name="calBackUrl")),
    Ui("voices", "New phrase", "Get a new phrase", order=15, sources=(PHRASE_TASK,)),
    credits_estimate=0, description="Another phrase for the same voice clip.",
    summarize=summarize)
