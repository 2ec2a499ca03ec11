"""Demo: read-only playlists of approved takes for stakeholders.

* without ``?playlist=``: the manager - every playlist with its share link, create one from
  approved takes (and archived images and videos), order them, a note per take, title,
  subtitle and notes, "Present";
* with ``?playlist=<slug>``: the presentation - no sidebar, navigation or toolbar; dark, large
  type, big cover art and players (`lib.demo.present`), files from the archive only.

Logic in `lib.demo`; this page only draws.
"""

from __future__ import annotations

import streamlit as st

from lib import demo
from lib.app.runtime import get_runtime
from lib.demo import present
from lib.demo.playlists import hidden_reason
from lib.views.words import plural
from pages.components import media

rt = get_runtime()
_FLASH = "_demo_flash"


def presentation(slug: str) -> None:
    playlist = demo.show(rt.log, slug, rt.assets_dir)
    st.set_page_config(page_title=playlist.title if playlist else "Demo", layout="wide")
    st.html(present.STYLE)
    st.html(present.content_html(playlist) if playlist else present.missing_html())
    st.html(present.SCRIPT, unsafe_allow_javascript=True)


# -- the manager ------------------------------------------------------------------------------
def flash(kind: str, text: str) -> None:
    st.session_state[_FLASH] = (kind, text)


def attempt(fn, *args, done: str | None = None, **kwargs) -> None:
    """Run a `lib.demo` change from a widget callback; its refusal is shown in words."""
    try:
        fn(rt.log, *args, **kwargs)
    except demo.DemoRefused as exc:
        flash("error", str(exc))
    else:
        if done:
            flash("success", done)


def save_note(slug: str, track_id: str, key: str) -> None:
    attempt(demo.set_note, slug, track_id, st.session_state.get(key))


def create_form(candidates: list[demo.Candidate]) -> None:
    labels = {c.track_id: c.label for c in candidates}
    with st.form("demo-create", clear_on_submit=True, border=True):
        st.markdown("**Create a playlist**")
        title = st.text_input("Title", max_chars=demo.TITLE_MAX,
                              placeholder="e.g. Spring campaign: three moods")
        subtitle = st.text_input("Subtitle (optional)",
                                 max_chars=demo.SUBTITLE_MAX)
        picks = st.multiselect("Approved takes, images and videos, in the order they will "
                               "play", list(labels), format_func=labels.__getitem__,
                               placeholder="Choose approved takes, images or videos")
        if st.form_submit_button("Create playlist", type="primary"):
            try:
                row = demo.create(rt.log, title, subtitle=subtitle, track_ids=picks,
                                  assets_dir=rt.assets_dir)
            except demo.DemoRefused as exc:
                st.error(str(exc))
            else:
                flash("success", f"Created “{row['title']}”. Share its link or press Present.")
                st.rerun()


def take_rows(summary: demo.PlaylistSummary, labels: dict[str, str]) -> None:
    ids = summary.track_ids
    if not ids:
        st.caption("No takes yet: add approved takes below.")
    for n, tid in enumerate(ids):
        label = labels.get(tid)
        if label is None:
            name, why = hidden_reason(rt.log, tid)
            label = f"{name} · not shown: {why}"
        key = f"demo-note-{summary.slug}-{tid}"
        st.session_state.setdefault(key, summary.item_notes.get(tid, ""))
        with st.container(key=f"demo-item-{summary.slug}-{n}"):
            words, note, up, down, out = st.columns([5, 4, 0.55, 0.55, 0.55],
                                                   vertical_alignment="center", gap="small")
            words.markdown(f"**{n + 1}.** {label}")
            note.text_input("Note shown with this take", key=key, max_chars=demo.NOTE_MAX,
                            on_change=save_note, args=(summary.slug, tid, key),
                            placeholder="Note shown with this take (optional)",
                            label_visibility="collapsed")
            up.button("", icon=":material/arrow_upward:", key=f"demo-up-{summary.slug}-{n}",
                      help="Play earlier", disabled=n == 0,
                      on_click=attempt, args=(demo.move, summary.slug, tid, -1))
            down.button("", icon=":material/arrow_downward:",
                        key=f"demo-down-{summary.slug}-{n}", help="Play later",
                        disabled=n == len(ids) - 1,
                        on_click=attempt, args=(demo.move, summary.slug, tid, 1))
            out.button("", icon=":material/close:", key=f"demo-remove-{summary.slug}-{n}",
                       help="Take out of this playlist",
                       on_click=attempt, args=(demo.remove, summary.slug, tid))


