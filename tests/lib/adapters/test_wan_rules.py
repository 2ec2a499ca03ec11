"""The wan video models' own rules, checked before anything is sent (issue 16, part 2;
contract-media 2.5): the sizes and resolutions each model offers (wan2.6 has no 480P), named
with the model and the allowed values, the same table as the simulator's; and the audio of a
music-driven video (wav or mp3, at most 15 MB, 3-30 s), declared on the operations' audio
source and refused on upload."""

from __future__ import annotations

import pytest

from lib import ops
from lib.ops import video_i2v, video_t2v
from lib.ops._common import WAN_AUDIO, WAN_SIZE_TIERS
from lib.provider import uploads
from simulator.media_ops import _wan_models as sim
from tests.helpers import wav_bytes

T2V = {"model": "wan2.6-t2v", "prompt": "waves at dusk", "size": "1280*720", "duration": 5}
I2V = {"model": "wan2.6-i2v", "img_url": "https://cdn.test/a.png", "resolution": "720P",
       "duration": 5}


def test_wan26_refuses_480p_naming_the_model_and_the_allowed_values():
    assert ops.validate("video_t2v", T2V) == []
    (error,) = ops.validate("video_t2v", {**T2V, "size": "832*480"})
    assert error.field == "size"
    assert error.message == (
        "Size 832*480 (480P) is not offered by wan2.6-t2v: it makes 720P or 1080P video, sizes "
        "1280*720, 720*1280, 960*960, 1088*832, 832*1088, 1920*1080, 1080*1920, 1440*1440, "
        "1632*1248 or 1248*1632")
    (error,) = ops.validate("video_i2v", {**I2V, "resolution": "480P"})
    assert (error.field, error.message) == (
        "resolution", "Resolution 480P is not offered by wan2.6-i2v: it makes 720P or 1080P "
                      "video")
    # a model that offers 480P takes it; one that lacks 720P refuses the default size
    assert ops.validate("video_t2v", {**T2V, "model": "wan2.5-t2v-preview",
                                      "size": "832*480"}) == []
    (error,) = ops.validate("video_t2v", {**T2V, "model": "wan2.2-t2v-plus"})
    assert error.message.startswith("Size 1280*720 (720P) is not offered by wan2.2-t2v-plus: "
                                    "it makes 480P or 1080P video")


def test_durations_per_t2v_model():
    assert ops.validate("video_t2v", {**T2V, "duration": 12}) == []
    (error,) = ops.validate("video_t2v", {**T2V, "model": "wan2.5-t2v-preview", "duration": 7})
    assert error.message == "Duration must be 5 or 10 s with wan2.5-t2v-preview"


@pytest.mark.parametrize("module", [video_t2v, video_i2v])
def test_the_tiers_are_the_simulators(module):
    """Both tables say what each model offers; a change to one side only fails here."""
    for model in module.MODELS:
        assert module.TIERS[model] == sim.MODELS[model].tiers, model
        assert module.DURATIONS.get(model, (5,)) == sim.MODELS[model].durations, model
    assert WAN_SIZE_TIERS == sim.TIERS
    assert WAN_AUDIO.seconds == sim.AUDIO_SECONDS and WAN_AUDIO.max_bytes == sim.AUDIO_MAX_BYTES


def test_the_media_audio_source_declares_the_limits():
    for name in ("video_t2v", "video_i2v"):
        (audio,) = [s for s in ops.get(name).ui.sources if s.kind == "audio"]
        assert audio.limits == WAN_AUDIO and audio.clip_s == 30, name
    # the music operations' uploads keep the upload host's own limits
    assert all(s.limits is None for s in ops.get("upload_cover").ui.sources)
    assert WAN_AUDIO.types == ("wav", "mp3") and WAN_AUDIO.max_mb == 15


def test_an_upload_outside_the_media_limits_is_refused_in_words():
    limits = WAN_AUDIO
    assert uploads.check_audio("song.wav", wav_bytes(5.0), limits) is None
    assert uploads.check_audio("song.m4a", b"\0\0\0\x20ftypM4A " + b"\0" * 64, limits) == (
        "song.m4a: .m4a is not accepted; DashScope takes .mp3, .wav.")
    big = b"ID3" + b"\0" * (16 * 1024 * 1024)
    assert uploads.check_audio("big.mp3", big, limits) == (
        "big.mp3: 16.0 MB is too large; the limit is 15 MB (DashScope's).")
    assert uploads.check_audio("big.mp3", big) is None  # a music upload takes up to 50 MB
    assert "not wav or mp3" in uploads.check_audio("song.mp3", b"OggS" + b"\0" * 64, limits)
    assert uploads.check_length("take.wav", 2.0, limits) == (
        "take.wav: the audio is 2 s long; DashScope takes 3-30 s (wav or mp3, at most 15 MB).")
    assert uploads.check_length("take.wav", 30.0, limits) is None
    assert uploads.check_length("take.wav", 40.0, None) is None


def test_a_too_long_upload_is_refused_before_it_is_sent(tmp_path):
    class NoClient:
        def upload_bytes(self, *a, **kw):
            raise AssertionError("a refused file was sent")

    with pytest.raises(uploads.UploadRefused, match="the audio is 31 s long; DashScope takes "
                                                    "3-30 s"):
        uploads.upload_audio(NoClient(), tmp_path / "up", "long.wav", wav_bytes(31.0, 4000),
                             attested=True, limits=WAN_AUDIO)
    assert not list((tmp_path / "up").iterdir())  # nothing kept either
