"""Route recipes: the registry, the plan checked before anything is sent, runs on the
simulator (parallel steps, outputs handed on), a failed step retried alone, a user's choice,
and a run resumed by a new runtime after a crash."""

from __future__ import annotations

import json

import pytest

from lib import ops, recipes
from lib.recipes import progress
from lib.recipes.plan import plan
from lib.recipes.runner import PlanRefused
from tests.helpers import drive_to_success
from tests.lib.recipes.conftest import drive, make_runtime

FAST_CLIP = {"seconds": "3"}  # the test simulator's tracks are 4 s long


def test_the_registry_holds_every_recipe_of_the_issue_each_step_a_known_operation():
    assert {"one_line_song", "lyrics_first", "longer_song", "karaoke_video", "release_pack",
            "reusable_voice", "promo_clip"} <= set(recipes.RECIPES)
    for recipe in recipes.RECIPES.values():
        seen: set[str] = set()
        for step in recipe.steps:
            assert step.op in ops.OPERATIONS, (recipe.name, step.op)
            assert set(step.after) <= seen, f"{recipe.name}.{step.name} runs before a step it needs"
            assert (step.op == "text_chat") == bool(step.draft)
            seen.add(step.name)
        assert recipe.values() == {p.name: p.default for p in recipe.params}


def test_the_plan_names_every_cost_and_refuses_bad_input_in_plain_words():
    promo = recipes.get("promo_clip")
    ok = plan(promo, "a lemonade brand")
    assert ok.ok and ok.credits == ops.get("generate").credits_estimate
    assert "12 music credits" in ok.cost_line() and "dashscope" in ok.cost_line()
    assert [s.after for s in ok.steps][-1] == ("song", "cover")
    assert plan(promo, "  ").problems == ["What the product and the song are about: the brief "
                                          "is empty."]
    assert "401 characters, at most 400" in plan(promo, "x" * 401).problems[0]
    assert "has no setting 'colour'" in plan(promo, "b", {"colour": "red"}).problems[0]
    assert "seconds must be one of 3, 4" in plan(promo, "b", {"seconds": "99"}).problems[0]
    # a first step's body is checked by the contract before anything is sent
    long_song = plan(recipes.get("one_line_song"), "y" * 500, {"model": "V4"})
    assert long_song.ok
    bad = plan(recipes.get("one_line_song"), "y" * 450, {"model": "V4", "instrumental": "maybe"})
    assert bad.problems == ["Setting instrumental must be true or false, not 'maybe'"]


def test_a_refused_run_stores_and_sends_nothing(rt):
    with pytest.raises(PlanRefused, match="brief is empty"):
        rt.recipes.start("promo_clip", "")
    assert rt.log.list_recipe_runs() == [] and rt.log.count_tasks() == 0


def test_promo_clip_runs_song_and_cover_at_once_and_hands_their_outputs_to_the_video(rt):
    run_id = rt.recipes.start("promo_clip", "a lemonade brand for hot days", FAST_CLIP)
    # once the lyrics are drafted, the song and the cover image are sent in the same tick
    view = drive(rt, run_id, until=lambda v: v.step("song").task is not None)
    assert view.step("cover").task is not None
    assert view.step("song").state == "running" and view.step("video").state == "waiting"
    view = drive(rt, run_id)
    assert view.status == "succeeded", progress.describe(view)
    steps = {s.step.name: s for s in view.steps}
    assert [s.task["op"] for s in view.steps] == ["text_chat", "generate", "qwen_image",
                                                   "video_i2v"]
    lyrics = steps["lyrics"].output.fields
    assert {"title", "style", "lyrics"} <= set(lyrics)
    song_request = json.loads(steps["song"].task["request_json"])
    assert song_request["customMode"] is True and song_request["title"] == lyrics["title"]
    assert song_request["prompt"] == lyrics["lyrics"]
    video = json.loads(steps["video"].task["request_json"])
    assert video["img_url"] == steps["cover"].output.files["image:1"]
    assert video["audio_url"] and video["duration"] == 3
    assert steps["video"].output.files.get("video")
    assert run_id in {r["id"] for r in rt.log.list_recipe_runs(status="succeeded")}
    assert rt.log.recipe_step_of_task(steps["video"].task["id"])["step"] == "video"
    assert view.run["finished_at"] and view.run["error"] is None


