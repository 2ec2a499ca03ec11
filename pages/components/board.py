"""Rendering of task cards, track players and the task detail view (view models: `lib.views.board`).

DOM contract (for browser tests): every task card is `st.container(key=f"task-{id}")`
(CSS class ``st-key-task-<id>``); every track inside it is `st.container(key=f"track-{id}")`
(``st-key-track-<id>``) holding the cover `<img>`, one `<audio>` (`data-testid=stAudio`) and,
on cards, one Markdown with the file, stem and video links, the QA line (starts with its icon),
the review badge and the waveform `<img alt="Waveform of ...">`; on the detail, download link
buttons, the QA line in ``st-key-qa-<id>`` and stem players in ``st-key-stems-<id>``. Both
keys keep a playing element mounted when rows shift.
"""

from __future__ import annotations

import json
import re
from datetime import datetime

import streamlit as st
from streamlit.errors import StreamlitAPIException

from lib import families, ops, recipes
from lib.app.navigation import PAGES as NAVIGATION
from lib.views import styles
from lib.views.board import (
    STATE_COLORS, TaskView, TrackView, link_note, result_summary, result_text,
)
from lib.views.listening import ordered, stem_name, stems_label
from lib.views.board_detail import TaskDetail
from lib.views.takes import TakeNote, take_notes
from lib.views.words import tags_text
from pages.components import listening, lyrics_view, media, qa_flags
from pages.components.review_badge import badge_markdown

_MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*_[]<>#~$|"})
#: a ``:`` that could open an emoji shortcode (``:smile:``, ``12:30:05``) or a directive
#: (``:red[...]``)
_SHORTCODE_COLON = re.compile(r":(?=[\w+-])")


def plain(text: str | None) -> str:
    """User text shown as itself inside Markdown: a prompt's ``*`` or ``[`` stays a character,
    and so does a ``:`` that Streamlit would read as the start of an emoji shortcode or a colour
    directive. (A shortcode anywhere on a page also makes the browser fetch Streamlit's
    ~260 KB emoji table before it can finish drawing; ``12:30:05`` is one.)"""
    return _SHORTCODE_COLON.sub(r"\\:", (text or "").translate(_MARKDOWN))


def badge(view: TaskView) -> str:
    return f":{STATE_COLORS.get(view.state, 'gray')}-badge[{view.state_label}]"


def when(ts: float | None) -> str:
    return datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M:%S") if ts else ""


def duration_text(seconds: float | None) -> str:
    if not seconds:
        return ""
    s = int(round(seconds))
    return f"{s // 60}:{s % 60:02d}"


def page_link(page: str, label: str, query_params: dict, icon: str | None = None,
              fallback_path: str = "") -> None:
    """`st.page_link` inside the app's navigation; a plain link when the page is run alone."""
    try:
        st.page_link(page, label=label, query_params=query_params, icon=icon)
    except StreamlitAPIException:
        qs = "&".join(f"{k}={v}" for k, v in query_params.items())
        st.markdown(f"[{label}](/{fallback_path}?{qs})")


def transform_params(op: str, track: TrackView) -> dict:
    """Query params opening ``op``'s page on this track (`lib.views.submission.transform_link`)."""
    from lib.views.submission import transform_link

    return dict(transform_link(op, track.id))


#: page name -> (file, URL path) of every page of the navigation (the default page at ``/``)
PAGE_FILES = {p.url_path: (p.file, "" if p.default else p.url_path) for p in NAVIGATION}


def _links(items, key: str) -> None:
    """Download buttons (one row; no row container for a single button)."""
    found = [(d.label, url) for d in items or () if (url := media.url_for(d))]
    if not found:
        return
    if len(found) == 1:
        st.link_button(found[0][0], found[0][1], icon=":material/download:")
        return
    with st.container(horizontal=True, key=key, gap="small"):
        for label, url in found:
            st.link_button(label, url, icon=":material/download:")


def download_links(items) -> str:
    """``[MP3](<url>) · [WAV](<url>)``: a track's files as links inside its Markdown (like
    `st.link_button`, a link opens the file in a new tab; one element fewer per track)."""
    return " · ".join(f"[{d.label}](<{url}>)" for d in items or () if (url := media.url_for(d)))


