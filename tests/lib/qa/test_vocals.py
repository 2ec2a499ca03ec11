"""Vocals on an instrumental: the stem's level when a stem exists, else the vocal-band
heuristic (which only ever warns)."""

import pytest

from lib.qa import Asked, measure_file, score
from lib.qa.flags import Flag
from tests.lib.qa import signals as s


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    root = tmp_path_factory.mktemp("vocals")
    band = s.band_instrumental(12)
    voice = s.vocal_like(12)
    return {"band": s.write(root / "band.mp3", band),
            "sung": s.write(root / "sung.mp3", band * 0.6 + voice * 0.8),
            "voice_stem": s.write(root / "voice.mp3", voice * 0.8),
            "quiet_stem": s.write(root / "quiet.mp3", s.noise(12, 0.0005))}


def test_the_heuristic_tells_a_band_from_a_sung_track(files):
    band, sung = measure_file(files["band"]), measure_file(files["sung"])
    assert band.vocal_share is not None and band.vocal_share < 0.1
    assert sung.vocal_share is not None and sung.vocal_share > 0.6


def test_the_heuristic_warns_on_an_instrumental_that_sounds_sung(files):
    asked = Asked(instrumental=True)
    sung = score(measure_file(files["sung"]), asked).checks["vocals"]
    assert sung.flag is Flag.WARN and sung.extra["method"] == "heuristic"
    assert score(measure_file(files["band"]), asked).checks["vocals"].flag is Flag.OK


def test_vocals_are_not_judged_when_they_were_not_excluded(files):
    m = measure_file(files["sung"])
    assert score(m, Asked(instrumental=False)).checks["vocals"].flag is Flag.SKIP
    assert score(m, Asked()).checks["vocals"].flag is Flag.SKIP


def test_a_loud_vocal_stem_fails_an_instrumental(files):
    m = measure_file(files["sung"], stem_path=files["voice_stem"])
    assert m.vocal_stem_db is not None and m.vocal_stem_db > -10
    check = score(m, Asked(instrumental=True)).checks["vocals"]
    assert check.flag is Flag.FAIL and check.extra["method"] == "stem"


def test_a_near_silent_vocal_stem_passes_an_instrumental(files):
    m = measure_file(files["band"], stem_path=files["quiet_stem"])
    assert m.vocal_stem_db is not None and m.vocal_stem_db < -40
    assert score(m, Asked(instrumental=True)).checks["vocals"].flag is Flag.OK