def test_a_failed_step_is_retried_alone_and_nothing_that_succeeded_is_sent_again(
        tmp_path, make_simulator):
    sim = make_simulator()
    rt = make_runtime(tmp_path, sim.base_url)
    try:
        sim.sim.faults.merge({"rate_429_media": 1.0})
        run_id = rt.recipes.start("promo_clip", "a lemonade brand", FAST_CLIP)
        view = drive(rt, run_id)
        assert view.status == "failed"
        states = {s.step.name: s.state for s in view.steps}
        assert states == {"lyrics": "succeeded", "song": "succeeded", "cover": "failed",
                          "video": "blocked"}
        assert "rate" in view.step("cover").note.lower()
        assert view.run["error"].startswith("Cover image:")
        assert not rt.recipes.retry(run_id, "song")  # a succeeded step is never sent again
        sim.sim.faults.merge({"rate_429_media": 0.0})
        first_cover = view.step("cover").row["task_id"]
        assert rt.recipes.retry(run_id, "cover")
        view = drive(rt, run_id)
        assert view.status == "succeeded", progress.describe(view)
        assert view.step("cover").row["attempt"] == 2 and view.step("cover").tried == [first_cover]
        ops_sent = [t["op"] for t in rt.log.list_tasks(limit=50)]
        assert sorted(ops_sent) == sorted(["text_chat", "generate", "qwen_image", "qwen_image",
                                           "video_i2v"])
    finally:
        rt.recipes.stop()
        rt.providers.close()


def test_a_step_that_asks_waits_for_the_users_choice_and_uses_it(rt):
    run_id = rt.recipes.start("longer_song", "a slow waltz", {"take": "ask"})
    view = drive(rt, run_id, until=lambda v: v.step("extend").state == "choose")
    options = view.step("extend").options
    assert len(options) == 2 and options[1][1].startswith("Take 2")
    assert not rt.recipes.choose(run_id, "extend", "not-a-take")
    assert rt.recipes.choose(run_id, "extend", options[1][0])
    view = drive(rt, run_id)
    assert view.status == "succeeded", progress.describe(view)
    assert json.loads(view.step("extend").task["request_json"])["audioId"] == options[1][0]


def test_a_run_resumes_in_a_new_runtime_and_a_claim_never_written_is_sent_once(
        tmp_path, simulator):
    first = make_runtime(tmp_path, simulator.base_url)
    run_id = first.recipes.start("release_pack", "a drum and bass anthem")
    assert first.recipes.run_once(wait=True) == 1  # the song is sent
    song = progress.load(first.log, run_id).step("song").row["task_id"]
    drive_to_success(first, song, "song")  # the tracker alone: no later step started
    # the process dies right after claiming the WAV step, before its task row was written
    claimed = first.log.claim_recipe_step(run_id, "wav", now=1.0)
    first.providers.close()
    second = make_runtime(tmp_path, simulator.base_url)
    try:
        assert progress.load(second.log, run_id).step("wav").state == "sending"
        view = drive(second, run_id)
        assert view.status == "succeeded", progress.describe(view)
        assert view.step("wav").row["task_id"] != claimed
        counts: dict[str, int] = {}
        for t in second.log.list_tasks(limit=50):
            counts[t["op"]] = counts.get(t["op"], 0) + 1
        assert counts == {"generate": 1, "wav": 1, "split_stem": 1, "cover_art": 1}
    finally:
        second.recipes.stop()
        second.providers.close()
