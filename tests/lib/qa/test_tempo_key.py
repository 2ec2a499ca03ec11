"""Tempo of click tracks and simulator songs, the key of chord progressions, and reading the
asked tempo and key from style text."""

import pytest

from lib.qa import Asked, measure_file, score
from lib.qa.flags import Flag
from lib.qa.tempo_key import Key, asked_key, asked_tempo
from simulator import audio_io, synth
from tests.lib.qa import signals as s


@pytest.mark.parametrize("bpm", [72, 90, 120, 128, 150])
def test_a_click_track_tempo_is_found_within_2_percent(tmp_path, bpm):
    m = measure_file(s.write(tmp_path / "clicks.wav", s.clicks(bpm, 20)))
    assert m.tempo_bpm == pytest.approx(bpm, rel=0.02)


def test_a_fast_click_track_may_read_at_half_tempo(tmp_path):
    """The documented octave ambiguity: 174 bpm clicks read 87 (the prior favours 120)."""
    m = measure_file(s.write(tmp_path / "clicks.wav", s.clicks(174, 20)))
    assert m.tempo_bpm == pytest.approx(87, rel=0.02)
    check = score(m, Asked(style="174 bpm drum and bass")).checks["tempo"]
    assert check.flag is Flag.WARN and "half or double" in check.detail


@pytest.mark.parametrize("bpm, instruments", [
    (96, ("drums", "bass", "keyboard")), (120, ("drums", "bass", "guitar")),
    (140, ("synth", "drums", "bass"))])
def test_a_simulator_song_tempo_is_found_within_3_percent_or_an_octave(tmp_path, bpm,
                                                                      instruments):
    spec = synth.SongSpec(seed=11, tempo_bpm=float(bpm), key=9, scale="minor",
                          instruments=instruments, vocal=True, seconds=20.0)
    path = audio_io.encode_mp3(synth.render(spec).mix(), tmp_path / "song.mp3")
    found = measure_file(path).tempo_bpm
    assert found is not None
    assert min(abs(found / (bpm * k) - 1) for k in (0.5, 1, 2)) <= 0.03


def test_too_short_for_a_tempo(tmp_path):
    assert measure_file(s.write(tmp_path / "short.wav", s.clicks(120, 2))).tempo_bpm is None


E_MINOR = [[52, 55, 59, 64], [45, 57, 60, 64], [47, 54, 59, 63], [52, 55, 59, 64],
           [48, 55, 60, 64], [45, 57, 60, 64], [47, 54, 57, 63], [52, 55, 59, 64]]
C_MAJOR = [[48, 60, 64, 67], [53, 60, 65, 69], [55, 59, 62, 67], [48, 60, 64, 67],
           [45, 57, 60, 64], [53, 60, 65, 69], [55, 59, 62, 65], [48, 60, 64, 67]]


@pytest.mark.parametrize("progression, key", [(E_MINOR, "E minor"), (C_MAJOR, "C major")])
def test_the_key_of_a_chord_progression(tmp_path, progression, key):
    m = measure_file(s.write(tmp_path / "chords.mp3", s.chords(progression * 2)))
    assert m.key == key


def test_tempo_and_key_are_judged_against_the_style(tmp_path):
    path = s.write(tmp_path / "em.wav", s.chords(E_MINOR * 2, chord_seconds=0.5)
                   + s.clicks(120, 8))
    m = measure_file(path)
    card = score(m, Asked(style="dark synthwave, 120 bpm, E minor"))
    assert card.checks["tempo"].flag is Flag.OK
    assert card.checks["key"].flag is Flag.OK
    assert score(m, Asked(style="G major, 60 bpm")).checks["key"].flag is Flag.WARN  # relative
    off = score(m, Asked(style="F# major, 100 bpm"))
    assert off.checks["key"].flag is Flag.FAIL and off.checks["tempo"].flag is Flag.FAIL
    half = score(m, Asked(style="60 bpm")).checks["tempo"]
    assert half.flag is Flag.WARN and "half or double" in half.detail
    nothing = score(m, Asked(style="lo-fi"))
    assert nothing.checks["tempo"].flag is Flag.SKIP and nothing.checks["key"].flag is Flag.SKIP


@pytest.mark.parametrize("text, bpm", [("synthwave, 120 bpm", 120.0), ("128BPM house", 128.0),
                                       ("slow 72-bpm ballad", 72.0), ("rock", None),
                                       ("a 3 bpm drone", None), ("99.5 bpm", 99.5)])
def test_asked_tempo(text, bpm):
    assert asked_tempo(text) == bpm


@pytest.mark.parametrize("text, key", [
    ("E minor", Key(4, "minor")), ("dark pop in F# major", Key(6, "major")),
    ("Bb min ballad", Key(10, "minor")), ("C-sharp minor", Key(1, "minor")),
    ("Eb major", Key(3, "major")), ("a minor chord vibe", Key(9, "minor")),
    ("jazz", None), ("major label sound", None)])
def test_asked_key(text, key):
    assert asked_key(text) == key


def test_relative_keys():
    assert Key(4, "minor").relative == Key(7, "major")
    assert Key(0, "major").relative == Key(9, "minor")
    assert str(Key(4, "minor")) == "E minor"
