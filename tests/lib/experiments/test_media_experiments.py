"""Experiments whose base request is an image, video or text operation (issue 16): the grid
offers them, the plan says who bills them (not music credits) and at which limit they go, the
queue takes their own provider's create slot (never one of the music provider's shared ones),
and the results grid's cells, the exports and the offline report carry the pictures, the videos
and the text answers. Real log, tracker, archiver; fake providers (httpx.MockTransport)."""

from __future__ import annotations

import copy
import json

import httpx
import pytest
from tenacity import wait_none

from lib import families
from lib.experiments import grid, results, service
from lib.experiments.queue import QueueRunner
from lib.log import CellRef
from lib.log.sqlite import SqliteLog
from lib.provider.client import SunoClient
from lib.provider.ratelimit import SharedRateLimiter
from lib.reports.experiment import report_html, report_zip
from lib.settings import Settings, load_settings
from lib.tracking.assets import AssetArchiver
from lib.tracking.tracker import Tracker
from tests.lib import contract_examples as ex

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
MP4 = b"\0\0\0\x18ftypmp42" + b"\0" * 64
SHEET = ("variant,prompt\n"
         "neon,Album cover: neon city at night\n"
         "dawn,Album cover: misty mountains at dawn\n")


def test_the_grid_offers_image_video_and_text_operations_beside_music():
    names = grid.experiment_ops()
    assert names[0] == "add_instrumental" and "generate" in names
    for op in ("qwen_image", "kling_image", "video_t2v", "video_i2v", "kling_t2v",
               "kling_i2v", "text_chat"):
        assert op in names
    assert "lyrics" not in names and "cover_art" not in names  # not a grid of theirs yet
    assert [grid.output_kind(o) for o in ("generate", "qwen_image", "kling_t2v", "text_chat")] \
        == ["audio", "image", "video", "text"]


def test_a_media_plan_is_billed_by_its_provider_and_paced_by_its_own_limit():
    variants, errors = grid.parse_csv("qwen_image", SHEET)
    plan = grid.plan("qwen_image", {}, variants, 15, errors=errors)
    assert plan.ok and plan.calls == 30
    assert plan.credits == 0 and plan.billed_by == "DashScope (Media API)"
    assert plan.cost_text.startswith("billed by DashScope (Media API), not in music credits")
    # 10 per 10 s (DashScope's limit of ours), not music's 19 per 10.5 s
    assert grid.pace_of("qwen_image").words == "10 creates per 10 s"
    assert grid.send_seconds(30, op="qwen_image") == 20.0
    assert grid.send_seconds(30) == grid.send_seconds(30, op="generate") == 10.5
    assert grid.billed_by("text_chat") == "the text server"
    assert grid.billed_by("generate") is None
    assert grid.cost_text("generate", 2) == "24 credits (12 per call)"
    # the base body checked by the operation's own rules: qwen models make 1 image per call
    bad = grid.plan("qwen_image", {"n": 2}, variants, 1)
    assert not bad.ok and any("Number of images must be 1" in str(e) for e in bad.errors)
    # a text grid needs its model in the base request
    text, _ = grid.parse_csv("text_chat", "variant,prompt\na,hi\n")
    assert not grid.plan("text_chat", {}, text).ok
    assert grid.plan("text_chat", {"model": "gpt-5"}, text).ok


def test_template_sheets_vary_the_prompt_of_a_media_operation():
    sheet = grid.to_csv("qwen_image", grid.example_variants("qwen_image"), 2)
    variants, errors = grid.parse_csv("qwen_image", sheet)
    assert not errors and [v.values["prompt"][:12] for v in variants] == ["Album cover:"] * 2


class Counting:
    """A limiter that counts the slots taken of it."""

    def __init__(self) -> None:
        self.taken = 0

    def acquire(self) -> float:
        self.taken += 1
        return 0.0

    def acquire_background(self) -> float:
        return self.acquire()


