"""A blind session end to end over the log: takes from an experiment's variants, loudness
measured on the archived files, reviewers' balanced trials, answers, results."""

from __future__ import annotations

import pytest

from lib.log.sqlite import SqliteLog
from lib.review import sessions
from tests.lib.review.support import finished_experiment


@pytest.fixture
def setup(tmp_path):
    log = SqliteLog(tmp_path / "log.db")
    exp = finished_experiment(log, tmp_path / "assets", repeats=2)
    return log, exp


def _create(log, exp, **kw):
    sets = sessions.experiment_sets(log, exp)
    return sessions.create(log, name="Blind styles", x_label="warm", xs=sets["warm"],
                           y_label="bright", ys=sets["bright"], seed=11,
                           source={"kind": "experiment", "experiment_id": exp}, **kw)


def test_experiment_sets_are_the_archived_takes_per_variant_in_grid_order(setup, tmp_path):
    log, exp = setup
    sets = sessions.experiment_sets(log, exp)
    assert list(sets) == ["warm", "bright"]
    assert [t.label for t in sets["warm"]] == [
        "warm · repeat 1 · take 1", "warm · repeat 1 · take 2",
        "warm · repeat 2 · take 1", "warm · repeat 2 · take 2"]
    (tmp_path / "assets" / "bright-2-1.wav").unlink()  # a take without its file is left out
    assert len(sessions.experiment_sets(log, exp)["bright"]) == 3


def test_creating_measures_each_take_and_pairs_them(setup):
    log, exp = setup
    sid = _create(log, exp)
    rows = log.ab_pairs(sid)
    assert [(p["x_track_id"], p["y_track_id"]) for p in rows] == [
        ("warm-1-0", "bright-1-0"), ("warm-1-1", "bright-1-1"),
        ("warm-2-0", "bright-2-0"), ("warm-2-1", "bright-2-1")]
    for p in rows:  # warm takes are recorded 6 dB louder
        assert p["x_lufs"] - p["y_lufs"] == pytest.approx(6.02, abs=0.05)
    all_pairs = _create(log, exp, pairing="all", cap=6)
    assert len(log.ab_pairs(all_pairs)) == 6


def test_refusals(setup):
    log, exp = setup
    sets = sessions.experiment_sets(log, exp)
    with pytest.raises(ValueError):
        sessions.create(log, name="x", x_label="a", xs=[], y_label="b", ys=sets["bright"])
    with pytest.raises(ValueError):
        sessions.create(log, name="x", x_label="a", xs=sets["warm"], y_label="b",
                        ys=sets["warm"][:1])
    sid = _create(log, exp)
    with pytest.raises(ValueError):
        sessions.join(log, sid, "   ")


def test_a_reviewer_gets_leveled_balanced_trials(setup):
    log, exp = setup
    sid = _create(log, exp)
    assert sessions.join(log, sid, "  Ana   Lima ") == 0
    trials = log.ab_trials(sid, "Ana Lima")
    assert len(trials) == 4 and sum(t["x_is_a"] for t in trials) == 2
    for t in trials:
        louder = "a" if t["a_track_id"].startswith("warm") else "b"
        assert t[f"{louder}_gain_db"] == pytest.approx(-6.02, abs=0.05)
        assert t[{"a": "b", "b": "a"}[louder] + "_gain_db"] == 0.0
        assert t["x_is_a"] == int(t["a_track_id"].startswith("warm"))
    sessions.join(log, sid, "Ben")
    ben = {t["pair_id"]: t["x_is_a"] for t in log.ab_trials(sid, "Ben")}
    assert all(ben[t["pair_id"]] != t["x_is_a"] for t in trials)  # the other way round


def test_the_order_is_reproducible_from_the_stored_seed(setup, tmp_path):
    log, exp = setup
    one, two = _create(log, exp), _create(log, exp)
    sessions.join(log, one, "ana")
    sessions.join(log, two, "ana")
    order = [(t["a_track_id"], t["b_track_id"]) for t in log.ab_trials(one, "ana")]
    assert order == [(t["a_track_id"], t["b_track_id"]) for t in log.ab_trials(two, "ana")]


