"""One experiment (``/experiments?id=<id>``): its controls, progress per variant, the results
grid (variants as columns, repeats as rows; ``view=grid``) and the summaries (``view=summary``).

The grid refreshes itself every few seconds while anything is queued or running. A cell of an
image, video or text experiment shows what it made: its pictures inline, its videos with a
player, its text answer as text. Logic: `lib.experiments.results` and `.service`.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

from lib import ops
from lib.app import experiment_files
from lib.views.app_runtime import AppRuntime
from lib.experiments import results, service
from lib.experiments.grid import billed_by, value_label
from lib.log import ExperimentRow, TaskLog
from pages.components import media, qa_flags
from pages.components.board import page_link

REFRESH_S = 2.0
COLUMNS_PER_ROW = 4
STATUS_BADGES = {"running": ":blue-badge[Running]", "paused": ":orange-badge[Paused]",
                 "cancelled": ":gray-badge[Cancelled]", "done": ":green-badge[All sent]"}
STATE_BADGES = {"queued": ":gray-badge[Queued]", "sending": ":gray-badge[Sending]",
                "cancelled": ":gray-badge[Cancelled]", "pending": ":blue-badge[Pending]",
                "processing": ":blue-badge[Processing]",
                "succeeded": ":green-badge[Succeeded]", "failed": ":red-badge[Failed]",
                "unknown": ":orange-badge[Unknown outcome]"}
VIEWS = {"grid": "Results grid", "summary": "Summary"}


def _when(ts: float) -> str:
    return datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M")


#: the results page's files: label, `experiment_files` file, icon, help
EXPORTS = (
    ("Export CSV", "results.csv", ":material/download:", None),
    ("Export JSON", "results.json", ":material/download:", None),
    ("Report (HTML)", "report.html", ":material/description:",
     "One file that opens offline: players, covers, parameters, ratings, costs and notes"),
    ("Report (zip)", "report.zip", ":material/folder_zip:",
     "The report beside its audio files (lighter for long tracks)"),
)


def _controls(rt: AppRuntime, exp: ExperimentRow) -> None:
    """Pause, resume and cancel: inside the refreshing fragment (they follow the status). The
    row is there (empty) when there is nothing to pause either, so the grid below keeps its
    place in the page when a run ends (a moved element is redrawn)."""
    status = exp["status"]
    with st.container(horizontal=True, key="exp-controls", gap="small"):
        if status == "running" and st.button("Pause", icon=":material/pause:",
                                              key="exp.pause"):
            service.pause(rt.log, exp["id"])
            st.rerun()
        if status == "paused" and st.button("Resume", icon=":material/play_arrow:",
                                             key="exp.resume"):
            service.resume(rt.log, exp["id"])
            st.rerun()
        if status in ("running", "paused") and st.button("Cancel what is queued",
                                                          icon=":material/cancel:",
                                                          key="exp.cancel"):
            service.cancel(rt.log, exp["id"])
            st.rerun()


def _exports(rt: AppRuntime, exp_id: str) -> None:
    """Clone, exports and reports. Each file is made from fresh results when its link is
    followed (`lib.app.experiment_files`; the report embeds the audio, so not on every
    refresh), and sent by a route of ours: a `st.download_button` made on click could lose
    its file to the page's refreshes and download nothing."""
    with st.container(horizontal=True, key="exp-exports", gap="small"):
        page_link("pages/experiments.py", "Clone with changes", {"clone": exp_id},
                  ":material/content_copy:", "experiments")
        for label, file, icon, help_text in EXPORTS:
            st.link_button(label, media.origin() + experiment_files.url(exp_id, file),
                           icon=icon, help=help_text)


def _progress(res: results.Results) -> None:
    rows = [{"variant": v, **res.progress(v)} for v in res.variants]
    frame = pd.DataFrame(rows)
    frame = frame.loc[:, (frame != 0).any(axis=0)]  # hide all-zero columns
    total = len(res.cells)
    finished = sum(1 for c in res.cells.values()
                   if c.state in ("succeeded", "failed", "unknown", "cancelled"))
    st.progress(finished / total if total else 1.0,
                text=f"{finished} of {total} cells finished")
    st.dataframe(frame, hide_index=True, width="stretch", key="exp-progress")


