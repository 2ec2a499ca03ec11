"""Note events of synthesised songs: what the synth really played, per layer (for MIDI).

`replay(render_layers, spec)` runs the synth's layer render (`synth.events(spec)` passes
`synth._render_layers`) with a recorder switched on. Notes and hits
become sound in exactly two places, `synth._tone` (pitched rows) and `synth._place` (drum and
percussion hits, given a GM drum `note`); while recording, both report their events here and
render nothing. Rendering draws nothing from the song's random generator, so the replay makes
the same choices as the real render and the events are exactly those of the real song.

A `synth.Song` carries its events as a thunk (`Song.notes`), so they cost nothing until asked
for; songs built from a source (extend, cover, add-*, replace-section, sounds, mashups) combine
the source's events (when the source is a synthesised song) with the events of their new
material, placed where that material sits. Estimated layers of uploaded audio have no events.

Times are seconds from the song's start, velocity 0..1, pitch a MIDI note number.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any

Events = dict[str, list["Note"]]
NotesFn = Callable[[], Events]
HIT_SECONDS = 0.1  # length given to a drum hit
# stem name -> instrument name (as the provider's `stem_type_group_name`, e.g. "Drums")
NAMES = {"vocals": "Vocals", "backing_vocals": "Backing Vocals", "drums": "Drums", "bass": "Bass",
         "guitar": "Guitar", "keyboard": "Keyboard", "strings": "Strings", "brass": "Brass",
         "woodwinds": "Woodwinds", "percussion": "Percussion", "synth": "Synth", "fx": "FX",
         "instrumental": "Instrumental"}


@dataclass(frozen=True)
class Note:
    start: float
    end: float
    pitch: int
    velocity: float


class _Recorder:
    def __init__(self) -> None:
        self.layer = ""
        self.events: Events = defaultdict(list)


_ACTIVE: ContextVar[_Recorder | None] = ContextVar("note_recorder", default=None)


def recording() -> _Recorder | None:
    """The active recorder (synth hooks: record instead of rendering), or None."""
    return _ACTIVE.get()


def at_layer(name: str) -> None:
    """Synth hook: the notes that follow belong to layer `name`."""
    rec = _ACTIVE.get()
    if rec is not None:
        rec.layer = name


def record_rows(rec: _Recorder, spb: float, sr: int, rows: Any) -> None:
    """Synth hook for `_tone`: rows of (start_beat, beats, velocity, midi, [midi...])."""
    for row in rows:
        start = round(float(row[0]) * spb) / sr
        end = start + max(round(float(row[1]) * spb), 1) / sr
        for midi in row[3:]:
            rec.events[rec.layer].append(Note(start, end, int(round(float(midi))), float(row[2])))


def record_hits(rec: _Recorder, positions: Any, sr: int, note: int) -> None:
    """Synth hook for `_place`: hits at sample `positions` of GM drum `note`."""
    for p in positions:
        start = round(float(p)) / sr
        rec.events[rec.layer].append(Note(start, start + HIT_SECONDS, note, 1.0))


def replay(render_layers: Callable[[Any], object], spec: Any) -> Events:
    """The events of `render_layers(spec)`'s layers, inside the song (ends clipped to it)."""
    rec = _Recorder()
    token = _ACTIVE.set(rec)
    try:
        render_layers(spec)
    finally:
        _ACTIVE.reset(token)
    return window(dict(rec.events), 0.0, float(spec.seconds))


def window(ev: Events, lo: float, hi: float, shift: float = 0.0) -> Events:
    """Events starting in [lo, hi), ends clipped to `hi`, all moved by `shift` seconds."""
    out: Events = {}
    for layer, notes in ev.items():
        kept = [replace(n, start=round(n.start + shift, 6), end=round(min(n.end, hi) + shift, 6))
                for n in notes if lo <= n.start < hi]
        if kept:
            out[layer] = kept
    return out


def merge(*parts: Events) -> Events:
    """Events of several parts by layer, each layer sorted by start."""
    out: Events = defaultdict(list)
    for part in parts:
        for layer, notes in part.items():
            out[layer].extend(notes)
    return {layer: sorted(notes, key=lambda n: (n.start, n.pitch)) for layer, notes in out.items()}


def of(source: Any) -> Events:
    """The events of a song (`Song.notes`), or {} for plain PCM and songs without events."""
    fn = getattr(source, "notes", None)
    return fn() if callable(fn) else {}


def thunk_of(source: Any) -> NotesFn | None:
    """A source song's own event thunk (not the song: keeps its audio collectable)."""
    fn = getattr(source, "notes", None)
    return fn if callable(fn) else None


def _call(fn: NotesFn | None) -> Events:
    return fn() if fn is not None else {}


def extended(source: Any, keep_until: float, new_at: float, new: NotesFn) -> NotesFn:
    """Events of `synth.extend`: the source's before `keep_until`, the new part's from `new_at`."""
    src = thunk_of(source)
    return lambda: merge(window(_call(src), 0.0, keep_until),
                         window(new(), 0.0, math.inf, shift=new_at))


def replaced(source: Any, start: float, end: float, new: NotesFn) -> NotesFn:
    """Events of `synth.replace_section`: the source's outside [start, end), the new inside."""
    src = thunk_of(source)
    return lambda: merge(window(_call(src), 0.0, start), window(_call(src), end, math.inf),
                         window(new(), 0.0, end - start, shift=start))


def layered(source: Any, new: NotesFn, shift: float = 0.0) -> NotesFn:
    """Events of a source with new material on top (add-vocals, add-instrumental, mashups)."""
    src = thunk_of(source)
    return lambda: merge(_call(src), window(new(), 0.0, math.inf, shift=shift))
