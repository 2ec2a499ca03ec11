"""Level matching: integrated loudness with pyloudnorm on decoded files, gains that
attenuate the louder take and never boost."""

from __future__ import annotations

import math

import pytest
from pydub import AudioSegment

from lib.review import levels
from lib.media.audio import ffmpeg_exe
from tests.lib.review.support import write_tone


def test_a_tone_half_as_loud_measures_6_db_lower(tmp_path):
    loud = levels.integrated_lufs(write_tone(tmp_path / "loud.wav", 0.4))
    quiet = levels.integrated_lufs(write_tone(tmp_path / "quiet.wav", 0.2))
    assert loud is not None and quiet is not None
    assert loud - quiet == pytest.approx(20 * math.log10(2), abs=0.05)
    # a full-scale 1 kHz sine is about -3 LUFS (BS.1770); 0.4 of it about -11
    full = levels.integrated_lufs(write_tone(tmp_path / "full.wav", 1.0, freq=997.0))
    assert full == pytest.approx(-3.0, abs=0.3)


def test_an_mp3_is_decoded_and_measured(tmp_path):
    wav = write_tone(tmp_path / "t.wav", 0.3)
    AudioSegment.converter = ffmpeg_exe()
    AudioSegment.from_wav(wav).export(tmp_path / "t.mp3", format="mp3")
    assert levels.integrated_lufs(tmp_path / "t.mp3") == pytest.approx(
        levels.integrated_lufs(wav), abs=0.5)


def test_silence_too_short_or_unreadable_files_are_not_measured(tmp_path):
    assert levels.integrated_lufs(write_tone(tmp_path / "s.wav", 0.0)) is None
    assert levels.integrated_lufs(write_tone(tmp_path / "short.wav", 0.3, seconds=0.2)) is None
    (tmp_path / "bad.mp3").write_bytes(b"not audio")
    assert levels.integrated_lufs(tmp_path / "bad.mp3") is None


def test_gains_attenuate_the_louder_take_and_never_boost():
    assert levels.gains_db(-10.0, -16.0) == (-6.0, 0.0)
    assert levels.gains_db(-20.0, -14.5) == (0.0, -5.5)
    assert levels.gains_db(-14.0, -14.0) == (0.0, 0.0)
    assert levels.gains_db(None, -14.0) == (0.0, 0.0)  # unmeasured: leave both alone
    assert levels.gains_db(-5.0, -90.0) == (levels.FLOOR_DB, 0.0)


def test_volume_is_linear_and_capped_at_one():
    assert levels.volume(0.0) == 1.0
    assert levels.volume(-6.0) == pytest.approx(0.5012, abs=1e-4)
    assert levels.volume(3.0) == 1.0
