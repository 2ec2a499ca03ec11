"""sounds — `POST /api/v1/generate/sounds` (contract-newer 3), music family, sunoapi only.

Rules: `prompt` required (<= 500 characters, 413 beyond), `model` required and exactly "V5"
(the docs' enum; V5_5 and the rest are refused); optional `soundLoop` (bool), `soundTempo`
(whole number 1-300 bpm), `soundKey` (`loops.KEYS`, "Any" by default), `grabLyrics` (bool;
accepted, nothing to grab: sounds are instrumental) and `callBackUrl` (optional here only).
The prompt is screened for sensitive words.

Render: two instrumental clips of the described sound (different takes), a few seconds long
(`loops.length`): a seamless loop when `soundLoop` is true, else a one-shot; at `soundTempo`
when given (else the prompt's tempo) and in `soundKey` unless "Any". Tracks in `sunoData` with
empty lyrics, as music records.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from simulator import loops, synth
from simulator.ops import SimOp
from simulator.ops import _checks as c
from simulator.ops._jobs import launch
from simulator.ops._music import described, render_songs

if TYPE_CHECKING:
    from simulator.engine import Engine
    from simulator.jobs import Job
    from simulator.render import Renderer

PROMPT_MAX = 500
TEMPO_RANGE = (1, 300)


def _rules(b: dict) -> None:
    c.max_len("prompt", c.text(b, "prompt", required=True), PROMPT_MAX, "for sounds")
    c.model(b, allowed=("V5",))
    c.boolean(b, "soundLoop")
    tempo = c.integer(b, "soundTempo")
    if tempo is not None and not TEMPO_RANGE[0] <= tempo <= TEMPO_RANGE[1]:
        c.fail(f"soundTempo must be a whole number of bpm from {TEMPO_RANGE[0]} to {TEMPO_RANGE[1]} (got {tempo})")
    c.choice(b, "soundKey", loops.KEYS)
    c.boolean(b, "grabLyrics")
    c.http_url(b, "callBackUrl", required=False)


def _start(engine: Engine, body: dict[str, Any], key: str, base: str) -> Job:
    return launch(engine, OP, body, key, base)


def tune(b: dict[str, Any]):
    """The sound's tempo, key and length applied to a track spec."""
    def apply(spec: synth.SongSpec) -> synth.SongSpec:
        tempo = float(b["soundTempo"]) if b.get("soundTempo") is not None else spec.tempo_bpm
        key = loops.key_of(b.get("soundKey"))
        changes: dict[str, Any] = {"tempo_bpm": loops.synth_tempo(tempo), "seconds": loops.length(tempo)}
        if key:
            changes["key"], changes["scale"] = key
        return dataclasses.replace(spec, **changes)
    return apply


def _render(r: Renderer, job: Job) -> None:
    b = job.body
    loop = bool(b.get("soundLoop"))
    render_songs(r, job, lambda spec: loops.sound(spec, loop), described(b, True), model="V5",
                 instrumental=True, tune=tune(b))


OP = SimOp(
    name="sounds", family="music",
    paths={"sunoapi": "/api/v1/generate/sounds", "anyint": None},
    cost=6, check=c.rules(_rules), start=_start, render=_render, screened=("prompt",),
)
