"""Bradley-Terry, bootstrap intervals, win counts and Krippendorff's alpha against cases
computed by hand."""

from __future__ import annotations

import math

import pytest

from lib.review import stats


def test_two_items_a_wins_3_of_4_gives_a_strength_ratio_of_3():
    outcomes = [(0, 1, 1.0)] * 3 + [(0, 1, 0.0)]
    s = stats.bradley_terry(2, outcomes)
    assert math.exp(s[0] - s[1]) == pytest.approx(3.0, rel=1e-4)
    assert stats.win_chance(s) == pytest.approx([0.75, 0.25], abs=1e-4)
    assert s.sum() == pytest.approx(0.0, abs=1e-9)


def test_a_tie_counts_as_half_a_win_each():
    # 2 wins, 1 loss, 2 ties -> 3 of 5 "points" -> ratio 3:2
    outcomes = [(0, 1, 1.0)] * 2 + [(0, 1, 0.0)] + [(0, 1, 0.5)] * 2
    s = stats.bradley_terry(2, outcomes)
    assert math.exp(s[0] - s[1]) == pytest.approx(1.5, rel=1e-4)


def test_three_items_in_a_cycle_are_equal_and_a_chain_is_ordered():
    cycle = [(0, 1, 1.0), (1, 2, 1.0), (2, 0, 1.0)]
    assert stats.bradley_terry(3, cycle) == pytest.approx([0, 0, 0], abs=1e-6)
    chain = [(0, 1, 1.0)] * 3 + [(0, 1, 0.0)] + [(1, 2, 1.0)] * 3 + [(1, 2, 0.0)] + \
        [(0, 2, 1.0)] * 3 + [(0, 2, 0.0)]
    s = stats.bradley_terry(3, chain)
    assert s[0] > s[1] > s[2]


def test_an_item_that_never_lost_stays_finite_with_the_prior():
    s = stats.bradley_terry(2, [(0, 1, 1.0)] * 4)
    chance = stats.win_chance(s)
    assert all(math.isfinite(v) for v in s)
    # no maximum-likelihood estimate exists (it would be 1.0): the prior pulls it back
    assert chance[0] == pytest.approx(5 / 6, abs=1e-3) and chance[0] + chance[1] == pytest.approx(1)
    # ... and only then: a fit that exists is left as it is (3 of 4 -> 0.75 exactly, above)


def test_no_outcome_means_equal_strengths():
    assert list(stats.bradley_terry(2, [])) == [0.0, 0.0]


def test_tally_counts_wins_losses_ties_and_the_win_rate():
    x, y = stats.tally(2, [(0, 1, 1.0), (0, 1, 1.0), (0, 1, 0.0), (0, 1, 0.5)])
    assert (x.wins, x.losses, x.ties, x.trials) == (2, 1, 1, 4)
    assert (y.wins, y.losses, y.ties) == (1, 2, 1)
    assert x.win_rate == pytest.approx(2.5 / 4) and y.win_rate == pytest.approx(1.5 / 4)
    assert stats.Tally().win_rate is None


def test_bootstrap_brackets_the_estimate_and_is_reproducible():
    outcomes = [(0, 1, 1.0)] * 15 + [(0, 1, 0.0)] * 5
    [x, y] = stats.bootstrap(2, outcomes, rounds=400, seed=3)
    assert x.low < 0.75 < x.high and y.low < 0.25 < y.high
    assert x.low > 0.5 and x.high < 0.97  # 20 trials: clearly better, not certain
    assert stats.bootstrap(2, outcomes, rounds=400, seed=3) == [x, y]
    few = stats.bootstrap(2, outcomes[:4] + outcomes[-1:], rounds=400, seed=3)[0]
    assert few.high - few.low > x.high - x.low  # fewer trials, wider interval


def test_alpha_on_a_hand_computed_table():
    # coder 1: 0 0 1 1, coder 2: 0 1 1 1 -> o00=2, o01=o10=1, o11=4; n0=3, n1=5, n=8
    # Do = 2/8, De = 2*3*5/(8*7) -> alpha = 1 - (2/8)/(30/56) = 8/15
    table = {u: {"ana": a, "ben": b} for u, (a, b) in enumerate([(0, 0), (0, 1), (1, 1), (1, 1)])}
    got = stats.agreement(table)
    assert got.alpha == pytest.approx(8 / 15, abs=1e-9)
    assert (got.reviewers, got.shared_units) == (2, 4)


def test_alpha_ignores_units_answered_once_and_takes_string_values():
    table = {1: {"ana": "x", "ben": "x"}, 2: {"ana": "y", "ben": "y"}, 3: {"ana": "x"},
             4: {"ana": "none", "ben": "x"}}
    got = stats.agreement(table)
    assert got.shared_units == 3
    # pairable values: x x / y y / none x -> o_xx=2, o_yy=2, o_xn=o_nx=1; n_x=3, n_y=2, n_n=1
    # Do = 2/6; De = (3*2 + 3*1 + 2*3 + 2*1 + 1*3 + 1*2) / (6*5) = 22/30 -> 1 - (1/3)/(22/30)
    assert got.alpha == pytest.approx(1 - (2 / 6) / (22 / 30), abs=1e-9)


def test_alpha_needs_two_reviewers_on_a_shared_pair():
    assert stats.agreement({}).alpha is None
    one = stats.agreement({1: {"ana": "x"}, 2: {"ana": "y"}})
    assert one.alpha is None and one.note.startswith("not enough data")
    apart = stats.agreement({1: {"ana": "x"}, 2: {"ben": "y"}})
    assert apart.alpha is None and "not enough data" in apart.note


def test_alpha_without_variation_says_so():
    same = stats.agreement({1: {"ana": "x", "ben": "x"}, 2: {"ana": "x", "ben": "x"}})
    assert same.alpha is None and "same answer" in same.note


def test_wilson_matches_the_textbook_interval():
    # 60 of 100 at 95 %: 0.5020 - 0.6906 (Wilson 1927; e.g. Agresti & Coull 1998, table 1)
    got = stats.wilson(60, 100)
    assert round(got.low, 4) == 0.5020 and round(got.high, 4) == 0.6906
    assert stats.wilson(0, 0) == stats.Interval(0.0, 1.0)


def test_two_wins_of_two_is_not_a_certain_interval():
    # resampling 2 wins of 2 always gives 2 of 2: the interval keeps at least Wilson's width
    x, y = stats.bootstrap(2, [(1, 0, 1.0), (1, 0, 1.0)], rounds=200)
    assert y is not None and x is not None
    assert round(y.low, 3) == 0.342 and y.high == 1.0
    assert x.low == 0.0 and round(x.high, 3) == 0.658
