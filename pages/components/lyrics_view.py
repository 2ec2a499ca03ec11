"""Lyrics on the board and the task detail: lyric drafts and timed lyrics as readable,
sectioned text; the timed words highlighted as the track plays (the detail); "Use these lyrics"
is a link to the Generate page (``?lyrics=<task>&draft=<n>``, ``?lyrics_of=<track>``) whose
`apply_link` fills the song form in custom mode with them, once per link (a link, not a
`st.switch_page` from the board's fragments). View models: `lib.views.lyrics`.

DOM contract (browser tests): the karaoke player is an iframe (`st.components.v1.html`) holding
``<audio id="karaoke-audio">`` and one ``span.w`` per word; the word being sung has the class
``lyric-now`` (`lib.views.lyrics.NOW_CLASS`).
"""

from __future__ import annotations

from urllib.parse import quote

import streamlit as st
import streamlit.components.v1 as components
from streamlit.errors import StreamlitAPIException

from lib.views.app_runtime import AppRuntime
from lib.views import lyrics
from lib.views.board import TaskView, TrackView
from lib.views.words import plural
from pages.components import form_state, media

GENERATE_PAGE = "pages/generate.py"
#: the last lyrics link applied on the Generate page, and what it found
APPLIED_KEY = "generate_page.applied_lyrics"
NOTE_KEY = "generate_page.lyrics_note"


def prefill_generate(title: str | None, text: str) -> None:
    """Put ``text`` into the Generate page's song form: custom mode on, vocals on, the lyrics
    in the prompt field and ``title`` as the title (the draft keeps the style)."""
    st.session_state["generate_page.op"] = "generate"
    values: dict = {"customMode": True, "instrumental": False, "prompt": text}
    if title:
        values["title"] = title[:80]
    form_state.set_values("generate", values)


def apply_link(rt: AppRuntime) -> None:
    """On the Generate page, before its form: lyrics named by the address
    (`lib.views.lyrics.link_params`) go into the song form, once per link."""
    params = {k: st.query_params.get(k) for k in lyrics.LINK_PARAMS if st.query_params.get(k)}
    if not params:
        return
    link = tuple(sorted(params.items()))
    if st.session_state.get(APPLIED_KEY) != link:
        st.session_state[APPLIED_KEY] = link
        picked = lyrics.pick(rt.log, params)
        if picked is not None and picked.text:
            prefill_generate(picked.title, picked.text)
            st.toast(f"The lyrics{f' of “{picked.title}”' if picked.title else ''} are in the "
                     "song form, in custom mode: add a style and generate.",
                     icon=":material/lyrics:")
        st.session_state[NOTE_KEY] = picked
    picked = st.session_state.get(NOTE_KEY)
    if picked is not None and picked.problem:
        st.warning(picked.problem)


def use_link(params: dict[str, str]) -> None:
    """"Use these lyrics": a link to the Generate page that fills its song form with them."""
    try:
        st.page_link(GENERATE_PAGE, label="Use these lyrics", query_params=params,
                     icon=":material/edit_note:",
                     help="Opens Generate in custom mode with these lyrics as the song's words")
    except StreamlitAPIException:   # this page runs outside the app's navigation (tests)
        query = "&".join(f"{k}={quote(v)}" for k, v in params.items())
        st.markdown(f"[Use these lyrics](/?{query})")


def sectioned(parts: list[lyrics.Section]) -> None:
    st.markdown(lyrics.to_markdown(parts))


def _drafts(view: TaskView, compact: bool) -> None:
    found = lyrics.drafts(view.result)
    if not found:
        return

    def draft(i: int, item: lyrics.Draft) -> None:
        if compact:
            st.markdown(f"**{item.title}**")
        sectioned(item.sections)
        use_link(lyrics.link_params(task_id=view.id, draft=i + 1))

    if compact:
        with st.expander(f"Lyrics: {plural(len(found), 'draft')}", icon=":material/lyrics:"):
            for i, item in enumerate(found):
                draft(i, item)
    else:
        st.markdown(f"#### Lyrics ({plural(len(found), 'draft')})")
        for tab, (i, item) in zip(st.tabs([d.title for d in found]), enumerate(found),
                                  strict=True):
            with tab:
                draft(i, item)


def karaoke(audio_url: str | None, parts: list[lyrics.TimedSection], key: str) -> None:
    """The timed words under the track's player, highlighted as it plays (click a word to
    jump); without audio, the words as text."""
    if audio_url:
        with st.container(key=f"karaoke-{key}"):
            components.html(lyrics.karaoke_html(audio_url, parts),
                            height=lyrics.karaoke_height(parts))
    else:
        sectioned(lyrics.timed_sections(parts))


def _timed(view: TaskView, compact: bool) -> None:
    parts = lyrics.timed_lines(view.result)
    if not parts:
        return
    count = plural(lyrics.word_count(parts), "timed word")
    if compact:
        with st.expander(f"Timed lyrics ({count})", icon=":material/lyrics:"):
            sectioned(lyrics.timed_sections(parts))
            use_link(lyrics.link_params(task_id=view.id))
        return
    st.markdown(f"#### Timed lyrics ({count})")
    st.caption("The word being sung lights up as the track plays; click a word to jump to it.")
    from lib.app.runtime import get_runtime

    rt = get_runtime()
    audio = lyrics.source_audio(rt.log, _source_id(rt, view.id), rt.assets_dir)
    karaoke(media.url_for(audio), parts, view.id)
    use_link(lyrics.link_params(task_id=view.id))


def _source_id(rt: AppRuntime, task_id: str) -> str | None:
    return lyrics.source_audio_id(rt.log, task_id)


def task_lyrics(view: TaskView, compact: bool) -> None:
    """Lyrics a task returned (drafts, timed lyrics), if any."""
    if view.op == "lyrics":
        _drafts(view, compact)
    elif view.op == "timestamped_lyrics":
        _timed(view, compact)


def track_lyrics(track: TrackView) -> None:
    """The detail of a song: its words highlighted as it plays when they were aligned (a
    timestamped-lyrics task made from it), else its lyrics as text; and "Use these lyrics"."""
    from lib.app.runtime import get_runtime

    log = get_runtime().log
    timed = log.latest_from_track(track.id, "timestamped_lyrics")
    parts = lyrics.alignment_of(log, track.id) if timed is not None else []
    if timed is not None and parts:
        with st.expander("Lyrics, timed", expanded=True, icon=":material/lyrics:"):
            karaoke(media.url_for(track.audio), parts, track.id)
            use_link(lyrics.link_params(task_id=timed["id"]))
        return
    sections = lyrics.sections(track.lyrics)
    if sections:
        with st.expander("Lyrics", icon=":material/lyrics:"):
            sectioned(sections)
            use_link(lyrics.link_params(track_id=track.id))
