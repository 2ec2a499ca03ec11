"""The Experiments page with AppTest: the setup form (typed axes, a sheet, refusals, the
preview and the confirmation), the results grid, the controls, summaries, clone and ids."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.pages import open_page, rerun, texts
from lib.experiments import grid, service

PAGE = "../../pages/experiments.py"
BASE = {"customMode": True, "instrumental": False, "model": "V5", "prompt": "a calm piano",
        "title": "Calm"}  # custom mode: the style axes count


def run(query: dict | None = None, at: AppTest | None = None) -> AppTest:
    if at is None:
        return open_page(PAGE, query)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    return rerun(at)


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label.startswith(label))


def queued(log, styles, repeats=1, name="Styles"):
    axis, _ = grid.parse_axis("generate", "style", "\n".join(styles))
    setup = service.Setup(name=name, op="generate", base=BASE, axes=[axis], repeats=repeats,
                          notes="short styles sing cleaner")
    return service.create(log, setup, grid.plan("generate", BASE, grid.expand([axis]), repeats))


def test_empty_page_offers_the_form(app_runtime):
    at = run()
    assert at.title[0].value == "Experiments"
    assert "No experiments yet" in texts(at)
    assert at.selectbox(key="exp.op").value == "generate"


def test_typed_axes_preview_confirm_and_queue(app_runtime):
    at = run()
    at.toggle(key="generate.customMode").set_value(True)      # style counts in custom mode
    at = run(at=at)
    at.text_input(key="exp.name").input("Piano styles")
    at.text_area(key="generate.prompt").input("a calm piano piece")
    at.text_input(key="generate.title").input("Piano")
    at.text_area(key="exp.axis0.values").input("warm\nbright\ndark")
    at.number_input(key="exp.repeats").set_value(2)
    at = run(at=at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Calls"] == "6" and metrics["Credits (estimate)"] == "72"
    assert metrics["Time to send"] == "under a second"
    button(at, "Run 6 calls").click()
    at = run(at=at)
    assert "Send **6** calls for about **72** credits?" in texts(at)
    assert app_runtime.log.list_experiments() == []  # nothing queued before confirming
    button(at, "Confirm and queue").click()
    at = run(at=at)
    [exp] = app_runtime.log.list_experiments()
    assert exp["name"] == "Piano styles"
    assert at.query_params["id"] == [exp["id"]] or at.query_params["id"] == exp["id"]
    cells = app_runtime.log.experiment_cells(exp["id"])
    assert sorted({c["variant"] for c in cells}) == ["bright", "dark", "warm"]
    assert all(c["status"] == "queued" for c in cells) and len(cells) == 6


def test_refusals_name_variant_column_and_reason_and_block_the_run(app_runtime):
    at = run()
    at.text_area(key="generate.prompt").input("a calm piano piece")
    at.selectbox(key="exp.axis0.field").set_value("model")
    at.text_area(key="exp.axis0.values").input("V5\nV9")
    at = run(at=at)
    assert "Grid, column model: “V9” is not one of" in texts(at)
    assert button(at, "Run").disabled


def test_a_sheet_with_an_unknown_column_is_refused_with_its_row(app_runtime):
    at = AppTest.from_file(PAGE, default_timeout=30)
    at.session_state["exp.mode"] = "sheet"
    at.session_state["exp.sheet_text"] = "variant,style,colour\na,rock,red\n"
    at = run(at=at)
    assert at.session_state["exp.mode"] == "sheet", at.session_state["exp.mode"]
    assert "Row 1, column colour: not a field of Generate music" in texts(at)
    assert button(at, "Run").disabled


def test_results_grid_controls_and_stable_url(app_runtime):
    exp = queued(app_runtime.log, ["rock", "jazz"], repeats=2)
    at = run({"id": exp[:8]})  # a prefix opens it too
    assert at.title[0].value == "Styles"
    body = texts(at)
    assert "**rock**" in body and "**jazz**" in body and "short styles sing cleaner" in body
    assert body.count(":gray-badge[Queued]") == 4
    assert "0 of 4 cells finished" in at.get("progress")[0].proto.text
    links = {b.proto.label: b.proto.url for b in at.get("link_button")}
    for label, file in (("Export CSV", "results.csv"), ("Export JSON", "results.json"),
                        ("Report (HTML)", "report.html"), ("Report (zip)", "report.zip")):
        assert links[label].endswith(f"/api/experiments/{exp}/{file}"), links
    assert not at.get("download_button")  # made when followed, by our route
    button(at, "Pause").click()
    at = run(at=at)
    assert app_runtime.log.get_experiment(exp)["status"] == "paused"
    button(at, "Resume").click()
    at = run(at=at)
    assert app_runtime.log.get_experiment(exp)["status"] == "running"
    button(at, "Cancel what is queued").click()
    at = run(at=at)
    assert {c["status"] for c in app_runtime.log.experiment_cells(exp)} == {"cancelled"}
    assert ":gray-badge[Cancelled]" in texts(at)


def test_finished_cells_show_players_latencies_and_summary(app_runtime):
    exp = queued(app_runtime.log, ["rock", "jazz"])
    app_runtime.queue.drain()
    assert service.wait(app_runtime.log, exp, timeout=60,
                        tick=lambda: app_runtime.tracker.run_once(), every=0.2)
    at = run({"id": exp})
    body = texts(at)
    assert body.count(":green-badge[Succeeded]") == 2
    assert "complete" in body and "12 credits" in body
    assert len(at.get("audio")) == 4  # two takes per cell
    at = run({"id": exp, "view": "summary"})
    frame = at.dataframe[1].value if len(at.dataframe) > 1 else at.dataframe[0].value
    summary = next(d.value for d in at.dataframe if "success rate" in d.value.columns)
    assert list(summary["variant"]) == ["rock", "jazz"]
    assert list(summary["success rate"]) == [1.0, 1.0]
    assert frame is not None


def test_clone_prefills_the_form(app_runtime):
    exp = queued(app_runtime.log, ["rock", "jazz"], repeats=3)
    at = run({"clone": exp})
    assert at.text_input(key="exp.name").value == "Styles (copy)"
    assert at.number_input(key="exp.repeats").value == 3
    assert at.text_area(key="exp.axis0.values").value == "rock\njazz"
    assert {m.label: m.value for m in at.metric}["Calls"] == "6"


def test_unknown_id_says_so(app_runtime):
    at = run({"id": "nope-nope"})
    assert "No experiment has the id “nope-nope”" in at.error[0].value


@pytest.mark.parametrize("n", [1])
def test_list_links_each_experiment(app_runtime, n):
    queued(app_runtime.log, ["rock"], name="First")
    at = run()
    assert "**First**" in texts(at) and "0 of 1 calls sent" in texts(at)



def test_stars_rate_a_take_and_make_it_usable(app_runtime):
    exp = queued(app_runtime.log, ["rock"])
    app_runtime.queue.drain()
    assert service.wait(app_runtime.log, exp, timeout=60,
                        tick=lambda: app_runtime.tracker.run_once(), every=0.2)
    [task] = app_runtime.log.experiment_tasks(exp)
    first, second = (t["id"] for t in app_runtime.log.tracks_for(task["id"]))
    at = run({"id": exp})
    at.feedback(key=f"rate-{first}").set_value(4)  # the fifth star
    at = run(at=at)
    at.feedback(key=f"rate-{second}").set_value(1)
    at = run(at=at)
    assert app_runtime.log.get_track(first)["rating"] == 5
    assert app_runtime.log.get_track(second)["rating"] == 2
    at.button_group(key="exp.view").set_value("summary")
    at = run(at=at)
    assert at.query_params["view"] in ("summary", ["summary"])  # the view has its own URL
    summary = next(d.value for d in at.dataframe if "usable takes" in d.value.columns)
    assert list(summary["usable takes"]) == [1]
    assert list(summary["credits per usable take"]) == [12.0]


def test_an_axis_the_mode_ignores_is_refused_before_anything_is_queued(app_runtime):
    """Style on a simple-mode request: refused with the reason and the switch, no Run."""
    at = run()
    at.text_area(key="generate.prompt").input("a calm piano piece")
    at.selectbox(key="exp.axis0.field").set_value("style")
    at.text_area(key="exp.axis0.values").input("rock\njazz")
    at = run(at=at)
    body = texts(at)
    assert "Grid, column style: Style is ignored while Custom mode (customMode) is off" in body
    assert "Turn Custom mode on in the base request" in body
    assert button(at, "Run").disabled
    assert app_runtime.log.list_experiments() == []


def test_a_fresh_visit_shows_no_problem_box_until_the_user_acts(app_runtime):
    """A fresh visit showed a red "1 problem(s) must be fixed" box before anything was typed."""
    at = run()
    assert not at.error and "problem(s) must be fixed" not in texts(at)
    assert button(at, "Run").disabled                      # still nothing can be sent
    at.text_area(key="exp.axis0.values").input("V5\nV4_5")
    at.selectbox(key="exp.axis0.field").set_value("model")
    at = run(at=at)                                         # acted: the missing prompt shows
    assert "column prompt: Prompt / lyrics is required in simple mode" in at.error[0].value
