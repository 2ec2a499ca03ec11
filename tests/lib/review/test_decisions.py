"""Approve, reject, flag and notes on takes: refusals in words, the status is the latest
decision, and approved takes count as usable in experiment results."""

from __future__ import annotations

import pytest

from lib.experiments import results
from lib.log.sqlite import SqliteLog
from lib.review import decisions
from tests.lib.review.support import finished_experiment


@pytest.fixture
def setup(tmp_path):
    log = SqliteLog(tmp_path / "log.db")
    return log, finished_experiment(log, tmp_path / "assets", repeats=1)


def test_refusals_say_what_is_missing(setup):
    log, _ = setup
    with pytest.raises(decisions.ReviewRefused, match="Your name is required"):
        decisions.decide(log, "warm-1-0", "approve", reviewer=" ")
    with pytest.raises(decisions.ReviewRefused, match="Say why you reject"):
        decisions.decide(log, "warm-1-0", "reject", reviewer="ana")
    with pytest.raises(decisions.ReviewRefused, match="A note needs some text"):
        decisions.decide(log, "warm-1-0", "note", reviewer="ana", reason="  ")
    with pytest.raises(decisions.ReviewRefused, match="No take has the id"):
        decisions.decide(log, "nope", "approve", reviewer="ana")
    assert log.review_history("warm-1-0") == []


def test_status_is_the_latest_decision(setup):
    log, _ = setup
    decisions.decide(log, "warm-1-0", "approve", reviewer="ana", now=1.0)
    decisions.decide(log, "warm-1-0", "flag", reviewer="ben", reason="a click at 0:12", now=2.0)
    decisions.decide(log, "bright-1-0", "approve", reviewer="ana", now=1.0)
    assert decisions.statuses(log, ["warm-1-0", "bright-1-0", "bright-1-1"]) == {
        "warm-1-0": "flag", "bright-1-0": "approve"}
    latest = log.latest_reviews(["warm-1-0"])["warm-1-0"]
    assert decisions.status_line(latest) == "Flagged by ben: a click at 0:12"


def test_an_approved_take_is_usable_even_unrated(setup):
    log, exp = setup
    summary = results.variant_summary(results.results(log, exp)).set_index("variant")
    assert summary.loc["warm", "usable takes"] == 0
    decisions.decide(log, "warm-1-0", "approve", reviewer="ana")
    log.set_rating("warm-1-1", 4)
    log.set_rating("bright-1-0", 3)
    decisions.decide(log, "bright-1-1", "reject", reviewer="ana", reason="off key")
    res = results.results(log, exp)
    summary = results.variant_summary(res).set_index("variant")
    assert summary.loc["warm", "usable takes"] == 2  # approved + rated 4
    assert summary.loc["bright", "usable takes"] == 0
    decisions.decide(log, "warm-1-1", "approve", reviewer="ana")  # rated 4 AND approved: once
    summary = results.variant_summary(results.results(log, exp)).set_index("variant")
    assert summary.loc["warm", "usable takes"] == 2
    assert res.cells[("warm", 1)].reviews["warm-1-0"] == "approve"
