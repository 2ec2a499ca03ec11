"""Separate vocals (contract §5.15, ``type: separate_vocal``): two stems, vocals and
instrumental."""

from lib.contract.fields import AUDIO_ID, CALLBACK, TASK_ID, Field
from lib.contract.operation import Operation, Ui
from lib.ops._common import TRACK, paths

OPERATION = Operation(
    "vocal_removal", "Separate vocals", "stems",
    paths("/api/v1/vocal-removal/generate", "/suno/vocal-removal"),
    (TASK_ID, AUDIO_ID,
     Field("type", "enum", "Type", "separate_vocal: vocals + instrumental.",
           enum=("separate_vocal",), default="separate_vocal", hidden=True), CALLBACK),
    Ui("transform", "Separate vocals", "Separate vocals", order=70, sources=(TRACK,),
       from_track=True),
    fixed={"type": "separate_vocal"}, credits_estimate=10,
    description="Two stems: vocals and instrumental.")
