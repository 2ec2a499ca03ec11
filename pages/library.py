"""Library: search and filter every task and track, rate and annotate tracks, compare, export;
and the images and videos made (image, cover art and video tasks), in a gallery.

Filtering and paging happen in SQL (`lib.views.library`); only one page of rows, or the selected
tracks, are loaded. Select rows in the table to rate, annotate, compare and export them.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from lib import demo, ops
from lib.app.runtime import get_runtime
from lib.qa import words as qa_words
from lib.review import view as review_view
from lib.views import library as lib_library
from lib.views.board import STATE_LABELS, op_label
from lib.views.words import experiment_cell, first_line, matches, model_label, plural, tags_text
from pages.components import media, qa_flags, review_controls
from pages.components.board import duration_text, page_link, plain

rt = get_runtime()
#: what the Library lists: tracks, tasks, or the images and videos made
VIEWS = ("Tracks", "Tasks", "Images & videos")
GALLERY_COLUMNS = 4
RATING_CHOICES = {0: "Any rating", 1: "★ or more", 2: "★★ or more", 3: "★★★ or more",
                  4: "★★★★ or more", 5: "★★★★★"}


@st.cache_data(ttl=60, show_spinner=False)
def models(db_path: str) -> list[str]:
    return lib_library.distinct_models(rt.log)


@st.cache_data(max_entries=64, show_spinner=False)
def loudness(path: str, mtime: float) -> dict:
    return lib_library.loudness_curve(path)


def user_tz():
    try:
        return ZoneInfo(st.context.timezone) if st.context.timezone else None
    except Exception:
        return None


def save_rating(track_id: str) -> None:
    value = st.session_state.get(f"rate-{track_id}")
    lib_library.rate(rt.log, track_id, None if value is None else int(value) + 1)


def save_notes(track_id: str) -> None:
    lib_library.annotate(rt.log, track_id, st.session_state.get(f"notes-{track_id}"))


def filter_bar() -> tuple[lib_library.LibraryFilters, str, int]:
    top = st.columns([4, 2, 1], vertical_alignment="bottom")
    text = top[0].text_input("Search", key="lib_text", placeholder="Title, prompt, tags, lyrics "
                             "or a task id", help="Words match the start of words in titles, "
                             "prompts, tags and lyrics. A task id finds the task and its tracks: "
                             "the 8 characters shown in messages (at least 6), the full id, or "
                             "the provider's task id.")
    view = top[1].segmented_control("Show", list(VIEWS), default="Tracks",
                                    key="lib_view") or "Tracks"
    per_page = top[2].selectbox("Per page", lib_library.PAGE_SIZES, index=1, key="lib_per_page")
    row = st.columns([2, 2, 2, 2, 2, 2.4], vertical_alignment="bottom")
    model = row[0].multiselect("Model", models(rt.log.location), key="lib_model",
                               format_func=model_label, placeholder="Any model")
    chosen_ops = row[1].multiselect("Operation", list(ops.OPERATIONS), format_func=op_label,
                                    key="lib_op",
                             placeholder="Any operation")
    state = row[2].multiselect("Status", list(STATE_LABELS), format_func=STATE_LABELS.get,
                               key="lib_state", placeholder="Any status",
                               disabled=view == VIEWS[2],  # the gallery: succeeded tasks
                               help="Images & videos lists succeeded tasks only."
                               if view == VIEWS[2] else None)
    dates = row[3].date_input("Created", value=(), key="lib_dates", format="YYYY-MM-DD")
    rating = row[4].selectbox("Rating", list(RATING_CHOICES), format_func=RATING_CHOICES.get,
                              key="lib_rating", disabled=view == VIEWS[2])
    qa_problems = row[5].toggle("QA problems only", key="lib_qa",
                                disabled=view != "Tracks",
                                help="Only tracks whose QA scorecard has a problem (✖) or a "
                                     "warning (⚠). Tracks are scored when their MP3 is "
                                     "archived.")
    dates = list(dates) if isinstance(dates, (list, tuple)) else [dates] if dates else []
    filters = lib_library.LibraryFilters(
        text=text, model=model, op=chosen_ops, state=state,
        date_from=dates[0] if dates else None, date_to=dates[-1] if dates else None,
        min_rating=rating or None, qa_problems=bool(qa_problems) and view == "Tracks")
    return filters, view, per_page


def pager(total: int, per_page: int, signature: str) -> int:
    """The page number; back to page 1 (and a fresh table selection) when filters change."""
    if st.session_state.get("_lib_sig") != signature:
        st.session_state["_lib_sig"] = signature
        st.session_state.pop("lib_page", None)
        st.session_state["_lib_gen"] = st.session_state.get("_lib_gen", -1) + 1
    pages = lib_library.page_count(total, per_page)
    if pages == 1:
        return 1
    return st.pagination(pages, key="lib_page", max_visible_pages=7)


def track_card(row: dict, qa: qa_words.QaLine | None = None) -> None:
    """One selected track: player, cover, metadata, rating and notes."""
    tid = row["id"]
    with st.container(border=True, key=f"lib-track-{tid}"):
        st.markdown(f"**{row['title'] or 'Untitled'}**")
        review_controls.badge(tid)
        files = row.get("files", {})
        image = (media.asset_url(files["image"]) if files.get("image") else row["image_url"])
        if image:
            st.image(image, width=160)
        audio = (media.asset_url(files["mp3"]) if files.get("mp3")
                 else row["audio_url"] or row["stream_audio_url"])
        if audio:
            st.audio(audio, format="audio/mpeg")
        asked = " · ".join(x for x in (
            f"“{first_line(row.get('task_prompt'))}”" if row.get("task_prompt") else "",
            experiment_cell(row.get("task_variant"), row.get("task_repeat_no"))) if x)
        if asked:
            st.markdown(plain(asked))
        st.caption(" · ".join(x for x in (
            plain(tags_text(row["tags"])), duration_text(row["duration"]),
            model_label(row.get("task_model")), op_label(row.get("task_op") or "")) if x))
        qa_flags.line(qa, key=f"lib-qa-{tid}")
        st.feedback("stars", key=f"rate-{tid}",
                    default=row["rating"] - 1 if row["rating"] else None,
                    on_change=save_rating, args=(tid,))
        st.text_area("Notes", value=row["notes"] or "", key=f"notes-{tid}", height=80,
                     on_change=save_notes, args=(tid,), placeholder="Your notes (saved on blur)")
        page_link("pages/task.py", "Open task", {"task": row["task_id"]},
                  ":material/open_in_new:", "task")


def loudness_chart(rows: list[dict]) -> None:
    frames = []
    for i, row in enumerate(rows, start=1):
        rel = row.get("files", {}).get("mp3")
        path = rt.assets_dir / rel if rel else None
        if not path or not path.is_file():
            continue
        try:
            curve = loudness(str(path), path.stat().st_mtime)
        except Exception as exc:
            st.caption(f"Could not measure #{i}: {exc}")
            continue
        frames.append(pd.DataFrame({"seconds": curve["t"], "loudness (dBFS)": curve["rms_db"],
                                    "track": f"#{i} {row['title'] or 'Untitled'}"}))
    if frames:
        st.markdown("##### Loudness over time")
        st.line_chart(pd.concat(frames), x="seconds", y="loudness (dBFS)", color="track",
                      height=220)
    else:
        st.caption("Loudness curves appear once the tracks' MP3s are archived.")


def selected_panel(rows: list[dict], scope: str) -> None:
    """Export buttons, then the selected tracks side by side (rating, notes, compare)."""
    stem = f"songbench-{scope}-{plural(len(rows), 'track').replace(' ', '-')}"
    cols = st.columns([1, 1, 4], vertical_alignment="center")
    cols[0].download_button("Export CSV", lib_library.export_csv(rows), f"{stem}.csv",
                            "text/csv", key="lib_export_csv", icon=":material/download:",
                            disabled=not rows)
    cols[1].download_button("Export JSON", lib_library.export_json(rows), f"{stem}.json",
                            "application/json", key="lib_export_json",
                            icon=":material/download:", disabled=not rows)
    count, noun = plural(len(rows), "track").split(" ", 1)
    cols[2].caption(f"Exports the {count} {'selected' if scope == 'selection' else 'listed'}"
                    f" {noun}.")
    if scope != "selection":
        st.caption("Select rows in the table to rate, annotate and compare tracks.")
        return
    review_controls.bulk(rt.log, [r["id"] for r in rows])
    if len(rows) > 1:  # blind A/B on the Listen page, the selection split in two sets
        page_link("pages/listen.py", "Compare blind",
                  {"tracks": ",".join(r["id"] for r in rows)}, ":material/headphones:", "listen")
    st.subheader("Compare" if len(rows) > 1 else "Track")
    qa = qa_words.lines_for(rt.log, [r["id"] for r in rows])
    for start in range(0, len(rows), 4):
        chunk = rows[start:start + 4]
        for col, row in zip(st.columns(max(2, len(chunk))), chunk, strict=False):
            with col:
                track_card(row, qa.get(row["id"]))
    if len(rows) > 1:
        st.dataframe(lib_library.compare_table(rows), hide_index=True, width="stretch")
    loudness_chart(rows)


def page_summary(noun: str, total: int, data, filters) -> bool:
    """The "N <noun>s (match) · page x of y" caption; an info box and False when the page is
    empty. ``noun`` is singular."""
    counted = matches(total, noun) if filters.active else plural(total, noun)
    st.caption(f"{counted} · page {data.page} of {data.pages}")
    if not data.rows:
        st.info(f"No {noun}s match these filters." if filters.active else f"No {noun}s yet.")
        return False
    return True


def tracks_view(filters, per_page: int, tz) -> None:
    total = lib_library.count_tracks(rt.log, filters, tz)
    page = pager(total, per_page, f"tracks|{filters.track_kwargs(tz)}|{per_page}")
    data = lib_library.track_page(rt.log, filters, page, per_page, tz, matches=total)
    rows = data.rows
    if not page_summary("track", total, data, filters):
        return
    table = lib_library.track_table(rows, qa_words.lines_for(rt.log, [r["id"] for r in rows]))
    marks = review_view.badges(rt.log, [r["id"] for r in rows])
    for line, r in zip(table, rows, strict=True):
        line["review"] = marks.get(r["id"], "")
    event = st.dataframe(
        table, key=f"lib_tracks_{st.session_state['_lib_gen']}",
        on_select="rerun", selection_mode="multi-row", hide_index=True, width="stretch",
        column_config={"duration": st.column_config.NumberColumn("duration (s)"),
                       "QA": st.column_config.TextColumn(
                           "QA", help="The worst QA problems of the archived MP3 (✖ problem, "
                                      "⚠ worth a look); the task's Details page has every check.")})
    picked = [rows[i]["id"] for i in event.selection.rows if i < len(rows)]
    ids = picked or [r["id"] for r in rows]
    selected_panel(lib_library.selection(rt.log, ids, rt.assets_dir),
                   "selection" if picked else "page")


def tasks_view(filters, per_page: int, tz) -> None:
    total = lib_library.count_tasks(rt.log, filters, tz)
    page = pager(total, per_page, f"tasks|{filters.kwargs(tz)}|{per_page}")
    data = lib_library.task_page(rt.log, filters, page, per_page, tz, matches=total)
    rows = data.rows
    if not page_summary("task", total, data, filters):
        return
    table = lib_library.task_table(rows)
    for line in table:
        line["id"] = media.page_url("task", task=line["id"])
    st.dataframe(table, hide_index=True, width="stretch", key="lib_tasks", column_config={
        "id": st.column_config.LinkColumn("open", display_text="Open"),
    })


def media_card(item: lib_library.MediaItem, index: int,
               playlists: dict[str, str] | None = None) -> None:
    """One image (drawn) or video (a player), what was asked, and its task."""
    with st.container(border=True, key=f"lib-media-{index}"):
        url = (media.asset_url(item.rel_path) if item.rel_path
               else item.url if (item.url or "").startswith(("http://", "https://")) else None)
        if url is None:
            st.caption("Not archived, and no provider link.")
        elif item.kind == "image":
            st.image(url, width="stretch")
        else:
            st.video(url, format="video/mp4")
        st.markdown(plain(item.prompt or "Untitled"))
        st.caption(" · ".join(x for x in (op_label(item.op), model_label(item.model),
                                           item.variant or "") if x)
                   + ("" if item.rel_path else " · not archived yet"))
        page_link("pages/task.py", "Open task", {"task": item.task_id},
                  ":material/open_in_new:", "task")
        if item.rel_path and playlists:
            add_to_playlist(item, index, playlists)


def add_to_playlist(item: lib_library.MediaItem, index: int, playlists: dict[str, str]) -> None:
    """Put this image or video in a demo playlist (after its takes)."""
    with st.popover("Add to a demo playlist", icon=":material/playlist_add:"):
        slug = st.selectbox("Playlist", list(playlists), format_func=playlists.__getitem__,
                            key=f"lib-media-pl-{index}")
        if st.button("Add", key=f"lib-media-add-{index}", type="primary"):
            try:
                added = demo.add(rt.log, slug, [demo.media_key(item.key)],
                                 assets_dir=rt.assets_dir)
            except demo.DemoRefused as exc:
                st.error(str(exc))
            else:
                st.success(f"Added to “{playlists[slug]}”." if added
                           else f"Already in “{playlists[slug]}”.")


def media_view(filters, per_page: int, tz) -> None:
    """The images and videos of succeeded image, cover art and video tasks, newest first."""
    total = lib_library.count_media(rt.log, filters, tz)
    page = pager(total, per_page, f"media|{filters.kwargs(tz)}|{per_page}")
    data = lib_library.media_page(rt.log, filters, page, per_page, tz, matches=total)
    if not page_summary("image and video task", total, data, filters):
        return
    items = lib_library.media_items(rt.log, data.rows, rt.assets_dir)
    playlists = {p.slug: p.title for p in demo.playlists(rt.log, rt.assets_dir)
                 if not p.builtin}
    st.caption("Images can start an image-to-video task (Media page); images and videos go "
               "into demo playlists, here or on the Demo page.")
    for start in range(0, len(items), GALLERY_COLUMNS):
        chunk = items[start:start + GALLERY_COLUMNS]
        for i, (col, item) in enumerate(zip(st.columns(GALLERY_COLUMNS), chunk,
                                            strict=False)):
            with col:
                media_card(item, start + i, playlists)


st.title("Library")
flt, view_name, size = filter_bar()
if view_name == "Tasks":
    tasks_view(flt, size, user_tz())
elif view_name == VIEWS[2]:
    media_view(flt, size, user_tz())
else:
    tracks_view(flt, size, user_tz())
