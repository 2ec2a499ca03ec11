"""MIDI notes (the ``midi`` family's JSON result) as a standard MIDI file, with mido.

One track per instrument (drums on channel 10, the others on channels 1-9, 11-16 in turn);
times in seconds become ticks at 120 bpm and 480 ticks per beat, velocities 0-1 become 1-127.
`read_notes` reads a file back (tests and the board's note count).
"""

from __future__ import annotations

import io
from typing import Any

import mido

TICKS_PER_BEAT = 480
TEMPO = mido.bpm2tempo(120)  # microseconds per beat
DRUM_CHANNEL = 9


def _ticks(seconds: float) -> int:
    return max(0, round(mido.second2tick(seconds, TICKS_PER_BEAT, TEMPO)))


def _channels():
    channel = 0
    while True:
        if channel != DRUM_CHANNEL:
            yield channel
        channel = (channel + 1) % 16


def to_midi_bytes(midi_data: dict[str, Any]) -> bytes:
    """A type-1 MIDI file of ``{"instruments": [{"name", "notes": [{pitch, start, end,
    velocity}]}]}`` (the normalised result of `lib.families.midi.notes_of`)."""
    out = mido.MidiFile(type=1, ticks_per_beat=TICKS_PER_BEAT)
    meta = mido.MidiTrack([mido.MetaMessage("set_tempo", tempo=TEMPO, time=0)])
    out.tracks.append(meta)
    channels = _channels()
    for inst in midi_data.get("instruments") or []:
        name = str(inst.get("name") or "Instrument")
        channel = DRUM_CHANNEL if "drum" in name.lower() else next(channels)
        events = []
        for n in inst.get("notes") or []:
            velocity = max(1, min(127, round(float(n.get("velocity", 1.0)) * 127)))
            start, end = _ticks(n["start"]), _ticks(n["end"])
            events.append((start, 1, mido.Message("note_on", note=n["pitch"], velocity=velocity,
                                                  channel=channel)))
            events.append((max(end, start + 1), 0, mido.Message("note_off", note=n["pitch"],
                                                                velocity=0, channel=channel)))
        track = mido.MidiTrack([mido.MetaMessage("track_name", name=name, time=0)])
        now = 0
        for at, _order, message in sorted(events, key=lambda e: (e[0], e[1])):
            track.append(message.copy(time=at - now))
            now = at
        out.tracks.append(track)
    buf = io.BytesIO()
    out.save(file=buf)
    return buf.getvalue()


def read_notes(data: bytes) -> dict[str, list[tuple[int, float, float]]]:
    """``{track name: [(pitch, start_s, end_s)]}`` of a MIDI file (note_on/note_off pairs)."""
    midi = mido.MidiFile(file=io.BytesIO(data))
    out: dict[str, list[tuple[int, float, float]]] = {}
    for track in midi.tracks[1:]:
        name, now, open_notes, notes = "", 0, {}, []
        for message in track:
            now += message.time
            if message.type == "track_name":
                name = message.name
            elif message.type == "note_on" and message.velocity > 0:
                open_notes[message.note] = now
            elif message.type in ("note_off", "note_on") and message.note in open_notes:
                start = open_notes.pop(message.note)
                notes.append((message.note, mido.tick2second(start, TICKS_PER_BEAT, TEMPO),
                              mido.tick2second(now, TICKS_PER_BEAT, TEMPO)))
        out[name] = notes
    return out
