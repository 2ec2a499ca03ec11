"""QA flags on every page that shows tracks (AppTest): the board's cards, the Library's QA
column and its "only tracks with problems" filter, the experiment grid's cells and the task
detail's full scorecard with its Re-check button. Scorecards are the real judge's verdicts on
known measures (`tests.lib.qa.cards`); the Re-check decodes a real MP3."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.pages import open_page, texts
from tests.bench.seed import seed_small_experiment, seed_states
from tests.lib.qa import cards
from tests.lib.qa import signals as s


def run(page: str, query: dict | None = None) -> AppTest:
    return open_page(page, query, timeout=60)


@pytest.fixture
def scored(app_runtime):
    log = app_runtime.log
    ids = seed_states(log, app_runtime.assets_dir)
    cards.store(log, "trk-ok-1", cards.problem_measures())
    cards.store(log, "trk-ok-2")
    return ids


def test_board_cards_show_the_qa_line(scored):
    body = texts(run("tasks"))
    assert f":red[✖ {cards.CLIPPED_312} · ⚠ 2.1 s of silence at 0:41]" in body
    assert ":green[✔ QA ok]" in body
    assert '"worst"' not in body and "fail," not in body  # words, not stored values


def test_library_qa_column_and_problem_filter(scored):
    at = run("library")
    table = at.dataframe[0].value
    qa = dict(zip(table["title"] + "|" + table["QA"], table["QA"], strict=True))
    assert sum(1 for v in qa.values() if v.startswith(f"✖ {cards.CLIPPED_312}")) == 1
    assert sum(1 for v in qa.values() if v == "✔ QA ok") == 1
    assert len(table) == 4
    at.toggle(key="lib_qa").set_value(True).run()
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == 1 and table["QA"][0].startswith("✖ clipped")
    assert "1 track matches" in texts(at) or "1 track" in texts(at)


def test_experiment_grid_cells_show_qa(app_runtime):
    log = app_runtime.log
    seeded = seed_small_experiment(log)
    cards.store(log, "trk-exp-1-1", cards.measures(duration=61.0, lufs=-30.0))
    cards.store(log, "trk-exp-2-2", cards.measures(duration=62.0))
    body = texts(run("experiments", {"id": seeded["experiment"]}))
    assert ":red[✖ -30.0 LUFS, too quiet]" in body
    assert ":green[✔ QA ok]" in body


def test_task_detail_full_scorecard_and_recheck(scored, app_runtime):
    at = run("task", {"task": scored["succeeded"]})
    tables = [d.value for d in at.dataframe if "Check" in d.value.columns]
    assert len(tables) == 2
    first = tables[0].set_index("Check")
    assert first.loc["Clipping", "Result"] == "✖ Problem"
    assert first.loc["Clipping", "Value"] == "312 samples"
    assert first.loc["Silent gaps inside", "Details"] == "silence at 0:41–0:43 (2.1 s)"
    assert first.loc["Loudness", "Value"] == "-12 LUFS"
    assert {"True peak", "Vocals", "Tempo", "Key", "Lyrics coverage", "Provider links",
            "Provider retention", "Length"} <= set(first.index)
    assert "day(s) left" in first.loc["Provider retention", "Details"]
    # Re-check: the archived file is measured again (a real 3 s MP3 now) and the links probed
    track = app_runtime.log.get_track("trk-ok-1")
    s.write(Path(track["local_audio_path"]), s.sine(440, 3.0, 0.3))
    next(b for b in at.button if b.key == "qa-recheck-trk-ok-1").click().run()
    assert not at.exception, at.exception
    assert any("Checked again" in m.value for m in at.success)
    first = [d.value for d in at.dataframe if "Check" in d.value.columns][0].set_index("Check")
    assert first.loc["Clipping", "Value"] == "0 samples"
    assert first.loc["Provider links", "Result"] == "⚠ Worth a look"  # 127.0.0.1:9 refuses
    assert "clipped" not in (app_runtime.log.flags_for(["trk-ok-1"])["trk-ok-1"]["summary"])


def test_recheck_of_unreadable_audio_says_so(scored, app_runtime):
    at = run("task", {"task": scored["succeeded"]})
    next(b for b in at.button if b.key == "qa-recheck-trk-ok-1").click().run()
    assert not at.exception, at.exception
    assert any("could not be read" in w.value for w in at.warning)
    assert "clipped" in app_runtime.log.flags_for(["trk-ok-1"])["trk-ok-1"]["summary"]