def _rerun(rt: AppRuntime, exp_id: str, variant: str, index: int) -> None:
    with st.popover("Re-run", icon=":material/replay:"):
        n = st.number_input("More repeats", min_value=1, max_value=20, value=1,
                            key=f"exp.rerun{index}.n")
        if st.button("Queue them", key=f"exp.rerun{index}.go", type="primary"):
            service.rerun_variant(rt.log, exp_id, variant, int(n))
            st.rerun()


def _variant_head(rt: AppRuntime, res: results.Results, variant: str, index: int) -> None:
    with st.container(key=f"variant-{index}"):
        st.markdown(f"**{variant}**")
        varied = res.varied.get(variant) or {}
        st.caption(" · ".join(f"{k}: {value_label(val)}" for k, val in varied.items())
                   or "the base request")
        p = res.progress(variant)
        st.caption(" · ".join(f"{n} {k}" for k, n in p.items() if n))
        _rerun(rt, res.experiment["id"], variant, index)


def _latency_text(cell: results.Cell) -> str:
    stages = results.shown_stages(cell.task["op"]) if cell.task else results.STAGES
    parts = [f"{results.STAGE_WORDS[s]} {cell.latencies[s]:g} s" for s in stages
             if cell.latencies.get(s) is not None]
    return " → ".join(parts)


def _save_rating(log: TaskLog, track_id: str, key: str) -> None:
    stars = st.session_state.get(key)
    log.set_rating(track_id, None if stars is None else int(stars) + 1)


def _rating(log: TaskLog, track_id: str, rating: int | None) -> None:
    """Stars (1-5) for a take; 4 or more makes it usable in the summaries."""
    key = f"rate-{track_id}"
    st.feedback("stars", key=key, default=rating - 1 if rating else None,
                on_change=_save_rating, args=(log, track_id, key))


#: how wide a cell's picture is drawn (the column is a quarter of the page)
IMAGE_PX = 260


def _made(cell: results.Cell, key: str) -> None:
    """An image, video or text cell's outputs: pictures inline, videos playing, the answer."""
    made = cell.outputs
    urls = [u for d in made.images if (u := media.player_url(f"{key}-{d.kind}", d))]
    if urls:
        st.image(urls, width=IMAGE_PX)
    for item in made.videos:
        url = media.player_url(f"{key}-{item.kind}", item)
        if url:
            st.video(url, format="video/mp4")
    if made.videos and not any(d.rel_path for d in made.videos) and cell.state == "succeeded":
        st.caption("Archiving the video…")
    if made.answer is not None:
        with st.container(key=f"{key}-answer", border=False):
            st.markdown(made.answer or ":gray[(an empty answer)]")


def _cell(log: TaskLog, cell: results.Cell | None, key: str, billed: str | None = None) -> None:
    with st.container(border=True, key=key):
        if cell is None:
            st.caption("—")
            return
        st.markdown(f"{STATE_BADGES.get(cell.state, cell.state)} :gray[repeat {cell.repeat}]")
        if cell.task is not None:
            line = _latency_text(cell)
            cost = f"{cell.credits} credits" if billed is None else f"billed by {billed}"
            st.caption((line + " · " if line else "") + cost)
        view = cell.view
        if view is not None and view.failure is not None:
            st.caption(f":red[{view.failure.text}]")
        for track in view.tracks if view else []:
            url = media.player_url(f"exp-{track.id}", track.audio)
            st.markdown(track.title or "Untitled")
            qa_flags.line(track.qa, key=f"exp-qa-{track.id}")
            if url:
                st.audio(url, format="audio/mpeg")
            if view is not None and view.state == "succeeded":
                _rating(log, track.id, track.rating)
        if view is not None and not view.tracks and view.failure is None:
            _made(cell, key)
        if cell.task is not None:
            page_link("pages/task.py", "Details", {"task": cell.task["id"]},
                      ":material/open_in_new:", "task")


