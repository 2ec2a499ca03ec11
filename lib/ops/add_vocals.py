"""Add vocals (contract §5.5): sing your lyrics over an uploaded instrumental."""

from lib.contract.fields import (
    ADD_MODEL, CALLBACK, NEGATIVE_TAGS, PROMPT, STYLE, TITLE, UPLOAD_URL, VOCAL_GENDER, WEIGHTS,
)
from lib.contract.operation import DraftSpec, Operation, Ui
from lib.ops._common import AUDIO, SONG_INTO, paths

OPERATION = Operation(
    "add_vocals", "Add vocals", "music", paths("/api/v1/generate/add-vocals", "/suno/add-vocals"),
    (UPLOAD_URL.but(label="Instrumental URL"), PROMPT.but(required=True, label="Lyrics"),
     TITLE.but(required=True), NEGATIVE_TAGS.but(required=True), STYLE.but(required=True),
     ADD_MODEL, VOCAL_GENDER, *WEIGHTS, CALLBACK),
    Ui("transform", "Add vocals", "Add vocals", order=40, sources=(AUDIO,), from_track=True,
       draft=DraftSpec("song", SONG_INTO),
       advanced=("vocalGender", "styleWeight", "weirdnessConstraint", "audioWeight")),
    credits_estimate=12, description="Sing your lyrics over an uploaded instrumental.")