def test_the_screen_walks_the_trials_and_urls_carry_no_track_id(setup):
    log, exp = setup
    sid = _create(log, exp)
    sessions.join(log, sid, "ana")
    screen = sessions.screen(log, sid, "ana")
    assert (screen.number, screen.total, screen.answered, screen.done) == (1, 4, 0, False)
    url = sessions.audio_path(screen.session["token"], screen.trial["token"], "a")
    assert url.startswith("/api/blind/") and "warm" not in url and "bright" not in url
    assert sessions.answer(log, screen.trial["id"], "a", "  ")
    assert log.ab_trials(sid, "ana")[0]["reason"] is None
    screen = sessions.screen(log, sid, "ana")
    assert (screen.number, screen.answered) == (2, 1)
    for _ in range(3):
        sessions.answer(log, sessions.screen(log, sid, "ana").trial["id"], "none")
    done = sessions.screen(log, sid, "ana")
    assert done.done and done.answered == 4
    assert sessions.screen(log, "nope", "ana") is None


def _answer_all(log, sid, reviewer, prefer):
    """``prefer(trial) -> 'x' | 'y' | 'none'`` in terms of the real sets."""
    sessions.join(log, sid, reviewer)
    for t in log.ab_trials(sid, reviewer):
        side = prefer(t)
        choice = "none" if side == "none" else ("a" if (side == "x") == bool(t["x_is_a"]) else "b")
        sessions.answer(log, t["id"], choice)


def test_the_outcome_counts_real_sets_not_sides(setup):
    log, exp = setup
    sid = _create(log, exp)
    # ana prefers warm in 3 of 4 pairs; ben agrees on those 3 and has no preference on the 4th
    pair_ids = [p["id"] for p in log.ab_pairs(sid)]
    _answer_all(log, sid, "ana", lambda t: "y" if t["pair_id"] == pair_ids[3] else "x")
    _answer_all(log, sid, "ben", lambda t: "none" if t["pair_id"] == pair_ids[3] else "x")
    out = sessions.outcome(log, sid, rounds=200)
    warm, bright = out.sets
    assert (warm.label, warm.tally.wins, warm.tally.losses, warm.tally.ties) == ("warm", 6, 1, 1)
    assert (bright.tally.wins, bright.tally.losses) == (1, 6)
    assert warm.tally.win_rate == pytest.approx(6.5 / 8)
    assert warm.chance == pytest.approx(6.5 / 8, abs=1e-3)  # 2 items: BT = share of points
    assert warm.interval.low < warm.chance < warm.interval.high <= 1.0
    assert out.reviewers == {"ana": (4, 4), "ben": (4, 4)}
    assert out.answered == 8 and out.pairs == 4
    # alpha: x x, x x, x x, y none -> 4 units, disagreement on one
    assert out.agreement.alpha is not None and out.agreement.shared_units == 4
    assert out.takes[0].chance >= out.takes[-1].chance and len(out.takes) == 8
    assert out.source == {"kind": "experiment", "experiment_id": exp}


def test_one_reviewer_means_not_enough_data_for_agreement(setup):
    log, exp = setup
    sid = _create(log, exp)
    _answer_all(log, sid, "ana", lambda t: "x")
    out = sessions.outcome(log, sid, rounds=50)
    assert out.agreement.alpha is None and "not enough data" in out.agreement.note
    assert sessions.outcome(log, "nope") is None


def test_no_answers_yet_gives_counts_of_zero_and_no_chance(setup):
    log, exp = setup
    sid = _create(log, exp)
    out = sessions.outcome(log, sid, rounds=50)
    assert [s.tally.trials for s in out.sets] == [0, 0] and out.sets[0].chance is None
