"""MIDI family (contract-newer 4): one `complete` stage (real-service 60 s; the docs say 30-90 s).

Record-info `data` (sunoapi only, `GET /api/v1/midi/record-info?taskId=`): `{taskId,
recordTaskId: -1, audioId, callbackUrl, completeTime, midiData, successFlag, createTime,
errorCode, errorMessage}`. Times are epoch milliseconds (`completeTime` null until done);
`successFlag` is an integer: 0 pending, 1 success, 2 failed to create, 3 generation failed
(kie's meanings; every failure the simulator makes is a generation failure, 3); `midiData` is
`{state: "complete", instruments: [{name, notes: [{pitch, start, end, velocity}]}]}` once
complete, null before and on failure; `audioId` is the requested stem id ("" for all stems).

The callback (single stage) carries `task_id` at the top level: `{task_id, code: 200, msg:
"success", data: {state, instruments}}`; a failure is `{task_id, code: 500, msg, data: null}`.
A job's `result["instruments"]` holds the instrument list.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator.families import SimFamily
from simulator.families._common import ok

if TYPE_CHECKING:
    from simulator.jobs import Job

REAL_MIDI_S = 60.0
CREATE_FAILED = "CREATE_TASK_FAILED"


def epoch_ms(t: float | None) -> int | None:
    return None if t is None else int(round(t * 1000))


def _midi_data(job: Job) -> dict[str, Any]:
    return {"state": "complete", "instruments": job.result.get("instruments", [])}


def success_flag(job: Job) -> int:
    if job.failed:
        return 2 if job.error.status == CREATE_FAILED else 3
    return 1 if job.done else 0


def record(job: Job, base: str) -> dict[str, Any]:
    return {"taskId": job.task_id, "recordTaskId": -1, "audioId": job.body.get("audioId") or "",
            "callbackUrl": job.callback_url or "", "completeTime": epoch_ms(job.completed),
            "midiData": _midi_data(job) if ok(job) else None, "successFlag": success_flag(job),
            "createTime": epoch_ms(job.created),
            "errorCode": job.error.code if job.failed else None,
            "errorMessage": job.error.msg if job.failed else None}


def callback(job: Job, label: str, base: str, shape: str) -> dict[str, Any]:
    if label == "error":
        return {"task_id": job.task_id, "code": 500, "msg": job.error.msg, "data": None}
    return {"task_id": job.task_id, "code": 200, "msg": "success", "data": _midi_data(job)}


FAMILY = SimFamily(
    name="midi",
    poll_paths={"sunoapi": "/api/v1/midi/record-info", "anyint": None},
    id_param="taskId",
    stages=(("complete", REAL_MIDI_S),),
    callback_stages=("complete",),
    failed_status="GENERATE_MIDI_FAILED",
    record=record,
    callback=callback,
)
