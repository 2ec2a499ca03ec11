"""QA scorecards in words: the one-line headline (worst first), the compact line read in one
batch from the log, the full table, and the board's track views carrying their line."""

from __future__ import annotations

from pathlib import Path

import pytest

from lib.log.sqlite import SqliteLog
from lib.qa import Asked, score, words
from lib.qa.flags import Check, Flag
from lib.qa.thresholds import Thresholds
from lib.views import board, board_detail
from tests.bench.seed import seed_states
from tests.lib.qa import cards


def test_a_clean_track_reads_qa_ok():
    card = score(cards.measures(), Asked(expected_seconds=120))
    assert words.headline(card) == "✔ QA ok"
    assert all(row["Result"] in ("✔ OK", "– Not checked") for row in words.table(card))


def test_problems_worst_first_with_times_and_counts():
    card = score(cards.measures(clipped=312, gaps=((41.0, 43.1),), true_peak=-0.5),
                 Asked(expected_seconds=120))
    line = words.headline(card)
    assert line.startswith("✖ clipped: 312 samples (0.003% of the track), true peak -0.5 dBTP"
                           " · ⚠ ")
    assert "2.1 s of silence at 0:41" in words.headline(card, limit=5)
    assert line.endswith("+ 1 more")  # the true peak warning is left for the detail
    found = [(flag.value, name) for flag, name, _ in words.problems(card)]
    assert found == [("fail", "clipping"), ("warn", "gaps"), ("warn", "true_peak")]


def test_the_table_has_every_check_in_words():
    card = score(cards.measures(gaps=((41.0, 43.1), (90.0, 95.5)), lufs=-27.0),
                 Asked(expected_seconds=100, style="synthwave, 120 bpm, E minor"))
    rows = {r["Check"]: r for r in words.table(card)}
    assert len(rows) == len(card.checks) == 13
    assert rows["Silent gaps inside"]["Details"] == \
        "silence at 0:41–0:43 (2.1 s), 1:30–1:36 (5.5 s)"
    assert rows["Silent gaps inside"]["Result"] == "✖ Problem"  # 5.5 s >= 4 s
    assert rows["Loudness"]["Value"] == "-27 LUFS" and "too quiet" in rows["Loudness"]["Details"]
    assert rows["Length"]["Result"] == "✖ Problem" and "expected 100 s" in rows["Length"]["Details"]
    assert rows["Tempo"]["Value"] == "118 bpm" and rows["Key"]["Value"] == "E minor"
    assert not any("{" in v or "_" in v for r in rows.values() for v in r.values())  # no JSON


def test_clock():
    assert [words.clock(s) for s in (0, 41.3, 61, 3725)] == ["0:00", "0:41", "1:01", "1:02:05"]


def test_an_old_count_summary_becomes_check_names():
    line = words.qa_line({"worst": "fail", "flags": {"clipping": "fail", "gaps": "warn",
                                                     "loudness": "ok"},
                          "summary": "1 fail, 1 warn, 1 ok", "computed_at": 1.0})
    assert line is not None and line.text == "✖ silent gaps inside, clipping"
    assert line.problems == 2 and line.label == "Problem" and not line.ok
    assert words.qa_line(None) is None


@pytest.fixture
def seeded(tmp_path):
    log = SqliteLog(tmp_path / "t.db")
    ids = seed_states(log, tmp_path / "assets")
    return log, ids


def test_board_views_carry_the_qa_line_read_in_one_batch(seeded, monkeypatch):
    log, ids = seeded
    cards.store(log, "trk-ok-1", cards.problem_measures())
    cards.store(log, "trk-ok-2")
    calls = []
    original = log.flags_for
    monkeypatch.setattr(log, "flags_for", lambda ids_: calls.append(list(ids_)) or original(ids_))
    page = board.board_page(log, limit=10)
    assert len(calls) == 1 and {"trk-ok-1", "trk-ok-2", "trk-proc-1"} <= set(calls[0])
    tracks = {t.id: t for v in page.tasks for t in v.tracks}
    assert tracks["trk-ok-1"].qa is not None
    assert tracks["trk-ok-1"].qa.text.startswith(f"✖ {cards.CLIPPED_312} · ⚠ 2.1 s of silence")
    assert tracks["trk-ok-2"].qa is not None and tracks["trk-ok-2"].qa.text == "✔ QA ok"
    assert tracks["trk-proc-1"].qa is None  # not archived, not scored
    detail = board_detail.task_detail(log, ids["succeeded"])
    assert detail is not None and set(detail.scorecards) == {"trk-ok-1", "trk-ok-2"}


