"""Silence at the ends and inside (found within 0.1 s), and clipped samples counted (the
ffmpeg-made clipped and clean files, and the streaming, are in `test_clipping`)."""

import numpy as np
import pytest

from lib.qa import Thresholds, measure_file, score
from lib.qa.clipping import TOLERANCE_DB
from lib.qa.flags import Flag
from tests.lib.qa import signals as s


def _with_silences():
    """1.5 s silence, tone to 4.0 s, a 1.5 s gap, tone to 8.0 s, a 0.5 s dip (not a gap),
    tone to 10.0 s, 2.0 s silence: 12 s."""
    return np.concatenate([s.silence(1.5), s.sine(330, 2.5, 0.3), s.silence(1.5),
                           s.noise(2.5, 0.05), s.silence(0.5), s.sine(330, 1.5, 0.3),
                           s.silence(2.0)])


@pytest.mark.parametrize("ext", ["wav", "mp3"])
def test_silences_are_found_at_their_times(tmp_path, ext):
    m = measure_file(s.write(tmp_path / f"gaps.{ext}", _with_silences()))
    assert m.duration == pytest.approx(12.0, abs=0.01)
    assert m.leading_silence == pytest.approx(1.5, abs=0.1)
    assert m.trailing_silence == pytest.approx(2.0, abs=0.1)
    assert len(m.gaps) == 1          # the 0.5 s dip is shorter than a gap
    start, end = m.gaps[0]
    assert start == pytest.approx(4.0, abs=0.1) and end == pytest.approx(5.5, abs=0.1)


def test_silence_flags_follow_the_thresholds(tmp_path):
    m = measure_file(s.write(tmp_path / "gaps.wav", _with_silences()))
    checks = score(m).checks
    assert checks["leading_silence"].flag is Flag.WARN      # 1.5 s: over 1 s, under 3 s
    assert checks["trailing_silence"].flag is Flag.OK       # 2.0 s: at the limit
    assert checks["gaps"].flag is Flag.WARN and checks["gaps"].value == 1
    assert checks["gaps"].extra["gaps"][0]["start"] == pytest.approx(4.0, abs=0.1)
    strict = score(m, thresholds=Thresholds(gap_fail_seconds=1.0, leading_silence_warn=1.0))
    assert strict.checks["gaps"].flag is Flag.FAIL
    assert strict.checks["leading_silence"].flag is Flag.FAIL


def test_a_silent_file_fails_its_silence_and_loudness(tmp_path):
    card = score(measure_file(s.write(tmp_path / "silent.wav", s.silence(4))))
    assert card.checks["leading_silence"].flag is Flag.FAIL
    assert card.checks["loudness"].flag is Flag.FAIL
    assert card.worst is Flag.FAIL


def test_clipped_samples_are_counted(tmp_path):
    """A sine driven 1.5x past full scale and clipped: every sample within 0.5 dB of +-1.0
    counts (they all are in long runs)."""
    driven = s.sine(220, 3, 1.5)
    clipped = np.clip(driven, -1.0, 1.0)
    expected = int(np.count_nonzero(np.abs(clipped) >= 10 ** (-TOLERANCE_DB / 20)))
    assert expected > 10000
    m = measure_file(s.write(tmp_path / "clipped.wav", clipped))
    assert m.clipped == expected
    assert score(m).checks["clipping"].flag is Flag.FAIL


def test_a_clean_signal_has_no_clipped_samples(tmp_path):
    m = measure_file(s.write(tmp_path / "clean.wav", s.sine(220, 3, 10 ** (-1 / 20))))
    assert m.clipped == 0
    assert score(m).checks["clipping"].flag is Flag.OK


def test_a_few_clipped_samples_warn(tmp_path):
    samples = s.sine(220, 3, 0.5)
    samples[1000:1003] = 1.0
    m = measure_file(s.write(tmp_path / "few.wav", samples))
    assert m.clipped == 6     # three frames, two channels
    assert score(m).checks["clipping"].flag is Flag.WARN
