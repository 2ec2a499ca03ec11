"""The status panel in the sidebar of every page (facts from `lib.views.sidebar`, never the
API key).

Drawn inside a fragment that refreshes every `REFRESH_S` seconds (as often as the board), so
the running count, credits and tracker health stay current without rerunning the page (and
without touching its players). `app.py` reserves the panel's place before the page runs and
draws it after, so a run that submits or finishes a task shows it in the count at once (drawn
first, the count was the one from before the page's work until the next tick).
"""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from lib.app import runtime
from lib.views import board, sidebar
from pages.components.board import plain

REFRESH_S = board.REFRESH_SECONDS
_DOT = {"ok": ":green[●]", "warn": ":orange[●]", "down": ":red[●]"}


def _running_text(facts: sidebar.SidebarFacts) -> str:
    if facts.running < 0:
        return "?"
    text = str(facts.running)
    if facts.unknown > 0:
        text += f" · {facts.unknown} unknown"
    return text


def status_panel() -> None:
    """The panel's body (usable without the fragment, e.g. in tests)."""
    rt = runtime.get_runtime()
    facts = sidebar.sidebar_facts(rt)
    with st.container(key="sidebar-status"):
        st.markdown(f"**{facts.provider}**  \n`{facts.dialect}` dialect",
                    help=None if facts.simulated else f"Base URL: {facts.base_url}")
        if facts.simulated:
            key = "not set (not needed)"
        else:
            key = ":green[configured]" if facts.key_present else ":red[missing]"
        credits, credits_help = sidebar.credits_text(facts.credits)
        lines = [
            f"API key: {key}",
            f"Tracker: {_DOT[facts.tracker.level]} {facts.tracker.label}",
            f"Running tasks: **{_running_text(facts)}**",
            f"Callbacks: {'on' if facts.callbacks else 'polling only'}",
        ]
        # a Markdown line, not `st.metric`: the metric element makes every page's first visit
        # fetch ~65 KB of extra JS chunks (number formatting, charts) before its players
        st.markdown(f"Credits left: **{credits}**", help=credits_help)
        st.markdown("  \n".join(lines), help=facts.tracker.detail)
        if facts.provider_down:
            st.markdown(f":orange[:material/cloud_off: {plain(facts.provider_down)}]")


@st.fragment(run_every=REFRESH_S)
def _status_fragment() -> None:
    status_panel()


def reserve() -> DeltaGenerator:
    """The panel's place in the sidebar, taken before the page runs (`render_sidebar`)."""
    return st.sidebar.container(key="sidebar-slot")


def render_sidebar(slot: DeltaGenerator | None = None) -> None:
    """Called by `app.py` on every page run, after the page (in the place `reserve` took)."""
    with slot if slot is not None else st.sidebar:
        _status_fragment()
