"""Coverage of the lyrics by a timestamped alignment (contract §5.9 shape)."""

import pytest

from lib.qa import Thresholds
from lib.qa.flags import Flag
from lib.qa.lyrics_coverage import aligned_words, coverage, judge, words
from tests.lib import contract_examples as ex

LYRICS = """[Verse]
Waggin' tails down the street,
Happy paws and muddy feet

[Chorus]
(woof) We run, we run all day
"""


def _aligned(*entries):
    return {"alignedWords": [{"word": w, "success": ok, "startS": i * 0.5, "endS": i * 0.5 + 0.4,
                              "palign": 0} for i, (w, ok) in enumerate(entries)]}


def test_words_drop_tags_directions_and_punctuation():
    """Apostrophes inside words stay (don't), elisions at the ends go (waggin' = waggin)."""
    assert words("Don't stop") == ["don't", "stop"]
    assert words(LYRICS) == ["waggin", "tails", "down", "the", "street", "happy", "paws",
                             "and", "muddy", "feet", "we", "run", "we", "run", "all", "day"]


def test_the_contract_example_is_read():
    found = aligned_words(ex.TIMESTAMPED_LYRICS_OK["data"])
    assert found == [{"word": "waggin", "success": True, "start": 1.36, "end": 1.79}]
    assert coverage("[Verse]\nWaggin'", ex.TIMESTAMPED_LYRICS_OK["data"])["coverage"] == 1.0


def test_full_coverage():
    entries = [(f"[Verse]\n{w}" if i == 0 else w, True) for i, w in enumerate(words(LYRICS))]
    check = judge(LYRICS, _aligned(*entries), False, Thresholds())
    assert check.value == 1.0 and check.flag is Flag.OK


def test_missing_and_unaligned_words_lower_the_coverage():
    kept = words(LYRICS)[:10]                 # the chorus never aligned
    entries = [(w, w != "paws") for w in kept]  # and one word failed to align
    found = coverage(LYRICS, _aligned(*entries))
    assert (found["matched"], found["lyric_words"]) == (9, 16)
    assert found["missing"][:2] == ["paws", "we"]
    check = judge(LYRICS, _aligned(*entries), False, Thresholds())
    assert check.value == pytest.approx(9 / 16, abs=0.001) and check.flag is Flag.FAIL
    assert judge(LYRICS, _aligned(*entries), False,
                 Thresholds(lyrics_ok=0.5)).flag is Flag.OK


def test_order_matters_words_out_of_place_do_not_count():
    shuffled = list(reversed(words(LYRICS)))
    assert coverage(LYRICS, _aligned(*[(w, True) for w in shuffled]))["coverage"] < 0.3


def test_nothing_to_judge():
    t = Thresholds()
    assert judge(LYRICS, None, False, t).flag is Flag.SKIP
    assert judge("", _aligned(("hey", True)), False, t).flag is Flag.SKIP
    assert judge(LYRICS, _aligned(("hey", True)), True, t).flag is Flag.SKIP
    assert judge("[Intro]", _aligned(("hey", True)), False, t).flag is Flag.SKIP


def test_malformed_alignments_are_tolerated():
    assert aligned_words({"alignedWords": [None, {"word": 3}, {"startS": 1}]}) == []
    assert aligned_words("nonsense") == []
    assert coverage(LYRICS, {"alignedWords": "x"})["coverage"] == 0.0
