"""Sounds (the sounds operation, contract-newer 3): short instrumental one-shots and loops.

* Length (`length(tempo)`): whole bars nearest 4 s (at most 8 s); when one bar is longer than
  8 s (tempo under 30 bpm) whole beats up to 8 s (at least one beat). A loop is therefore always
  a whole number of beats at its tempo and starts on a downbeat.
* Tempo: the synth plays 30-300 bpm; a slower requested tempo is played at a doubling of it
  (`synth_tempo`), which keeps every requested beat on the grid.
* A loop has no fade-out, only 5 ms edges at both ends (no click when it wraps); a one-shot fades
  out like a song's ending.
* Keys (`KEYS`): "C#m" -> (1, "minor"); "Any" leaves the key to the prompt.
"""

from __future__ import annotations

import math

import numpy as np

from simulator import synth

KEYS = ("Any", "Cm", "C#m", "Dm", "D#m", "Em", "Fm", "F#m", "Gm", "G#m", "Am", "A#m", "Bm",
        "C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
PITCHES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
TARGET_S, MAX_S = 4.0, 8.0
EDGE_S = 0.005


def key_of(name: str | None) -> tuple[int, str] | None:
    """(pitch class, scale) of a `soundKey`, None for "Any" or absent."""
    if not name or name == "Any":
        return None
    minor = name.endswith("m")
    return PITCHES.index(name[:-1] if minor else name), "minor" if minor else "major"


def length(tempo: float) -> float:
    """Seconds of a sound at `tempo` bpm (see the module doc)."""
    beat = 60.0 / tempo
    bar = 4 * beat
    if bar <= MAX_S:
        bars = min(max(round(TARGET_S / bar), 1), math.floor(MAX_S / bar))
        return bars * bar
    return max(math.floor(MAX_S / beat), 1) * beat


def synth_tempo(tempo: float) -> float:
    """The tempo the synth plays for a requested `tempo` (doubled up to at least 30 bpm)."""
    while tempo < 30:
        tempo *= 2
    return min(tempo, 300.0)


def sound(spec: synth.SongSpec, loop: bool) -> synth.Song:
    """An instrumental sound of `spec` (its length and tempo already set), looped or one-shot."""
    layers = synth._render_layers(spec, fade_out=not loop)
    if loop:
        edge = min(int(EDGE_S * synth.SR), max(len(next(iter(layers.values()))) // 2, 1))
        ramp = np.linspace(1, 0, edge, dtype=np.float32)[:, None]
        for x in layers.values():
            x[len(x) - edge:] *= ramp
    return synth._finish(layers, spec, normalise=True, notes=synth.notes_of(spec))
