"""simulator.audio_io: MP3/WAV encoding and ffmpeg decoding round trips (no ffprobe)."""
import wave

import numpy as np
import pytest

from simulator import audio_io, synth
from simulator.synth import SR


@pytest.fixture(scope="module")
def pcm():
    return synth.render(synth.spec_from_request("rock", None, "la", "T", False, 3.3, 0)).mix()


def test_ffmpeg_is_the_pip_binary():
    assert "imageio_ffmpeg" in audio_io.ffmpeg_exe()


def test_mp3_round_trip_keeps_duration_and_content(pcm, tmp_path):
    path = audio_io.encode_mp3(pcm, tmp_path / "a.mp3")
    head = path.read_bytes()[:3]
    assert head == b"ID3" or (head[0] == 0xFF and head[1] & 0xE0 == 0xE0)
    out = audio_io.decode(path)
    assert out.dtype == np.float32 and out.ndim == 2 and out.shape[1] == 2
    assert abs(len(out) / SR - 3.3) <= 0.15
    assert audio_io.duration_of(path) == pytest.approx(3.3, abs=0.15)
    n = min(len(out), len(pcm))
    for ch in (0, 1):                                     # time-aligned, channels not swapped
        assert np.corrcoef(out[:n, ch], pcm[:n, ch])[0, 1] > 0.95


def test_wav_header_and_round_trip(pcm, tmp_path):
    path = audio_io.encode_wav(pcm, tmp_path / "a.wav")
    data = path.read_bytes()
    assert data[:4] == b"RIFF" and data[8:12] == b"WAVE" and data[12:16] == b"fmt "
    with wave.open(str(path), "rb") as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate(), w.getnframes()) == (2, 2, SR, len(pcm))
    assert np.allclose(audio_io.decode(path), pcm, atol=2 / 32767)
    assert audio_io.duration_of(path) == pytest.approx(len(pcm) / SR)


def test_decode_bytes_equals_decode_path_and_mono_input(tmp_path):
    mono = np.sin(2 * np.pi * 440 * np.arange(SR) / SR).astype(np.float32) * 0.5
    path = audio_io.encode_wav(mono, tmp_path / "mono.wav")
    out = audio_io.decode(path.read_bytes())
    assert np.array_equal(out, audio_io.decode(path))
    assert out.shape == (SR, 2) and np.allclose(out[:, 0], out[:, 1])


def test_bad_input_raises(tmp_path):
    with pytest.raises(audio_io.AudioError):
        audio_io.decode(b"this is not audio")
    with pytest.raises(ValueError):
        audio_io.encode_wav(np.zeros((10, 3)), tmp_path / "x.wav")