def render_track(track: TrackView, compact: bool = True, take: TakeNote | None = None) -> None:
    """A track: cover, title, tags, duration, its review badge and QA line, its waveform, a
    player (stable URL), its downloads, stems and video; ``take``: which take it is and how it
    differs from the other (`lib.views.takes`).

    ``compact`` (the board) is kept lean for the first paint (each element is a message the
    browser decodes and a node React renders, 20 tracks a page): the cover beside one Markdown
    holding everything but the player (the waveform an ``<img>`` in it, files, stems and video
    as links, so nothing is fetched before a person asks for it). The detail has the full
    players."""
    if compact:
        _card_track(track, take)
        return
    with st.container(key=f"track-{track.id}"):
        cover, body = st.columns([1, 5], vertical_alignment="top")
        with cover:
            image = media.url_for(track.image)
            if image:
                st.image(image, width=96)
            else:
                st.markdown(":material/album:")
        with body:
            length = duration_text(track.duration)
            st.markdown(f"**{plain(track.title) or 'Untitled'}**"
                        + (f" · {length}" if length else "")
                        + (f" · :orange[{take.label}]" if take else "")
                        + (f" {review_badge(track)}" if track.review else ""))
            st.caption((plain(tags_text(track.tags)) or " ")
                       + (f"  \n{plain(take.differences)}" if take and take.differences else ""))
            qa_flags.line(track.qa, key=f"qa-{track.id}")
            listening.waveform(track, compact=False)
            url = media.player_url(f"track-{track.id}", track.audio)
            if url:
                st.audio(url, format="audio/mpeg")
            else:
                st.caption("Waiting for the first track…")
            _links(track.downloads, f"dl-{track.id}")
            listening.stem_players(track.stems, track.id, compact=False)
            listening.videos(track.downloads, track.id, compact=False)


def review_badge(track: TrackView) -> str:
    """The latest review decision as a coloured badge (Markdown), "" when not reviewed."""
    return badge_markdown(track.review_action, track.review)


def stem_links(stems) -> str:
    """``Stems (4): [Vocals](<url>) · [Drums](<url>)``: each opens the file in a new tab (the
    task's Details page has a player per stem); "" without archived stems."""
    found = [(stem_name(s.kind), url) for s in ordered(stems) if (url := media.url_for(s))]
    if not found:
        return ""
    return (f"{stems_label(len(found))}: "
            + " · ".join(f"[{plain(name)}](<{url}>)" for name, url in found))


def _card_track(track: TrackView, take: TakeNote | None) -> None:
    """The track's Markdown (its cover first) and its player: two children of the track's
    keyed container, laid out by `CARD_CSS` (the cover at the left of both)."""
    with st.container(key=f"track-{track.id}", gap="small"):
        st.markdown(track_markdown(track, take, cover=True))
        url = media.player_url(f"track-{track.id}", track.audio)
        if url:
            st.audio(url, format="audio/mpeg")
        else:
            st.caption("Waiting for the first track…")


def track_markdown(track: TrackView, take: TakeNote | None = None, cover: bool = False) -> str:
    """Everything of a track on a card but its cover and player, as one Markdown: the title
    line (length, take, review badge), tags, how the take differs, the QA line, files, stems
    and video as links, and the waveform as a Markdown image (alt "Waveform of ...", drawn
    low across the column by `CARD_CSS`). No raw HTML: that would make the browser fetch
    Streamlit's HTML-in-Markdown code (~190 KB) before the players. User text goes through
    `plain`."""
    length = duration_text(track.duration)
    lines = [f"**{plain(track.title) or 'Untitled'}**" + (f" · {length}" if length else "")
             + (f" · :orange[{plain(take.label)}]" if take else "")
             + (f" {review_badge(track)}" if track.review else "")]
    tags = plain(tags_text(track.tags))
    if tags:
        lines.append(f":small[:gray[{tags}]]")
    if take and take.differences:
        lines.append(f":small[:gray[{plain(take.differences)}]]")
    if track.qa is not None:
        lines.append(f":small[{qa_flags.line_markdown(track.qa)}]")
    files = " · ".join(x for x in (download_links(track.downloads), stem_links(track.stems))
                       if x)
    if files:
        lines.append(f":small[:material/download: {files}]")
    text = "  \n".join(lines)
    if cover:  # the cover (or a plain placeholder) first: `CARD_CSS` sets it at the left
        image = media.url_for(track.image) or NO_COVER
        text = f"![{plain('Cover of ' + (track.title or 'the track'))}](<{image}>)\n\n" + text
    wave = media.url_for(track.waveform)
    if wave:
        text += f"\n\n![{plain('Waveform of ' + (track.title or 'the track'))}](<{wave}>)"
    return text


