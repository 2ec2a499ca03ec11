"""Estimated stems of foreign audio (`simulator.unmix`)."""

from __future__ import annotations

import numpy as np

from simulator import synth, unmix


def _song() -> synth.Song:
    return synth.render(synth.spec_from_request("rock", None, "[Verse] la la la", "T", False, 6.0, 0))


def test_layers_sum_to_the_source_and_follow_its_parts():
    song = _song()
    mix = song.mix()
    layers = unmix.layers(mix, vocals=True)
    assert set(layers) <= set(synth.STEM_NAMES) and len(layers) >= 4
    assert list(layers) == [n for n in synth.STEM_NAMES if n in layers]  # stem order
    assert all(v.shape == mix.shape and v.dtype == np.float32 for v in layers.values())
    assert np.abs(sum(layers.values()) - mix).max() < 1e-5
    true_vocals = (song.layers["vocals"] * song.gain).ravel()
    assert np.corrcoef(layers["vocals"].ravel(), true_vocals)[0, 1] > 0.8
    true_bass = (song.layers["bass"] * song.gain).ravel()
    assert np.corrcoef(layers["bass"].ravel(), true_bass)[0, 1] > 0.5


def test_instrumental_sources_get_no_vocal_layer():
    mix = _song().mix()
    layers = unmix.layers(mix, vocals=False)
    assert "vocals" not in layers and "backing_vocals" not in layers and {"drums", "bass", "keyboard"} <= set(layers)
    rebuilt = unmix.song(mix, vocals=False)
    assert rebuilt.spec is None and rebuilt.gain == 1.0 and np.abs(rebuilt.mix() - mix).max() < 1e-5


def test_mono_silent_and_short_sources():
    mono = (0.3 * np.sin(2 * np.pi * 330 * np.arange(1000) / synth.SR)).astype(np.float32)
    layers = unmix.layers(mono, vocals=False)
    assert all(v.shape == (1000, 2) for v in layers.values())
    assert np.abs(sum(layers.values()) - mono[:, None]).max() < 1e-5
    silent = unmix.layers(np.zeros((500, 2), np.float32), vocals=True)
    assert len(silent) == 1 and not next(iter(silent.values())).any()
