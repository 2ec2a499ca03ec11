"""What the Listen page and the reports show of blind sessions, in words (no Streamlit).

* `experiments_to_compare(log)` - experiments with at least two variants that have archived
  takes; `archived_takes(log, ids)` - tracks that can be heard blind, with readable labels;
* `take_labels(log, session)` - a function naming each take for the revealed results
  (variant · repeat · take for an experiment, the title and take number otherwise);
* `set_rows`, `reviewer_rows`, `take_rows` - the results tables (revealed labels);
* `alpha_words(agreement)` and `verdict(outcome)` - the results in a sentence.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from lib.log import ABSessionRow, ExperimentRow, TaskLog, TrackRow
from lib.review import levels, sessions, stats
from lib.review.decisions import BADGES as BADGES  # here for the board (light)
from lib.review.decisions import badge as badge
from lib.review.sessions import Outcome, Take

#: Krippendorff's customary bounds: >= 0.8 reliable, >= 0.667 tentative conclusions
GOOD_ALPHA = 0.8
TENTATIVE_ALPHA = 0.667
#: below this many answers a verdict says it is too early to be sure
FEW_ANSWERS = 6
TOO_FEW = "too few reviewers: at least 2 must answer the same pair"


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def find(log: TaskLog, token: str | None) -> ABSessionRow | None:
    """The session a shareable link names (by its token), or None."""
    token = (token or "").strip()
    return log.ab_session_by_token(token) if token else None


@dataclass(frozen=True)
class Comparable:
    experiment: ExperimentRow
    sets: dict[str, list[Take]]


def experiments_to_compare(log: TaskLog, limit: int = 50) -> list[Comparable]:
    """Experiments whose variants have archived takes (at least two variants), newest first."""
    out = []
    for exp in log.list_experiments(limit=limit):
        sets = sessions.experiment_sets(log, exp["id"])
        if len(sets) >= 2:
            out.append(Comparable(exp, sets))
    return out


def track_label(track: dict[str, Any]) -> str:
    """A take's name for people: its title and which take of its task it is."""
    return f"{track.get('title') or 'Untitled'} · take {int(track.get('idx') or 0) + 1}"


def archived_takes(log: TaskLog, track_ids: Sequence[str] = (), recent: int = 100
                   ) -> dict[str, str]:
    """``{track id: label}`` of takes that can be heard blind: the given ones first, then the
    most recent archived ones."""
    out: dict[str, str] = {}
    for tid in track_ids:
        track = log.get_track(tid)
        if track is not None and sessions.track_set(log, [tid]):
            out[tid] = track_label(dict(track))
    for track in log.list_tracks(limit=recent):
        if track["id"] not in out and sessions.track_set(log, [track["id"]]):
            out[track["id"]] = track_label(dict(track))
    return out


def take_labels(log: TaskLog, session: ABSessionRow) -> Callable[[str], str]:
    """Names for the takes of a session's results (revealed only at the end)."""
    source = json.loads(session.get("source_json") or "{}") or {}
    names: dict[str, str] = {}
    if source.get("kind") == "experiment" and source.get("experiment_id"):
        for takes in sessions.experiment_sets(log, str(source["experiment_id"])).values():
            names.update({t.track_id: t.label for t in takes})

    def label(track_id: str) -> str:
        if track_id in names:
            return names[track_id]
        track = log.get_track(track_id)
        return track_label(dict(track)) if track else "a deleted take"

    return label


def set_rows(outcome: Outcome) -> list[dict[str, Any]]:
    """One row per compared set: its chance to be preferred, the interval and the counts."""
    return [{"set": item.label, "win chance": item.chance,
             "low (95%)": item.interval.low if item.interval else None,
             "high (95%)": item.interval.high if item.interval else None,
             "preferred": item.tally.wins, "not preferred": item.tally.losses,
             "no preference": item.tally.ties, "answers": item.tally.trials}
            for item in outcome.sets]


def take_rows(outcome: Outcome) -> list[dict[str, Any]]:
    return [{"take": item.label, "win chance": item.chance, "preferred": item.tally.wins,
             "not preferred": item.tally.losses, "no preference": item.tally.ties}
            for item in outcome.takes]


