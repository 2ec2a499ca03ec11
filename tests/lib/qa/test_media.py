"""QA of archived images and videos (`lib.qa.media`): measured with Pillow and the pip-shipped
ffmpeg, judged against what the task asked, kept in the log by the archiver's hook and shown as
one line per file on the task detail."""

import io
import subprocess

import httpx
import pytest
from PIL import Image

from lib.families import parse_poll
from lib.log.sqlite import SqliteLog
from lib.media import audio
from lib.qa import media
from lib.qa.flags import Flag
from lib.tracking.assets import AssetArchiver
from lib.views.board_detail import task_detail


def _png(width, height, fmt="PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 40, 90)).save(out, fmt)
    return out.getvalue()


def make_mp4(path, *, width=1280, height=720, seconds=2, fps=24, sound=True):
    """A small H.264 MP4 (with an AAC track when ``sound``), made by the pip-shipped ffmpeg."""
    cmd = [audio.ffmpeg_exe(), "-y", "-loglevel", "error", "-f", "lavfi", "-i",
           f"color=c=navy:s={width}x{height}:d={seconds}:r={fps}"]
    if sound:
        cmd += ["-f", "lavfi", "-i", f"sine=frequency=330:duration={seconds}", "-c:a", "aac"]
    cmd += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-t",
            str(seconds), str(path)]
    subprocess.run(cmd, check=True)
    return path


@pytest.fixture(scope="module")
def videos(tmp_path_factory):
    folder = tmp_path_factory.mktemp("videos")
    return {"sound": make_mp4(folder / "sound.mp4"),
            "silent_square": make_mp4(folder / "square.mp4", width=960, height=960, seconds=3,
                                  fps=8, sound=False)}


def test_an_image_of_the_size_asked_passes(tmp_path):
    path = tmp_path / "a.png"
    path.write_bytes(_png(1328, 1328))
    verdict = media.check_file("image", path, "qwen_image", {"size": "1328*1328"})
    assert verdict.flag is Flag.OK
    assert verdict.line == "1328×1328 PNG (asked 1328*1328) ✓"


def test_an_image_of_another_size_is_flagged_and_the_default_size_counts(tmp_path):
    path = tmp_path / "a.jpeg"
    path.write_bytes(_png(1024, 1024, "JPEG"))
    verdict = media.check_file("image", path, "qwen_image", {"prompt": "x"})  # size left out
    assert verdict.flag is Flag.WARN
    assert verdict.line.startswith("1024×1024 JPEG (asked 1328*1328) ⚠")
    assert verdict.mismatches == ["1024×1024, not 1328*1328"]


def test_a_kling_image_is_judged_by_its_shape_and_resolution(tmp_path):
    path = tmp_path / "k.png"
    path.write_bytes(_png(1360, 768))
    assert media.check_file("image", path, "kling_image",
                            {"aspect_ratio": "16:9", "resolution": "1k"}).flag is Flag.OK
    verdict = media.check_file("image", path, "kling_image",
                               {"aspect_ratio": "1:1", "resolution": "2k"})
    assert verdict.flag is Flag.WARN
    assert any("not 1:1" in m for m in verdict.mismatches)
    assert any("not about 2k" in m for m in verdict.mismatches)


def test_a_video_reports_length_size_rate_and_sound(videos):
    verdict = media.check_file("video", videos["sound"], "video_t2v",
                               {"model": "wan2.6-t2v", "size": "1280*720", "duration": 2})
    assert verdict.flag is Flag.OK, verdict.line
    assert verdict.line == ("2.0 s · 1280×720 · 24 fps · with sound "
                            "(asked 1280*720, 2 s, with sound) ✓")


def test_a_video_unlike_its_request_names_each_difference(videos):
    # wan2.2 makes 5 s of silent video; this file is 2 s long and has sound
    verdict = media.check_file("video", videos["sound"], "video_t2v",
                               {"model": "wan2.2-t2v-plus", "size": "832*480"})
    assert verdict.flag is Flag.WARN
    assert verdict.mismatches == ["1280×720, not 832*480", "2 s long, not 5 s",
                                  "has sound, silence was asked"]
    assert "⚠" in verdict.line and "(asked 832*480, 5 s, silent)" in verdict.line


