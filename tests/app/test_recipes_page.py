"""The Recipes page under AppTest: the plan and every step's cost before anything is sent, a
run started from the form, its pipeline with each step's task card, and a failed step retried
alone from its button."""

from __future__ import annotations

import httpx

from lib.recipes import progress
from tests.app.pages import open_page, rerun, texts
from tests.helpers import drive_run


def test_the_form_shows_the_plan_and_sends_nothing_without_a_brief(app_runtime):
    at = open_page("recipes")
    assert at.selectbox(key="recipes.name").value == "promo_clip"
    page = texts(at)
    for words in ("12 music credits", "billed by the provider (dashscope)", "Write the brief"):
        assert words in page, words
    plan = at.dataframe[0].value
    assert list(plan["step"]) == ["Lyrics", "Song", "Cover image", "Promo video"]
    assert list(plan["after"])[-1] == "song, cover" and list(plan["cost"])[1] == "12 credits"
    assert at.button(key="recipes.start").disabled
    at.selectbox(key="recipes.name").set_value("release_pack")
    rerun(at)
    assert "66 music credits" in texts(at)  # 12 + 2 + 50 + 2, each step's own estimate
    assert app_runtime.log.count_tasks() == 0 and not app_runtime.log.list_recipe_runs()


def test_a_run_from_the_form_a_failed_step_and_its_retry(app_runtime):
    sim = app_runtime.embedded.base_url
    httpx.post(f"{sim}/_sim/faults", json={"rate_429_media": 1.0}, timeout=5)
    try:
        at = open_page("recipes")
        at.text_area(key="recipes.promo_clip.brief").input("a lemonade brand for hot days")
        at.selectbox(key="recipes.promo_clip.seconds").set_value(3)
        rerun(at)
        assert not at.button(key="recipes.start").disabled
        at.button(key="recipes.start").click()
        rerun(at)
        (run,) = app_runtime.log.list_recipe_runs()
        assert at.query_params["run"] in (run["id"], [run["id"]])
        view = drive_run(app_runtime, run["id"])
        assert view.step("cover").state == "failed"
    finally:
        httpx.post(f"{sim}/_sim/faults", json={"rate_429_media": 0.0}, timeout=5)
    at = open_page("recipes", {"run": run["id"]})
    page = texts(at)
    assert at.title[0].value == "Promo clip" and "a step failed" in page
    assert "rate" in page.lower()  # the provider's words for a DashScope 429
    song = view.step("song").row["task_id"]
    assert at.button(key=f"recipe.{run['id']}.cover.retry")
    at.button(key=f"recipe.{run['id']}.cover.retry").click()
    rerun(at)
    view = drive_run(app_runtime, run["id"])
    assert view.status == "succeeded", progress.describe(view)
    assert view.step("song").row["task_id"] == song
    assert len(app_runtime.log.list_tasks(op="generate")) == 1  # the song was paid once
    at = open_page("recipes", {"run": run["id"]})
    assert "done" in texts(at)
    assert not [b for b in at.button if b.key and b.key.endswith(".retry")]
    listing = open_page("recipes")
    assert [h.value for h in listing.subheader] == ["Runs"]
    assert "4 of 4 steps done" in texts(listing)
