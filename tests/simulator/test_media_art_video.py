"""simulator.art and simulator.video: per-seed cover images and still-image MP4s with audio."""
import io

import numpy as np
import pytest
from PIL import Image

from simulator import art, audio_io, synth, video
from simulator.synth import SR


def pixels(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"), dtype=np.float64)


def test_png_and_jpeg_bytes():
    png = art.cover_image(1, "Night Drive", "synthwave")
    jpeg = art.cover_image(1, "Night Drive", "synthwave", fmt="jpeg", size=256)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and jpeg[:3] == b"\xff\xd8\xff"
    assert Image.open(io.BytesIO(png)).size == (512, 512) and Image.open(io.BytesIO(jpeg)).size == (256, 256)


def test_same_seed_same_image_other_seed_other_image():
    assert art.cover_image(7, "A", "pop") == art.cover_image(7, "A", "pop")
    a, b = pixels(art.cover_image(7, "A", "pop")), pixels(art.cover_image(8, "A", "pop"))
    assert np.abs(a - b).mean() > 20
    assert art.cover_image("task-abc", "A", "pop") != art.cover_image("task-abd", "A", "pop")


def test_title_is_drawn():
    a, b = pixels(art.cover_image(3, "First Title", "pop")), pixels(art.cover_image(3, "Other Words", "pop"))
    assert np.abs(a - b)[256:].mean() > 1 and np.abs(a - b)[:200].mean() == 0   # text sits low


def test_bad_format_raises():
    with pytest.raises(ValueError):
        art.cover_image(1, "A", "pop", fmt="gif")


def test_frame_is_even_sized_and_carries_author_and_domain(tmp_path):
    odd = tmp_path / "odd.png"
    Image.new("RGB", (301, 201), (40, 90, 160)).save(odd)
    plain = np.asarray(video.frame(odd), dtype=np.float64)
    marked = np.asarray(video.frame(odd, author="Jane Doe", domain="songbench.test"), dtype=np.float64)
    assert plain.shape == (200, 300, 3)
    assert np.abs(marked - plain)[150:].mean() > 5        # author band at the bottom
    assert np.abs(marked - plain)[:20, 150:].mean() > 1   # domain watermark top right


def test_mp4_has_ftyp_faststart_and_the_audio(tmp_path):
    pcm = synth.render(synth.spec_from_request("pop", None, "la", "T", False, 3, 0)).mix()
    audio = audio_io.encode_mp3(pcm, tmp_path / "a.mp3")
    image = tmp_path / "c.jpg"
    image.write_bytes(art.cover_image(5, "Title", "pop", fmt="jpeg"))
    out = video.make_mp4(image, audio, tmp_path / "v.mp4", author="Jane", domain="example.org")
    data = out.read_bytes()
    assert data[4:8] == b"ftyp"
    assert data.index(b"moov") < data.index(b"mdat")       # +faststart
    sound = audio_io.decode(out)
    assert abs(len(sound) / SR - 3.0) <= 0.15
    assert np.sqrt(np.mean(sound ** 2)) > 0.05
