"""Add instrumental (contract §5.6): build an accompaniment around an uploaded vocal."""

from lib.contract.fields import (
    ADD_MODEL, CALLBACK, NEGATIVE_TAGS, STYLE, TITLE, UPLOAD_URL, VOCAL_GENDER, WEIGHTS,
)
from lib.contract.operation import DraftSpec, Operation, Ui
from lib.ops._common import AUDIO, paths

OPERATION = Operation(
    "add_instrumental", "Add instrumental", "music",
    paths("/api/v1/generate/add-instrumental", "/suno/add-instrumental"),
    (UPLOAD_URL.but(label="Vocal stem URL"), TITLE.but(required=True),
     NEGATIVE_TAGS.but(required=True),
     STYLE.but(name="tags", label="Accompaniment style", required=True),
     ADD_MODEL, VOCAL_GENDER, *WEIGHTS, CALLBACK),
    Ui("transform", "Add instrumental", "Add instrumental", order=50, sources=(AUDIO,),
       draft=DraftSpec("song", {"title": "title", "style": "tags"}),
       from_track=True,
       advanced=("vocalGender", "styleWeight", "weirdnessConstraint", "audioWeight")),
    credits_estimate=12, description="Build an accompaniment around an uploaded vocal.")
