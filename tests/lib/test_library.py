"""The Library's logic (`lib.views.library`): filters, SQL paging, selections, export, comparison."""

from __future__ import annotations

import csv
import io
import json
import math
import struct
import wave
from datetime import UTC, date, datetime

import pytest

from lib.log.sqlite import SqliteLog
from lib.views import library
from lib.views.library import LibraryFilters
from tests.bench.seed import seed, seed_small_experiment, seed_states


@pytest.fixture
def log(tmp_path):
    return SqliteLog(tmp_path / "songbench.db")


def test_filters_to_kwargs():
    assert LibraryFilters().kwargs() == {}
    assert not LibraryFilters(text="  ").active
    kw = LibraryFilters(text=" neon ", model=["V5"], op=["generate"], state=["failed"],
                        date_from=date(2026, 1, 2), date_to=date(2026, 1, 2),
                        min_rating=4).kwargs(UTC)
    start = datetime(2026, 1, 2, tzinfo=UTC).timestamp()
    assert kw == {"text": "neon", "model": ["V5"], "op": ["generate"], "state": ["failed"],
                  "created_from": start, "created_to": start + 86400, "min_rating": 4}


def test_pages():
    assert library.page_count(0, 25) == 1
    assert library.page_count(51, 25) == 3
    assert library.clamp_page(9, 51, 25) == 3
    assert library.clamp_page(0, 51, 25) == 1
    assert library.offset(3, 25) == 50


@pytest.mark.parametrize("filters", [
    LibraryFilters(), LibraryFilters(model=["V5"]), LibraryFilters(text="neon"),
    LibraryFilters(min_rating=3), LibraryFilters(op=["extend"], state=["succeeded"]),
    LibraryFilters(text="zzzz-nothing")])
@pytest.mark.parametrize("page", [1, 4])
def test_track_page_agrees_with_the_log(log, filters, page):
    seed(log, 300, now=2_000_000.0)
    kw = filters.kwargs()
    total = log.count_tracks(**kw)
    assert library.count_tracks(log, filters) == total
    got = library.track_page(log, filters, page, 10)
    assert got.total == total
    want = log.list_tracks(limit=10, offset=library.offset(got.page, 10), **kw)
    assert [r["id"] for r in got.rows] == [r["id"] for r in want]
    assert {"task_op", "task_model", "task_state", "task_created_at"} <= set(got.rows[0]) \
        if got.rows else True


def test_task_page_and_dates(log):
    seed(log, 120, now=2_000_000.0)
    all_tasks = library.task_page(log, LibraryFilters(), 1, 200)
    assert all_tasks.total == 120 and len(all_tasks.rows) == 120
    newest = datetime.fromtimestamp(all_tasks.rows[0]["created_at"]).date()
    one_day = library.task_page(log, LibraryFilters(date_from=newest, date_to=newest), 1, 200)
    assert 0 < one_day.total < 120
    assert all(datetime.fromtimestamp(r["created_at"]).date() == newest for r in one_day.rows)


def test_selection_export_and_compare(log, tmp_path):
    ids = seed_states(log, tmp_path / "assets")
    log.set_rating("trk-ok-1", 5)
    log.set_notes("trk-ok-1", "the keeper, «accents»")
    rows = library.selection(log, ["trk-ok-2", "trk-ok-1", "missing"],
                             (tmp_path / "assets").resolve())
    assert [r["id"] for r in rows] == ["trk-ok-2", "trk-ok-1"]
    assert rows[1]["files"] == {"mp3": f"{ids['succeeded']}/trk-ok-1-mp3.mp3",
                                "image": f"{ids['succeeded']}/trk-ok-1-image.jpeg"}
    data = library.export_csv(rows)
    assert data.startswith("\ufeff".encode())
    parsed = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [r["track_id"] for r in parsed] == ["trk-ok-2", "trk-ok-1"]
    assert parsed[1]["rating"] == "5" and parsed[1]["notes"] == "the keeper, «accents»"
    assert list(parsed[0]) == list(library.EXPORT_FIELDS)
    as_json = json.loads(library.export_json(rows))
    assert as_json[1]["local_audio"].endswith("trk-ok-1-mp3.mp3")
    assert as_json[0]["op"] == "generate" and as_json[0]["model"] == "V4_5"
    table = library.compare_table(rows)
    labels = [line[""] for line in table]
    assert labels[0] == "Title"
    assert labels.index("Tags") + 1 == labels.index("Duration (s)")
    assert table[labels.index("Rating")] == {"": "Rating", "#1 Golden Echo": "",
                                              "#2 Golden Echo": "5"}
    assert library.selection(log, []) == []


def test_track_and_task_tables(log, tmp_path):
    seed_states(log, tmp_path / "assets")
    log.set_rating("trk-ok-1", 3)
    rows = library.track_table(log.list_tracks(limit=10))
    rated = next(r for r in rows if r["rating"])
    assert rated["rating"] == "★★★" and rated["operation"] == "Generate music"
    assert rated["prompt"] == "a song called Golden Echo" and rated["model"] == "V4.5"
    tasks = library.task_table(log.list_tasks(limit=10))
    assert {t["state"] for t in tasks} == {"Pending", "Processing", "Succeeded", "Failed",
                                           "Unknown outcome"}


