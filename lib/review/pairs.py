"""Which takes meet in a blind session, and in what order each reviewer hears them.

Pairing (one take of set X against one take of set Y; takes keep their order, e.g. an
experiment's repeats):

* ``matched`` - the 1st take of X with the 1st of Y, the 2nd with the 2nd... (as many pairs as
  the smaller set has takes);
* ``all`` - every combination, in diagonals (X1-Y1, X2-Y2... then X1-Y2, X2-Y3...), so a cap
  keeps every take about equally often.

Both are capped at ``cap`` pairs (`MAX_PAIRS` at most).

Each reviewer hears every pair once (`reviewer_order`):

* in a shuffled order, from the session's seed and the reviewer's number (the same seed and
  number always give the same order);
* with X as A (heard first) in half the pairs: reviewers 0 and 1 get complementary halves (so
  do 2 and 3...), so over two reviewers every pair is heard once each way. With an odd number
  of pairs the even-numbered reviewer hears X first one time fewer.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

PAIRINGS = {"matched": "Matched takes (1st with 1st, 2nd with 2nd…)",
            "all": "All combinations"}
DEFAULT_PAIRS = 8
MAX_PAIRS = 40


def make_pairs(xs: Sequence[str], ys: Sequence[str], pairing: str = "matched",
               cap: int = DEFAULT_PAIRS) -> list[tuple[str, str]]:
    """The ``(x take, y take)`` pairs of a session."""
    if pairing not in PAIRINGS:
        raise ValueError(f"pairing is one of {', '.join(PAIRINGS)}, not {pairing!r}")
    cap = max(1, min(int(cap), MAX_PAIRS))
    if pairing == "matched":
        return list(zip(xs, ys, strict=False))[:cap]
    out = [(xs[i], ys[(i + d) % len(ys)]) for d in range(len(ys)) for i in range(len(xs))]
    return out[:cap]


@dataclass(frozen=True)
class Slot:
    """One pair in one reviewer's order: heard at ``position`` (0-based), X as A or not."""

    pair_index: int
    position: int
    x_first: bool


def x_first_pairs(n_pairs: int, seed: int, reviewer_no: int) -> set[int]:
    """The pairs a reviewer hears with X as A: a seeded half, complemented for odd-numbered
    reviewers."""
    half = set(random.Random(f"{seed}:half:{reviewer_no // 2}").sample(range(n_pairs),
                                                                        n_pairs // 2))
    return half if reviewer_no % 2 == 0 else set(range(n_pairs)) - half


def reviewer_order(n_pairs: int, seed: int, reviewer_no: int) -> list[Slot]:
    """Every pair once, shuffled, with the A/B sides balanced (see the module notes)."""
    order = list(range(n_pairs))
    random.Random(f"{seed}:order:{reviewer_no}").shuffle(order)
    first = x_first_pairs(n_pairs, seed, reviewer_no)
    return [Slot(pair, position, pair in first) for position, pair in enumerate(order)]
