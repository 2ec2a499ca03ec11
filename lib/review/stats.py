"""What blind answers say: win counts, a Bradley-Terry fit with bootstrap intervals, and the
agreement between reviewers.

* An *outcome* is ``(i, j, score)``: items ``i`` and ``j`` were compared and ``i`` scored
  ``score`` (1 won, 0 lost, 0.5 no preference).
* `tally(n, outcomes)` - plain counts per item; the win rate counts a "no preference" as half
  a win.
* `bradley_terry(n, outcomes)` - strengths by maximum likelihood (`choix.ilsr_pairwise`);
  a "no preference" is half a win for each side (every decisive answer is entered twice, a
  tie once each way: the likelihood is the same up to a factor). When an item never lost (or
  never won) the maximum-likelihood strengths are infinite: then, and only then, choix's
  regularisation (`PRIOR`) keeps them finite (4 wins of 4 give a chance of 5/6, not 1). `win_chance`
  turns strengths into the chance each item beats another (the average over the others: with
  two items, the chance X beats Y).
* `bootstrap(n, outcomes)` - percentile intervals of those chances, refitting on trials
  resampled with replacement (seeded: the same answers give the same interval). A bootstrap
  cannot see uncertainty its resamples never show (2 wins of 2 resample to 2 of 2 every time,
  a zero-width interval), so each interval is widened to hold at least the Wilson score
  interval of the item's plain win rate (`wilson`): 2 of 2 reads 34%-100%, not 75%-75%.
* `agreement(table)` - Krippendorff's alpha, nominal level (`krippendorff.alpha`), over the
  units (pairs) that at least two reviewers answered; None with the reason when it cannot be
  computed ("not enough data" with fewer than two reviewers on a shared pair).
"""

from __future__ import annotations

import math
import warnings
from statistics import NormalDist
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import choix
import numpy as np

Outcome = tuple[int, int, float]

#: regularisation (choix ``alpha``) used only when a maximum-likelihood fit does not exist
PRIOR = 1.0
BOOTSTRAP_ROUNDS = 1000
NOT_ENOUGH = "not enough data: fewer than 2 reviewers answered the same pair"


@dataclass(frozen=True)
class Tally:
    """Plain counts for one item."""

    wins: int = 0
    losses: int = 0
    ties: int = 0

    @property
    def trials(self) -> int:
        return self.wins + self.losses + self.ties

    @property
    def win_rate(self) -> float | None:
        """(wins + half the ties) / trials, or None without trials."""
        return (self.wins + self.ties / 2) / self.trials if self.trials else None


def tally(n_items: int, outcomes: Sequence[Outcome]) -> list[Tally]:
    counts = [[0, 0, 0] for _ in range(n_items)]
    for i, j, score in outcomes:
        if score == 0.5:
            counts[i][2] += 1
            counts[j][2] += 1
        else:
            winner, loser = (i, j) if score == 1 else (j, i)
            counts[winner][0] += 1
            counts[loser][1] += 1
    return [Tally(*c) for c in counts]


def _choix_data(outcomes: Sequence[Outcome]) -> list[tuple[int, int]]:
    data: list[tuple[int, int]] = []
    for i, j, score in outcomes:
        if score == 0.5:
            data += [(i, j), (j, i)]
        elif score == 1:
            data += [(i, j), (i, j)]
        elif score == 0:
            data += [(j, i), (j, i)]
        else:
            raise ValueError(f"a score is 1, 0 or 0.5, not {score!r}")
    return data


def _strongly_connected(n_items: int, data: Sequence[tuple[int, int]]) -> bool:
    """Every item reaches every other along "beat" edges (then the MLE exists)."""
    beats: list[set[int]] = [set() for _ in range(n_items)]
    beaten: list[set[int]] = [set() for _ in range(n_items)]
    for winner, loser in data:
        beats[winner].add(loser)
        beaten[loser].add(winner)

    def reach(edges: list[set[int]]) -> int:
        seen, todo = {0}, [0]
        while todo:
            for nxt in edges[todo.pop()] - seen:
                seen.add(nxt)
                todo.append(nxt)
        return len(seen)

    return reach(beats) == n_items and reach(beaten) == n_items


