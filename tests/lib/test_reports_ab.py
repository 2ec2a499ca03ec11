"""lib.reports.ab_section: the report's blind A/B results and review decisions."""

from __future__ import annotations

import re

from lib.experiments import results
from lib.log.sqlite import SqliteLog
from lib.reports import experiment as report
from lib.reports.ab_section import TITLE, ab_section, sessions_of
from lib.review import decisions, sessions
from tests.lib.review.support import finished_experiment


def _setup(tmp_path):
    log = SqliteLog(tmp_path / "log.db")
    exp = finished_experiment(log, tmp_path / "takes", repeats=2)
    other = finished_experiment(log, tmp_path / "other", repeats=1, prefix="o-")
    return log, exp, other


def _session(log, exp, name):
    sets = sessions.experiment_sets(log, exp)
    return sessions.create(log, name=name, x_label="warm", xs=sets["warm"], y_label="bright",
                           ys=sets["bright"], seed=9,
                           source={"kind": "experiment", "experiment_id": exp})


def test_sessions_and_decisions_of_this_experiment_only(tmp_path):
    log, exp, other = _setup(tmp_path)
    sid = _session(log, exp, "Friday <panel>")
    _session(log, other, "Someone else's session")
    for name in ("Ana", "Ben"):
        sessions.join(log, sid, name)
    for trial in log.ab_trials(sid):  # Ana prefers warm every time, Ben once says no preference
        choice = "a" if trial["x_is_a"] else "b"
        if trial["reviewer"] == "Ben" and trial["position"] == 0:
            choice = "none"
        sessions.answer(log, trial["id"], choice, "fuller" if choice != "none" else None)
    assert [s["id"] for s in sessions_of(log, exp)] == [sid]
    decisions.decide(log, "warm-1-0", "approve", reviewer="Ana")
    decisions.decide(log, "bright-1-1", "flag", reviewer="Ben", reason="hiss <at> 0:10")
    decisions.decide(log, "bright-1-1", "note", reviewer="Ana", reason="asked for a re-run")

    page = report.report_html(results.results(log, exp),
                              [ab_section(log, rounds=50)]).decode()
    section = page.split(f"<h2>{TITLE}</h2>")[1].split("<h2>Takes</h2>")[0]
    assert "Friday &lt;panel&gt;" in section and "Someone else" not in section
    assert "warm is preferred:" in section and "95% interval" in section
    assert re.search(r"<td>warm</td><td>\d+%</td><td>\d+%–\d+%</td><td>7</td><td>0</td>"
                     r"<td>1</td>", section)
    assert "Ana (4 of 4), Ben (4 of 4)" in section
    assert "Krippendorff" in section
    assert "✔ approved" in section and "⚑ flagged: hiss &lt;at&gt; 0:10" in section
    assert "asked for a re-run" in section and "warm · repeat 1 · take 1" in section
    assert "1 approved, 0 rejected, 1 flagged, 6 not reviewed" in section
    session = log.get_ab_session(sid)
    for secret in (sid, session["token"], "warm-1-0", str(tmp_path)):
        assert secret not in section


def test_without_sessions_it_says_so(tmp_path):
    log, exp, _other = _setup(tmp_path)
    html = ab_section(log).render(results.results(log, exp))
    assert "No blind A/B session was made from this experiment." in html
    assert "8 takes: 0 approved, 0 rejected, 0 flagged, 8 not reviewed" in html