class Providers:
    """Music answers a task id; the gateway answers Qwen-Image at once; files are served."""

    def __init__(self) -> None:
        self.music_posts = 0
        self.image_posts: list[dict] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == "files.test":
            return httpx.Response(200, content=PNG, headers={"content-type": "image/png"})
        if "multimodal-generation" in request.url.path:
            self.image_posts.append(json.loads(request.content))
            n = len(self.image_posts)
            answer = copy.deepcopy(ex.QWEN_IMAGE_OK)
            answer["output"]["choices"][0]["message"]["content"] = [
                {"image": f"https://files.test/q{n}.png"}]
            return httpx.Response(200, json=answer)
        self.music_posts += 1
        return httpx.Response(200, json={"code": 200, "msg": "success",
                                         "data": {"taskId": f"prov-{self.music_posts}"}})


@pytest.fixture
def env(tmp_path):
    log = SqliteLog(tmp_path / "log.db")
    fake = Providers()
    transport = httpx.MockTransport(fake)
    settings = load_settings(env={
        "SONGBENCH_API_BASE_URL": "http://provider.test", "SONGBENCH_API_KEY": "sk-test",
        "SONGBENCH_MEDIA_BASE_URL": "http://gateway.test", "SONGBENCH_MEDIA_API_KEY": "sk-media",
        "SONGBENCH_DB": str(tmp_path / "log.db")}, secrets={})
    music_limit = Counting()
    client = SunoClient(settings, transport=transport, limiter=music_limit,
                        on_event=log.log_client_event, wait=wait_none())
    archiver = AssetArchiver(log, tmp_path / "assets", httpx.Client(transport=transport),
                             waveforms=False)
    tracker = Tracker(log, client, archiver)
    image_limit = Counting()
    tracker.providers.for_op("qwen_image").limiter = image_limit
    queue = QueueRunner(log, tracker, music_limit, lambda: None, idle=0)
    return log, fake, queue, music_limit, image_limit, tmp_path / "assets"


def _queue(log, op, sheet, repeats=1, base=None):
    variants, errors = grid.parse_csv(op, sheet)
    plan = grid.plan(op, base or {}, variants, repeats, errors=errors)
    assert plan.ok, plan.errors
    setup = service.Setup(name=f"{op} grid", op=op, base=base or {}, variants=variants,
                          repeats=repeats)
    return service.create(log, setup, plan)


def test_an_image_grid_takes_the_dashscope_slots_never_the_music_ones(env):
    log, fake, queue, music_limit, image_limit, _ = env
    exp = _queue(log, "qwen_image", SHEET, repeats=2)
    assert queue.drain() == 4
    assert len(fake.image_posts) == 4 and fake.music_posts == 0
    assert image_limit.taken == 4, "each cell takes one slot of DashScope's own limit"
    assert music_limit.taken == 0, "an image cell spent a slot of the music limit"
    prompts = sorted(p["input"]["messages"][0]["content"][0]["text"] for p in fake.image_posts)
    assert prompts == ["Album cover: misty mountains at dawn"] * 2 + [
        "Album cover: neon city at night"] * 2
    assert {t["provider"] for t in log.experiment_tasks(exp)} == {"dashscope"}


def test_music_cells_still_take_the_music_limit(tmp_path):
    log = SqliteLog(tmp_path / "log.db")
    fake = Providers()
    settings = Settings(base_url="http://provider.test", api_key="sk-test",
                        db_path=str(tmp_path / "log.db"))
    limiter = SharedRateLimiter(log.take_rate_slot)
    client = SunoClient(settings, transport=httpx.MockTransport(fake), limiter=limiter,
                        wait=wait_none())
    queue = QueueRunner(log, Tracker(log, client), limiter, lambda: None, idle=0)
    assert queue.limiter_for("generate") is limiter
    assert queue.limiter_for("qwen_image") is queue.tracker.providers.for_op(
        "qwen_image").limiter is not limiter