def _grid(rt: AppRuntime, res: results.Results) -> None:
    billed = billed_by(res.experiment["op"])
    for start in range(0, len(res.variants), COLUMNS_PER_ROW):
        chunk = res.variants[start:start + COLUMNS_PER_ROW]
        heads = st.columns(COLUMNS_PER_ROW)
        for i, variant in enumerate(chunk):
            with heads[i]:
                _variant_head(rt, res, variant, start + i)
        for repeat in res.repeats:
            cols = st.columns(COLUMNS_PER_ROW)
            for i, variant in enumerate(chunk):
                with cols[i]:
                    _cell(rt.log, res.cells.get((variant, repeat)),
                          f"cell-{start + i}-{repeat}", billed)


def _bars(data: pd.DataFrame, columns: list[str], **kwargs: object) -> None:
    st.bar_chart(data[columns].astype(float), horizontal=True, sort=False,
                 height=max(160, 36 * len(data) + 60), **kwargs)  # type: ignore[arg-type]


def _charts(frame: pd.DataFrame, index: str, billed: str | None = None) -> None:
    data = frame.set_index(index)
    left, right = st.columns(2)
    if billed is not None:  # images, videos, text: no music credits, no rated takes
        with left:
            st.markdown("Success rate")
            _bars(data.fillna({"success rate": 0}), ["success rate"])
        with right:
            st.markdown("Median seconds to complete")
            _bars(data, ["median s to complete"])
            st.caption(f"These calls are billed by {billed}, not in music credits.")
        return
    with left:
        st.markdown("Success rate")
        _bars(data.fillna({"success rate": 0}), ["success rate"])
        st.markdown("Credits per usable take (rated 4 or more)")
        if data["credits per usable take"].notna().any():
            _bars(data, ["credits per usable take"])
        else:
            st.caption("No usable take yet: rate the takes in the results grid (4 stars or "
                       "more marks a take usable).")
    with right:
        st.markdown("Median seconds to first audio and to complete")
        _bars(data, ["median s to first audio", "median s to complete"], stack=False)
        st.markdown("Credits spent")
        _bars(data, ["credits"])


def _summary(res: results.Results) -> None:
    by_variant = results.variant_summary(res)
    st.markdown("#### Per variant")
    st.dataframe(by_variant, hide_index=True, width="stretch", key="exp-summary")
    if len(by_variant):
        _charts(by_variant, "variant", billed_by(res.experiment["op"]))
    by_model = results.model_summary(res)
    st.markdown("#### Per model")
    st.dataframe(by_model, hide_index=True, width="stretch", key="exp-models")


def render(rt: AppRuntime, experiment_id: str) -> None:
    found = service.find(rt.log, experiment_id)
    if found is None:
        st.title("Experiments")
        st.error(f"No experiment has the id “{experiment_id}”.", icon=":material/search_off:")
        page_link("pages/experiments.py", "All experiments", {}, ":material/arrow_back:",
                  "experiments")
        return
    exp_id = found["id"]
    page_link("pages/experiments.py", "All experiments", {}, ":material/arrow_back:",
              "experiments")
    st.title(found["name"])
    if found.get("notes"):
        st.caption(found["notes"])
    media.reset_pins()
    view = st.query_params.get("view", "grid")
    if "exp.view" not in st.session_state:
        st.session_state["exp.view"] = view if view in VIEWS else "grid"
    _exports(rt, exp_id)

    @st.fragment(run_every=REFRESH_S)
    def live() -> None:
        exp = service.get(rt.log, exp_id) or found
        res = results.results(rt.log, exp_id, rt.assets_dir)
        st.markdown(f"{STATUS_BADGES.get(exp['status'], exp['status'])} "
                    f"{ops.get(exp['op']).title} · started {_when(exp['created_at'])} · "
                    f"id `{exp_id[:8]}`")
        chosen = st.segmented_control("View", list(VIEWS), format_func=VIEWS.get,
                                      required=True, key="exp.view") or "grid"
        if chosen != st.query_params.get("view"):
            st.query_params["view"] = chosen  # the view has its own URL
        _controls(rt, exp)
        _progress(res)
        if chosen == "summary":
            _summary(res)
        else:
            _grid(rt, res)

    live()
