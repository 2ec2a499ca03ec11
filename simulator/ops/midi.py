"""midi — `POST /api/v1/midi/generate` (contract-newer 4), midi family, sunoapi only.

Rules: `taskId` and `callBackUrl` required; optional `audioId`. Stateful: `taskId` must be a
finished vocal-removal task made with `type: split_stem` (a separate_vocal task: 400 "taskId
must be a split_stem separation"); `audioId`, when given, must be one of that task's stem ids
(`response.originData[].id`; 400 otherwise).

Render: the note events the synth really played in the separated song's layers
(`simulator.notes`), one instrument per stem that has notes (named like the stem's
`stem_type_group_name`; all stems, or only the `audioId` stem). Pitched layers give their
notes; drums and percussion give General MIDI drum notes (36 kick, 38 snare, 42 hi-hat, 63
conga, 70 shaker); fx and the estimated layers of uploaded audio have none, and are left out,
as the docs warn ("not every instrument is detected"). Times in seconds (4 decimals),
velocity 0..1.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator import notes
from simulator.ops import SimOp
from simulator.ops import _checks as c
from simulator.ops._jobs import launch
from simulator.routes_common import ApiProblem

if TYPE_CHECKING:
    from simulator.engine import Engine
    from simulator.jobs import Job
    from simulator.render import Renderer


def _rules(b: dict) -> None:
    c.text(b, "taskId", required=True)
    c.text(b, "audioId")
    c.http_url(b, "callBackUrl")


def _start(engine: Engine, body: dict[str, Any], key: str, base: str) -> Job:
    stems = engine.get(body["taskId"])
    if stems is None or stems.family != "stems":
        raise ApiProblem(400, f"taskId is not a known vocal-removal task: {body['taskId']}")
    if stems.op != "split_stem":
        raise ApiProblem(400, "taskId must be a split_stem separation (this task used type separate_vocal)")
    if not stems.done or stems.failed:
        raise ApiProblem(400, f"taskId {stems.task_id} is not finished (successFlag must be SUCCESS)")
    audio_id = body.get("audioId")
    if audio_id and audio_id not in stems.result.get("stem_ids", {}).values():
        raise ApiProblem(400, f"audioId is not a stem of taskId {stems.task_id} (see originData[].id): {audio_id}")
    return launch(engine, OP, body, key, base, parent={"taskId": stems.task_id})


def instruments(events: notes.Events, stems: list[str]) -> list[dict[str, Any]]:
    """The MIDI instrument list of the `stems` (synth layer names) that have events."""
    return [{"name": notes.NAMES[name],
             "notes": [{"pitch": n.pitch, "start": round(n.start, 4), "end": round(n.end, 4),
                        "velocity": round(n.velocity, 3)} for n in events[name]]}
            for name in stems if events.get(name)]


def _render(r: Renderer, job: Job) -> None:
    stems_job = r.engine.get(job.parent["taskId"])
    _, track = r.parent_track(stems_job)
    ids = stems_job.result["stem_ids"]
    wanted = [name for name, stem_id in ids.items() if job.body.get("audioId") in (None, "", stem_id)]
    song = r.song_of(track)
    job.result["instruments"] = instruments(notes.window(notes.of(song), 0.0, song.duration), wanted)
    r.engine.reach(job, "complete")


OP = SimOp(
    name="midi", family="midi",
    paths={"sunoapi": "/api/v1/midi/generate", "anyint": None},
    cost=5, check=c.rules(_rules), start=_start, render=_render,
)
