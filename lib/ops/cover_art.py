"""Cover art (contract §5.11): cover images for a finished music task, once per task."""

from lib.contract.fields import CALLBACK, TASK_ID
from lib.contract.operation import Operation, SourceSpec, Ui
from lib.ops._common import paths

MUSIC_TASK = SourceSpec("task", {"taskId": "provider_task_id"}, "Music task",
                        task_family="music")

OPERATION = Operation(
    "cover_art", "Cover art", "cover", paths("/api/v1/suno/cover/generate", "/suno/generate-cover"),
    (TASK_ID, CALLBACK),
    Ui("generate", "Cover art", "Make cover art", order=40, sources=(MUSIC_TASK,),
       from_track=True),
    credits_estimate=2, description="Cover images for a music task (one per task).")
