"""The images a form can start from (`lib.views.images`): image tasks' pictures and songs'
covers, newest first, each with when its provider link expires."""

from __future__ import annotations

from lib.contract.family import Asset, PollResult, Track
from lib.contract.states import State
from lib.log.sqlite import SqliteLog
from lib.views import images

T0 = 2_000_000.0


def _finish(log, op, family, provider, at, assets=(), tracks=(), prompt="p"):
    tid = log.create_task(op, family, {"prompt": prompt}, provider=provider, prompt=prompt,
                          now=at - 5)
    log.mark_submitted(tid, f"prov-{op}-{at}", next_poll_at=None, now=at - 4)
    log.apply_poll(tid, PollResult("SUCCESS", State.SUCCEEDED, "complete", list(tracks),
                                   list(assets)), next_poll_at=None, now=at)
    return tid


def test_images_of_image_tasks_and_covers_newest_first_with_expiry(tmp_path):
    log = SqliteLog(tmp_path / "t.db")
    song = _finish(log, "generate", "music", "music", T0, tracks=[Track(
        "aud-1", 0, title="Neon", duration=3.0, audio_url="http://x/a.mp3",
        image_url="http://x/cover.jpg")])
    qwen = _finish(log, "qwen_image", "dashscope_sync_image", "dashscope", T0 + 100,
                   assets=[Asset("image:1", "http://ds/1.png")], prompt="album cover")
    kling = _finish(log, "kling_image", "kling_image", "kling", T0 + 200,
                    assets=[Asset("image:1", "http://kl/1.png"),
                            Asset("image:2", "http://kl/2.png")])
    found = images.archived_images(log)
    assert [i.url for i in found] == ["http://kl/1.png", "http://kl/2.png", "http://ds/1.png",
                                      "http://x/cover.jpg"]
    assert [i.task_id for i in found] == [kling, kling, qwen, song]
    ds = found[2]
    assert ds.expires_at == T0 + 100 + 24 * 3600  # DashScope links: 24 h after it finished
    assert not ds.expired(now=T0 + 3600) and ds.expiry_note(now=T0 + 3600) is None
    assert ds.expired(now=T0 + 100 + 24 * 3600)
    note = ds.expiry_note(now=T0 + 30 * 3600)
    assert note and "expired (24 h after its task finished)" in note and "Public URL" in note
    assert "link expired" in ds.label(now=T0 + 30 * 3600)
    assert found[0].expires_at is None and found[3].expires_at is None  # not known to expire
    assert "song cover" in found[3].what and "image 2" in found[1].what


def test_a_failed_or_imageless_task_offers_no_image(tmp_path):
    log = SqliteLog(tmp_path / "t.db")
    tid = log.create_task("qwen_image", "dashscope_sync_image", {"prompt": "x"},
                          provider="dashscope")
    log.mark_failed(tid, "400", "bad", now=T0)
    _finish(log, "generate", "music", "music", T0, tracks=[Track("aud-2", 0, audio_url="u")])
    assert images.archived_images(log) == []
