"""Suno Voice, step 1 (contract-newer.md §6): send a clip of the singer (``voiceUrl``, a
segment in whole seconds) and get back a phrase to sing or read for verification. Family
``voice_phrase``. sunoapi.org only."""

from collections.abc import Mapping
from typing import Any

from lib.contract.fields import CALLBACK, Field
from lib.contract.operation import FieldError, Operation, SourceSpec, Ui
from lib.ops._common import number, paths
from lib.ops._voice import summarize

LANGUAGES = ("en", "zh", "es", "fr", "pt", "de", "ja", "ko", "hi", "ru")
CLIP = SourceSpec("audio", {"voiceUrl": "url"}, "Voice clip")


def _segment(body: Mapping[str, Any]) -> list[FieldError]:
    start, end = number(body, "vocalStartS"), number(body, "vocalEndS")
    if start is not None and end is not None and end <= start:
        return [FieldError("vocalEndS", f"Vocal end ({end:g} s) must be after Vocal start "
                                        f"({start:g} s)")]
    return []


OPERATION = Operation(
    "voice_validate", "Voice: get a phrase", "voice_phrase", paths("/api/v1/voice/validate"),
    (Field("voiceUrl", "url", "Voice clip URL", "Public URL of a clip of the voice.",
           required=True),
     Field("vocalStartS", "int", "Vocal start (s)", "Where the voice starts in the clip "
           "(whole seconds).", required=True, min=0),
     Field("vocalEndS", "int", "Vocal end (s)", "Where it ends (whole seconds, after the "
           "start).", required=True, min=1),
     Field("language", "enum", "Language", "Language of the phrase.", enum=LANGUAGES),
     CALLBACK.but(required=False)),
    Ui("voices", "1. Phrase", "Get a phrase", order=10, sources=(CLIP,)),
    checks=(_segment,), credits_estimate=0,
    description="Step 1: a clip of the voice in, a phrase to record out.", summarize=summarize)
