"""Pages with AppTest for images, videos and text (issue 16): an image grid's plan says its
provider bills it and its results grid draws the pictures; a text grid shows the answers; the
Library's "Images & videos" gallery; a demo playlist presenting an image and a video."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from lib import demo
from lib.experiments import grid, service
from tests.app.pages import open_page, rerun, texts
from tests.lib.media_seed import seed_image, seed_video

EXPERIMENTS = "../../pages/experiments.py"
SHEET = "variant,prompt\nneon,Album cover: neon city at night\ndawn,Album cover: misty dawn\n"


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label.startswith(label))


def test_an_image_grid_is_planned_as_billed_by_its_provider(app_runtime):
    at = open_page(EXPERIMENTS)
    at.selectbox(key="exp.op").set_value("qwen_image")
    at = rerun(at)
    assert at.selectbox(key="exp.axis0.field").value == "prompt"  # not the first field
    at.text_input(key="exp.name").input("Cover prompts")
    at.text_area(key="exp.axis0.values").input("neon city at night\nmisty dawn")
    at.number_input(key="exp.repeats").set_value(2)
    at = rerun(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Calls"] == "4" and metrics["Cost"] == "Billed by provider"
    assert "Credits (estimate)" not in metrics
    body = texts(at)
    assert "billed by DashScope (Media API), not in music credits" in body
    assert "10 creates per 10 s" in body
    button(at, "Run 4 calls").click()
    at = rerun(at)
    assert "(billed by DashScope (Media API), not in music credits)" in texts(at)
    button(at, "Confirm and queue").click()
    at = rerun(at)
    (exp,) = app_runtime.log.list_experiments()
    assert exp["op"] == "qwen_image" and len(app_runtime.log.experiment_cells(exp["id"])) == 4


def _finished(rt, op, sheet, base=None):
    variants, errors = grid.parse_csv(op, sheet)
    plan = grid.plan(op, base or {}, variants, errors=errors)
    exp = service.create(rt.log, service.Setup(name=f"{op} grid", op=op, base=base or {},
                                               variants=variants), plan)
    rt.queue.drain()
    assert service.wait(rt.log, exp, timeout=60, tick=rt.tracker.run_once, every=0.2)
    return exp


def test_the_results_grid_draws_an_image_grids_pictures(app_runtime):
    exp = _finished(app_runtime, "qwen_image", SHEET)
    at = open_page(EXPERIMENTS, {"id": exp})
    body = texts(at)
    assert body.count(":green-badge[Succeeded]") == 2
    assert "billed by DashScope (Media API)" in body and "0 credits" not in body
    images = at.get("image")
    assert len(images) == 2 and not at.get("audio")
    urls = [i.proto.imgs[0].url for i in images]
    assert all("/api/assets/" in u and u.endswith(".png") for u in urls), urls
    at = open_page(EXPERIMENTS, {"id": exp, "view": "summary"})
    summary = next(d.value for d in at.dataframe if "success rate" in d.value.columns)
    assert list(summary["success rate"]) == [1.0, 1.0] and "credits" not in summary.columns
    assert "These calls are billed by DashScope (Media API), not in music credits." in texts(at)


def test_the_results_grid_shows_a_text_grids_answers(app_runtime):
    exp = _finished(app_runtime, "text_chat", "variant,prompt\ntagline,A tagline for a song\n",
                    base={"model": "gpt-5"})
    at = open_page(EXPERIMENTS, {"id": exp})
    (task,) = app_runtime.log.experiment_tasks(exp)
    answer = json.loads(app_runtime.log.get_task(task["id"])["result_json"])["answer"]
    assert len(answer) > 20 and ":green-badge[Succeeded]" in texts(at)
    assert answer in [m.value for m in at.markdown], "the whole answer, as text"


def test_the_library_gallery_shows_images_and_videos(app_runtime):
    image = seed_image(app_runtime.log, app_runtime.assets_dir, now=2_000.0)
    seed_video(app_runtime.log, app_runtime.assets_dir, now=3_000.0)
    at = open_page("../../pages/library.py")
    at.segmented_control(key="lib_view").set_value("Images & videos")
    at = rerun(at)
    assert "2 image and video tasks · page 1 of 1" in texts(at)
    (picture,) = at.get("image")
    assert picture.proto.imgs[0].url.endswith(f"/api/assets/{image}/image-1.png")
    assert len(at.get("video")) == 1
    assert "Album cover: neon city at night" in texts(at)
    at.multiselect(key="lib_op").set_value(["video_t2v"])
    at = rerun(at)
    assert not at.get("image") and len(at.get("video")) == 1



def test_the_library_gallery_adds_an_image_to_a_demo_playlist(app_runtime):
    rt = app_runtime
    image = seed_image(rt.log, rt.assets_dir, now=2_000.0)
    row = demo.create(rt.log, "Visuals", assets_dir=rt.assets_dir)
    at = open_page("../../pages/library.py")
    at.segmented_control(key="lib_view").set_value("Images & videos")
    at = rerun(at)
    assert at.selectbox(key="lib-media-pl-0").value == row["slug"]
    at.button(key="lib-media-add-0").click()
    at = rerun(at)
    assert "Added to “Visuals”." in [s.value for s in at.success]
    items = rt.log.playlist_items(rt.log.get_playlist(row["slug"])["id"])
    assert [i["track_id"] for i in items] == [demo.media_key(f"{image}:image:1")]
    assert [i.kind for i in demo.show(rt.log, row["slug"], rt.assets_dir).items] == ["image"]


def test_a_demo_playlist_presents_an_image_and_a_video(app_runtime):
    rt = app_runtime
    image = seed_image(rt.log, rt.assets_dir, now=2_000.0)
    video = seed_video(rt.log, rt.assets_dir, now=3_000.0)
    at = open_page("../../pages/demo.py")
    picker = at.multiselect[0]
    assert any(o.startswith("Image: Album cover: neon city at night") for o in picker.options)
    row = demo.create(rt.log, "Visuals", assets_dir=rt.assets_dir,
                      track_ids=[demo.media_key(f"{image}:image:1"),
                                 demo.media_key(f"{video}:video")])
    at = open_page("../../pages/demo.py", {"playlist": row["slug"]})
    page = "\n".join(e.proto.body for e in at.get("html"))
    assert f'src="/play/{row["slug"]}/1/image"' in page
    assert f'src="/play/{row["slug"]}/2/video"' in page
    assert image not in page and video not in page
