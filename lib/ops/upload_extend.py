"""Extend uploaded audio (contract §5.4): continue an uploaded track."""

from collections.abc import Mapping
from typing import Any

from lib.contract.fields import (
    CALLBACK, CONTINUE_AT, DEFAULT_PARAM_FLAG, INSTRUMENTAL, MODEL, MUSIC_OPTIONAL, PROMPT, STYLE,
    TITLE, UPLOAD_URL, RequiredIf,
)
from lib.contract.operation import DraftSpec, FieldError, Operation, SourceFacts, Ui
from lib.ops._common import (
    AUDIO, SONG_INTO, continue_at_inside, continue_prefill, custom_params_only, paths,
    upload_length,
)


def _checks(body: Mapping[str, Any], source: SourceFacts) -> list[FieldError]:
    return upload_length(body, source) + continue_at_inside(body, source)


OPERATION = Operation(
    "upload_extend", "Extend uploaded audio", "music",
    paths("/api/v1/generate/upload-extend", "/suno/upload-extend"),
    (UPLOAD_URL, DEFAULT_PARAM_FLAG, INSTRUMENTAL.but(required=False), MODEL, CONTINUE_AT,
     PROMPT, STYLE, TITLE, *MUSIC_OPTIONAL, CALLBACK),
    Ui("transform", "Extend upload", "Extend upload", order=30, sources=(AUDIO,),
       draft=DraftSpec("song", SONG_INTO, sets={"defaultParamFlag": True,
                                                "instrumental": False}),
       visible=custom_params_only, prefill=continue_prefill, source_checks=_checks,
       advanced=("negativeTags", "vocalGender", "styleWeight", "weirdnessConstraint",
                 "audioWeight")),
    required_if=(
        RequiredIf({"defaultParamFlag": True}, ("continueAt", "style", "title")),
        RequiredIf({"defaultParamFlag": True, "instrumental": False}, ("prompt",)),
    ),
    credits_estimate=12, description="Continue an uploaded track.")
