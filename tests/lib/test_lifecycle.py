"""lib.contract.states: every family's raw statuses (contract section 7), stages, never-backwards."""

import pytest

from lib.contract.states import State, merge, merge_stage
from lib.families import map_status, stage_of

P, R, S, F, U = State.PENDING, State.PROCESSING, State.SUCCEEDED, State.FAILED, State.UNKNOWN

# contract section 7, row by row
TABLE = [
    ("music", "PENDING", P, "queued"), ("music", "TEXT_SUCCESS", R, "text"),
    ("music", "FIRST_SUCCESS", R, "first"), ("music", "SUCCESS", S, "complete"),
    ("music", "CREATE_TASK_FAILED", F, "error"), ("music", "GENERATE_AUDIO_FAILED", F, "error"),
    ("music", "CALLBACK_EXCEPTION", F, "error"), ("music", "SENSITIVE_WORD_ERROR", F, "error"),
    ("lyrics", "PENDING", P, "queued"), ("lyrics", "SUCCESS", S, "complete"),
    ("lyrics", "CREATE_TASK_FAILED", F, "error"), ("lyrics", "GENERATE_LYRICS_FAILED", F, "error"),
    ("lyrics", "CALLBACK_EXCEPTION", F, "error"), ("lyrics", "SENSITIVE_WORD_ERROR", F, "error"),
    ("wav", "PENDING", P, "queued"), ("wav", "SUCCESS", S, "complete"),
    ("wav", "CREATE_TASK_FAILED", F, "error"), ("wav", "GENERATE_WAV_FAILED", F, "error"),
    ("wav", "CALLBACK_EXCEPTION", F, "error"),
    ("stems", "PENDING", P, "queued"), ("stems", "SUCCESS", S, "complete"),
    ("stems", "CREATE_TASK_FAILED", F, "error"), ("stems", "GENERATE_AUDIO_FAILED", F, "error"),
    ("stems", "CALLBACK_EXCEPTION", F, "error"),
    ("mp4", "PENDING", P, "queued"), ("mp4", "SUCCESS", S, "complete"),
    ("mp4", "CREATE_TASK_FAILED", F, "error"), ("mp4", "GENERATE_MP4_FAILED", F, "error"),
    ("mp4", "CALLBACK_EXCEPTION", F, "error"),
    ("cover", 0, P, "queued"), ("cover", 1, S, "complete"), ("cover", 2, R, "queued"),
    ("cover", 3, F, "error"), ("cover", "1", S, "complete"),
    ("sync", "0", P, "queued"), ("sync", "1", S, "complete"), ("sync", "2", F, "error"),
    ("sync", None, S, "complete"),
]


@pytest.mark.parametrize(("family", "raw", "state", "stage"), TABLE)
def test_every_documented_status(family, raw, state, stage):
    assert map_status(family, raw) is state
    assert stage_of(family, raw) == stage


def test_state_is_a_str_enum_with_terminal_flag():
    assert State("succeeded") == "succeeded"
    assert [s.value for s in State if s.terminal] == ["succeeded", "failed"]


@pytest.mark.parametrize("family", ["music", "lyrics", "wav", "stems", "mp4"])
def test_unknown_raw_values_keep_polling_unless_they_look_terminal(family):
    assert map_status(family, "QUEUED_SOMEWHERE") is R
    assert map_status(family, "GENERATE_SOMETHING_FAILED") is F
    assert map_status(family, "NEW_ERROR") is F
    assert map_status(family, None) is P


def test_unknown_cover_flag_is_processing_and_unknown_family_raises():
    assert map_status("cover", 7) is R
    assert map_status("cover", None) is P
    with pytest.raises(ValueError):
        map_status("video", "SUCCESS")


def test_lowercase_raw_is_accepted():
    assert map_status("music", "success") is S


@pytest.mark.parametrize(("old", "new", "expected"), [
    (P, R, R), (R, P, R), (R, S, S), (S, R, S), (S, F, S), (F, S, F), (F, P, F),
    (U, P, P), (U, S, S), (U, F, F), (None, R, R), (R, U, R), (P, U, P), (S, U, S),
    ("processing", "pending", R),
])
def test_merge_never_moves_backwards(old, new, expected):
    assert merge(old, new) is expected


@pytest.mark.parametrize(("old", "new", "expected"), [
    (None, "queued", "queued"), ("queued", "text", "text"), ("first", "text", "first"),
    ("complete", "first", "complete"), ("error", "queued", "error"), ("text", None, "text"),
])
def test_merge_stage_never_moves_backwards(old, new, expected):
    assert merge_stage(old, new) == expected
