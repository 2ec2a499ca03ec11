"""voice_generate — `POST /api/v1/voice/generate` (contract-newer 6), voice family, sunoapi only;
free.

Rules: `taskId` and `verifyUrl` (http(s)) required; optional `voiceName`, `description`,
`style` (strings), `singerSkillLevel` (beginner, intermediate, advanced, professional) and
`callBackUrl`. Stateful: `taskId` must be a validate/regenerate task whose phrase is ready (400).

Render: the recording is fetched and checked: unreachable, not audio, shorter than 1 s or
silent fail the task (`fail`, errorCode 500, "Verification audio did not match the validation
phrase (...)"); the simulator cannot hear words, so any other recording passes. The new voice
(`voiceId`) takes its vocal gender and timbre from the recording (`voiceprint`) and becomes
usable as `personaId` with `personaModel: voice_persona` once the task has succeeded.
`voiceName`, `description`, `style` and `singerSkillLevel` are kept with it, without effect.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator import synth
from simulator.jobs import RenderError, new_id
from simulator.ops import SimOp, _voice
from simulator.ops import _checks as c
from simulator.ops._jobs import launch
from simulator.voiceprint import voiceprint

if TYPE_CHECKING:
    from simulator.engine import Engine
    from simulator.jobs import Job
    from simulator.render import Renderer

LEVELS = ("beginner", "intermediate", "advanced", "professional")
MISMATCH = "Verification audio did not match the validation phrase"
MIN_SECONDS = 1.0


def _rules(b: dict) -> None:
    c.text(b, "taskId", required=True)
    c.http_url(b, "verifyUrl")
    for name in ("voiceName", "description", "style"):
        c.text(b, name)
    c.choice(b, "singerSkillLevel", LEVELS)
    c.http_url(b, "callBackUrl", required=False)


def _start(engine: Engine, body: dict[str, Any], key: str, base: str) -> Job:
    phrase = _voice.phrase_job(engine, body["taskId"])
    return launch(engine, OP, body, key, base, parent={"taskId": phrase.task_id})


def _render(r: Renderer, job: Job) -> None:
    try:
        pcm = _voice.fetch_audio(r, job, "verifyUrl", f"tasks/{job.task_id}/verify.bin")
    except RenderError as exc:
        raise RenderError(500, f"{MISMATCH} ({exc})") from None
    r.engine.reach(job, "processing")
    seconds = len(pcm) / synth.SR
    if seconds < MIN_SECONDS:
        raise RenderError(500, f"{MISMATCH} (the recording is {seconds:.2f} s; at least {MIN_SECONDS:g} s needed)")
    if synth._rms(pcm) < _voice.SILENT_RMS:
        raise RenderError(500, f"{MISMATCH} (the recording is silent)")
    voice_id = job.result.get("voiceId") or new_id()  # a re-run (restart) keeps its voice
    b = job.body
    with r.engine.lock:
        r.engine.personas[voice_id] = {
            "id": voice_id, "kind": "voice", "task_id": job.task_id, **voiceprint(pcm),
            "phrase_task": job.parent["taskId"],
            **{k: b.get(k) for k in ("voiceName", "description", "style", "singerSkillLevel")}}
        job.result["voiceId"] = voice_id
    r.engine.reach(job, "complete")


OP = SimOp(
    name="voice_generate", family="voice",
    paths={"sunoapi": "/api/v1/voice/generate", "anyint": None},
    cost=0, check=c.rules(_rules), start=_start, render=_render,
)