#: a track without cover art: a plain square with a note (inline, nothing to fetch)
NO_COVER = ("data:image/svg+xml;utf8,%3Csvg xmlns='http://www.w3.org/2000/svg' "
            "viewBox='0 0 96 96'%3E%3Crect width='96' height='96' rx='8' fill='%23262730'/%3E"
            "%3Ctext x='48' y='62' font-size='40' text-anchor='middle' fill='%23808495'%3E"
            "%E2%99%AA%3C/text%3E%3C/svg%3E")

#: the cards' CSS (in the app's stylesheet, sent with the page shell)
CARD_CSS = styles.CARD_CSS


def is_image(kind: str) -> bool:
    """A task-level picture: cover art (``cover:N``), a media image (``image`` /
    ``image:N``: Qwen-Image, Kling)."""
    return kind == "image" or kind.startswith(("cover:", "image:"))


#: how wide a made video plays on a board card (the task page gives it the column)
CARD_VIDEO_PX = 560


def render_made_videos(view: TaskView, compact: bool = True) -> None:
    """A video task's archived MP4 (DashScope's ``video``), played inline with its sound, and
    how long the provider's link still works."""
    made = [d for d in view.files if d.kind == "video" or d.kind.startswith("video:")]
    if not made:
        return
    listening.videos(made, f"{view.id}-made", compact=False, kinds=("video",),
                     width=CARD_VIDEO_PX if compact else None)
    if not any(d.rel_path for d in made) and view.state == "succeeded":
        st.caption("Archiving the video…")
    note = link_note(view)
    if note:
        st.caption(note)


def render_task_files(view: TaskView, compact: bool = True) -> None:
    """Task-level outputs: files not tied to a track on this card, and text results."""
    render_made_videos(view, compact)
    images = [d for d in view.files if is_image(d.kind) and media.url_for(d)]
    if images:
        st.image([media.url_for(d) for d in images], width=120)
    stems = [d for d in view.files if d.kind.startswith("stem:")]
    others = [d for d in view.files if not d.kind.startswith("stem:")]
    if compact:  # links, one Markdown: no player fetches a file before it is asked for
        files = " · ".join(x for x in (download_links(others), stem_links(stems)) if x)
        if files:
            st.markdown(f":small[:material/download: {files}]")
    else:
        _links(others, f"files-{view.id}")
        listening.stem_players(stems, view.id, compact=False)
        listening.videos(view.files, view.id, compact=False)
    summary = result_summary(view.op, view.result)
    if summary:
        st.caption(summary)
    answer = None if compact else result_text(view.op, view.result)
    if answer:
        st.markdown(answer)
    lyrics_view.task_lyrics(view, compact)
    family = families.FAMILIES.get(ops.get(view.op).family) if view.op in ops.OPERATIONS \
        else None
    made_files = family.result_files(view.result) if family else []
    if compact and made_files:
        # a file made when clicked registers under an id that each board refresh (every few
        # seconds) replaces, so a click that met a refresh would download nothing: the card
        # names the files, the Task page (refreshed only while the task runs) has the buttons
        st.markdown(":small[:material/download: " + " · ".join(m.label for m in made_files)
                    + " on the task's *Details* page]")
        return
    for i, made in enumerate(made_files):
        st.download_button(made.label, made.make, file_name=made.file_name, mime=made.mime,
                           key=f"made-{view.id}-{i}", icon=":material/download:",
                           on_click="ignore")


def render_failure(view: TaskView) -> None:
    if view.failure is None:
        return
    code = f"**Code {view.failure.code}.** " if view.failure.code is not None else ""
    if view.state == "failed":
        st.error(f"{code}{view.failure.text}", icon=":material/error:")
    else:
        st.warning(f"{code}{view.failure.text}", icon=":material/help:")
    if view.failure.credits:
        st.caption(view.failure.credits)


def recipe_title(name: str | None) -> str:
    found = recipes.RECIPES.get(name or "")
    return found.title if found else (name or "recipe")


def recipe_link(view: TaskView) -> None:
    """The recipe run a task is a step of (`lib.recipes`)."""
    page_link("pages/recipes.py", f"Step “{view.recipe_step}” of a {recipe_title(view.recipe)} "
              "run", {"run": view.recipe_run_id}, ":material/account_tree:", "recipes")