def bradley_terry(n_items: int, outcomes: Sequence[Outcome]) -> np.ndarray:
    """Strengths (log scale, mean 0) of ``n_items`` items; all 0 without outcomes."""
    if n_items < 2 or not outcomes:
        return np.zeros(n_items)
    data = _choix_data(outcomes)
    alpha = 0.0 if _strongly_connected(n_items, data) else PRIOR
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        params = choix.ilsr_pairwise(n_items, data, alpha=alpha)
    return np.asarray(params, dtype=float) - float(np.mean(params))


def win_chance(strengths: np.ndarray) -> list[float]:
    """Each item's chance of beating another, averaged over the others."""
    n = len(strengths)
    if n < 2:
        return [0.5] * n
    out = []
    for i in range(n):
        out.append(float(np.mean([1 / (1 + math.exp(strengths[j] - strengths[i]))
                                  for j in range(n) if j != i])))
    return out


@dataclass(frozen=True)
class Interval:
    low: float
    high: float


def wilson(successes: float, trials: int, level: float = 0.95) -> Interval:
    """The Wilson score interval of a proportion (a tie counts as half a success)."""
    if trials <= 0:
        return Interval(0.0, 1.0)
    z = NormalDist().inv_cdf(0.5 + level / 2)
    p = successes / trials
    centre = (p + z * z / (2 * trials)) / (1 + z * z / trials)
    half = z / (1 + z * z / trials) * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials ** 2))
    return Interval(max(0.0, centre - half), min(1.0, centre + half))


def bootstrap(n_items: int, outcomes: Sequence[Outcome], *, rounds: int = BOOTSTRAP_ROUNDS,
              seed: int = 0, level: float = 0.95) -> list[Interval | None]:
    """Percentile intervals of `win_chance` over ``rounds`` resamples of the outcomes (None
    per item without outcomes)."""
    if not outcomes or n_items < 2:
        return [None] * n_items
    rng = np.random.default_rng(seed)
    draws = np.empty((rounds, n_items))
    for r in range(rounds):
        picked = [outcomes[k] for k in rng.integers(0, len(outcomes), len(outcomes))]
        draws[r] = win_chance(bradley_terry(n_items, picked))
    tail = (1 - level) / 2 * 100
    lows = np.percentile(draws, tail, axis=0)
    highs = np.percentile(draws, 100 - tail, axis=0)
    out: list[Interval | None] = []
    for i, count in enumerate(tally(n_items, outcomes)):
        if not count.trials:
            out.append(None)
            continue
        floor = wilson(count.wins + count.ties / 2, count.trials, level)
        out.append(Interval(min(float(lows[i]), floor.low), max(float(highs[i]), floor.high)))
    return out


@dataclass(frozen=True)
class Agreement:
    """Krippendorff's alpha (nominal) over the shared units, or None with ``note``."""

    alpha: float | None
    reviewers: int
    shared_units: int
    note: str = ""


def agreement(table: Mapping[Any, Mapping[str, Hashable]]) -> Agreement:
    """``table`` is ``{unit: {reviewer: value}}``; units answered by one reviewer are
    ignored."""
    shared = {unit: answers for unit, answers in table.items() if len(answers) >= 2}
    reviewers = sorted({r for answers in shared.values() for r in answers})
    if len(reviewers) < 2 or not shared:
        return Agreement(None, len(reviewers), 0, NOT_ENOUGH)
    values = sorted({v for answers in shared.values() for v in answers.values()}, key=str)
    if len(values) == 1:
        return Agreement(None, len(reviewers), len(shared),
                         "every reviewer gave the same answer on every shared pair: alpha is "
                         "undefined without any variation")
    code = {v: float(k) for k, v in enumerate(values)}
    units = list(shared)
    data = np.full((len(reviewers), len(units)), np.nan)
    for col, unit in enumerate(units):
        for row, reviewer in enumerate(reviewers):
            if reviewer in shared[unit]:
                data[row, col] = code[shared[unit][reviewer]]
    import krippendorff

    value = float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
    return Agreement(value, len(reviewers), len(units))
