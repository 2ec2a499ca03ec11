"""Files made once per module: signals written with the pip-shipped ffmpeg."""

import pytest

from simulator import audio_io, synth


@pytest.fixture(scope="session")
def simulator_mp3(tmp_path_factory):
    """A 20 s simulator song (120 bpm, E minor, with vocals), rendered by the simulator's own
    synthesiser and encoded to MP3 as the simulator serves it."""
    spec = synth.SongSpec(seed=7, tempo_bpm=120.0, key=4, scale="minor",
                          instruments=("drums", "bass", "keyboard"), vocal=True, seconds=20.0)
    path = tmp_path_factory.mktemp("sim") / "song.mp3"
    return audio_io.encode_mp3(synth.render(spec).mix(), path)
