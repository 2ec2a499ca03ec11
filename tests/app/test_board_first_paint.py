"""The Tasks board's first paint stays light (the figures: `python -m tests.bench.first_paint`).

What a first visit costs in the browser is decided here, structurally: how many elements each
card sends (each is a message the browser decodes and a node React renders), which elements
need extra JS chunks fetched before they can draw, whether anything on the page makes the
browser fetch Streamlit's 260 KB emoji table, and whether the cards (and so their players)
are sent before the filters.
"""

from __future__ import annotations

import functools
import re

import pytest
import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.testing.v1 import AppTest

from tests.bench.seed import seed_songs

PAGE = "../../pages/tasks.py"
APP = "../../app.py"
#: Streamlit's frontend loads remark-emoji (and its 260 KB table) for any Markdown matching
#: this (StreamlitMarkdown's check, 1.67)
EMOJI_SHORTCODE = re.compile(r":(?!material/|streamlit:)[\w+-][\w_+-]*:")
#: elements a finished song card may use (all but `audio` and `page_link` are in Streamlit's
#: main bundle; covers and waveforms are images inside the track's Markdown)
CARD_ELEMENTS = {"markdown", "audio", "page_link"}
#: per finished two-track song task: the card, its head Markdown, its *Details* link and two
#: tracks (a track: its keyed container, its Markdown (cover first) and its player)
CARD_BUDGET = 9


@pytest.fixture
def songs(app_runtime):
    return seed_songs(app_runtime.log, app_runtime.assets_dir, 12, seconds=1.0, distinct=1)


def walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from walk(child)


def kinds(node) -> list[str]:
    out = []
    for n in walk(node):
        if type(n).__name__ == "Block":
            out.append("block:" + (n.proto.WhichOneof("type") if n.proto is not None else "?"))
        elif hasattr(n, "type"):
            out.append(n.type)
    return out


def bodies(at: AppTest) -> list[str]:
    """Every Markdown text on the page (markdown, captions, titles, toasts, alerts, labels)."""
    out = []
    for n in walk(at._tree):
        proto = getattr(n, "proto", None)
        for field in ("body", "label", "help"):
            value = getattr(proto, field, None) if proto is not None else None
            if isinstance(value, str) and value:
                out.append(value)
    return out


def test_cards_stay_within_their_element_budget(songs):
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not at.exception, at.exception
    cards = [n for n in walk(at.main) if type(n).__name__ == "Block" and n.proto is not None
             and n.proto.id.split("-", 2)[-1].startswith("task-")]
    assert len(cards) == 10
    for card in cards:
        found = kinds(card)
        assert len(found) <= CARD_BUDGET, found
        assert {k for k in found if not k.startswith("block:")} <= CARD_ELEMENTS, found
        assert found.count("audio") == 2
        # ...with main's listening parts folded in: a waveform and a QA line per track
        text = "\n".join(n.proto.body for n in walk(card)
                         if getattr(n, "type", "") == "markdown")
        # no raw HTML in a card's Markdown (the browser would fetch rehype-raw, ~184 KB)
        assert not [n for n in walk(card) if getattr(n, "type", "") == "markdown"
                    and n.proto.allow_html]
        assert text.count("![Waveform of") == 2 and len(re.findall(r":small\[:\w+\[[✔⚠✖–] ", text)) == 2
        assert text.count("![Cover of") == 2


def test_no_emoji_table_and_no_heavy_chunks_on_a_first_visit(songs):
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/tasks.py").run()
    assert not at.exception, at.exception
    assert len(at.get("audio")) == 20
    texts = bodies(at)
    assert any("started" in t for t in texts)        # the clock times are there...
    assert not [t for t in texts if EMOJI_SHORTCODE.search(t)]  # ...but read as no emoji
    # drawn on a first visit: no element whose JS chunks outweigh the players' (the
    # operation filter's multiselect is inside a popover, drawn when opened)
    outside = kinds(at.main) + kinds(at.sidebar)
    for heavy in ("metric", "multiselect", "selectbox", "arrow_data_frame", "link_button"):
        assert heavy not in outside or heavy == "multiselect" and _in_popover(at, heavy)


def _in_popover(at: AppTest, kind: str) -> bool:
    popovers = [n for n in walk(at.main) if type(n).__name__ == "Block"
                and n.proto is not None and n.proto.WhichOneof("type") == "popover"]
    return sum(kinds(p).count(kind) for p in popovers) == kinds(at.main).count(kind)


def test_players_are_sent_before_the_filters(songs, monkeypatch):
    """The filters sit above the list but are sent after it: the browser fetches the audio
    element's code first."""
    order: list[str] = []
    for name in ("audio", "pills", "pagination", "popover"):
        original = getattr(DeltaGenerator, name)

        def record(self, *args, _name=name, _original=original, **kwargs):
            order.append(_name)
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(DeltaGenerator, name, record)
        # `st.audio` and friends are bound to the main DeltaGenerator at import
        monkeypatch.setattr(st, name, functools.partial(record, st._main, _name=name))
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not at.exception, at.exception
    assert order.count("audio") == 20 and "pagination" in order   # 12 tasks: two pages
    assert order.index("audio") < order.index("pills") < order.index("pagination")


def test_filters_read_before_the_list_still_filter(songs, app_runtime):
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    at.pagination(key="board_page").set_value(2).run()
    assert not at.exception, at.exception
    assert len(at.get("audio")) == 4                                  # 12 tasks, 10 a page
    at.pills(key="board_state").set_value(["failed"]).run()
    assert len(at.get("audio")) == 0
    assert "No tasks yet" in at.info[0].value or "0 tasks" in " ".join(c.value for c in at.caption)


def test_a_track_without_cover_art_gets_a_placeholder_that_fetches_nothing():
    from lib.views.board import TrackView
    from pages.components.board import NO_COVER, track_markdown

    bare = TrackView(id="t1", task_id="k1", idx=0, title="Untitled *draft*", tags=None,
                     duration=61.0, lyrics=None, rating=None, notes=None, audio=None,
                     image=None)
    text = track_markdown(bare, cover=True)
    assert text.startswith("![Cover of Untitled \\*draft\\*](<data:image/svg+xml;")
    assert NO_COVER.startswith("data:image/svg+xml;") and "%3Csvg" in NO_COVER
    assert "![Cover of" not in track_markdown(bare)                # the detail has its own
