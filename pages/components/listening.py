"""Listening widgets: a track's waveform image, stem players, music videos (view models:
`lib.views.board`, `lib.views.listening`).

Everything here shows files the archiver already stored (stable ``/api/assets/...`` URLs from
`pages.components.media`): nothing is decoded or drawn while a page renders.

DOM contract (browser tests): a waveform is an `<img>` whose alt text starts with "Waveform";
stem players sit in ``st.container(key=f"stems-{owner}")`` (``st-key-stems-<owner>``), one
`<audio>` per stem.
"""

from __future__ import annotations

import html

import streamlit as st

from lib.views import takes
from lib.views.board import Download, TaskView, TrackView
from lib.views.listening import ordered, stem_name, stems_label
from lib.views.styles import CARD_WAVE_PX, DETAIL_WAVE_PX
from pages.components import media


def waveform(track: TrackView, *, compact: bool = True) -> None:
    """The track's waveform image across the column (low on a card, taller in the detail),
    when the archiver has drawn it; until then an empty slot, so the player below keeps its
    place when the image arrives (a moved `<audio>` is remounted and stops playing)."""
    url = media.url_for(track.waveform)
    if not url:
        st.empty()
        return
    alt = html.escape(f"Waveform of {track.title or 'the track'}", quote=True)
    height = CARD_WAVE_PX if compact else DETAIL_WAVE_PX
    st.markdown(f'<img src="{html.escape(url, quote=True)}" alt="{alt}" '
                f'style="display:block;width:100%;height:{height}px;object-fit:fill">',
                unsafe_allow_html=True)


def stem_players(stems: list[Download], owner: str, *, compact: bool) -> None:
    """One named player per archived stem; in an expander ("Stems (12)") when ``compact``."""
    playable = [(s, url) for s in ordered(stems) if (url := media.url_for(s))]
    if not playable:
        return

    def players() -> None:
        with st.container(key=f"stems-{owner}"):
            for stem, url in playable:
                name, player = st.columns([1, 4], vertical_alignment="center")
                name.markdown(f"**{stem_name(stem.kind)}**")
                with player:
                    st.audio(url, format="audio/mpeg")

    if compact:
        with st.expander(stems_label(len(playable)), icon=":material/graphic_eq:"):
            players()
    else:
        st.markdown(f"**{stems_label(len(playable))}**")
        players()


def videos(items: list[Download], owner: str, *, compact: bool,
           kinds: tuple[str, ...] = ("mp4",), width: int | None = None) -> None:
    """Archived videos (files of ``kinds``, or ``<kind>:N``: music videos; DashScope and Kling
    ones), played inline (in a "Music video" expander when ``compact``), ``width`` pixels wide
    (else the column's width)."""
    urls = [url for item in items if (item.kind in kinds or item.kind.split(":")[0] in kinds)
            and item.rel_path
            and (url := media.url_for(item))]
    if not urls:
        return
    with st.container(key=f"video-{owner}"):
        if compact:
            with st.expander("Music video", icon=":material/movie:"):
                for url in urls:
                    st.video(url, format="video/mp4")
        else:
            for url in urls:
                st.video(url, format="video/mp4", width=width or "stretch")


def take_notes(view: TaskView, *, detailed: bool) -> dict[str, takes.TakeNote]:
    """Which take each track is and how it differs; ``detailed`` also compares key and tempo
    from the QA scorecards (one more read: the detail page, not the board)."""
    if len(view.tracks) < 2:
        return {}
    facts = None
    if detailed:
        from lib.app.runtime import get_runtime

        facts = takes.facts(get_runtime().log, [t.id for t in view.tracks])
    return takes.take_notes(view, facts)
