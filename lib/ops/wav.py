"""Convert to WAV (contract §5.13): a lossless WAV of one track (once per track)."""

from lib.contract.fields import AUDIO_ID, CALLBACK, TASK_ID
from lib.contract.operation import Operation, Ui
from lib.ops._common import TRACK, paths

OPERATION = Operation(
    "wav", "Convert to WAV", "wav", paths("/api/v1/wav/generate", "/suno/wav-generate"),
    (TASK_ID, AUDIO_ID, CALLBACK),
    Ui("transform", "WAV", "Convert to WAV", order=110, sources=(TRACK,), from_track=True),
    credits_estimate=2, description="Lossless WAV of one track (once per track).")
