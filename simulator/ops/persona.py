"""persona — `POST /api/v1/generate/generate-persona` | `/suno/generate-persona` (contract 5.12),
synchronous; answers use the second code list (validation 422, credits 402).

Rules: `taskId`, `audioId`, `name`, `description` required; optional `style` and the vocal
segment `vocalStart`/`vocalEnd` (default the first 30 s, or the whole track when shorter), which
must be 10-30 s long. Stateful: the track must belong to `taskId` and be complete, the segment
must end inside it, one persona per track (409 with the existing `personaId`). The persona
fixes the track's vocal gender, voice timbre and tempo for later generations that name it.
Answer: `{personaId, name, description}`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator.jobs import new_id
from simulator.ops import SimOp
from simulator.ops import _checks as c
from simulator.ops._jobs import charge, refuse, source_track
from simulator.ops._music import seed
from simulator.routes_common import ApiProblem

if TYPE_CHECKING:
    from simulator.engine import Engine
    from simulator.jobs import Track
    from simulator.ops import Problem

SEGMENT_MIN_S, SEGMENT_MAX_S = 10.0, 30.0


def _rules(b: dict) -> None:
    c.task_audio(b, callback=False)
    c.text(b, "name", required=True)
    c.text(b, "description", required=True)
    c.text(b, "style")
    start, end = c.number(b, "vocalStart"), c.number(b, "vocalEnd")
    if start is None and end is None:
        return  # default segment: the first 30 s (or the whole track when shorter)
    start = 0.0 if start is None else start
    end = 30.0 if end is None else end
    if start < 0:
        c.fail(f"vocalStart must be >= 0 (got {start:g})")
    length = end - start
    if not SEGMENT_MIN_S <= length <= SEGMENT_MAX_S:
        c.fail(f"persona segment vocalEnd-vocalStart must be {SEGMENT_MIN_S:g}-{SEGMENT_MAX_S:g} s "
               f"(got {length:g} s)")


def check_segment(start: float, end: float, duration: float) -> Problem | None:
    """The persona vocal segment must lie inside the track."""
    if end > duration + 1e-6:
        return 400, f"vocalEnd ({end:g}) must not exceed the track duration {duration:.2f} s"
    return None


def _persona(persona_id: str, track: Track, start: float, end: float) -> dict[str, Any]:
    """A persona fixed from the source track: its vocal gender, voice timbre and tempo."""
    spec = track.spec
    timbre = spec.persona_timbre if spec.persona_timbre is not None else (seed(track.id) % 1000) / 999
    return {"id": persona_id, "vocal_gender": spec.vocal_gender, "tempo_bpm": spec.tempo_bpm,
            "timbre": timbre, "source_audio_id": track.id, "segment": [start, end]}


def _answer(engine: Engine, body: dict[str, Any]) -> dict[str, Any]:
    _, track = source_track(engine, body)
    start = float(body.get("vocalStart", 0.0) or 0.0)
    end = float(body["vocalEnd"]) if body.get("vocalEnd") is not None else min(start + 30.0, track.duration)
    refuse(check_segment(start, end, track.duration))
    key = ("persona", track.id)
    with engine.lock:
        if key in engine.unique:
            raise ApiProblem(409, "Conflict: a persona already exists for this audioId",
                             {"personaId": engine.unique[key]})
        charge(engine, OP)
        persona_id = new_id()
        engine.unique[key] = persona_id
        engine.personas[persona_id] = _persona(persona_id, track, start, end)
    return {"personaId": persona_id, "name": body["name"], "description": body["description"]}


OP = SimOp(
    name="persona", family="sync",
    paths={"sunoapi": "/api/v1/generate/generate-persona", "anyint": "/suno/generate-persona"},
    cost=0, check=c.rules(_rules), answer=_answer, alt_codes=True,
)
