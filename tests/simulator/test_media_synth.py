"""simulator.synth: deterministic, text-driven, fast song synthesis and the source-based operations."""
import time

import numpy as np
import pytest

from simulator import synth
from simulator.synth import SR


def spec(style="pop", seconds=4.0, variant=0, instrumental=False, **kw):
    return synth.spec_from_request(style, None, "city lights at night", "Night", instrumental, seconds, variant, **kw)


def rms(x):
    return float(np.sqrt(np.mean(np.square(x, dtype=np.float64))))


@pytest.fixture(scope="module")
def song():
    return synth.render(spec("pop choir", seconds=5))


def test_same_request_same_spec_and_identical_pcm():
    assert spec() == spec()
    a, b = synth.render(spec()), synth.render(spec())
    assert list(a.layers) == list(b.layers)
    assert np.array_equal(a.mix(), b.mix())


def test_styles_drive_tempo_scale_and_instruments():
    punk, ballad, edm = spec("punk rock, fast"), spec("sad piano ballad"), spec("edm, electronic")
    assert punk.tempo_bpm > ballad.tempo_bpm + 60
    assert (punk.key, punk.tempo_bpm) != (ballad.key, ballad.tempo_bpm)
    assert ballad.scale == "minor" and spec("happy pop").scale == "major"
    assert {"drums", "bass", "guitar"} <= set(punk.instruments)
    assert {"keyboard", "strings"} <= set(ballad.instruments)
    assert {"synth", "drums"} <= set(edm.instruments)
    assert set(spec("").instruments)                     # no keyword still gets a band
    assert spec(vocal_gender="m").vocal_gender == "m"
    persona = spec(persona="persona-1")
    assert persona.persona_timbre is not None and persona.vocal_gender == spec("rock", persona="persona-1").vocal_gender


def test_render_shape_level_and_layer_names(song):
    mix = song.mix()
    assert mix.dtype == np.float32 and mix.shape == (5 * SR, 2) and song.duration == pytest.approx(5.0)
    assert np.abs(mix).max() == pytest.approx(synth.PEAK, rel=1e-3)
    assert rms(mix) > 0.05
    assert set(song.layers) <= set(synth.STEM_NAMES) and {"vocals", "backing_vocals"} <= set(song.layers)
    for layer in song.layers.values():
        assert layer.dtype == np.float32 and layer.shape == mix.shape and rms(layer) > 1e-3


def test_two_variants_sound_different():
    a, b = synth.render(spec(variant=0)), synth.render(spec(variant=1))
    assert abs(np.corrcoef(a.mix().ravel(), b.mix().ravel())[0, 1]) < 0.6
    assert abs(np.corrcoef(a.layers["vocals"].ravel(), b.layers["vocals"].ravel())[0, 1]) < 0.5


