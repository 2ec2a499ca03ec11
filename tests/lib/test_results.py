"""lib.families.parse_poll against the literal record-info examples of every family."""

import copy

import pytest

from lib.contract.states import State
from lib.families import parse_poll
from tests.lib import contract_examples as ex


def data(envelope):
    return copy.deepcopy(envelope["data"])


def test_music_contract_example_verbatim():
    poll = parse_poll("music", data(ex.MUSIC_RECORD_INFO))
    assert (poll.raw_status, poll.state, poll.stage) == ("SUCCESS", State.SUCCEEDED, "complete")
    (track,) = poll.tracks
    assert track.id == "8551****662c" and track.index == 0
    assert track.audio_url == "…mp3" and track.stream_audio_url == "…"
    assert track.image_url == "…jpeg" and track.model_name == "chirp-v3-5"
    assert track.lyrics == "[Verse] …" and track.tags == "electrifying, rock"
    assert track.duration == 198.44 and track.create_time == "2025-01-01 00:00:00"
    assert {(a.kind, a.track_id) for a in poll.assets} == {("mp3", "8551****662c"),
                                                           ("image", "8551****662c")}
    assert poll.error_code is None and poll.error_message is None


def test_music_openapi_example():
    poll = parse_poll("music", data(ex.MUSIC_RECORD_INFO_OPENAPI))
    assert poll.state is State.SUCCEEDED
    assert poll.tracks[0].title == "钢铁侠"
    assert poll.tracks[0].audio_url == "https://example.cn/****.mp3"


@pytest.mark.parametrize(("example", "state", "stage"), [
    (ex.MUSIC_RECORD_INFO_PENDING, State.PENDING, "queued"),
    (ex.MUSIC_RECORD_INFO_TEXT_SUCCESS, State.PROCESSING, "text"),
    (ex.MUSIC_RECORD_INFO_FIRST_SUCCESS, State.PROCESSING, "first"),
])
def test_music_intermediate_stages(example, state, stage):
    poll = parse_poll("music", data(example))
    assert (poll.state, poll.stage) == (state, stage)
    assert all(t.audio_url is None for t in poll.tracks)  # "" is not a URL
    assert all(a.kind != "mp3" for a in poll.assets)


def test_intermediate_tracks_carry_stream_urls():
    poll = parse_poll("music", data(ex.MUSIC_RECORD_INFO_FIRST_SUCCESS))
    assert [t.stream_audio_url for t in poll.tracks] == ["https://example.cn/8551****662c",
                                                         "https://example.cn/bd15****1873"]
    assert [t.index for t in poll.tracks] == [0, 1]


def test_success_without_urls_stays_processing():
    raw = data(ex.MUSIC_RECORD_INFO_FIRST_SUCCESS)
    raw["status"] = "SUCCESS"
    poll = parse_poll("music", raw)
    assert poll.state is State.PROCESSING and poll.stage == "first"
    raw["response"]["sunoData"][0]["audioUrl"] = "https://x/a.mp3"
    assert parse_poll("music", raw).state is State.PROCESSING  # second track still missing
    raw["response"]["sunoData"][1]["audioUrl"] = "https://x/b.mp3"
    assert parse_poll("music", raw).state is State.SUCCEEDED


def test_success_with_no_tracks_is_not_success():
    raw = data(ex.MUSIC_RECORD_INFO_PENDING)
    raw["status"] = "SUCCESS"
    assert parse_poll("music", raw).state is State.PROCESSING


@pytest.mark.parametrize(("example", "code", "message"), [
    (ex.MUSIC_RECORD_INFO_SENSITIVE, 400, "The lyrics contain an artist name; please remove it."),
    (ex.MUSIC_RECORD_INFO_FAILED, 500, "Audio generation failed."),
])
def test_music_failures_keep_code_and_message(example, code, message):
    poll = parse_poll("music", data(example))
    assert (poll.state, poll.stage) == (State.FAILED, "error")
    assert (poll.error_code, poll.error_message) == (code, message)


def test_callback_exception_with_complete_results_is_success():
    raw = data(ex.MUSIC_RECORD_INFO)
    raw.update(status="CALLBACK_EXCEPTION", errorMessage="callback endpoint returned 500")
    poll = parse_poll("music", raw)
    assert poll.state is State.SUCCEEDED
    assert poll.error_message == "callback endpoint returned 500"
    raw["response"] = None
    assert parse_poll("music", raw).state is State.FAILED


