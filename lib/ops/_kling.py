"""What the Kling operations share (contract-media 1.5, native Kling field names as ANY-KV
lists them): the models, the flat body's ``model`` kept equal to ``model_name``, the video
fields and their per-model rules."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lib.contract.fields import Field
from lib.contract.operation import FieldError

#: Kling video models of the text2video / image2video routes (kling-v3: Std/Pro by ``mode``).
VIDEO_MODELS = ("kling-v3", "kling-v2-1-master", "kling-v2-master", "kling-v1-6")
#: Models that take any whole duration from 3 to 15 s; the older ones make 5 or 10 s.
V3_MODELS = ("kling-v3",)
OLD_DURATIONS = (5, 10)
TEXT_MAX = 2500


def shape(wire: dict[str, Any]) -> dict[str, Any]:
    """``model`` beside ``model_name``, the same id (ANY-KV recommends sending both)."""
    return {**wire, "model": wire["model_name"]} if wire.get("model_name") else wire


def video_rules(body: Mapping[str, Any]) -> list[FieldError]:
    """The older video models make 5 or 10 s."""
    model = body.get("model_name", VIDEO_MODELS[0])
    duration = body.get("duration", 5)
    if model not in V3_MODELS and isinstance(duration, int) and duration not in OLD_DURATIONS:
        return [FieldError("duration", f"Duration must be 5 or 10 s with {model} (kling-v3 "
                                       "takes 3-15 s)")]
    return []


def model_field(models: tuple[str, ...], what: str) -> Field:
    return Field("model_name", "enum", "Model", f"The Kling {what} model.", required=True,
                 enum=models, default=models[0])


def prompt_field(*, required: bool, what: str) -> Field:
    return Field("prompt", "text", "Prompt", f"What the {what} shows.", required=required,
                 max_len=TEXT_MAX)


NEGATIVE = Field("negative_prompt", "text", "Negative prompt", "What it must not show.",
                 max_len=TEXT_MAX)
MODE = Field("mode", "enum", "Mode", "std (720p) or pro (1080p, slower, dearer).",
             enum=("std", "pro"), default="std")
DURATION = Field("duration", "int", "Duration (s)", "Seconds of video (3-15 with kling-v3, 5 "
                 "or 10 with the older models).", min=3, max=15, default=5)
SOUND = Field("generate_audio", "bool", "With sound", "Let Kling make a soundtrack.",
              default=False)
CFG = Field("cfg_scale", "float", "Prompt weight", "How closely to follow the prompt (0-1).",
            min=0, max=1)
