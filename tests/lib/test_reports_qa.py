"""The report's QA section: per take its verdict and every problem in words, takes not scored
yet said so, HTML-escaped, and it plugs into the experiment report as a `Section`."""

from __future__ import annotations

import pytest

from lib.experiments import results
from lib.log.sqlite import SqliteLog
from lib.reports import experiment as report
from lib.reports.qa_section import qa_section
from tests.bench.seed import seed_small_experiment
from tests.lib.qa import cards


@pytest.fixture
def experiment(tmp_path):
    log = SqliteLog(tmp_path / "t.db")
    seeded = seed_small_experiment(log)
    cards.store(log, "trk-exp-1-1", cards.measures(duration=61.0, clipped=312,
                                                   gaps=((41.0, 43.1),)))
    cards.store(log, "trk-exp-1-2", cards.measures(duration=62.0))
    cards.store(log, "trk-exp-2-1", cards.measures(duration=61.0, lufs=-7.0))
    return log, results.results(log, seeded["experiment"])


def test_every_take_with_its_verdict_and_problems(experiment):
    log, res = experiment
    section = qa_section(log)
    assert section.title == "QA scorecards"
    page = section.render(res)
    assert "4 takes: 1 with a problem, 1 worth a look, 1 ok, 1 not checked yet." in page
    rows = page.split("<tr>")[2:]
    assert len(rows) == 4
    first = rows[0]
    assert "Night Train 1.1" in first and "✖ Problem" in first
    assert ("✖ Clipping: clipped: 312 samples (0.006% of the track), true peak -1.5 dBTP"
            in first)                                   # 61 s long
    assert "⚠ Silent gaps inside: 2.1 s of silence at 0:41" in first
    assert "✔ OK" in rows[1] and "✔ QA ok" in rows[1]
    assert "⚠ Worth a look" in rows[2] and "-7.0 LUFS, too loud" in rows[2]
    assert "not scored yet" in rows[3]
    assert "{" not in page and "trk-exp" not in page  # no JSON, no raw ids


def test_the_section_goes_into_the_report(experiment):
    log, res = experiment
    page = report.report_html(res, [qa_section(log)]).decode()
    assert "<h2>QA scorecards</h2>" in page and "clipped: 312 samples (0.006%" in page


def test_an_experiment_without_takes(tmp_path):
    from lib.experiments import grid, service

    log = SqliteLog(tmp_path / "t.db")
    base = {"customMode": True, "instrumental": False, "model": "V5", "prompt": "calm",
            "title": "Calm"}
    axis, _ = grid.parse_axis("generate", "style", "jazz")
    exp = service.create(log, service.Setup(name="x", op="generate", base=base, axes=[axis],
                                            repeats=1),
                         grid.plan("generate", base, grid.expand([axis]), 1))
    html = qa_section(log).render(results.results(log, exp))
    assert "No takes yet" in html
