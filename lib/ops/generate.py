"""Generate music (contract §5.1; V6-era fields: contract-newer.md §1): two songs from a
description (simple mode) or from your lyrics (custom mode)."""

from lib.contract.fields import (
    CALLBACK, CUSTOM_MODE, DURATION, INSTRUMENTAL, LYRICS, MODEL, MUSIC_OPTIONAL, PERSONA_MODEL,
    PROMPT, STYLE, TITLE, VARIETY,
)
from lib.contract.operation import Operation, Ui
from lib.ops._common import (
    CUSTOM_INSTR, CUSTOM_VOCAL, SIMPLE, SIMPLE_LEN, SONG_DRAFT, custom_only, paths,
    prompt_or_lyrics, v6_fields,
)

OPERATION = Operation(
    "generate", "Generate music", "music", paths("/api/v1/generate", "/suno/generate"),
    (CUSTOM_MODE, INSTRUMENTAL, MODEL, PROMPT, STYLE, TITLE, *MUSIC_OPTIONAL, PERSONA_MODEL,
     LYRICS, DURATION, VARIETY, CALLBACK),
    Ui("generate", "Song", "Generate song", order=10, visible=custom_only,
       draft=SONG_DRAFT,
       advanced=("negativeTags", "vocalGender", "styleWeight", "weirdnessConstraint",
                 "audioWeight", "personaModel", "lyrics", "duration", "variety"),
       intro="Simple mode: describe the song and the lyrics are written for you. Custom mode: "
             "give the style, the title and (unless instrumental) the lyrics, sung verbatim. "
             "Each request returns two songs."),
    required_if=(SIMPLE, CUSTOM_INSTR, CUSTOM_VOCAL), length_if=(SIMPLE_LEN,),
    checks=(prompt_or_lyrics, v6_fields),
    credits_estimate=12, description="Two songs from a description or from your lyrics.")
