"""Blind A/B sessions over the task log: create one, let reviewers join and answer, read the
results.

* `experiment_sets(log, experiment_id)` / `track_set(log, track_ids)` - the takes that can be
  compared (finished, with an archived file: the blind route serves only local copies);
* `create(log, ...)` - measures every take's loudness (`levels`), pairs the two sets
  (`pairs.make_pairs`) and stores the session with a random seed;
* `join(log, session_id, reviewer)` - the reviewer's trials in their balanced order
  (`pairs.reviewer_order`), levels applied; `screen(...)` - the next unanswered trial and the
  progress; `answer(...)` - one choice;
* `outcome(log, session_id)` - win counts, Bradley-Terry chances with bootstrap intervals per
  set and per take, and Krippendorff's alpha between reviewers (`stats`).

A trial screen only ever needs `audio_path(...)` URLs: random tokens, no track id, title,
variant or path.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lib.log import ABSessionRow, ABTrialRow, TaskLog, TrialChoice
from lib.review import levels, pairs, stats

MAX_NAME = 60
Measure = Callable[[str], "float | None"]


@dataclass(frozen=True)
class Take:
    """A take that can be heard blind: its track, a label for the results, its file."""

    track_id: str
    label: str
    path: str


def _archived(path: str | None) -> bool:
    return bool(path) and Path(path or "").is_file()


def experiment_sets(log: TaskLog, experiment_id: str) -> dict[str, list[Take]]:
    """``{variant: its archived takes}`` in grid order (repeat, then the provider's order);
    variants without an archived take are left out."""
    tasks = {t["id"]: t for t in log.experiment_tasks(experiment_id)}
    out: dict[str, list[Take]] = {}
    for cell in log.experiment_cells(experiment_id):
        task = tasks.get(cell["task_id"] or "")
        if task is None or task["state"] != "succeeded":
            continue
        for track in log.tracks_for(task["id"]):
            path = track.get("local_audio_path")
            if _archived(path):
                label = f"{cell['variant']} · repeat {cell['repeat_no']} · take {track['idx'] + 1}"
                out.setdefault(cell["variant"], []).append(Take(track["id"], label, str(path)))
    return out


def track_set(log: TaskLog, track_ids: Sequence[str]) -> list[Take]:
    """The archived takes among these tracks, in the given order."""
    out = []
    for track_id in track_ids:
        track = log.get_track(track_id)
        if track is not None and _archived(track.get("local_audio_path")):
            label = f"{track.get('title') or 'Untitled'} ({track_id[:8]})"
            out.append(Take(track_id, label, str(track["local_audio_path"])))
    return out


def clean_name(name: str | None) -> str:
    """A reviewer's name as stored: spaces collapsed, at most `MAX_NAME` characters."""
    return re.sub(r"\s+", " ", name or "").strip()[:MAX_NAME]


def create(log: TaskLog, *, name: str, x_label: str, xs: Sequence[Take], y_label: str,
           ys: Sequence[Take], pairing: str = "matched", cap: int = pairs.DEFAULT_PAIRS,
           source: Any = None, seed: int | None = None,
           measure: Measure = levels.integrated_lufs, now: float | None = None) -> str:
    """Measure, pair and store a session; raises `ValueError` when a set is empty or the two
    sets share a take."""
    if not xs or not ys:
        raise ValueError("each side needs at least one archived take")
    if {t.track_id for t in xs} & {t.track_id for t in ys}:
        raise ValueError("a take cannot be on both sides")
    paths = {t.track_id: t.path for t in (*xs, *ys)}
    chosen = pairs.make_pairs([t.track_id for t in xs], [t.track_id for t in ys], pairing, cap)
    loudness = {tid: measure(paths[tid]) for tid in {t for pair in chosen for t in pair}}
    seed = random.SystemRandom().randrange(1, 2**31) if seed is None else seed
    rows = [(x, y, loudness[x], loudness[y]) for x, y in chosen]
    return log.create_ab_session(
        name=name.strip() or "Blind A/B", x_label=x_label, y_label=y_label, pairs=rows,
        pairing=pairing, seed=seed, source=source, now=now)


def join(log: TaskLog, session_id: str, reviewer: str, *, now: float | None = None) -> int:
    """Give a reviewer their trials (once); returns their number in the session."""
    reviewer = clean_name(reviewer)
    if not reviewer:
        raise ValueError("a reviewer name is required")
    session = log.get_ab_session(session_id)
    if session is None:
        raise KeyError(session_id)
    rows = log.ab_pairs(session_id)

    def plan(number: int) -> list[dict[str, Any]]:
        trials = []
        for slot in pairs.reviewer_order(len(rows), session["seed"], number):
            pair = rows[slot.pair_index]
            a, b = ("x", "y") if slot.x_first else ("y", "x")
            gain_a, gain_b = levels.gains_db(pair[f"{a}_lufs"], pair[f"{b}_lufs"])  # type: ignore[literal-required]
            trials.append({"pair_id": pair["id"], "position": slot.position,
                           "x_is_a": int(slot.x_first),
                           "a_track_id": pair[f"{a}_track_id"],  # type: ignore[literal-required]
                           "b_track_id": pair[f"{b}_track_id"],  # type: ignore[literal-required]
                           "a_gain_db": gain_a, "b_gain_db": gain_b})
        return trials

    return log.join_ab_session(session_id, reviewer, plan, now=now)


@dataclass
class Screen:
    """What one reviewer sees: the next unanswered trial (None when done) and the progress."""

    session: ABSessionRow
    reviewer: str
    trial: ABTrialRow | None
    number: int  # 1-based position of ``trial``
    total: int
    answered: int

    @property
    def done(self) -> bool:
        return self.trial is None


def screen(log: TaskLog, session_id: str, reviewer: str) -> Screen | None:
    """The reviewer's next trial, or None when the session does not exist."""
    session = log.get_ab_session(session_id)
    if session is None:
        return None
    reviewer = clean_name(reviewer)
    trials = log.ab_trials(session_id, reviewer)
    pending = [t for t in trials if t["choice"] is None]
    nxt = pending[0] if pending else None
    return Screen(session, reviewer, nxt, (nxt["position"] + 1) if nxt else len(trials),
                  len(trials), len(trials) - len(pending))


def audio_path(session_token: str, trial_token: str, side: str) -> str:
    """The opaque route a blind player fetches (`lib.app.http_routes`)."""
    if side not in ("a", "b"):
        raise ValueError(side)
    return f"/api/blind/{session_token}/{trial_token}/{side}"


def answer(log: TaskLog, trial_id: int, choice: str, reason: str | None = None, *,
           now: float | None = None) -> bool:
    """Record ``a``, ``b`` or ``none`` (and an optional reason) once."""
    return log.answer_ab_trial(trial_id, TrialChoice(choice).value,
                               reason=(reason or "").strip() or None, now=now)


# ---- results ------------------------------------------------------------------------------------
def preferred_side(trial: ABTrialRow) -> str | None:
    """``x``, ``y`` or ``none`` for an answered trial (the real set, not A/B), else None."""
    choice = trial["choice"]
    if choice is None:
        return None
    if choice == TrialChoice.NONE.value:
        return "none"
    a_is_x = bool(trial["x_is_a"])
    return "x" if (choice == "a") == a_is_x else "y"


@dataclass(frozen=True)
class ItemResult:
    """One set (or one take): counts, win rate, Bradley-Terry chance and its interval."""

    label: str
    tally: stats.Tally
    chance: float | None
    interval: stats.Interval | None


@dataclass
class Outcome:
    session: ABSessionRow
    pairs: int
    answered: int
    reviewers: dict[str, tuple[int, int]]  # name -> (answered, total)
    sets: list[ItemResult]
    takes: list[ItemResult]
    agreement: stats.Agreement
    source: dict[str, Any] = field(default_factory=dict)


def _items(labels: list[str], outcomes: list[stats.Outcome], *, rounds: int, seed: int,
           intervals: bool) -> list[ItemResult]:
    counts = stats.tally(len(labels), outcomes)
    if not outcomes:
        return [ItemResult(label, c, None, None) for label, c in zip(labels, counts, strict=True)]
    chances = stats.win_chance(stats.bradley_terry(len(labels), outcomes))
    bands = (stats.bootstrap(len(labels), outcomes, rounds=rounds, seed=seed) if intervals
             else [None] * len(labels))
    return [ItemResult(label, c, chance if c.trials else None, band)
            for label, c, chance, band in zip(labels, counts, chances, bands, strict=True)]


def outcome(log: TaskLog, session_id: str, *, rounds: int = stats.BOOTSTRAP_ROUNDS,
            take_labels: Callable[[str], str] | None = None) -> Outcome | None:
    """The session's results so far (None when it does not exist)."""
    session = log.get_ab_session(session_id)
    if session is None:
        return None
    trials = log.ab_trials(session_id)
    pair_rows = {p["id"]: p for p in log.ab_pairs(session_id)}
    reviewers: dict[str, tuple[int, int]] = {}
    set_outcomes: list[stats.Outcome] = []
    take_ids: list[str] = []
    take_outcomes: list[stats.Outcome] = []
    table: dict[int, dict[str, str]] = {}
    for trial in trials:
        done, total = reviewers.get(trial["reviewer"], (0, 0))
        side = preferred_side(trial)
        reviewers[trial["reviewer"]] = (done + (side is not None), total + 1)
        if side is None:
            continue
        score = {"x": 1.0, "y": 0.0, "none": 0.5}[side]
        set_outcomes.append((0, 1, score))
        pair = pair_rows[trial["pair_id"]]
        for tid in (pair["x_track_id"], pair["y_track_id"]):
            if tid not in take_ids:
                take_ids.append(tid)
        take_outcomes.append((take_ids.index(pair["x_track_id"]),
                              take_ids.index(pair["y_track_id"]), score))
        table.setdefault(trial["pair_id"], {})[trial["reviewer"]] = side
    label = take_labels or (lambda tid: tid[:8])
    sets = _items([session["x_label"], session["y_label"]], set_outcomes, rounds=rounds,
                  seed=session["seed"], intervals=True)
    takes = _items([label(t) for t in take_ids], take_outcomes, rounds=rounds,
                   seed=session["seed"], intervals=False)
    takes.sort(key=lambda t: -(t.chance or 0))
    return Outcome(session, len(pair_rows), len(set_outcomes), reviewers, sets, takes,
                   stats.agreement(table), json.loads(session.get("source_json") or "{}") or {})
