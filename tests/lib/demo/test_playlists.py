"""Demo playlists: create and edit them, only approved takes with archived audio are shown,
a take that loses its approval drops out, order and notes hold, the built-in playlist."""

from __future__ import annotations

import re

import pytest

from lib import demo
from lib.demo import present
from lib.log.sqlite import SqliteLog
from lib.review.decisions import decide
from tests.lib.review.support import finished_experiment, write_tone


@pytest.fixture
def setup(tmp_path):
    log = SqliteLog(tmp_path / "log.db")
    assets = tmp_path / "assets"
    finished_experiment(log, assets, repeats=1)  # warm-1-0, warm-1-1, bright-1-0, bright-1-1
    for tid in ("warm-1-0", "warm-1-1", "bright-1-0"):
        decide(log, tid, "approve", reviewer="ana", now=10.0 + len(tid))
    return log, assets


def titles(playlist):
    return [i.title for i in playlist.items]


def test_create_shows_approved_takes_in_order_with_notes(setup):
    log, assets = setup
    row = demo.create(log, "  Pitch   for Acme ", subtitle="Spring campaign", notes="Two moods.",
                      track_ids=["bright-1-0", "warm-1-0"], assets_dir=assets)
    assert row["title"] == "Pitch for Acme"
    assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{7}", row["slug"])
    demo.set_note(log, row["slug"], "warm-1-0", "The warm one: for the opening")
    shown = demo.show(log, row["slug"], assets)
    assert shown.title == "Pitch for Acme" and shown.subtitle == "Spring campaign"
    assert shown.notes == "Two moods."
    assert titles(shown) == ["Song bright 1.0", "Song warm 1.0"]
    assert [i.number for i in shown.items] == [1, 2]
    assert [i.note for i in shown.items] == [None, "The warm one: for the opening"]
    assert all(i.audio.endswith(".wav") and (assets / i.audio).is_file() for i in shown.items)
    assert shown.share_path == f"/demo?playlist={row['slug']}"
    assert demo.file_for(log, row["slug"], 2, "audio", assets) == shown.items[1].audio
    assert demo.file_for(log, row["slug"], 3, "audio", assets) is None
    assert demo.file_for(log, row["slug"], 1, "cover", assets) is None  # no archived image


def test_slugs_differ(setup):
    log, assets = setup
    slugs = {demo.create(log, f"P{i}", assets_dir=assets)["slug"] for i in range(30)}
    assert len(slugs) == 30


def test_only_approved_archived_takes_can_be_added(setup):
    log, assets = setup
    with pytest.raises(demo.DemoRefused, match="“Song bright 1.1” is not approved"):
        demo.create(log, "P", track_ids=["bright-1-1"], assets_dir=assets)
    (assets / "warm-1-1.wav").unlink()
    with pytest.raises(demo.DemoRefused, match="“Song warm 1.1” has no archived audio"):
        demo.create(log, "P", track_ids=["warm-1-1"], assets_dir=assets)
    with pytest.raises(demo.DemoRefused, match="No take has the id nope"):
        demo.create(log, "P", track_ids=["nope"], assets_dir=assets)
    with pytest.raises(demo.DemoRefused, match="Title is required"):
        demo.create(log, "   ", assets_dir=assets)
    with pytest.raises(demo.DemoRefused, match="Title is 121 characters long; at most 120"):
        demo.create(log, "x" * 121, assets_dir=assets)
    assert log.list_playlists() == []


def test_a_take_that_loses_its_approval_drops_out(setup):
    log, assets = setup
    slug = demo.create(log, "P", track_ids=["warm-1-0", "bright-1-0"], assets_dir=assets)["slug"]
    decide(log, "warm-1-0", "flag", reviewer="ben", reason="a click at 0:12", now=50.0)
    assert titles(demo.show(log, slug, assets)) == ["Song bright 1.0"]
    summary = {p.slug: p for p in demo.playlists(log, assets)}[slug]
    assert (summary.playable, summary.stored) == (1, 2)
    decide(log, "warm-1-0", "approve", reviewer="ben", now=60.0)  # approved again: back in place
    assert titles(demo.show(log, slug, assets)) == ["Song warm 1.0", "Song bright 1.0"]
    (assets / "bright-1-0.wav").unlink()  # the archived copy is gone: not playable offline
    assert titles(demo.show(log, slug, assets)) == ["Song warm 1.0"]


