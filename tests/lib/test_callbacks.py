"""lib.tracking.callbacks.parse_callback against the literal callback examples of every family."""

import copy

import pytest

from lib.tracking.callbacks import CallbackError, parse_callback
from tests.lib import contract_examples as ex


def parse(example):
    return parse_callback(copy.deepcopy(example))


def test_music_complete_wrapped_verbatim():
    info = parse(ex.CALLBACK_MUSIC_COMPLETE)
    assert (info.task_id, info.callback_type, info.code) == ("2fac****9f72", "complete", 200)
    assert info.msg == "All generated successfully." and info.family_guess == "music"
    first, second = info.tracks
    assert first.id == "8551****662c" and first.audio_url == "https://…mp3"
    assert first.stream_audio_url == "https://…" and first.model_name == "chirp-v3-5"
    assert first.create_time == "2025-01-01 00:00:00" and first.duration == 198.44
    assert second.id == "bd15****1873" and second.duration == 228.28 and second.audio_url is None


@pytest.mark.parametrize(("example", "kind"), [(ex.CALLBACK_MUSIC_TEXT, "text"),
                                               (ex.CALLBACK_MUSIC_FIRST, "first")])
def test_music_early_stages(example, kind):
    info = parse(example)
    assert info.callback_type == kind and info.family_guess == "music"
    assert [t.audio_url for t in info.tracks] == [None, None]
    assert all(t.stream_audio_url for t in info.tracks)


def test_music_flat_anyint_shape():
    info = parse(ex.CALLBACK_MUSIC_FLAT_ANYINT)
    assert (info.task_id, info.callback_type, info.code) == ("2fac****9f72", "complete", None)
    assert info.family_guess == "music"
    assert info.tracks[0].audio_url == "https://example.cn/8551****662c.mp3"


@pytest.mark.parametrize(("example", "code"), [(ex.CALLBACK_MUSIC_ERROR, 400),
                                               (ex.CALLBACK_MUSIC_ERROR_501, 501)])
def test_music_error_with_null_data(example, code):
    info = parse(example)
    assert (info.callback_type, info.code, info.family_guess) == ("error", code, "music")
    assert info.tracks == []


def test_lyrics_camelcase_task_id():
    info = parse(ex.CALLBACK_LYRICS)
    assert (info.task_id, info.family_guess, info.callback_type) == ("11dc****8b0f", "lyrics",
                                                                     "complete")
    assert info.tracks == []
    error = parse(ex.CALLBACK_LYRICS_ERROR)
    assert (error.family_guess, error.callback_type, error.code) == ("lyrics", "error", 400)


@pytest.mark.parametrize(("ok", "error", "family", "task_id"), [
    (ex.CALLBACK_WAV, ex.CALLBACK_WAV_ERROR, "wav", "988e****c8d3"),
    (ex.CALLBACK_STEMS_SEPARATE_VOCAL, ex.CALLBACK_STEMS_ERROR, "stems",
     "3e63b4cc88d52611159371f6af5571e7"),
    (ex.CALLBACK_MP4, ex.CALLBACK_MP4_ERROR, "mp4", "taskId_774b9aa0422f"),
    (ex.CALLBACK_COVER, ex.CALLBACK_COVER_ERROR, "cover", "21aee3c3c2a01fa5e030b3799fa4dd56"),
])
def test_single_stage_families(ok, error, family, task_id):
    info = parse(ok)
    assert (info.task_id, info.family_guess, info.callback_type, info.code) == (
        task_id, family, "complete", 200)
    failed = parse(error)
    assert (failed.task_id, failed.family_guess, failed.callback_type) == (task_id, family, "error")


def test_split_stem_callback():
    info = parse(ex.CALLBACK_STEMS_SPLIT_STEM)
    assert info.family_guess == "stems" and info.callback_type == "complete"


def test_null_result_with_code_200_is_an_error():
    payload = {"code": 200, "msg": "ok", "data": {"task_id": "t1", "video_url": None}}
    assert parse_callback(payload).callback_type == "error"


def test_flat_snake_case_without_wrapper_or_type():
    info = parse_callback({"task_id": "t9", "audioWavUrl": "https://x/y.wav"})
    assert (info.task_id, info.family_guess, info.callback_type) == ("t9", "wav", "complete")


@pytest.mark.parametrize("payload", [
    None, [], "text", 42,
    {},
    {"code": 200, "msg": "x", "data": None},
    {"code": 200, "data": {"callbackType": "complete", "data": []}},
    {"code": 200, "data": {"task_id": "", "data": []}},
    {"code": 200, "data": {"task_id": {"nested": 1}}},
    {"code": 200, "data": {"task_id": "t", "data": "not a list"}},
    {"code": 200, "data": {"task_id": "t", "data": ["not an object"]}},
    {"code": "abc", "data": {"task_id": "t"}},
])
def test_garbage_raises_callback_error(payload):
    with pytest.raises(CallbackError):
        parse_callback(payload)
