"""Note events of synthesised songs (`simulator.notes`, the MIDI source): the replay reports what
the render plays - in plain songs and in songs built from a source - and leaves rendering alone;
plus the small tables the newer operations use (sound lengths and keys, phrases)."""

from __future__ import annotations

import dataclasses
import threading

import numpy as np
import pytest

from simulator import loops, notes, phrases, synth, unmix

SR = synth.SR


def _spec(style: str = "rock, punchy drums", seconds: float = 6.0, **changes) -> synth.SongSpec:
    spec = synth.spec_from_request(style, None, "la la la", "T", False, seconds, 0)
    return dataclasses.replace(spec, **changes) if changes else spec


def _ratios(layer: np.ndarray, times: list[float], w: int = int(0.004 * SR)) -> np.ndarray:
    hp = np.diff(layer.mean(axis=1), prepend=0.0)
    return np.array([np.sum(hp[i:i + w] ** 2) / (np.sum(hp[i - w:i] ** 2) + 1e-12)
                     for i in (int(round(t * SR)) for t in times) if w <= i <= len(hp) - w])


def test_replayed_drum_hits_are_the_rendered_ones():
    song = synth.render(_spec())
    events = notes.of(song)
    hits = sorted({n.start for n in events["drums"]})
    assert len(hits) > 20 and (_ratios(song.layers["drums"], hits) > 4).mean() > 0.97
    assert (_ratios(song.layers["drums"], [t + 0.013 for t in hits]) > 4).mean() < 0.3


def test_replayed_pitches_are_in_the_key_and_inside_the_song():
    spec = _spec(style="jazz piano, strings", key=2, scale="major")
    events = synth.events(spec)
    scale = {(2 + s) % 12 for s in (0, 2, 4, 5, 7, 9, 11)}
    for layer in ("bass", "keyboard", "strings", "vocals"):
        assert events[layer] and {n.pitch % 12 for n in events[layer]} <= scale, layer
    every = [n for layer in events.values() for n in layer]
    assert all(0 <= n.start < n.end <= spec.seconds for n in every)


def test_extend_and_replace_section_keep_the_source_notes_outside_the_new_part():
    source = synth.render(_spec())
    src = notes.of(source)["drums"]
    new_spec = _spec(style="edm, drums", seconds=4.0)
    ext = synth.extend(source, 3.0, new_spec)
    ext_drums = notes.of(ext)["drums"]
    order = lambda ns: sorted(ns, key=lambda n: (n.start, n.pitch))  # noqa: E731
    assert order(n for n in ext_drums if n.start < 2.75) == order(n for n in src if n.start < 2.75)
    after = [n.start for n in ext_drums if n.start >= 3.5]
    assert after and (_ratios(ext.layers["drums"], after) > 4).mean() > 0.9  # the new part's hits are heard
    rep = synth.replace_section(source, 2.0, 4.0, new_spec)
    rep_drums = notes.of(rep)["drums"]
    outside = [n for n in src if not 2.0 <= n.start < 4.0]
    assert order(n for n in rep_drums if not 2.0 <= n.start < 4.0) == order(outside)
    assert any(2.0 <= n.start < 4.0 for n in rep_drums)


def test_uploaded_audio_has_no_notes_but_new_material_does():
    pcm = np.random.default_rng(0).standard_normal((3 * SR, 2)).astype(np.float32) * 0.1
    assert notes.of(unmix.song(pcm, vocals=True)) == {}
    vox = synth.add_vocals(unmix.song(pcm, vocals=False), _spec(seconds=3.0))
    assert "vocals" in notes.of(vox) and set(notes.of(vox)) <= set(synth.VOCAL_LAYERS)
    acc = synth.add_instrumental(pcm, _spec(style="rock", seconds=3.0))
    assert "vocals" not in notes.of(acc) and "drums" in notes.of(acc)


def test_replay_leaves_rendering_alone():
    spec = _spec(seconds=3.0)
    before = synth.render(spec).mix()
    results = []
    worker = threading.Thread(target=lambda: results.append(synth.render(spec).mix()))
    token = notes._ACTIVE.set(notes._Recorder())  # a replay in progress on this thread...
    try:
        worker.start()
        worker.join()
    finally:
        notes._ACTIVE.reset(token)
    assert np.array_equal(results[0], before)  # ...does not silence another thread's render
    synth.events(spec)
    assert np.array_equal(synth.render(spec).mix(), before)


@pytest.mark.parametrize("tempo,seconds", [(120, 4.0), (100, 4.8), (300, 4.0), (30, 8.0), (29, 6.206897),
                                           (7, 8.571429), (1, 60.0)])
def test_sound_lengths(tempo, seconds):
    assert loops.length(tempo) == pytest.approx(seconds, abs=1e-5)
    beats = loops.length(tempo) * tempo / 60
    assert beats == pytest.approx(round(beats))
    played = loops.synth_tempo(tempo)
    assert 30 <= played <= 300 and (played / tempo) in (1, 2, 4, 8, 16, 32)


def test_sound_keys():
    assert loops.key_of("Any") is None and loops.key_of(None) is None
    assert loops.key_of("C#m") == (1, "minor") and loops.key_of("A#") == (10, "major")
    assert len({loops.key_of(k) for k in loops.KEYS[1:]}) == 24


def test_phrases_exist_for_every_language_and_regenerations_differ():
    assert set(phrases.PHRASES) == set(phrases.LANGUAGES)
    for language in phrases.LANGUAGES:
        picks = [phrases.pick(language, 12345, n) for n in range(4)]
        assert all(a != b for a, b in zip(picks, picks[1:], strict=False)), language
        assert phrases.pick(language, 12345, 0) == picks[0]
