"""Sounds (contract-newer.md §3): a sound effect or loop from a description. Music family (the
clients poll ``generate/record-info`` and read ``sunoData``); the model enum is ``V5`` only and
``callBackUrl`` is optional here. sunoapi.org only."""

from lib.contract.fields import CALLBACK, PROMPT, Field
from lib.contract.operation import Operation, Ui
from lib.ops._common import MUSIC_PROMPT_DRAFT, paths

KEYS = ("Any", "Cm", "C#m", "Dm", "D#m", "Em", "Fm", "F#m", "Gm", "G#m", "Am", "A#m", "Bm",
        "C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")

OPERATION = Operation(
    "sounds", "Sounds", "music", paths("/api/v1/generate/sounds"),
    (PROMPT.but(required=True, label="Description", help="The sound, e.g. 'rain on a tin roof, "
                "distant thunder' (≤ 500 characters).", max_len_by_model=None, max_len=500),
     Field("model", "enum", "Model", "Sounds are made by V5 only.", required=True, enum=("V5",),
           default="V5"),
     Field("soundLoop", "bool", "Loop", "On: a seamless loop. Off: a one-shot.", default=False),
     Field("soundTempo", "int", "Tempo (BPM)", "1–300; leave empty for automatic.", min=1,
           max=300),
     Field("soundKey", "enum", "Key", "Musical key (Any by default).", enum=KEYS, default="Any"),
     Field("grabLyrics", "bool", "Lyric subtitles", "Fetch lyric subtitles after completion.",
           default=False),
     CALLBACK.but(required=False)),
    Ui("generate", "Sounds", "Make sounds", order=15, advanced=("grabLyrics",),
       draft=MUSIC_PROMPT_DRAFT),
    credits_estimate=6, description="A sound effect or a loop from a description.")
