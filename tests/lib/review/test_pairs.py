"""Pairing two sets of takes, and each reviewer's order: shuffled from a stored seed,
reproducible, every pair once, X heard first in half the pairs."""

from __future__ import annotations

from collections import Counter

import pytest

from lib.review import pairs


def test_matched_pairs_the_nth_take_of_each_side_and_stops_at_the_shorter():
    assert pairs.make_pairs(["x1", "x2", "x3"], ["y1", "y2"], "matched") == [
        ("x1", "y1"), ("x2", "y2")]


def test_all_combinations_in_diagonals_so_a_cap_spreads_the_takes():
    full = pairs.make_pairs(["x1", "x2"], ["y1", "y2"], "all", cap=10)
    assert full == [("x1", "y1"), ("x2", "y2"), ("x1", "y2"), ("x2", "y1")]
    capped = pairs.make_pairs(["x1", "x2", "x3"], ["y1", "y2", "y3"], "all", cap=3)
    assert capped == [("x1", "y1"), ("x2", "y2"), ("x3", "y3")]  # every take once, not x1 x3


def test_the_cap_applies_and_has_a_ceiling():
    xs, ys = [f"x{i}" for i in range(10)], [f"y{i}" for i in range(10)]
    assert len(pairs.make_pairs(xs, ys, "all", cap=5)) == 5
    assert len(pairs.make_pairs(xs, ys, "all", cap=1000)) == pairs.MAX_PAIRS
    with pytest.raises(ValueError):
        pairs.make_pairs(xs, ys, "roundrobin")


@pytest.mark.parametrize("n", [1, 2, 7, 8])
def test_every_reviewer_hears_every_pair_once_with_x_first_in_half(n):
    for reviewer in range(4):
        order = pairs.reviewer_order(n, seed=42, reviewer_no=reviewer)
        assert sorted(s.pair_index for s in order) == list(range(n))
        assert [s.position for s in order] == list(range(n))
        first = sum(s.x_first for s in order)
        assert first == (n // 2 if reviewer % 2 == 0 else n - n // 2)


def test_two_reviewers_hear_each_pair_once_each_way():
    one = {s.pair_index: s.x_first for s in pairs.reviewer_order(8, 5, 0)}
    two = {s.pair_index: s.x_first for s in pairs.reviewer_order(8, 5, 1)}
    assert all(one[p] != two[p] for p in range(8))


def test_the_seed_makes_orders_reproducible_and_reviewers_differ():
    assert pairs.reviewer_order(8, 7, 0) == pairs.reviewer_order(8, 7, 0)
    orders = {tuple(s.pair_index for s in pairs.reviewer_order(8, 7, r)) for r in range(4)}
    assert len(orders) > 1  # shuffled per reviewer
    assert pairs.reviewer_order(8, 7, 0) != pairs.reviewer_order(8, 8, 0)


def test_the_first_position_is_not_always_the_same_pair():
    firsts = Counter(pairs.reviewer_order(6, seed, 0)[0].pair_index for seed in range(60))
    assert len(firsts) == 6