def test_the_library_filters_tracks_with_problems(seeded):
    from lib.views import library

    log, _ = seeded
    cards.store(log, "trk-ok-1", cards.problem_measures())
    cards.store(log, "trk-ok-2")
    flt = library.LibraryFilters(qa_problems=True)
    assert library.count_tracks(log, flt) == 1
    page = library.track_page(log, flt)
    assert [r["id"] for r in page.rows] == ["trk-ok-1"]
    table = library.track_table(page.rows, words.lines_for(log, ["trk-ok-1"]))
    assert table[0]["QA"].startswith("✖ clipped")
    assert library.count_tracks(log, library.LibraryFilters()) == 4


def test_rescore_all_follows_new_thresholds_without_audio(seeded):
    from lib.qa import thresholds, tracks

    log, _ = seeded
    cards.store(log, "trk-ok-1", cards.measures(clipped=50))
    assert log.flags_for(["trk-ok-1"])["trk-ok-1"]["worst"] == "warn"
    strict = Thresholds(clipped_fail=10)
    thresholds.save(log, strict)
    assert tracks.rescore_all(log, strict) == 1
    row = log.flags_for(["trk-ok-1"])["trk-ok-1"]
    assert row["worst"] == "fail" and row["summary"] == f"✖ {cards.CLIPPED_50}"
    assert log.scorecard("trk-ok-1")["thresholds_version"] == strict.version


def test_values_read_as_words():
    card = score(cards.measures(gaps=((41.0, 43.1),)), Asked(expected_seconds=120,
                                                              finished_at=0.0,
                                                              urls={"audio_url": "x"}),
                 now=86400 * 1.004)
    rows = {r["Check"]: r["Value"] for r in words.table(card)}
    assert rows["Silent gaps inside"] == "1 gap"
    assert rows["Provider retention"] == "14.0 days"
    clean = {r["Check"]: r["Value"] for r in words.table(score(cards.measures()))}
    assert clean["Silent gaps inside"] == "none" and clean["Clipping"] == "0 samples"


def test_recheck_without_archived_audio_rejudges_the_stored_measures(seeded):
    import httpx

    from lib.qa import tracks

    log, _ = seeded
    assert not tracks.recheck(log, "nope").ok
    done = tracks.recheck(log, "trk-ok-2")  # no file, no scorecard yet
    assert not done.ok and "No archived audio" in done.message
    cards.store(log, "trk-ok-2", cards.measures(clipped=312))
    gone = httpx.Client(transport=httpx.MockTransport(lambda request: httpx.Response(404)))
    done = tracks.recheck(log, "trk-ok-2", http=gone)
    assert done.ok and done.card is not None
    assert done.card.checks["links"].flag.value == "fail"
    assert done.message == (f"Checked again: ✖ {cards.CLIPPED_312} · ✖ provider link gone")
    assert log.flags_for(["trk-ok-2"])["trk-ok-2"]["summary"] == \
        f"✖ {cards.CLIPPED_312} · ✖ provider link gone"


def test_each_check_words_its_problems_beside_the_check():
    from lib.qa import scorecard  # noqa: F401  loads every check module
    from lib.qa.flags import CHECKS

    owners = {name: words._WORDING[name].__module__ for name in CHECKS}
    assert owners == {
        "duration": "lib.qa.scorecard", "true_peak": "lib.qa.scorecard",
        "leading_silence": "lib.qa.silence", "trailing_silence": "lib.qa.silence",
        "gaps": "lib.qa.silence", "loudness": "lib.qa.loudness", "clipping": "lib.qa.clipping",
        "vocals": "lib.qa.vocals", "tempo": "lib.qa.tempo_key", "key": "lib.qa.tempo_key",
        "lyrics": "lib.qa.lyrics_coverage", "links": "lib.qa.links",
        "retention": "lib.qa.links"}
    assert words.problem_text("mystery", Check(1, Flag.WARN, "odd")) == "mystery: odd"


def test_words_load_the_check_modules_only_when_asked():
    """The board imports `words` without numpy; wording a check loads its module then."""
    import subprocess
    import sys

    code = ("import sys; from lib.qa import words; from lib.qa.flags import Check, Flag; "
            "light = 'numpy' not in sys.modules; "
            "text = words.problem_text('leading_silence', Check(2.0, Flag.WARN, 'x', 's')); "
            "print(light, text)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).parents[3]).stdout.strip()
    assert out == "True 2.0 s of silence at the start"
