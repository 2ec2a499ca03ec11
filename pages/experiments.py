"""Experiments: grids of request variants, queued at the provider's limit, compared side by side.

``/experiments`` lists them and holds the "New experiment" form; ``?id=<id>`` opens one (its
results grid, ``&view=summary`` its summaries); ``?clone=<id>`` opens the form filled from one.
UI only: the logic is `lib.experiments`.
"""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from lib import ops
from lib.app.runtime import get_runtime
from lib.experiments import service
from pages.components import experiment_results, experiment_setup
from pages.components.board import page_link

rt = get_runtime()


def _list(rows: list) -> None:
    st.subheader("Your experiments")
    for exp in rows:
        with st.container(border=True, key=f"exp-{exp['id']}"):
            left, right = st.columns([5, 1], vertical_alignment="center")
            counts = service.cell_counts(rt.log, exp["id"])
            sent = counts.get("sent", 0)
            total = sum(counts.values())
            left.markdown(f"**{exp['name']}** "
                          f"{experiment_results.STATUS_BADGES.get(exp['status'], exp['status'])}"
                          f" :gray[{ops.get(exp['op']).title}]")
            left.caption(f"{sent} of {total} calls sent · started "
                         f"{datetime.fromtimestamp(exp['created_at']):%Y-%m-%d %H:%M}"
                         + (f" · {exp['notes']}" if exp.get("notes") else ""))
            with right:
                page_link("pages/experiments.py", "Open", {"id": exp["id"]},
                          ":material/open_in_new:", "experiments")


experiment_id = st.query_params.get("id")
clone_id = st.query_params.get("clone")
if experiment_id:
    experiment_results.render(rt, experiment_id)
else:
    st.title("Experiments")
    st.caption("Try variants of a request (style × lyrics × model × persona × any field) and "
               "compare the takes side by side, or a grid of image, video or text prompts and "
               "compare what they made. The queue sends them at each provider's limit and "
               "keeps going after a restart.")
    cloning = None
    if clone_id:
        cloning = service.find(rt.log, clone_id)
        if cloning is None:
            st.error(f"No experiment has the id “{clone_id}” to clone.")
        else:
            experiment_setup.prefill_clone(service.setup_of(cloning), cloning["id"])
    rows = service.recent(rt.log, limit=100)
    # come back to your experiments first; the form opens by itself for the first one or a clone
    with st.expander("New experiment", expanded=not rows or cloning is not None,
                     icon=":material/add:"):
        new_id = experiment_setup.render(rt)
    if new_id:
        st.query_params.clear()
        st.query_params["id"] = new_id
        st.rerun()
    if rows:
        _list(rows)
    else:
        st.info("No experiments yet: fill in the form above and run one.")
