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
from tests.bench.seed import seed, seed_states


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
    assert [line[""] for line in table][:3] == ["Title", "Tags", "Duration (s)"]
    assert table[6] == {"": "Rating", "#1 Golden Echo": "", "#2 Golden Echo": "5"}
    assert library.selection(log, []) == []


def test_track_and_task_tables(log, tmp_path):
    seed_states(log, tmp_path / "assets")
    log.set_rating("trk-ok-1", 3)
    rows = library.track_table(log.list_tracks(limit=10))
    rated = next(r for r in rows if r["rating"])
    assert rated["rating"] == "★★★" and rated["operation"] == "Generate music"
    tasks = library.task_table(log.list_tasks(limit=10))
    assert {t["state"] for t in tasks} == {"pending", "processing", "succeeded", "failed",
                                           "unknown"}


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
