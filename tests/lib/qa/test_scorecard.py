"""The scorecard as a whole: every check present, JSON round trip, thresholds that change the
flags (and their version), re-flagging stored measures."""

import json

import pytest

from lib.qa import CHECKS, Asked, Scorecard, Thresholds, measure_file, rescore, score
from lib.qa.decode import DecodeError, decode
from lib.qa.flags import Flag, worst
from tests.lib.qa import signals as s


@pytest.fixture(scope="module")
def measures(tmp_path_factory):
    path = s.write(tmp_path_factory.mktemp("card") / "t.mp3",
                   s.sine(440, 10, 10 ** (-12 / 20)) + s.noise(10, 0.01))
    return measure_file(path)


def test_every_check_is_there_in_order(measures):
    card = score(measures, Asked(expected_seconds=10))
    assert tuple(card.checks) == CHECKS
    assert card.checks["duration"].flag is Flag.OK
    assert card.worst in (Flag.OK, Flag.WARN, Flag.FAIL)


def test_the_json_round_trip_keeps_everything(measures):
    card = score(measures, Asked(style="120 bpm", lyrics="la la", alignment=None))
    text = json.dumps(card.to_dict(), allow_nan=False)
    again = Scorecard.from_dict(json.loads(text))
    assert again.flags() == card.flags() and again.summary() == card.summary()
    assert again.measures == card.measures
    assert again.asked.style == "120 bpm"


def test_minus_infinity_survives_json(tmp_path):
    card = score(measure_file(s.write(tmp_path / "q.wav", s.silence(2))))
    again = Scorecard.from_dict(json.loads(json.dumps(card.to_dict(), allow_nan=False)))
    assert again.measures.lufs == float("-inf")


def test_thresholds_change_the_flags_and_the_version(measures):
    default = Thresholds()
    strict = Thresholds(lufs_min_ok=-10.0, lufs_max_ok=-9.0, lufs_min_warn=-10.5,
                        lufs_max_warn=-8.5)
    assert default.version != strict.version and len(default.version) == 8
    assert Thresholds().version == default.version
    card = score(measures, thresholds=default)
    assert card.checks["loudness"].flag is Flag.OK
    again = rescore(card, strict)
    assert again.checks["loudness"].flag is Flag.FAIL
    assert again.thresholds_version == strict.version
    assert again.measures is card.measures        # no decoding


def test_thresholds_from_partial_or_foreign_dicts():
    t = Thresholds.from_dict({"true_peak_ok": -2, "clipped_fail": 5.0, "nope": 1,
                              "lyrics_ok": "high", "clipped_warn": True})
    assert t.true_peak_ok == -2.0 and t.clipped_fail == 5 and isinstance(t.clipped_fail, int)
    assert t.lyrics_ok == Thresholds().lyrics_ok and t.clipped_warn == 1
    assert Thresholds.from_dict(Thresholds(gap_fail_seconds=9).to_dict()).gap_fail_seconds == 9
    assert Thresholds.from_dict(None) == Thresholds()


def test_duration_against_the_expected_one(measures):
    assert score(measures, Asked(expected_seconds=10.5)).checks["duration"].flag is Flag.OK
    assert score(measures, Asked(expected_seconds=13)).checks["duration"].flag is Flag.WARN
    assert score(measures, Asked(expected_seconds=30)).checks["duration"].flag is Flag.FAIL
    assert score(measures).checks["duration"].flag is Flag.SKIP


def test_worst():
    assert worst([Flag.OK, Flag.SKIP, Flag.WARN]) is Flag.WARN
    assert worst(["ok", "fail"]) is Flag.FAIL
    assert worst([]) is Flag.SKIP


def test_decoding_tells_the_format_and_refuses_non_audio(tmp_path):
    samples, rate = decode(s.write(tmp_path / "m.wav", s.sine(440, 1.5, 0.5, rate=22050,
                                                              channels=1), rate=22050))
    assert rate == 22050 and samples.shape == (33075, 1)
    bad = tmp_path / "bad.mp3"
    bad.write_bytes(b"not audio at all")
    with pytest.raises(DecodeError):
        measure_file(bad)
    with pytest.raises(DecodeError):
        measure_file(tmp_path / "missing.mp3")