def test_what_was_asked_is_listed_compared_and_exported(log, tmp_path):
    """Prompt, variant, repeat and experiment id: in the tables, the comparison and every
    export; the provider's internal model name and field spellings stay out of the tables."""
    made = seed_small_experiment(log, now=1_000_000.0)
    page = library.track_page(log, LibraryFilters(), 1, 25)
    table = library.track_table(page.rows)
    assert [r["title"] for r in table] == ["Night Train 2.1", "Night Train 2.2",
                                           "Night Train 1.1", "Night Train 1.2"]
    first = table[0]
    assert first["prompt"] == "a fast rock song about trains"       # the first line only
    assert first["variant"] == "rock-fast · repeat 2"
    assert first["tags"] == "rock, backing vocals" and first["model"] == "V4.5+"
    assert first["state"] == "Succeeded"
    assert "chirp-crow" not in json.dumps(table)
    [task] = [t for t in library.task_table(log.list_tasks(limit=5))
              if t["id"] == made["tasks"][0]]
    assert task["prompt"] == "a fast rock song about trains"
    assert task["variant"] == "rock-fast · repeat 1" and task["model"] == "V4.5+"

    rows = library.selection(log, ["trk-exp-1-1", "trk-exp-2-1"])
    compare = {line[""]: line for line in library.compare_table(rows)}
    assert compare["Prompt"]["#1 Night Train 1.1"] == "a fast rock song about trains"
    assert compare["Variant"]["#2 Night Train 2.1"] == "rock-fast"
    assert compare["Repeat"]["#1 Night Train 1.1"] == "1"
    assert compare["Repeat"]["#2 Night Train 2.1"] == "2"
    assert compare["Experiment"]["#1 Night Train 1.1"] == made["experiment"][:8]
    assert compare["Model"]["#1 Night Train 1.1"] == "V4.5+"
    assert "Model name" not in compare
    assert compare["Tags"]["#1 Night Train 1.1"] == "rock, backing vocals"

    as_json = json.loads(library.export_json(rows))
    assert as_json[1]["prompt"] == "a fast rock song about trains\nwith a long second line"
    assert as_json[1]["variant"] == "rock-fast" and as_json[1]["repeat"] == 2
    assert as_json[1]["experiment_id"] == made["experiment"]
    assert as_json[1]["model"] == "V4_5PLUS"         # exports keep the stored values
    parsed = list(csv.DictReader(io.StringIO(library.export_csv(rows).decode("utf-8-sig"))))
    assert parsed[0]["prompt"].startswith("a fast rock song about trains")
    assert (parsed[0]["variant"], parsed[0]["repeat"]) == ("rock-fast", "1")
    assert parsed[0]["experiment_id"] == made["experiment"]
    assert {"prompt", "variant", "repeat", "experiment_id"} <= set(library.EXPORT_FIELDS)


def test_text_search_covers_the_prompt_and_every_task_id(log, tmp_path):
    made = seed_small_experiment(log, now=1_000_000.0)
    seed_states(log, tmp_path / "assets")
    first = made["tasks"][0]
    for text in ("trains", "rock song", first[:8], first, "prov-exp-1"):
        page = library.track_page(log, LibraryFilters(text=text), 1, 25)
        tasks = {r["task_id"] for r in page.rows}
        assert tasks == ({first} if text not in ("trains", "rock song") else set(made["tasks"])), text


def test_loudness_curve(tmp_path):
    path = tmp_path / "tone.wav"
    rate = 8000
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        frames = [int((0.05 if i < rate else 0.8) * 32767 * math.sin(i / 10))
                  for i in range(2 * rate)]
        w.writeframes(struct.pack(f"<{len(frames)}h", *frames))
    curve = library.loudness_curve(path, points=20)
    assert len(curve["t"]) == len(curve["rms_db"]) == 20
    assert curve["t"][-1] < 2.0
    assert curve["rms_db"][-1] > curve["rms_db"][0] + 15


def test_exports_carry_the_review_decision_and_the_qa_verdict(log, tmp_path):
    """The table shows a take's review badge and its QA line: both exports carry them too
    (decision, reason, reviewer, when; QA verdict and its words), empty where there is none."""
    from lib.qa.words import lines_for
    from lib.review.decisions import decide

    seed_states(log, tmp_path / "assets")
    decide(log, "trk-ok-1", "reject", reviewer="Ana", reason="muddy mix", now=1_700_000_000.0)
    log.save_scorecard("trk-ok-1", {}, worst="fail", flags={"clipping": "fail"}, summary="",
                       thresholds_version="1", computed_at=1.0)
    rows = library.selection(log, ["trk-ok-1", "trk-ok-2"])
    parsed = list(csv.DictReader(io.StringIO(library.export_csv(rows).decode("utf-8-sig"))))
    as_json = json.loads(library.export_json(rows))
    shown = lines_for(log, ["trk-ok-1"])["trk-ok-1"].text
    for first, second in ((parsed[0], parsed[1]), (as_json[0], as_json[1])):
        assert first["review"] == "Rejected" and first["review_reason"] == "muddy mix"
        assert first["reviewer"] == "Ana" and first["reviewed"].startswith("2023-11-1")
        assert first["qa"] == "fail" and first["qa_problems"] == shown
        assert "clipping" in first["qa_problems"].lower()
        assert not second["review"] and not second["qa"]
