"""The Library page with AppTest: filters, SQL pagination, selection, rating, notes, export."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.bench.seed import seed, seed_small_experiment, seed_states

PAGE = "../../pages/library.py"


def run() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=30)
    at.run()
    assert not at.exception, at.exception
    return at


def select(at: AppTest, rows: list[int]) -> AppTest:
    gen = at.session_state["_lib_gen"]
    at.session_state[f"lib_tracks_{gen}"] = {"selection": {"rows": rows, "columns": [],
                                                           "cells": []}}
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def states(app_runtime):
    return seed_states(app_runtime.log, app_runtime.assets_dir)


def test_empty_library(app_runtime):
    at = run()
    assert at.title[0].value == "Library"
    assert at.info[0].value == "No tracks yet."


def test_lists_tracks_and_filters(states):
    at = run()
    assert at.caption[0].value == "4 tracks · page 1 of 1"
    table = at.dataframe[0].value
    assert set(table["title"]) == {"Neon River", "Golden Echo"}
    at.text_input(key="lib_text").input("golden").run()
    assert at.caption[0].value == "2 tracks match · page 1 of 1"
    at.text_input(key="lib_text").input("").run()
    at.multiselect(key="lib_state").set_value(["processing"]).run()
    assert set(at.dataframe[0].value["title"]) == {"Neon River"}
    at.multiselect(key="lib_state").set_value([]).run()
    at.multiselect(key="lib_model").set_value(["V4_5"]).run()
    assert at.caption[0].value == "4 tracks match · page 1 of 1"
    at.multiselect(key="lib_op").set_value(["extend"]).run()
    assert at.info[0].value == "No tracks match these filters."


def test_tasks_view(states):
    at = run()
    at.segmented_control(key="lib_view").set_value("Tasks").run()
    assert not at.exception
    assert at.caption[0].value == "6 tasks · page 1 of 1"
    table = at.dataframe[0].value
    assert set(table["state"]) == {"Pending", "Processing", "Succeeded", "Failed",
                                   "Unknown outcome"}
    assert all("/task?task=" in url for url in table["id"])
    at.multiselect(key="lib_state").set_value(["failed"]).run()
    assert list(at.dataframe[0].value["title"]) == ["Broken Glass"]


def test_pagination_in_sql(app_runtime):
    seed(app_runtime.log, 60, now=2_000_000.0)
    total = app_runtime.log.count_tracks()
    at = run()
    at.selectbox(key="lib_per_page").set_value(10).run()
    pages = -(-total // 10)
    assert at.caption[0].value == f"{total} tracks · page 1 of {pages}"
    first = list(at.dataframe[0].value["title"])
    at.pagination(key="lib_page").set_value(2).run()
    assert at.caption[0].value == f"{total} tracks · page 2 of {pages}"
    expected = [r["title"] for r in app_runtime.log.list_tracks(limit=10, offset=10)]
    assert list(at.dataframe[0].value["title"]) == expected != first
    at.text_input(key="lib_text").input("zzzz").run()   # new filters: back to page 1
    assert at.caption[0].value.endswith("page 1 of 1")


def test_rating_and_notes_are_saved(states, app_runtime):
    at = run()
    titles = list(at.dataframe[0].value["title"])
    row = titles.index("Golden Echo")
    at = select(at, [row])
    assert at.subheader[0].value == "Track"
    track_id = app_runtime.log.list_tracks(limit=10)[row]["id"]
    at.feedback(key=f"rate-{track_id}").set_value(3).run()          # 0-based: four stars
    assert app_runtime.log.get_track(track_id)["rating"] == 4
    at.text_area(key=f"notes-{track_id}").input("great chorus").run()
    assert app_runtime.log.get_track(track_id)["notes"] == "great chorus"
    at = select(run(), [row])
    assert at.feedback(key=f"rate-{track_id}").value == 3
    assert at.text_area(key=f"notes-{track_id}").value == "great chorus"
    assert "★★★★" in set(at.dataframe[0].value["rating"])
    at.selectbox(key="lib_rating").set_value(4).run()
    assert at.caption[0].value == "1 track matches · page 1 of 1"


def test_compare_and_export(states, app_runtime):
    at = run()
    titles = list(at.dataframe[0].value["title"])
    at = select(at, [titles.index("Golden Echo"), titles.index("Neon River")])
    assert at.subheader[0].value == "Compare"
    compare = at.dataframe[1].value
    assert compare.columns[0] == "" and compare.iloc[0, 0] == "Title"
    assert len(compare.columns) == 3
    assert len(at.feedback) == 2
    assert "Exports the 2 selected tracks." in [c.value for c in at.caption]
    buttons = {b.proto.label: b for b in at.download_button}
    assert set(buttons) == {"Export CSV", "Export JSON"}
    assert not buttons["Export CSV"].proto.disabled
    assert any(a.proto.url for a in at.get("audio"))


def test_page_export_without_selection(states):
    at = run()
    assert "Exports the 4 listed tracks." in [c.value for c in at.caption]


def test_what_was_asked_in_words(app_runtime):
    """Prompt and variant columns, searchable by prompt and by any task id; models, tags and
    counts in words; the provider's internal model name nowhere."""
    made = seed_small_experiment(app_runtime.log)
    at = run()
    table = at.dataframe[0].value
    assert list(table.columns[:3]) == ["title", "prompt", "variant"]
    assert set(table["prompt"]) == {"a fast rock song about trains"}
    assert set(table["variant"]) == {"rock-fast · repeat 1", "rock-fast · repeat 2"}
    assert set(table["model"]) == {"V4.5+"} and set(table["tags"]) == {"rock, backing vocals"}
    assert "chirp-crow" not in table.to_csv()
    first = made["tasks"][0]
    for text in ("trains", first[:8], first, "prov-exp-1"):
        at.text_input(key="lib_text").input(text).run()
        want = 4 if text == "trains" else 2
        assert at.caption[0].value == f"{want} tracks match · page 1 of 1", text
    at = select(at, [0, 1])
    compare = at.dataframe[1].value
    lines = dict(zip(compare[""], compare.iloc[:, 1], strict=True))
    assert lines["Prompt"] == "a fast rock song about trains"
    assert lines["Variant"] == "rock-fast" and lines["Repeat"] == "1"
    assert lines["Experiment"] == made["experiment"][:8]
    body = "\n".join(m.value for m in at.markdown)
    assert "“a fast rock song about trains” · variant: rock-fast · repeat 1" in body
    at.segmented_control(key="lib_view").set_value("Tasks").run()
    tasks = at.dataframe[0].value
    assert set(tasks["variant"]) == {"rock-fast · repeat 1"}
    assert at.caption[0].value == "1 task matches · page 1 of 1"


def test_selected_tracks_can_be_compared_blind(states, app_runtime):
    at = run()
    rows = at.dataframe[0].value
    titles = list(rows["title"])
    at = select(at, [titles.index("Golden Echo"), titles.index("Neon River")])
    links = [m.value for m in at.markdown if "Compare blind" in m.value]
    assert len(links) == 1 and "/listen?tracks=" in links[0]
    ids = links[0].split("tracks=")[1].rstrip(")").split(",")
    assert {app_runtime.log.get_track(i)["title"] for i in ids} == {"Golden Echo", "Neon River"}