def test_an_image_grid_shows_exports_and_reports_its_pictures(env):
    log, _, queue, _, _, assets = env
    exp = _queue(log, "qwen_image", SHEET)
    queue.drain()
    res = results.results(log, exp, assets.resolve())
    assert res.done and res.variants == ["neon", "dawn"]
    for cell in res.cells.values():
        made = cell.outputs
        assert cell.state == "succeeded" and cell.view is not None and not cell.view.tracks
        assert len(made.images) == 1 and not made.videos and made.answer is None
        assert made.images[0].rel_path and (assets / made.images[0].rel_path).is_file()
    rows = results.export_rows(res)
    assert len(rows) == 2
    assert rows[0]["images"] == ["https://files.test/q1.png"] or rows[0]["images"] == [
        "https://files.test/q2.png"]
    assert all(r["local_media"] and r["local_media"][0].endswith(".png") for r in rows)
    assert json.loads(results.export_json(res))["rows"][0]["request.prompt"].startswith("Album")
    assert b"https://files.test/" in results.export_csv(res)
    summary = results.variant_summary(res)
    assert list(summary.columns) == ["variant", "calls", "succeeded", "success rate",
                                     "median s to complete"]  # no music credits, no takes
    assert all(c.latencies["complete"] is not None and c.latencies["complete"] >= 0
               for c in res.cells.values())
    assert results.shown_stages("qwen_image") == ("complete",)
    assert results.shown_stages("generate") == ("text", "first", "complete")
    page = report_html(res).decode()
    assert "first audio" not in page
    assert page.count("<img class='made' src='data:image/png;base64,") == 2
    assert "billed by DashScope (Media API)" in page and "credits spent" not in page
    assert "What each cell made (image)" in page
    assert b"media/" in report_zip(res)


def _sent_cell(log, experiment_id, op, family, body):
    """Claim the experiment's next cell and write its task as the queue would."""
    cell = log.claim_cell()
    assert cell is not None and cell["experiment_id"] == experiment_id
    ref = CellRef(cell["id"], experiment_id, cell["variant"], cell["repeat_no"])
    log.create_task(op, family, body, provider="dashscope" if op != "text_chat" else "text",
                    task_id=cell["task_id"], cell=ref)
    return cell["task_id"]


def test_video_and_text_cells_carry_their_player_and_their_answer(env, tmp_path):
    log, *_ = env
    video = _queue(log, "video_t2v", "variant,prompt\ncity,A neon city at night\n")
    task = _sent_cell(log, video, "video_t2v", "dashscope_video",
                      {"model": "wan2.6-t2v", "prompt": "A neon city at night"})
    log.mark_submitted(task, "ds-1", next_poll_at=None)
    poll = families.parse_poll("dashscope_video", copy.deepcopy(ex.DASHSCOPE_VIDEO_SUCCEEDED))
    log.apply_poll(task, poll, next_poll_at=None)
    (asset,) = log.assets_for(task)
    clip = tmp_path / "assets" / task / "video.mp4"
    clip.parent.mkdir(parents=True, exist_ok=True)
    clip.write_bytes(MP4)
    log.update_asset(asset["id"], status="done", local_path=str(clip))
    res = results.results(log, video, (tmp_path / "assets").resolve())
    (cell,) = res.cells.values()
    assert [d.kind for d in cell.outputs.videos] == ["video"] and not cell.outputs.images
    (row,) = results.export_rows(res)
    assert row["videos"] and row["local_media"] == [str(clip.resolve())]
    page = report_html(res).decode()
    assert "<video controls preload='none' src='data:video/mp4;base64," in page

    text = _queue(log, "text_chat", "variant,prompt\ntagline,A tagline\n",
                  base={"model": "gpt-5"})
    task = _sent_cell(log, text, "text_chat", "text", {"model": "gpt-5", "prompt": "A tagline"})
    log.mark_submitted(task, None, next_poll_at=None)
    answer = families.parse_poll("text", copy.deepcopy(ex.CHAT_COMPLETION_OK))
    log.apply_poll(task, answer, next_poll_at=None)
    res = results.results(log, text)
    (cell,) = res.cells.values()
    assert cell.outputs.answer.startswith("Neon rain on the city")
    (row,) = results.export_rows(res)
    assert row["answer"].startswith("Neon rain") and row["images"] is None
    page = report_html(res).decode()
    assert "<div class='answer'>Neon rain on the city" in page
    assert "billed by the text server" in page
