"""timestamped_lyrics — `POST /api/v1/generate/get-timestamped-lyrics` | `/suno/timestamped-lyrics`
(contract 5.9), synchronous.

Rules: `taskId` and `audioId` required. Stateful: the track must belong to `taskId` and be
complete. Answer: `{alignedWords: [{word, success, startS, endS, palign}], waveformData,
hootCer, isStreamed}`, the track's lyrics aligned to its audio (`texts.align_words`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator import audio_io, texts
from simulator.ops import SimOp
from simulator.ops import _checks as c
from simulator.ops._jobs import charge, source_track

if TYPE_CHECKING:
    from simulator.engine import Engine


def _answer(engine: Engine, body: dict[str, Any]) -> dict[str, Any]:
    _, track = source_track(engine, body)
    charge(engine, OP)
    pcm = audio_io.decode(engine.renderer.store.path(track.audio))
    words, waveform = texts.align_words(track.prompt, track.duration, pcm)
    return {"alignedWords": words, "waveformData": waveform, "hootCer": 0.05 if words else 1.0, "isStreamed": False}


OP = SimOp(
    name="timestamped_lyrics", family="sync",
    paths={"sunoapi": "/api/v1/generate/get-timestamped-lyrics", "anyint": "/suno/timestamped-lyrics"},
    cost=0, check=c.rules(lambda b: c.task_audio(b, callback=False)), answer=_answer,
)