def render_task_card(view: TaskView) -> None:
    """One task on the board, keyed by its id: one Markdown for its name, state, request and
    progress, the *Details* link (set at the top right by `styles.CARD_CSS`), then its tracks
    and files."""
    with st.container(key=f"task-{view.id}", border=True):
        model = f" · {view.model_text}" if view.model else ""
        lines = [f"**{plain(view.name)}** {badge(view)} :gray[{view.op_label}{model}]"]
        if view.asked:
            lines.append(plain(view.asked))
        lines.append(":small[:gray[" + plain(f"{view.stage_label} · {view.elapsed} · started "
                                             f"{when(view.created_at)}") + "]]")
        if view.provider_note:
            lines.append(":small[:orange[:material/cloud_off: " + plain(view.provider_note)
                         + "]]")
        if view.recipe_run_id:  # a link in the text: the card's one page link is *Details*
            url = media.page_url("recipes", run=view.recipe_run_id)
            lines.append(f":small[:material/account_tree: [Step “{plain(view.recipe_step)}” of "
                         f"a {plain(recipe_title(view.recipe))} run]({url})]")
        st.markdown("  \n".join(lines))
        # at the card's top right (`styles.CARD_CSS`), beside the head rather than in a row
        # container with it: one element fewer a card
        page_link("pages/task.py", "Details", {"task": view.id}, ":material/open_in_new:",
                  "task")
        render_failure(view)
        notes = take_notes(view)
        for track in view.tracks:
            render_track(track, take=notes.get(track.id))
        render_task_files(view)


def render_transforms(track: TrackView) -> None:
    """One-click links to the Transform page, prefilled with this track."""
    with st.container(horizontal=True, key=f"tx-{track.id}", gap="small"):
        for op in ops.from_track():
            page, path = PAGE_FILES[op.ui.page]
            page_link(page, op.ui.label, transform_params(op.name, track), None, path)


def render_detail(detail: TaskDetail) -> None:
    """The task detail view: summary, tracks with transforms, timeline, request and events."""
    view, task = detail.view, detail.task
    st.subheader(view.name)
    if view.asked:
        st.markdown(plain(view.asked))
    st.markdown(f"{badge(view)} **{view.stage_label}** · {view.op_label}"
                + (f" · {view.model_text}" if view.model else "") + f" · {view.elapsed}")
    cols = st.columns(4 if view.experiment_id or view.recipe_run_id else 3)
    cols[0].caption(f"Local id `{view.id}`")
    cols[1].caption(f"Provider task `{view.provider_task_id or '—'}`")
    cols[2].caption(f"Raw status `{view.raw_status or '—'}` · polls {task['poll_count']}")
    if view.experiment_id:
        with cols[3]:
            page_link("pages/experiments.py", f"Experiment {view.experiment_id[:8]}",
                      {"id": view.experiment_id}, ":material/science:", "experiments")
    elif view.recipe_run_id:
        with cols[3]:
            recipe_link(view)
    st.code(media.page_url("task", task=view.id), language=None)
    render_failure(view)
    notes = listening.take_notes(view, detailed=True)
    for track in view.tracks:
        with st.container(border=True, key=f"detail-{track.id}"):
            render_track(track, compact=False, take=notes.get(track.id))
            if view.state == "succeeded":
                lyrics_view.track_lyrics(track)
                render_transforms(track)
                qa_flags.scorecard(track.id, detail.scorecards.get(track.id))
    render_task_files(view, compact=False)
    qa_flags.media(view.id, detail.media_qa)
    if view.result is not None:
        with st.expander("Result (JSON)"):
            st.json(view.result)
    st.markdown("#### Timeline")
    rows = [{"time": when(m["at"]), "after (s)": m["offset_s"], "what": m["what"]}
            for m in detail.timeline]
    st.dataframe(rows, hide_index=True, width="stretch")
    st.markdown("#### Request")
    st.json(detail.request if detail.request is not None else {}, expanded=True)
    st.markdown(f"#### Events ({len(detail.events)})")
    for e in detail.events:
        status = f" → {e['status_code']}" if e["status_code"] is not None else ""
        title = (f"{when(e['at'])} · {e['kind']} {e['method'] or ''} {e['url'] or ''}{status}"
                 f" {e['note'] or ''}")
        with st.expander(title.strip()):
            if e["headers"]:
                st.caption("Headers (redacted)")
                st.json(e["headers"], expanded=False)
            body = e["body"]
            if isinstance(body, (dict, list)):
                st.json(body)
            else:
                st.code(json.dumps(body) if body is not None else "(no body)", language="json")