def test_tiers_modes_and_sound_of_i2v_and_kling(videos):
    square = videos["silent_square"]  # 960×960 is a 720P size
    ok = media.check_file("video", square, "video_i2v",
                          {"model": "wanx2.1-i2v-plus", "resolution": "720P", "duration": 3})
    assert ok.flag is Flag.OK, ok.line
    assert "3.0 s · 960×960 · 8 fps · silent (asked 720P, 3 s, silent)" in ok.line
    pro = media.check_file("video", square, "kling_t2v",
                           {"model_name": "kling-v3", "mode": "pro", "duration": 3,
                            "aspect_ratio": "1:1", "generate_audio": True})
    assert pro.mismatches == ["960×960 is 720P, not 1080P", "silent, sound was asked"]


def test_a_file_that_is_not_media_fails(tmp_path):
    path = tmp_path / "x.mp4"
    path.write_bytes(b"not a video at all")
    assert media.check_file("video", path, "video_t2v", {}).flag is Flag.FAIL
    path.write_bytes(b"not an image")
    verdict = media.check_file("image", path, "qwen_image", {})
    assert verdict.flag is Flag.FAIL and verdict.line.startswith("Image: not a readable image")


def test_the_archiver_keeps_the_qa_of_task_images_and_the_detail_shows_it(tmp_path):
    log = SqliteLog(tmp_path / "log.db")
    files = {"/i/1.png": _png(1328, 1328), "/i/2.png": _png(1664, 928)}

    def cdn(request):
        body = files.get(request.url.path)
        return httpx.Response(200, content=body, headers={"content-type": "image/png"}) \
            if body else httpx.Response(404)

    scorer = media.MediaScorer(log)
    archiver = AssetArchiver(log, tmp_path / "assets",
                             httpx.Client(transport=httpx.MockTransport(cdn)), on_media=scorer,
                             waveforms=False)
    task_id = log.create_task("qwen_image", "dashscope_sync_image",
                              {"prompt": "neon city", "size": "1328*1328"},
                              provider="dashscope", now=1.0)
    log.mark_submitted(task_id, None, next_poll_at=None, now=1.0)
    answer = {"output": {"choices": [{"message": {"content": [
        {"image": "http://cdn.test/i/1.png"}, {"image": "http://cdn.test/i/2.png"}]}}]},
        "usage": {"width": 1328, "height": 1328, "image_count": 2}}
    log.apply_poll(task_id, parse_poll("dashscope_sync_image", answer), next_poll_at=None,
                   now=2.0)
    assert archiver.archive_task(task_id) == 2
    assert scorer.count == 2
    rows = log.media_qa_for(task_id)
    assert [(r["kind"], r["worst"]) for r in rows] == [("image:1", "ok"), ("image:2", "warn")]
    lines = task_detail(log, task_id).media_qa
    assert [(ln.label, ln.text, ln.color) for ln in lines] == [
        ("Image 1", "1328×1328 PNG (asked 1328*1328) ✓", "green"),
        ("Image 2", "1664×928 PNG (asked 1328*1328) ⚠ 1664×928, not 1328*1328", "orange")]


def test_a_hook_that_raises_never_breaks_the_archive(tmp_path):
    log = SqliteLog(tmp_path / "log.db")

    def broken(asset, path):
        raise RuntimeError("boom")

    archiver = AssetArchiver(log, tmp_path / "assets", httpx.Client(transport=httpx.MockTransport(
        lambda r: httpx.Response(200, content=_png(8, 8), headers={"content-type": "image/png"}))),
        on_media=broken, waveforms=False)
    task_id = log.create_task("qwen_image", "dashscope_sync_image", {"prompt": "x"},
                              provider="dashscope", now=1.0)
    log.mark_submitted(task_id, None, next_poll_at=None, now=1.0)
    answer = {"output": {"choices": [{"message": {"content": [{"image": "http://c/1.png"}]}}]}}
    log.apply_poll(task_id, parse_poll("dashscope_sync_image", answer), next_poll_at=None,
                   now=2.0)
    assert archiver.archive_task(task_id) == 1
    assert any("qa of image-1.png: RuntimeError: boom" in (e["note"] or "")
               for e in log.events_for(task_id))
