"""Images and videos in the Library's view model and in demo playlists: listed under the
Library's filters, added to a playlist beside approved takes, shown (picture, video player)
while archived, refused in words when not."""

from __future__ import annotations

import pytest

from lib import demo
from lib.demo import present
from lib.log.sqlite import SqliteLog
from lib.review.decisions import decide
from lib.views import library
from tests.lib.media_seed import seed_image, seed_video
from tests.lib.review.support import finished_experiment


@pytest.fixture
def setup(tmp_path):
    log = SqliteLog(tmp_path / "log.db")
    assets = (tmp_path / "assets").resolve()
    finished_experiment(log, assets, repeats=1)
    decide(log, "warm-1-0", "approve", reviewer="ana", now=10.0)
    image = seed_image(log, assets, now=2_000.0)
    video = seed_video(log, assets, now=3_000.0)
    return log, assets, image, video


def test_the_library_lists_images_and_videos_under_its_filters(setup):
    log, assets, image, video = setup
    everything = library.LibraryFilters()
    assert library.count_media(log, everything) == 2
    page = library.media_page(log, everything, per_page=10)
    items = library.media_items(log, page.rows, assets)
    assert [(i.task_id, i.kind, i.asset_kind) for i in items] == [
        (video, "video", "video"), (image, "image", "image:1")]  # newest first
    assert all(i.rel_path and (assets / i.rel_path).is_file() for i in items)
    assert items[1].prompt == "Album cover: neon city at night"
    assert "Image (Qwen-Image)" in items[1].label
    # the same filters as tracks: words, operation; music tasks are never media
    assert library.count_media(log, library.LibraryFilters(text="neon city")) == 2
    assert library.count_media(log, library.LibraryFilters(op=["qwen_image"])) == 1
    assert library.count_media(log, library.LibraryFilters(op=["generate"])) == 0
    assert library.media_page(log, library.LibraryFilters(op=["generate"])).rows == []
    assert library.media_item(log, f"{image}:image:1", assets) == items[1]
    assert library.media_item(log, f"{image}:image:9", assets) is None


def test_a_playlist_holds_images_and_videos_beside_takes(setup):
    log, assets, image, video = setup
    found = demo.media_candidates(log, assets)
    assert [c.track_id for c in found] == [demo.media_key(f"{video}:video"),
                                           demo.media_key(f"{image}:image:1")]
    assert found[1].label.startswith("Image: Album cover: neon city at night")
    row = demo.create(log, "Launch", assets_dir=assets,
                      track_ids=["warm-1-0", found[1].track_id, found[0].track_id])
    demo.set_note(log, row["slug"], found[1].track_id, "The cover we chose")
    shown = demo.show(log, row["slug"], assets)
    assert [i.kind for i in shown.items] == ["audio", "image", "video"]
    picture, clip = shown.items[1], shown.items[2]
    assert picture.note == "The cover we chose" and picture.audio is None
    assert (assets / picture.cover).is_file() and (assets / clip.video).is_file()
    assert demo.file_for(log, row["slug"], 2, "image", assets) == picture.cover
    assert demo.file_for(log, row["slug"], 3, "video", assets) == clip.video
    assert demo.file_for(log, row["slug"], 1, "video", assets) is None
    page = present.content_html(shown)
    assert f'<img class="sb-picture" src="/play/{row["slug"]}/2/image"' in page
    assert f'src="/play/{row["slug"]}/3/video"' in page and "<video" in page
    assert "3 items" in page and image not in page and video not in page  # no ids shown
    assert "Album cover: neon city at night" in page
    summary = next(p for p in demo.playlists(log, assets) if p.slug == row["slug"])
    assert summary.playable == summary.stored == 3
    # the built-in playlist stays the approved takes only
    assert [i.kind for i in demo.show(log, "all", assets).items] == ["audio"]


def test_an_image_without_its_archived_copy_is_refused_and_drops_out(setup, tmp_path):
    log, assets, image, _ = setup
    pending = seed_image(log, assets, "Not archived yet", now=4_000.0, archived=False)
    with pytest.raises(demo.DemoRefused, match="no archived copy on this machine"):
        demo.create(log, "P", track_ids=[demo.media_key(f"{pending}:image:1")],
                    assets_dir=assets)
    with pytest.raises(demo.DemoRefused, match="No image or video has the id"):
        demo.create(log, "P", track_ids=[demo.media_key("nope:image:1")], assets_dir=assets)
    key = demo.media_key(f"{image}:image:1")
    row = demo.create(log, "P", track_ids=[key], assets_dir=assets)
    (assets / demo.show(log, row["slug"], assets).items[0].cover).unlink()
    assert demo.show(log, row["slug"], assets).items == []
    assert demo.playlists(log, assets)[1].playable == 0