def pitch_classes(mono, frame=2048):
    """Pitch class of the autocorrelation f0 (80-1000 Hz) of every loud frame."""
    frames = mono[: len(mono) // frame * frame].reshape(-1, frame)
    frames = frames[np.sqrt(np.mean(frames ** 2, axis=1)) > 0.3 * np.sqrt(np.mean(mono ** 2))]
    ac = np.fft.irfft(np.abs(np.fft.rfft(frames * np.hanning(frame), 2 * frame, axis=1)) ** 2, axis=1)
    lags = np.arange(SR // 1000, SR // 80)
    f0 = SR / lags[np.argmax(ac[:, lags], axis=1)]
    return np.round(12 * np.log2(f0 / 440) + 69).astype(int) % 12


@pytest.mark.parametrize("style", ["sad piano", "happy rock", "male jazz"])
def test_vocal_melody_stays_in_the_key(style):
    s = spec(style, seconds=12)
    pcs = pitch_classes(synth.render(s).layers["vocals"].mean(axis=1))
    scale = {(s.key + k) % 12 for k in (synth._MAJOR if s.scale == "major" else synth._MINOR)}
    assert len(pcs) > 50 and np.mean([pc in scale for pc in pcs]) > 0.85


def test_instrumental_has_no_vocals():
    s = synth.render(spec(instrumental=True))
    assert not set(s.layers) & set(synth.VOCAL_LAYERS)
    assert not synth.stems(s, "separate_vocal")["vocals"].any()


def test_twenty_seconds_render_fast():
    s = spec("folk latin pop hip hop", seconds=20)   # a big band: 8 layers
    synth.render(spec(seconds=1))
    started = time.perf_counter()
    synth.render(s)
    assert time.perf_counter() - started < 3.0       # ~0.3-0.5 s here; a per-sample loop takes minutes


@pytest.mark.parametrize("kind", ["separate_vocal", "split_stem"])
def test_stems_sum_to_the_mix(song, kind):
    parts = synth.stems(song, kind)
    assert np.allclose(sum(parts.values()), song.mix(), atol=1e-5)
    if kind == "separate_vocal":
        assert set(parts) == {"vocals", "instrumental"} and rms(parts["vocals"]) > 0.01
    else:
        assert list(parts) == [n for n in synth.STEM_NAMES if n in song.layers] and len(parts) <= 12


def test_unknown_stem_kind_and_bad_spec_raise(song):
    with pytest.raises(ValueError):
        synth.stems(song, "karaoke")
    with pytest.raises(ValueError):
        synth.SongSpec(seed=1, scale="dorian")
    with pytest.raises(ValueError):
        synth.SongSpec(seed=1, instruments=("kazoo",))
    with pytest.raises(ValueError):
        synth.SongSpec(seed=1, vocal=False, instruments=())


def test_extend_keeps_the_prefix_and_continues(song):
    source = song.mix()
    ext = synth.extend(source, 3.0, spec("edm", seconds=3))
    keep = int((3.0 - synth.EXTEND_XFADE) * SR)
    out = ext.mix()
    assert ext.duration == pytest.approx(6.0)
    assert np.allclose(out[:keep], source[:keep], atol=1e-6)
    assert rms(out[3 * SR:]) > 0.02 and not np.allclose(out[keep:3 * SR], source[keep:3 * SR], atol=1e-3)
    assert np.allclose(sum(synth.stems(ext, "split_stem").values()), out, atol=1e-5)


def test_extend_a_song_keeps_its_layers_and_key(song):
    ext = synth.extend(song, 10.0, spec("jazz", seconds=2))    # past the end: continue from the end
    assert ext.duration == pytest.approx(7.0)
    assert (ext.spec.key, ext.spec.scale, ext.spec.tempo_bpm) == (song.spec.key, song.spec.scale, song.spec.tempo_bpm)
    keep = int((5.0 - synth.EXTEND_XFADE) * SR)
    assert np.allclose(ext.mix()[:keep], song.mix()[:keep], atol=1e-5)
    assert np.allclose(synth.stems(ext, "separate_vocal")["vocals"][:keep],
                       synth.stems(song, "separate_vocal")["vocals"][:keep], atol=1e-5)


def test_replace_section_changes_only_the_window(song):
    source = song.mix()
    out = synth.replace_section(source, 1.5, 3.5, spec("rock", seconds=2)).mix()
    a, b = int(1.5 * SR), int(3.5 * SR)
    assert out.shape == source.shape
    assert np.array_equal(out[:a], source[:a]) and np.array_equal(out[b:], source[b:])
    edge = int(synth.EDGE_XFADE * SR)
    assert rms(out[a + edge:b - edge] - source[a + edge:b - edge]) > 0.02


def test_cover_follows_the_source_loudness():
    source = synth.render(spec("pop", seconds=6)).mix()
    source[3 * SR:] *= 0.02                               # a loud half, then a near-silent half
    out = synth.cover(source, spec("jazz", seconds=6, variant=1)).mix()
    assert out.shape == source.shape
    assert rms(out[3 * SR + SR // 2:]) < 0.3 * rms(out[:3 * SR - SR // 2])


def test_add_vocals_and_add_instrumental_keep_the_source(song):
    backing = synth.render(spec("rock", instrumental=True)).mix()
    with_vocals = synth.add_vocals(backing, spec("rock"))
    assert rms(with_vocals.layers["vocals"]) > 0.01
    assert np.allclose(with_vocals.layers["fx"] * with_vocals.gain, backing * with_vocals.gain, atol=1e-6)
    voice = synth.stems(song, "separate_vocal")["vocals"]
    band = synth.add_instrumental(voice, spec("jazz"))
    assert np.allclose(band.layers["vocals"], voice, atol=1e-6)
    assert len(set(band.layers) - set(synth.VOCAL_LAYERS)) >= 2
    assert np.allclose(sum(synth.stems(band, "split_stem").values()), band.mix(), atol=1e-5)


def test_vocals_over_silence_are_still_audible():
    out = synth.add_vocals(np.zeros((2 * SR, 2), np.float32), spec("pop", seconds=2))
    assert out.duration == pytest.approx(2.0) and rms(out.mix()) > 0.05
