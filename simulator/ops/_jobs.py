"""Stateful pieces shared by the operations' create logic: source lookups, persona lookups, and
`launch`, the common path from a checked request to a job (409 uniqueness, charge, create)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator.jobs import JobError
from simulator.routes_common import ApiProblem

if TYPE_CHECKING:
    from simulator.engine import Engine
    from simulator.jobs import Job, Track
    from simulator.ops import Problem, SimOp

SCREENED = ("prompt", "lyrics", "style", "title", "tags", "negativeTags")  # text a sensitive word can hide in


def refuse(problem: Problem | None) -> None:
    """Raise a stateful check's problem as an answer."""
    if problem:
        raise ApiProblem(*problem)


def source_track(engine: Engine, body: dict[str, Any], *, with_task: bool = True) -> tuple[Job, Track]:
    """The completed source track named by audioId (and, `with_task`, belonging to taskId)."""
    task_id = body.get("taskId") if with_task else None
    hit = engine.find_track(body["audioId"], task_id)
    if hit is None:
        where = f" in taskId {task_id}" if task_id else ""
        raise ApiProblem(400, f"audioId not found{where}: {body['audioId']}")
    job, track = hit
    if not job.done or job.failed or track.duration is None:
        raise ApiProblem(400, f"source music of audioId {track.id} is not complete (status must be SUCCESS)")
    return hit


def known_persona(engine: Engine, body: dict[str, Any]) -> None:
    """A `personaId`, when given, must name a persona made by generate-persona, or, with
    `personaModel: voice_persona`, a Suno Voice whose voice task succeeded (`ops._voice`)."""
    persona_id = body.get("personaId")
    if not persona_id:
        return
    persona = engine.personas.get(persona_id)
    is_voice = persona is not None and persona.get("kind") == "voice"
    if body.get("personaModel") == "voice_persona":
        if not is_voice or not voice_ready(engine, persona):
            raise ApiProblem(400, f"personaId is not an available voice (personaModel voice_persona): {persona_id}")
    elif persona is None:
        raise ApiProblem(400, f"personaId not found: {persona_id}")
    elif is_voice:
        raise ApiProblem(400, f"personaId {persona_id} is a voice: send personaModel voice_persona")


def voice_ready(engine: Engine, voice: dict[str, Any]) -> bool:
    """A voice is usable once its voice-generate task succeeded."""
    job = engine.get(voice.get("task_id", ""))
    return job is not None and job.done and not job.failed


def charge(engine: Engine, op: SimOp) -> None:
    """Deduct the operation's cost or refuse with 429 (free operations always pass)."""
    if op.cost and not engine.charge(op.cost):
        raise ApiProblem(429, f"Insufficient credits: {op.name} costs {op.cost}, balance {engine.credits}")


def _doom(engine: Engine, op: SimOp, body: dict[str, Any]) -> JobError | None:
    word = engine.faults.sensitive_hit(*(body.get(f) for f in op.screened))
    if word is None:
        return None
    return JobError("SENSITIVE_WORD_ERROR", 400, f"The request contains a sensitive word: {word!r}")


def launch(engine: Engine, op: SimOp, body: dict[str, Any], key: str, base: str, *,
           parent: dict[str, str] | None = None, unique: tuple[str, str] | None = None) -> Job:
    """Create the job: 409 when `unique` (kind, source id) already has a record, else charge the
    cost (429 when short) and register the job; a screened sensitive word dooms it (refunded)."""
    with engine.lock:
        if unique and unique in engine.unique:
            raise ApiProblem(409, f"Conflict: a {unique[0]} record already exists for this source",
                             {"taskId": engine.unique[unique]})
        charge(engine, op)
        job = engine.create(op, body, key, base, parent=parent, doom=_doom(engine, op, body))
        job.charged = op.cost
        if unique:
            engine.unique[unique] = job.task_id
    return job