def test_lyrics_variants_become_the_result():
    poll = parse_poll("lyrics", data(ex.LYRICS_RECORD_INFO))
    assert poll.state is State.SUCCEEDED and poll.assets == [] and poll.tracks == []
    (variant,) = poll.result["variants"]
    assert variant["title"] == "钢铁侠" and variant["text"].startswith("[Verse]")
    pending = parse_poll("lyrics", data(ex.LYRICS_RECORD_INFO_PENDING))
    assert pending.state is State.PENDING and pending.result is None


def test_wav():
    poll = parse_poll("wav", data(ex.WAV_RECORD_INFO))
    assert poll.state is State.SUCCEEDED and poll.raw_status == "SUCCESS"
    (asset,) = poll.assets
    assert (asset.kind, asset.url, asset.track_id) == (
        "wav", "https://example.com/s/04e6****e727.wav", "8551****662c")
    failed = parse_poll("wav", data(ex.WAV_RECORD_INFO_FAILED))
    assert failed.state is State.FAILED and failed.error_message == "WAV conversion failed"
    assert failed.assets == []


def test_stems_separate_vocal():
    poll = parse_poll("stems", data(ex.STEMS_RECORD_INFO_SEPARATE_VOCAL))
    assert poll.state is State.SUCCEEDED
    assert {a.kind for a in poll.assets} == {"stem:instrumental", "stem:vocal"}
    assert {a.track_id for a in poll.assets} == {"e231****-****-****-****-****8cadc7dc"}


def test_stems_split_stem_all_twelve():
    poll = parse_poll("stems", data(ex.STEMS_RECORD_INFO_SPLIT_STEM))
    kinds = {a.kind for a in poll.assets}
    assert len(kinds) == 12
    assert {"stem:backing_vocals", "stem:drums", "stem:woodwinds", "stem:fx"} <= kinds
    drums = next(a for a in poll.assets if a.kind == "stem:drums")
    assert drums.url.endswith("_Drums.mp3")


def test_stems_success_with_only_origin_is_not_done():
    raw = data(ex.STEMS_RECORD_INFO_SEPARATE_VOCAL)
    raw["response"] = {"originUrl": "https://x/o.mp3", "vocalUrl": "", "instrumentalUrl": None}
    assert parse_poll("stems", raw).state is State.PROCESSING


def test_mp4():
    poll = parse_poll("mp4", data(ex.MP4_RECORD_INFO))
    assert poll.state is State.SUCCEEDED
    assert [(a.kind, a.url) for a in poll.assets] == [
        ("mp4", "https://example.com/s/774b****0422f.mp4")]


def test_cover_integer_flags():
    poll = parse_poll("cover", data(ex.COVER_RECORD_INFO))
    assert poll.state is State.SUCCEEDED and poll.raw_status == 1
    assert [a.kind for a in poll.assets] == ["cover:1", "cover:2"]
    assert poll.error_code is None  # errorCode 200 on success is not an error
    generating = parse_poll("cover", data(ex.COVER_RECORD_INFO_GENERATING))
    assert generating.state is State.PROCESSING and generating.assets == []
    failed = parse_poll("cover", data(ex.COVER_RECORD_INFO_FAILED))
    assert failed.state is State.FAILED and failed.error_code == 500


@pytest.mark.parametrize("example", [ex.TIMESTAMPED_LYRICS_OK, ex.STYLE_BOOST_OK, ex.PERSONA_OK])
def test_sync_answers_are_results(example):
    poll = parse_poll("sync", data(example))
    assert poll.state is State.SUCCEEDED and poll.result == example["data"]


def test_sync_failed_flag_and_empty_answer():
    failed = data(ex.STYLE_BOOST_OK) | {"successFlag": "2", "errorMessage": "no"}
    assert parse_poll("sync", failed).state is State.FAILED
    assert parse_poll("sync", None).state is State.FAILED


@pytest.mark.parametrize("family", sorted(ex.RECORD_INFO_BY_FAMILY))
def test_every_family_example_succeeds_and_empty_data_is_pending(family):
    assert parse_poll(family, data(ex.RECORD_INFO_BY_FAMILY[family])).state is State.SUCCEEDED
    assert parse_poll(family, {}).state is State.PENDING


def test_unknown_family_raises():
    with pytest.raises(ValueError):
        parse_poll("video", {})
