"""Suno Voice, step 2 (contract-newer.md §6): send the recording of the phrase (``verifyUrl``)
with the validation task id and get a ``voiceId``, usable as ``personaId`` with
``personaModel: voice_persona`` (V5 and later). Family ``voice``. sunoapi.org only."""

from typing import Any

from lib.contract.fields import CALLBACK, Field
from lib.contract.operation import Operation, SourceSpec, Ui
from lib.ops._common import paths

PHRASE_TASK = SourceSpec("task", {"taskId": "provider_task_id"}, "Validation task",
                         task_ops=("voice_validate", "voice_regenerate"))
RECORDING = SourceSpec("audio", {"verifyUrl": "url"}, "Recording of the phrase")
LEVELS = ("beginner", "intermediate", "advanced", "professional")


def summarize(result: Any) -> str | None:
    voice = result.get("voiceId") if isinstance(result, dict) else None
    return f"Voice {voice} (use it as a voice persona)" if voice else None


OPERATION = Operation(
    "voice_generate", "Voice: make the voice", "voice", paths("/api/v1/voice/generate"),
    (Field("taskId", "str", "Validation task ID", "Provider task id of the validation task.",
           required=True),
     Field("verifyUrl", "url", "Recording URL", "Public URL of the recording of the exact "
           "phrase (singing recommended).", required=True),
     Field("voiceName", "str", "Voice name", "A name for the voice."),
     Field("description", "text", "Description", "What the voice is like."),
     Field("style", "str", "Style", "The style this voice sings best."),
     Field("singerSkillLevel", "enum", "Singer level", "How trained the singer is.",
           enum=LEVELS, default="beginner"),
     CALLBACK.but(required=False)),
    Ui("voices", "2. Voice", "Make the voice", order=20, sources=(PHRASE_TASK, RECORDING)),
    credits_estimate=0, description="Step 2: the recorded phrase in, a voice id out.",
    summarize=summarize)
