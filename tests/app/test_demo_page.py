"""The Demo page with AppTest: the manager (playlists with their share links, create, refusals
in words, order and notes) and the presentation (words only: no id, no status, no JSON)."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from lib import demo
from lib.review.decisions import decide
from tests.lib.review.support import finished_experiment

PAGE = "../../pages/demo.py"


def run(playlist: str | None = None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=30)
    if playlist is not None:
        at.query_params["playlist"] = playlist
    at.run()
    assert not at.exception, at.exception
    return at


def shown_text(at: AppTest) -> str:
    """Everything the page writes for people: markdown, captions, titles, html blocks."""
    parts = [e.value for kind in ("markdown", "caption", "title", "subheader", "info",
                                  "success", "error", "code") for e in at.get(kind)]
    parts += [e.proto.body for e in at.get("html")]
    return "\n".join(str(p) for p in parts)


@pytest.fixture
def takes(app_runtime):
    log = app_runtime.log
    finished_experiment(log, app_runtime.assets_dir, repeats=1)
    with log.raw_connection() as db:
        db.execute("UPDATE tasks SET prompt = 'a calm piano by the sea'")
        db.conn.commit()
    for i, tid in enumerate(("warm-1-0", "warm-1-1", "bright-1-0")):
        decide(log, tid, "approve", reviewer="ana", now=10.0 + i)
    return app_runtime


def ids_of(rt) -> set[str]:
    tasks = rt.log.list_tasks(limit=50)
    return ({t["id"] for t in tasks} | {t["provider_task_id"] for t in tasks}
            | {tr["id"] for t in tasks for tr in rt.log.tracks_for(t["id"])})


def test_manager_without_approved_takes(app_runtime):
    at = run()
    assert at.title[0].value == "Demo"
    assert "No approved takes yet" in at.info[0].value
    assert [s.value for s in at.subheader] == ["All approved takes"]
    assert at.code[0].value.endswith("/demo?playlist=all")


def test_create_a_playlist_and_share_it(takes):
    at = run()
    form_inputs = [t for t in at.text_input if t.label == "Title"]
    form_inputs[0].input("Spring campaign")
    picker = at.multiselect[0]
    labels = list(picker.options)  # as people read them
    assert any(label.startswith("Song warm 1.1 · a calm piano by the sea · take 2")
               for label in labels), labels
    assert not any(tid in " ".join(labels) for tid in ids_of(takes))
    picker.select("bright-1-0").select("warm-1-0")
    at.button[0].click()  # the form's "Create playlist"
    at.run()
    assert not at.exception, at.exception
    row = takes.log.list_playlists()[0]
    assert row["title"] == "Spring campaign"
    assert [i["track_id"] for i in takes.log.playlist_items(row["id"])] == [
        "bright-1-0", "warm-1-0"]
    assert "Created “Spring campaign”" in at.success[0].value
    assert [s.value for s in at.subheader] == ["All approved takes", "Spring campaign"]
    assert any(c.value.endswith(f"/demo?playlist={row['slug']}") for c in at.code)


def test_a_refusal_names_the_field(takes):
    at = run()
    at.button[0].click()
    at.run()
    assert at.error[0].value == "Title is required."
    assert takes.log.list_playlists() == []


def test_order_and_notes(takes):
    slug = demo.create(takes.log, "P", track_ids=["warm-1-0", "warm-1-1", "bright-1-0"],
                       assets_dir=takes.assets_dir)["slug"]
    at = run()
    at.button(key=f"demo-down-{slug}-0").click()
    at.run()
    assert [i.title for i in demo.show(takes.log, slug, takes.assets_dir).items] == [
        "Song warm 1.1", "Song warm 1.0", "Song bright 1.0"]
    at.text_input(key=f"demo-note-{slug}-bright-1-0").input("For the finale")
    at.run()
    at.button(key=f"demo-remove-{slug}-0").click()
    at.run()
    assert not at.exception, at.exception
    shown = demo.show(takes.log, slug, takes.assets_dir)
    assert [(i.title, i.note) for i in shown.items] == [
        ("Song warm 1.0", None), ("Song bright 1.0", "For the finale")]


def test_presentation_holds_words_only(takes):
    decide(takes.log, "bright-1-1", "reject", reviewer="ana", reason="off key")
    slug = demo.create(takes.log, "Pitch for Acme", subtitle="Two moods",
                       notes="Mixed on Friday.", track_ids=["warm-1-0", "bright-1-0"],
                       assets_dir=takes.assets_dir)["slug"]
    demo.set_note(takes.log, slug, "bright-1-0", "The bright one")
    at = run(slug)
    assert not at.title and not at.button and not at.text_input  # no manager
    text = shown_text(at)
    html = [e.proto.body for e in at.get("html")]
    content = next(h for h in html if "sb-list" in h)
    for words in ("Pitch for Acme", "Two moods", "Mixed on Friday.", "Song warm 1.0",
                  "Song bright 1.0", "The bright one"):
        assert words in content
    assert content.count("<audio") == 2
    for value in ids_of(takes):
        assert value not in text, value
    for bad in ("api", "approve", "Approved by", "succeeded", "V5", "ana"):
        assert bad not in content, bad
    assert "{" not in content and "}" not in content
    assert not re.search(r"[0-9a-f]{12,}", content)
    script = next(e for e in at.get("html") if "<script>" in e.proto.body)
    assert script.proto.unsafe_allow_javascript


def test_presentation_of_an_unknown_link(app_runtime):
    at = run("no-such-list")
    assert "This demo link leads nowhere" in shown_text(at)


def test_the_built_in_playlist_is_presented(takes):
    at = run("all")
    content = next(e.proto.body for e in at.get("html") if "sb-list" in e.proto.body)
    assert "All approved takes" in content and content.count("<audio") == 3


def test_through_the_app_the_presentation_has_no_sidebar(takes, monkeypatch):
    """In the app (`st.navigation`), the manager has the sidebar and the presentation none."""
    from pathlib import Path

    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__  # as `navigation_mode` in test_sidebar_settings.py

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)
    app = str(Path(__file__).resolve().parents[2] / "app.py")
    at = AppTest.from_file(app, default_timeout=60).run()
    at.switch_page("pages/demo.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Demo" and len(at.sidebar.markdown) > 0
    at = AppTest.from_file(app, default_timeout=60)
    at.query_params["playlist"] = "all"
    at.run()
    at.switch_page("pages/demo.py")
    at.query_params["playlist"] = "all"
    at.run()
    assert not at.exception, at.exception
    assert any("All approved takes" in e.proto.body for e in at.get("html"))
    assert len(at.sidebar.markdown) == 0 and not at.title


def test_a_playlist_whose_takes_lost_their_approval_says_so(takes):
    slug = demo.create(takes.log, "Later", track_ids=["warm-1-0"],
                       assets_dir=takes.assets_dir)["slug"]
    decide(takes.log, "warm-1-0", "reject", reviewer="ana", reason="too quiet")
    content = next(e.proto.body for e in run(slug).get("html") if "sb-demo" in e.proto.body)
    assert "There is nothing to play in this playlist yet." in content
    assert "<audio" not in content and "too quiet" not in content
    at = run()  # the manager tells why the take is hidden
    assert any("Song warm 1.0 · not shown: no longer approved" in m.value for m in at.markdown)
    assert any("0 takes to play (1 take hidden" in m.value for m in at.markdown)
