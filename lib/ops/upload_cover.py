"""Cover uploaded audio (contract §5.3): re-perform an uploaded track in a new style."""

from lib.contract.fields import (
    CALLBACK, CUSTOM_MODE, INSTRUMENTAL, MODEL, MUSIC_OPTIONAL, PERSONA_MODEL, PROMPT, STYLE, TITLE,
    UPLOAD_URL,
)
from lib.contract.operation import Operation, Ui
from lib.ops._common import (
    AUDIO, CUSTOM_INSTR, CUSTOM_VOCAL, SIMPLE, SIMPLE_LEN, SONG_DRAFT, custom_only, paths,
    prompt_or_lyrics,
    upload_length, v6_fields,
)

OPERATION = Operation(
    "upload_cover", "Cover uploaded audio", "music",
    paths("/api/v1/generate/upload-cover", "/suno/upload-cover"),
    (UPLOAD_URL, CUSTOM_MODE, INSTRUMENTAL, MODEL, PROMPT, STYLE, TITLE, *MUSIC_OPTIONAL,
     PERSONA_MODEL, CALLBACK),
    Ui("transform", "Cover", "Make cover", order=20, sources=(AUDIO,), visible=custom_only,
       draft=SONG_DRAFT,
       source_checks=upload_length,
       advanced=("negativeTags", "vocalGender", "styleWeight", "weirdnessConstraint",
                 "audioWeight", "personaModel")),
    required_if=(SIMPLE, CUSTOM_INSTR, CUSTOM_VOCAL), length_if=(SIMPLE_LEN,),
    checks=(prompt_or_lyrics, v6_fields),
    credits_estimate=12, description="Re-perform an uploaded track in a new style.")
