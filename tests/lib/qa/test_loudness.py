"""Integrated loudness (BS.1770 via pyloudnorm's filters) and true peak, against analytically
known levels, pyloudnorm's own meter and ffmpeg's EBU R128 measurement."""

import numpy as np
import pyloudnorm
import pytest

from lib.qa import loudness, measure_file
from tests.lib.qa import signals as s


def test_a_stereo_1khz_sine_at_minus_23_dbfs_reads_minus_23_lufs(tmp_path):
    """EBU Tech 3341 test 1: a stereo 1 kHz sine at -23 dBFS reads -23.0 LUFS (+-0.1)."""
    path = s.write(tmp_path / "sine.wav", s.sine(1000, 10, 10 ** (-23 / 20)))
    assert measure_file(path).lufs == pytest.approx(-23.0, abs=0.1)


def test_a_mono_0_dbfs_sine_reads_minus_3_lufs(tmp_path):
    """BS.1770's calibration: a 997 Hz full-scale sine in one channel reads -3.01 LKFS."""
    path = s.write(tmp_path / "mono.wav", s.sine(997, 5, 1.0, channels=1))
    m = measure_file(path)
    assert m.channels == 1
    assert m.lufs == pytest.approx(-3.01, abs=0.1)


def _program():
    """Loud noise, a quiet part the relative gate drops, a tone, silence the absolute gate
    drops."""
    return np.concatenate([s.noise(4, 0.2, seed=1), s.noise(3, 0.002, seed=2),
                           s.sine(440, 3, 0.3), s.silence(2)])


@pytest.mark.parametrize("make", [
    lambda: s.sine(1000, 6, 0.25), lambda: s.noise(6, 0.05), _program,
    lambda: s.clicks(120, 8), lambda: s.sine(60, 5, 0.5) + s.noise(5, 0.01)])
def test_the_streamed_loudness_is_pyloudnorms(tmp_path, make):
    samples = make()
    path = s.write(tmp_path / "x.wav", samples)
    reference = pyloudnorm.Meter(s.SR).integrated_loudness(samples.astype(np.float64))
    assert measure_file(path).lufs == pytest.approx(reference, abs=0.01)


@pytest.mark.parametrize("name, make", [
    ("sine -18 dBFS", lambda: s.sine(1000, 8, 10 ** (-18 / 20))),
    ("noise", lambda: s.noise(8, 0.05)),
    ("gated program", _program),
    ("clicks", lambda: s.clicks(100, 10)),
])
def test_integrated_loudness_agrees_with_ffmpeg_ebur128(tmp_path, name, make):
    path = s.write(tmp_path / "x.wav", make())
    ours, theirs = measure_file(path).lufs, s.ffmpeg_r128(path)["I"]
    print(f"{name}: ours {ours:.2f} LUFS, ffmpeg {theirs:.1f} LUFS")
    assert abs(ours - theirs) <= 0.5


def test_integrated_loudness_of_a_simulator_mp3_agrees_with_ffmpeg(simulator_mp3):
    ours, theirs = measure_file(simulator_mp3).lufs, s.ffmpeg_r128(simulator_mp3)["I"]
    print(f"simulator mp3: ours {ours:.2f} LUFS, ffmpeg {theirs:.1f} LUFS")
    assert abs(ours - theirs) <= 0.5


def test_silence_has_no_loudness(tmp_path):
    m = measure_file(s.write(tmp_path / "quiet.wav", s.silence(3)))
    assert m.lufs == float("-inf") and m.true_peak_dbtp == float("-inf")


def test_the_true_peak_finds_the_peak_between_samples(tmp_path):
    """A sine at a quarter of the sample rate, 45 degrees off: every sample sits at 0.707 of
    the crest, so the sample peak reads 3 dB under the true peak."""
    amp = 0.5
    samples = s.sine(s.SR / 4, 2, amp, phase=np.pi / 4)
    m = measure_file(s.write(tmp_path / "isp.wav", samples))
    assert m.sample_peak_dbfs == pytest.approx(20 * np.log10(amp) - 3.01, abs=0.05)
    assert m.true_peak_dbtp == pytest.approx(20 * np.log10(amp), abs=0.15)


@pytest.mark.parametrize("make", [lambda: s.noise(5, 0.3, seed=4), _program,
                                  lambda: s.sine(11025, 2, 0.5, phase=0.7) + s.noise(2, 0.05)])
def test_skipping_quiet_blocks_never_changes_the_true_peak(make):
    samples = make()
    scan = loudness.TruePeak(2)
    for start in range(0, len(samples), 10000):   # odd chunk sizes, across block edges
        scan.feed(np.ascontiguousarray(samples[start:start + 10000].T))
    scan.feed(np.zeros((2, 0), np.float32), last=True)
    if make is _program:   # its quiet parts are skipped
        assert scan.interpolated_blocks < scan.blocks / 2
    assert scan.dbtp == pytest.approx(loudness.true_peak_full(samples), abs=1e-6)


def test_true_peak_is_near_ffmpegs(simulator_mp3, tmp_path):
    """Both oversample 4x, with different interpolators: within 0.3 dB on music. (Near the
    Nyquist frequency they part: on the quarter-rate sine above ffmpeg's resampler reads 0.6 dB
    over the crest, on full-band white noise 0.6 dB over ours.)"""
    for path in (simulator_mp3, s.write(tmp_path / "clicks.wav", s.clicks(100, 4)),
                 s.write(tmp_path / "chords.wav", s.chords([[52, 55, 59], [57, 60, 64]]))):
        ours, theirs = measure_file(path).true_peak_dbtp, s.ffmpeg_r128(path)["peak"]
        print(f"{path.name}: ours {ours:.2f} dBTP, ffmpeg {theirs:.1f} dBTP")
        assert abs(ours - theirs) <= 0.3
