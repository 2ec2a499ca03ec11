"""The experiment report's "Blind listening and review" section (`ab_section(log)`).

For the experiment being reported it shows:

* every blind A/B session made from its variants (`lib.review.sessions`, source
  ``{"kind": "experiment", "experiment_id": ...}``): name, date, reviewers, each variant's
  chance to be preferred with its 95% bootstrap interval and counts, the verdict and the
  agreement between reviewers (Krippendorff's alpha) in words;
* the review decisions on its takes: each take's latest decision (approved, rejected,
  flagged) with who and why, and the moderation notes.

Everything is escaped; no id, token or file path is written.
"""

from __future__ import annotations

import json
from datetime import datetime

from lib.experiments import results
from lib.log import ABSessionRow, TaskLog
from lib.reports.experiment import Section
from lib.reports.markup import esc as _e
from lib.reports.markup import table as _table
from lib.review import decisions, sessions, stats, view

TITLE = "Blind listening and review"




def _stamp(ts: float | None) -> str:
    return datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M") if ts else "—"


def sessions_of(log: TaskLog, experiment_id: str) -> list[ABSessionRow]:
    """The blind sessions made from this experiment's variants, oldest first."""
    found = []
    for row in log.list_ab_sessions(limit=1000):
        source = json.loads(row.get("source_json") or "{}") or {}
        if source.get("kind") == "experiment" and source.get("experiment_id") == experiment_id:
            found.append(row)
    return sorted(found, key=lambda r: r["created_at"])


def _session_html(log: TaskLog, session: ABSessionRow, rounds: int) -> str:
    out = sessions.outcome(log, session["id"], rounds=rounds)
    if out is None:
        return ""
    people = ", ".join(f"{name} ({done} of {total})"
                       for name, (done, total) in out.reviewers.items()) or "nobody yet"
    rows = [{"variant": r["set"], "chance to be preferred": view.pct(r["win chance"]),
             "95% interval": (f"{view.pct(r['low (95%)'])}–{view.pct(r['high (95%)'])}"
                              if r["low (95%)"] is not None else "—"),
             "preferred": r["preferred"], "not preferred": r["not preferred"],
             "no preference": r["no preference"]} for r in view.set_rows(out)]
    return (f"<h3>{_e(session['name'])}</h3><p class='muted'>{_stamp(session['created_at'])} "
            f"· {out.pairs} pairs · {out.answered} answers · reviewers: {_e(people)}</p>"
            f"<p><b>{_e(view.verdict(out))}</b></p>{_table(rows)}"
            f"<p>{_e(view.alpha_words(out.agreement))}</p>")


def _reviews_html(log: TaskLog, res: results.Results) -> str:
    takes: list[tuple[str, str]] = []
    for variant in res.variants:
        for cell in res.column(variant):
            for track in (cell.view.tracks if cell.view else []):
                takes.append((track.id, f"{variant} · repeat {cell.repeat} · take "
                                        f"{track.idx + 1}"))
    latest = log.latest_reviews([tid for tid, _ in takes])
    decided = [{"take": label, "decision": view.badge(latest[tid]),
                "by": latest[tid]["reviewer"] or "", "reason": latest[tid]["reason"] or "",
                "when": _stamp(latest[tid]["at"])} for tid, label in takes if tid in latest]
    notes = [{"take": label, "note": r["reason"] or "", "by": r["reviewer"] or "",
              "when": _stamp(r["at"])}
             for tid, label in takes for r in log.review_history(tid) if r["action"] == "note"]
    counts = {word: sum(1 for d in latest.values() if d["action"] == action)
              for action, word in decisions.STATUS_WORDS.items()}
    summary = ", ".join(f"{n} {word.lower()}" for word, n in counts.items())
    return (f"<h3>Review decisions</h3><p class='muted'>{len(takes)} takes: {summary}, "
            f"{len(takes) - len(latest)} not reviewed. Only approved takes reach demo mode."
            f"</p>{_table(decided)}" + (f"<h3>Moderation notes</h3>{_table(notes)}"
                                         if notes else ""))


def ab_section(log: TaskLog, *, rounds: int = stats.BOOTSTRAP_ROUNDS) -> Section:
    """The report section for blind sessions and review decisions (see the module notes)."""

    def render(res: results.Results) -> str:
        found = sessions_of(log, res.experiment["id"])
        blind = ("".join(_session_html(log, s, rounds) for s in found) if found else
                 "<p class='muted'>No blind A/B session was made from this experiment.</p>")
        return blind + _reviews_html(log, res)

    return Section(TITLE, render)
