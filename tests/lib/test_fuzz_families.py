"""A family never crashes on what a provider (or a forged callback) sends: every family's status
mapper, stage, record parser, failure words and callback readers take any JSON-like value
(`tests.lib.extremes`: huge and negative integers, ``1e400``-sized floats and NaN, lists and
objects where a status belongs). A status no family can read is one we do not know: the task is
still working and is polled again.

`CASES` examples per family and function (200 here, more in `make soak`'s fuzz).
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lib import families
from lib.contract.states import STAGES, State
from tests.lib.extremes import FUZZ, HUGE, short, values

NAMES = sorted(families.FAMILIES)
#: Every key a family reads in a record, a response or a callback, and a few it never reads.
KEYS = ("status", "successFlag", "code", "msg", "data", "response", "sunoData", "images",
        "midiData", "errorCode", "errorMessage", "audioId", "musicId", "taskId", "task_id",
        "callbackType", "validateInfo", "voiceId", "instruments", "audioUrl", "audio_url", "id",
        "title", "duration", "error", "junk")

records = st.recursive(
    values, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                    st.dictionaries(st.sampled_from(KEYS), inner, max_size=6)),
    max_leaves=12)
objects = st.dictionaries(st.sampled_from(KEYS), records, max_size=8)
#: Statuses no family can read: not a word, not a plain number.
UNREADABLE = [[1570], [], {}, {"status": "SUCCESS"}, ["SUCCESS"], *HUGE,
              float("nan"), float("inf"), float("-inf")]


@pytest.mark.parametrize("name", NAMES)
def test_status_mapping_never_raises(name):
    family = families.get(name)

    @FUZZ
    @given(values)
    def check(raw):
        assert isinstance(family.map_status(raw), State)
        assert family.stage_of(raw) in STAGES
        assert families.map_status(name, raw) is family.map_status(raw)

    check()


@pytest.mark.parametrize("name", NAMES)
def test_parse_never_raises(name):
    """A record with anything in any key (the status key too) parses, and what the log stores
    of it (`str(raw_status)`) can be written."""
    family = families.get(name)

    @FUZZ
    @given(st.one_of(objects, records), values)
    def check(record, raw):
        if isinstance(record, dict):
            record = family.with_status(raw, record)
        result = family.parse(record)
        assert isinstance(result.state, State) and result.stage in STAGES
        assert isinstance(str(result.raw_status), str)

    check()


@pytest.mark.parametrize("name", NAMES)
def test_callback_readers_and_words_never_raise(name):
    family = families.get(name)

    @FUZZ
    @given(objects, objects, values)
    def check(payload, body, raw):
        family.claims_callback(payload, body)
        family.callback_failed(payload, body)
        family.callback_tracks(body)
        family.failure_text(raw)

    check()


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("raw", UNREADABLE, ids=short)
def test_an_unreadable_status_is_one_we_do_not_know(name, raw):
    """``families.map_status('recovery', [1570])`` raised TypeError (unhashable type): a status
    that is a list, an object, NaN or 10**400 reads as still working, queued, polled again."""
    assert families.map_status(name, raw) is State.PROCESSING
    assert families.stage_of(name, raw) == "queued"
    result = families.parse_poll(name, families.get(name).with_status(raw))
    assert result.state is State.PROCESSING


def test_readable_statuses_keep_their_meaning():
    assert families.map_status("recovery", 200) is State.SUCCEEDED
    assert families.map_status("recovery", 500) is State.FAILED
    assert families.map_status("cover", "3") is State.FAILED
    assert families.map_status("music", " first_success ") is State.PROCESSING
    assert families.stage_of("music", "FIRST_SUCCESS") == "first"
    assert families.map_status("sync", None) is State.SUCCEEDED
    assert families.map_status("voice_phrase", "fail") is State.FAILED


def test_midi_with_a_number_or_text_where_a_list_belongs_reads_as_no_notes():
    """Found by `make soak fuzz` (1,000 cases): ``"instruments": 0`` raised TypeError."""
    from lib.families.midi import notes_of

    assert notes_of({"instruments": 0}) == {"state": None, "instruments": []}
    assert notes_of({"instruments": [{"notes": 7}]})["instruments"][0]["notes"] == []
    assert notes_of({"instruments": "abc"})["instruments"] == []
