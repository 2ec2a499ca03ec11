"""MIDI family (contract-newer.md §4): poll ``GET /api/v1/midi/record-info?taskId=``;
``successFlag`` integer 0 pending, 1 success, 2 failed to create, 3 generation failed (the kie
copy's meanings; do not reuse cover art's mapping where 2 means generating). The notes come as
JSON (``midiData.instruments[].notes[]``: pitch 0-127, start/end seconds - sometimes strings -,
velocity 0-1); the task result keeps them normalised, and `lib.media.midi` writes them as a
standard MIDI file. Callbacks put ``task_id`` at the top level (kie: ``data.taskId``) beside
``data.instruments``. No AnyInt route is known.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lib.contract.family import Family, Parsed, ResultFile, as_int, number
from lib.contract.states import State

_FLAGS = {0: State.PENDING, 1: State.SUCCEEDED, 2: State.FAILED, 3: State.FAILED}


def notes_of(midi_data: Any) -> dict[str, Any] | None:
    """``{"state", "instruments": [{"name", "notes": [{pitch, start, end, velocity}]}]}`` with
    numbers parsed leniently and unreadable notes dropped; None when there is no midiData."""
    if not isinstance(midi_data, dict):
        return None
    instruments = []
    for inst in _list(midi_data.get("instruments")):
        if not isinstance(inst, dict):
            continue
        notes = []
        for n in _list(inst.get("notes")):
            if not isinstance(n, dict):
                continue
            pitch, start, end = as_int(n.get("pitch")), number(n.get("start")), number(n.get("end"))
            if pitch is None or start is None or end is None or not 0 <= pitch <= 127:
                continue
            velocity = number(n.get("velocity"))
            notes.append({"pitch": pitch, "start": start, "end": max(start, end),
                          "velocity": 1.0 if velocity is None else min(max(velocity, 0.0), 1.0)})
        instruments.append({"name": str(inst.get("name") or "Instrument"), "notes": notes})
    return {"state": midi_data.get("state"), "instruments": instruments}


def _list(value: Any) -> list[Any]:
    """``value`` when it is a list (an int or a string where a list belongs reads as none)."""
    return value if isinstance(value, list) else []


class Midi(Family):
    name = "midi"
    poll = {"sunoapi": "/api/v1/midi/record-info", "anyint": None}
    failure_words = {"2": "The provider could not start the MIDI task.",
                     "3": "MIDI generation failed."}
    callback_priority = 10

    def map_status(self, raw: Any) -> State:
        return _FLAGS.get(as_int(raw), State.PENDING if raw is None else State.PROCESSING)  # type: ignore[arg-type]

    def parse_record(self, record: Mapping[str, Any]) -> Parsed:
        notes = notes_of(record.get("midiData"))
        return Parsed(result=notes, complete=notes is not None)

    def claims_callback(self, payload: Mapping[str, Any], body: Mapping[str, Any]) -> bool:
        data = payload.get("data")
        return isinstance(data, dict) and "instruments" in data

    def callback_failed(self, payload: Mapping[str, Any], body: Mapping[str, Any]) -> bool:
        return not payload.get("data")

    def result_files(self, result: Any) -> list[ResultFile]:
        if not isinstance(result, dict) or not result.get("instruments"):
            return []

        def make() -> bytes:
            from lib.media.midi import to_midi_bytes

            return to_midi_bytes(result)

        return [ResultFile("MIDI", "notes.mid", "audio/midi", make)]


FAMILY = Midi()
