"""The issue's proofs on MP3s as the provider serves them (the WAV cases are in
`test_loudness` and `test_silence_clipping`): loudness within 0.5 LU of ffmpeg's EBU R128 at
several levels, silent gaps of a simulator song found within 0.1 s, a clipped master still
detected after MP3 encoding, and a clean master at -1 dBFS never flagged."""

import numpy as np
import pytest

from lib.qa import Asked, measure_file, score
from lib.qa.flags import Flag
from simulator import audio_io, synth
from tests.lib.qa import signals as s


@pytest.mark.parametrize("name, make", [
    ("quiet noise", lambda: s.noise(8, 10 ** (-35 / 20))),
    ("tone over a band", lambda: s.sine(220, 8, 0.35) + s.band_instrumental(8)),
    ("vocal-like", lambda: s.vocal_like(8)),
])
def test_mp3_loudness_agrees_with_ffmpeg_ebur128(tmp_path, name, make):
    path = s.write(tmp_path / "x.mp3", make())
    ours, theirs = measure_file(path).lufs, s.ffmpeg_r128(path)["I"]
    print(f"{name}: ours {ours:.2f} LUFS, ffmpeg {theirs:.1f} LUFS")
    assert abs(ours - theirs) <= 0.5


@pytest.fixture(scope="module")
def song_with_gaps(tmp_path_factory):
    """A simulator song (16 s) with two silences cut in: 4.0-6.5 s and 11.0-12.2 s."""
    spec = synth.SongSpec(seed=3, tempo_bpm=100.0, key=2, scale="major",
                          instruments=("drums", "bass", "keyboard"), vocal=False, seconds=16.0)
    mix = np.array(synth.render(spec).mix(), dtype=np.float32, copy=True)
    rate = synth.SR
    for start, end in ((4.0, 6.5), (11.0, 12.2)):
        mix[int(start * rate):int(end * rate)] = 0.0
    path = tmp_path_factory.mktemp("gaps") / "song.mp3"
    return audio_io.encode_mp3(mix, path)


def test_gaps_in_a_simulator_mp3_are_found_within_a_tenth_of_a_second(song_with_gaps):
    m = measure_file(song_with_gaps)
    assert len(m.gaps) == 2
    for (start, end), (want_start, want_end) in zip(m.gaps, ((4.0, 6.5), (11.0, 12.2)),
                                                     strict=True):
        assert start == pytest.approx(want_start, abs=0.1)
        assert end == pytest.approx(want_end, abs=0.1)
    card = score(m, Asked(expected_seconds=16))
    assert card.checks["gaps"].flag is Flag.WARN        # longest 2.5 s < 4 s


def test_a_clipped_master_is_still_detected_after_mp3_encoding(tmp_path):
    clipped = np.clip(s.sine(220, 4, 1.6) + s.noise(4, 0.05), -1.0, 1.0)
    m = measure_file(s.write(tmp_path / "clipped.mp3", clipped))
    print(f"clipped master as MP3: {m.clipped} samples in {m.clipped_runs} clipped runs")
    assert m.clipped >= 100
    assert score(m).checks["clipping"].flag is Flag.FAIL


def test_a_clean_master_at_minus_one_dbfs_is_not_clipped(tmp_path):
    m = measure_file(s.write(tmp_path / "clean.mp3", s.sine(220, 4, 10 ** (-1 / 20) * 0.95)))
    assert m.clipped == 0
    assert score(m).checks["clipping"].flag is Flag.OK
