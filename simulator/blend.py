"""Mashups (the mashup operation, contract-newer 2): two source audios and new material in the
request's style, tempo and (when sung) lyrics, mixed into one song.

Arrangement of a song of n samples: the leading source plays the first two thirds, the other
source the last two thirds (from their own beginnings, cut to fit; a shorter source just ends),
so both are heard alone and together; 0.5 s fades at every entry and exit. Take 0 leads with
the first URL, take 1 with the second, so the two takes differ in arrangement as well as in
their new material. The sources are brought to one loudness and keep their own tempo (nothing
is time-stretched); the new material is synthesised at half their loudness, in the leading
source's key (analysed) and at the request's tempo. The sources' layers are estimated
(`unmix`) so that stem separations of a mashup find drums, bass, vocals...; only the new
material has note events.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from simulator import synth, unmix

FADE_S = 0.5
SOURCE_RMS = 0.1
BED_LEVEL = 0.5


def windows(n: int, take: int) -> list[tuple[int, int]]:
    """[start, end) sample windows of the first and second source in take `take`."""
    lead, follow = (0, 2 * n // 3), (n // 3, n)
    return [lead, follow] if take % 2 == 0 else [follow, lead]


def _entry(pcm: np.ndarray, start: int, end: int, n: int) -> dict[str, np.ndarray]:
    """A source's estimated layers placed at [start, end) of n samples, faded, at SOURCE_RMS."""
    seg = synth._as_stereo(pcm)[:end - start]
    rms = synth._rms(seg)
    seg = seg * np.float32(SOURCE_RMS / rms if rms > 0 else 1.0)
    fade = np.ones(len(seg), np.float32)
    f = min(int(FADE_S * synth.SR), len(seg) // 2)
    if f:
        fade[:f], fade[len(seg) - f:] = synth._ramp(f), synth._ramp(f)[::-1]
    return synth._placed(unmix.layers(seg, vocals=True), n, start, fade)


def mashup(first, second, spec: synth.SongSpec, take: int) -> synth.Song:
    """The mashup of two source PCMs (take 0 or 1); `spec` sets style, tempo, voice and length."""
    n = max(int(round(spec.seconds * synth.SR)), 1)
    lead = first if take % 2 == 0 else second
    _, key, scale = synth.analyse(lead)
    new_spec = dataclasses.replace(spec, key=key, scale=scale)
    (s1, e1), (s2, e2) = windows(n, take)
    parts = [_entry(first, s1, e1, n), _entry(second, s2, e2, n)]
    bed = synth._matched(synth._render_layers(new_spec), BED_LEVEL * SOURCE_RMS, synth.PEAK)
    return synth._finish(synth._merge(*parts, bed), new_spec, normalise=True, notes=synth.notes_of(new_spec))