def test_add_remove_reorder_move(setup):
    log, assets = setup
    slug = demo.create(log, "P", track_ids=["warm-1-0"], assets_dir=assets)["slug"]
    assert demo.add(log, slug, ["bright-1-0", "warm-1-0", "warm-1-1"], assets_dir=assets) == 2
    assert titles(demo.show(log, slug, assets)) == [
        "Song warm 1.0", "Song bright 1.0", "Song warm 1.1"]
    demo.reorder(log, slug, ["warm-1-1", "warm-1-0"])
    assert titles(demo.show(log, slug, assets)) == [
        "Song warm 1.1", "Song warm 1.0", "Song bright 1.0"]
    demo.move(log, slug, "bright-1-0", -1)
    demo.move(log, slug, "warm-1-1", -5)  # already first: stays
    assert titles(demo.show(log, slug, assets)) == [
        "Song warm 1.1", "Song bright 1.0", "Song warm 1.0"]
    assert demo.remove(log, slug, "bright-1-0") is True
    assert demo.remove(log, slug, "bright-1-0") is False
    assert [i["position"] for i in log.playlist_items(log.get_playlist(slug)["id"])] == [0, 1]
    demo.edit(log, slug, title="Renamed", subtitle="", notes="line one\nline two")
    shown = demo.show(log, slug, assets)
    assert (shown.title, shown.subtitle, shown.notes) == ("Renamed", None, "line one\nline two")
    demo.delete(log, slug)
    assert demo.show(log, slug, assets) is None
    with pytest.raises(demo.DemoRefused, match="No playlist has the link"):
        demo.edit(log, slug, title="x")


def test_the_built_in_playlist_always_exists(tmp_path):
    log = SqliteLog(tmp_path / "log.db")
    assets = tmp_path / "assets"
    empty = demo.show(log, demo.ALL_SLUG, assets)
    assert empty.title == "All approved takes" and empty.items == []
    assert [p.title for p in demo.playlists(log, assets)] == ["All approved takes"]
    finished_experiment(log, assets, repeats=1)
    decide(log, "warm-1-0", "approve", reviewer="ana", now=1.0)
    decide(log, "bright-1-1", "approve", reviewer="ana", now=2.0)
    decide(log, "bright-1-0", "reject", reviewer="ana", reason="off key", now=3.0)
    assert titles(demo.show(log, "all", assets)) == ["Song bright 1.1", "Song warm 1.0"]
    with pytest.raises(demo.DemoRefused, match="built in"):
        demo.add(log, "all", ["warm-1-1"], assets_dir=assets)
    with pytest.raises(demo.DemoRefused, match="built in"):
        demo.edit(log, "all", title="Mine")


def test_two_takes_with_one_title_are_told_apart(setup):
    log, assets = setup
    with log.raw_connection() as db:
        db.execute("UPDATE tracks SET title = 'Rain' WHERE id IN ('warm-1-0', 'warm-1-1')")
        db.conn.commit()
    slug = demo.create(log, "P", track_ids=["warm-1-0", "warm-1-1"], assets_dir=assets)["slug"]
    assert titles(demo.show(log, slug, assets)) == ["Rain (take 1)", "Rain (take 2)"]


def test_candidates_are_described_in_words(setup):
    log, assets = setup
    with log.raw_connection() as db:
        db.execute("UPDATE tasks SET prompt = 'a calm piano\nwith rain'")
        db.conn.commit()
    found = {c.track_id: c for c in demo.candidates(log, assets)}
    assert set(found) == {"warm-1-0", "warm-1-1", "bright-1-0"}
    label = found["warm-1-1"].label
    assert label.startswith("Song warm 1.1 · a calm piano · take 2 · variant: warm")
    assert "warm-1-1" not in label


def test_presentation_html_holds_words_and_opaque_urls(setup, tmp_path):
    log, assets = setup
    cover = write_tone(assets / "cover.png", 0.1)  # any file stands in for an image
    log.set_track_local("warm-1-0", image=str(cover))
    slug = demo.create(log, "Pitch <b>", notes="Say hi", track_ids=["warm-1-0", "bright-1-0"],
                       assets_dir=assets)["slug"]
    demo.set_note(log, slug, "bright-1-0", "Second & last")
    html = present.content_html(demo.show(log, slug, assets))
    assert "Pitch &lt;b&gt;" in html and "Second &amp; last" in html
    assert f'src="/play/{slug}/1/cover"' in html and f'src="/play/{slug}/2/audio"' in html
    assert html.count("<audio") == 2 and html.count("<img") == 1
    for bad in ("warm-1", "bright-1", "prov-", "{", "api", "approve"):
        assert bad not in html, bad
    assert "leads nowhere" in present.missing_html()
