"""Extend music (contract §5.2): continue a generated track from a point in time. The model
must match the source track's."""

from collections.abc import Mapping
from typing import Any

from lib.contract.fields import (
    AUDIO_ID, CALLBACK, CONTINUE_AT, DEFAULT_PARAM_FLAG, MODEL, MODELS, MUSIC_OPTIONAL,
    PERSONA_MODEL, PROMPT, STYLE, TITLE, RequiredIf,
)
from lib.contract.operation import FieldError, Operation, SourceFacts, Ui
from lib.ops._common import (
    EXTEND_SONG_DRAFT, TRACK_AUDIO_ONLY, continue_at_inside, continue_prefill, custom_params_only,
    paths, v6_fields,
)


def _same_model(body: Mapping[str, Any], source: SourceFacts) -> list[FieldError]:
    out = continue_at_inside(body, source)
    if source.model in MODELS and body.get("model") not in (None, source.model):
        out.append(FieldError("model", f"Model must be {source.model}: the source track was "
                                       "made with it, and an extension keeps its model"))
    return out


OPERATION = Operation(
    "extend", "Extend music", "music", paths("/api/v1/generate/extend", "/suno/extend"),
    (DEFAULT_PARAM_FLAG, AUDIO_ID, MODEL.but(help="Must match the source track's model."),
     CONTINUE_AT, PROMPT, STYLE, TITLE, *MUSIC_OPTIONAL, PERSONA_MODEL, CALLBACK),
    Ui("transform", "Extend", "Extend", order=10, sources=(TRACK_AUDIO_ONLY,),
       draft=EXTEND_SONG_DRAFT,
       visible=custom_params_only, prefill=continue_prefill, source_checks=_same_model,
       from_track=True,
       advanced=("negativeTags", "vocalGender", "styleWeight", "weirdnessConstraint",
                 "audioWeight", "personaModel")),
    required_if=(RequiredIf({"defaultParamFlag": True}, ("continueAt", "prompt", "style",
                                                         "title")),),
    checks=(v6_fields,),
    credits_estimate=12, description="Continue a generated track from a point in time.")