def edit_panel(summary: demo.PlaylistSummary, candidates: list[demo.Candidate]) -> None:
    labels = {c.track_id: c.label for c in candidates}
    take_rows(summary, labels)
    addable = [c.track_id for c in candidates if c.track_id not in summary.track_ids]
    if addable:
        with st.form(f"demo-add-{summary.slug}", clear_on_submit=True, border=False):
            picks = st.multiselect("Add approved takes, images or videos", addable,
                                   format_func=labels.__getitem__,
                                   placeholder="Choose approved takes, images or videos")
            if st.form_submit_button("Add to the playlist") and picks:
                attempt(demo.add, summary.slug, picks, assets_dir=rt.assets_dir,
                        done=f"Added {plural(len(picks), 'take')}.")
                st.rerun()
    with st.form(f"demo-words-{summary.slug}", border=False):
        title = st.text_input("Title", summary.title, max_chars=demo.TITLE_MAX)
        subtitle = st.text_input("Subtitle", summary.subtitle or "",
                                 max_chars=demo.SUBTITLE_MAX)
        notes = st.text_area("Notes shown under the title", summary.notes or "",
                             max_chars=demo.NOTES_MAX, height=90)
        if st.form_submit_button("Save title and notes"):
            attempt(demo.edit, summary.slug, title=title, subtitle=subtitle, notes=notes,
                    done="Saved.")
            st.rerun()
    st.button("Delete this playlist", key=f"demo-delete-{summary.slug}",
              icon=":material/delete:",
              on_click=attempt, args=(demo.delete, summary.slug),
              kwargs={"done": f"Deleted “{summary.title}”; its link no longer works."})


def playlist_card(summary: demo.PlaylistSummary, candidates: list[demo.Candidate]) -> None:
    url = f"{media.origin()}{summary.share_path}"
    with st.container(border=True, key=f"demo-playlist-{summary.slug}"):
        with st.container(horizontal=True, vertical_alignment="center"):
            st.subheader(summary.title, anchor=False, width="stretch")
            st.link_button("Present", url, type="primary", icon=":material/slideshow:")
        if summary.subtitle:
            st.caption(summary.subtitle)
        count = f"{plural(summary.playable, 'take')} to play"
        hidden = summary.stored - summary.playable
        if hidden:
            count += (f" ({plural(hidden, 'take')} hidden: no longer approved, "
                      "or no archived audio)")
        st.write(count)
        st.code(url, language=None)
        if not summary.builtin:
            with st.expander("Edit takes, order and notes"):
                edit_panel(summary, candidates)


def manager() -> None:
    st.title("Demo")
    st.caption("Playlists of approved takes to play to stakeholders: big players and cover "
               "art, no settings or technical details. Each playlist has its own link; it "
               "plays from this machine's archive, so it works offline.")
    message = st.session_state.pop(_FLASH, None)
    if message:
        (st.error if message[0] == "error" else st.success)(message[1])
    candidates = demo.candidates(rt.log, rt.assets_dir)
    if not candidates:
        st.info("No approved takes yet: only takes approved in review, with their audio "
                "archived on this machine, can be shown.")
    # images and videos made here (image, cover art and video tasks), once archived
    candidates += demo.media_candidates(rt.log, rt.assets_dir)
    create_form(candidates)
    for summary in demo.playlists(rt.log, rt.assets_dir):
        playlist_card(summary, candidates)


slug = st.query_params.get("playlist")
if slug:
    presentation(slug)
else:
    manager()