def reviewer_rows(log: TaskLog, outcome: Outcome) -> list[dict[str, Any]]:
    """One row per reviewer: progress, what they preferred, and their reasons."""
    session = outcome.session
    x, y = session["x_label"], session["y_label"]
    rows: dict[str, dict[str, Any]] = {}
    for trial in log.ab_trials(session["id"]):
        row = rows.setdefault(trial["reviewer"], {
            "reviewer": trial["reviewer"], "answered": 0, "pairs": 0, f"preferred {x}": 0,
            f"preferred {y}": 0, "no preference": 0, "reasons": []})
        row["pairs"] += 1
        side = sessions.preferred_side(trial)
        if side is None:
            continue
        row["answered"] += 1
        row[{"x": f"preferred {x}", "y": f"preferred {y}", "none": "no preference"}[side]] += 1
        if trial["reason"]:
            row["reasons"].append(trial["reason"])
    return [{k: (f"{v} of {row['pairs']}" if k == "answered" else
                 "; ".join(v) if k == "reasons" else v)
             for k, v in row.items() if k != "pairs"} for row in rows.values()]


def alpha_words(agreement: stats.Agreement) -> str:
    """Krippendorff's alpha in a sentence."""
    if agreement.alpha is None:
        if agreement.reviewers < 2:
            return f"Agreement between reviewers: {TOO_FEW}."
        return f"Agreement between reviewers cannot be measured: {agreement.note}."
    a = agreement.alpha
    words = ("they agree well" if a >= GOOD_ALPHA
             else "they agree somewhat (tentative)" if a >= TENTATIVE_ALPHA
             else "they mostly disagree" if a >= 0
             else "they disagree more than chance would")
    return (f"Agreement between reviewers (Krippendorff's alpha): {a:.2f} over "
            f"{agreement.reviewers} reviewers and {agreement.shared_units} shared pairs: "
            f"{words}.")


def verdict(outcome: Outcome) -> str:
    """Which set was preferred, and whether the interval says it clearly."""
    if not outcome.answered:
        return "No answers yet."
    best = max(outcome.sets, key=lambda s: s.chance or 0)
    band = best.interval
    if best.chance is None or band is None:
        return "No answers yet."
    words = (f"{best.label} is preferred: {pct(best.chance)} chance to win "
             f"(95% interval {pct(band.low)}–{pct(band.high)})")
    if band.low <= 0.5 <= band.high:
        return words + ": not a clear winner yet, the interval includes 50%."
    if outcome.answered < FEW_ANSWERS:
        return words + f": only {outcome.answered} answers, too few to be sure."
    return words + "."


# ---- review decisions ---------------------------------------------------------------------------
def badges(log: TaskLog, track_ids: Sequence[str]) -> dict[str, str]:
    """``{track id: badge}`` for the takes that have a decision (one query)."""
    return {tid: badge(row) for tid, row in log.latest_reviews(track_ids).items()}


def history_rows(log: TaskLog, track_id: str) -> list[dict[str, Any]]:
    """A take's decisions and notes, newest first, in words."""
    from datetime import datetime

    from lib.review.decisions import STATUS_WORDS

    return [{"when": datetime.fromtimestamp(r["at"]).strftime("%Y-%m-%d %H:%M"),
             "who": r["reviewer"] or "",
             "what": STATUS_WORDS.get(r["action"], "Note"), "why": r["reason"] or ""}
            for r in log.review_history(track_id)]


def loudness_from_scorecards(log: TaskLog, takes: Sequence[Take]) -> sessions.Measure:
    """A loudness measure for `sessions.create` that reuses the QA scorecard's integrated
    loudness (same BS.1770 measure, computed when the file was archived) and decodes only the
    takes without one."""
    known: dict[str, float] = {}
    cards = log.scorecards([t.track_id for t in takes])
    for take in takes:
        card = cards.get(take.track_id)
        try:
            data = json.loads(card["scorecard_json"]) if card else {}
            lufs = (data.get("measures") or {}).get("lufs")
            if (lufs is not None and float(lufs) > -70 and
                    (not data.get("source") or data.get("source") == take.path)):
                known[take.path] = round(float(lufs), 2)
        except (ValueError, TypeError):
            continue

    def measure(path: str) -> float | None:
        return known[path] if path in known else levels.integrated_lufs(path)

    return measure


def takes_of(log: TaskLog, task_id: str) -> list[TrackRow]:
    """A task's takes, in the provider's order (the review panel of its detail page)."""
    return log.tracks_for(task_id)


@dataclass(frozen=True)
class SessionLine:
    """One blind session in the Listen page's list."""

    row: ABSessionRow
    pairs: int
    reviewers: int


def session_lines(log: TaskLog, limit: int = 50) -> list[SessionLine]:
    """The newest blind sessions with their pair and reviewer counts."""
    out = []
    for row in log.list_ab_sessions(limit=limit):
        people = len({t["reviewer"] for t in log.ab_trials(row["id"])})
        out.append(SessionLine(row, len(log.ab_pairs(row["id"])), people))
    return out
