"""Text to video on DashScope (contract-media 1.4, 2.5): a prompt (and, for music-driven
video, a song's audio) becomes an MP4, as a DashScope task polled until its ``video_url``.

Sent by the DashScope adapter: ``POST /dashscope/v1/services/aigc/video-generation/
video-synthesis`` with ``X-DashScope-Async: enable``, the fields under ``input`` and
``parameters``. t2v models take ``size`` (i2v ones ``resolution``: another operation).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lib.contract.fields import Field
from lib.ops._common import VIDEO_DRAFT, WAN_VIDEO_OPTIONS, video_summary
from lib.contract.operation import FieldError, Operation, SourceFacts, SourceSpec, Ui
from lib.contract.validation import number_text

#: t2v model ids (contract-media 1.4 [I]: confirm with the Models API), newest first.
MODELS = ("wan2.6-t2v", "wan2.5-t2v-preview", "wan2.2-t2v-plus", "wanx2.1-t2v-turbo",
          "wanx2.1-t2v-plus")
#: Models that take 2-15 s and an audio track (wan2.5, wan2.6); the older ones make 5 s,
#: silent.
WITH_SOUND = ("wan2.6-t2v", "wan2.5-t2v-preview")
#: The audio track DashScope takes (contract-media 2.5): 3-30 s, wav or mp3, at most 15 MB.
AUDIO_S = (3, 30)
#: The song's audio, optional (a text-only video needs none): an upload, a finished track or a
#: public URL.
AUDIO = SourceSpec("audio", {"audio_url": "url"}, "Audio track (optional)", clip_s=AUDIO_S[1])
SIZES = ("1280*720", "720*1280", "960*960", "1088*832", "832*1088", "832*480", "480*832",
         "624*624", "1920*1080", "1080*1920", "1440*1440", "1632*1248", "1248*1632")


def _model_rules(body: Mapping[str, Any]) -> list[FieldError]:
    """The older models make 5 s of silent video: no other duration, no audio track."""
    if body.get("model", MODELS[0]) in WITH_SOUND:
        return []
    problems = []
    if body.get("duration", 5) != 5:
        problems.append(FieldError("duration", "Duration must be 5 s with this model"))
    if body.get("audio_url"):
        problems.append(FieldError("audio_url", "Audio track needs wan2.5 or wan2.6 (this "
                                                "model makes silent video)"))
    return problems


def _audio_length(body: Mapping[str, Any], source: SourceFacts) -> list[FieldError]:
    """The audio track must be 3-30 s long (a longer one is refused before it is sent)."""
    low, high = AUDIO_S
    duration = source.duration
    if not body.get("audio_url") or not duration or low <= duration <= high:
        return []
    length = number_text(round(duration, 1))
    return [FieldError("audio_url", f"Audio track is {length} s long; DashScope takes "
                                    f"{low}-{high} s of audio (wav or mp3, at most 15 MB): "
                                    "pick a shorter track or upload a clip of it")]



OPERATION = Operation(
    "video_t2v", "Text to video", "dashscope_video",
    {"anyint": "/dashscope/v1/services/aigc/video-generation/video-synthesis"},
    (
        Field("model", "enum", "Model", "The DashScope video model.", required=True,
              enum=MODELS, default=MODELS[0]),
        Field("prompt", "text", "Prompt", "What the video shows.", required=True,
              max_len=1500, max_len_by_model={m: 1500 if m in WITH_SOUND else 800
                                              for m in MODELS}, at="input"),
        Field("negative_prompt", "text", "Negative prompt", "What the video must not show.",
              max_len=500, at="input"),
        Field("audio_url", "url", "Audio track", "A song's audio (wav or mp3, 3-30 s): the "
              "video follows it (music-driven video).", at="input"),
        Field("size", "enum", "Size", "Width*height of the video.", enum=SIZES,
              default=SIZES[0], at="parameters"),
        Field("duration", "int", "Duration (s)", "Seconds of video (2-15 with wan2.5/2.6).",
              min=2, max=15, default=5, at="parameters"),
        *WAN_VIDEO_OPTIONS,
    ),
    Ui("media", "Text to video", "Make video", order=10, sources=(AUDIO,),
       draft=VIDEO_DRAFT,
       advanced=("seed", "watermark", "negative_prompt"), source_checks=_audio_length),
    checks=(_model_rules,),
    provider="dashscope", summarize=video_summary,
    description="A video from a prompt (with a song's audio: music-driven), as a DashScope "
                "task.")
