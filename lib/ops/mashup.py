"""Mashup (contract-newer.md §2): one song from two source audios (``uploadUrlList``, exactly
two). Music family. We send the Rev A body (``customMode``, ``instrumental``, prompt/style/title
by the generate rules), which is what the published clients send, plus the Rev B extras
(``personaId``/``personaModel``, ``variety``, ``duration``) where given. sunoapi.org only."""

from lib.contract.fields import (
    CALLBACK, CUSTOM_MODE, DURATION, INSTRUMENTAL, MODEL, PERSONA_ID, PERSONA_MODEL, PROMPT, STYLE,
    TITLE, VARIETY, VOCAL_GENDER, WEIGHTS, Field,
)
from lib.contract.operation import Operation, SourceSpec, Ui
from lib.ops._common import (
    CUSTOM_INSTR, CUSTOM_VOCAL, SIMPLE, SIMPLE_LEN, SONG_DRAFT, custom_only, paths,
    prompt_or_lyrics, v6_fields,
)

PAIR = SourceSpec("audio_pair", {"uploadUrlList": "urls"}, "Two source audios")

OPERATION = Operation(
    "mashup", "Mashup", "music", paths("/api/v1/generate/mashup"),
    (Field("uploadUrlList", "url_list", "Source audio URLs", "Exactly two public audio URLs to "
           "mix into one song.", required=True, min_items=2, max_items=2),
     CUSTOM_MODE.but(default=True), INSTRUMENTAL, MODEL, PROMPT, STYLE, TITLE, VOCAL_GENDER,
     *WEIGHTS, PERSONA_ID, PERSONA_MODEL, VARIETY, DURATION, CALLBACK),
    Ui("transform", "Mashup", "Make mashup", order=35, sources=(PAIR,), visible=custom_only,
       draft=SONG_DRAFT,
       advanced=("vocalGender", "styleWeight", "weirdnessConstraint", "audioWeight",
                 "personaModel", "variety", "duration")),
    required_if=(SIMPLE, CUSTOM_INSTR, CUSTOM_VOCAL), length_if=(SIMPLE_LEN,),
    checks=(prompt_or_lyrics, v6_fields),
    credits_estimate=12, description="Mix two audios into a new song (two takes).")
