"""Listen: blind A/B sessions.

* ``/listen`` - create a session (two variants of an experiment, or two sets of takes) and
  list the sessions; ``/listen?tracks=<id>,<id>`` (the Library's "Compare blind") pre-fills
  the two sets;
* ``/listen?session=<token>`` - the shareable link: a reviewer enters their name and hears
  every pair (labels hidden), then sees the results with the labels revealed.

Logic lives in `lib.review`; the widgets in `pages/components/ab_*.py`.
"""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from lib.app.runtime import get_runtime
from lib.review import sessions, view
from pages.components import ab_results, ab_setup, ab_trial, media
from pages.components import reviewer as who
from pages.components.board import page_link, plain

rt = get_runtime()
token = st.query_params.get("session")
session = view.find(rt.log, token)


def open_session(new_token: str) -> None:
    st.query_params.clear()
    st.query_params["session"] = new_token
    st.rerun()


if token and session is None:
    st.title("Listen")
    st.error("No blind session matches this link: check that it was copied whole.",
             icon=":material/link_off:")
    if st.button("Back to the sessions", key="ab_back"):
        st.query_params.clear()
        st.rerun()
elif session is None:
    st.title("Listen")
    st.caption("Blind A/B listening: two sets of takes, level-matched, in a random order, "
               "one transport to switch between them at the same position.")
    given = [t for t in (st.query_params.get("tracks") or "").split(",") if t.strip()]
    created = ab_setup.create_form(rt.log, given)
    if created:
        open_session(created)
    listed = view.session_lines(rt.log, limit=50)
    if listed:
        st.subheader("Sessions")
        for line in listed:
            row, people, n_pairs = line.row, line.reviewers, line.pairs
            with st.container(border=True, key=f"ab-session-{row['token']}"):
                cols = st.columns([4, 2, 1], vertical_alignment="center")
                cols[0].markdown(f"**{row['name']}**")
                cols[1].caption(f"{datetime.fromtimestamp(row['created_at']):%Y-%m-%d %H:%M} · "
                                f"{n_pairs} pair{'s' if n_pairs != 1 else ''} · "
                                f"{people} reviewer{'s' if people != 1 else ''}")
                if cols[2].button("Open", key=f"ab-open-{row['token']}"):
                    open_session(row["token"])
else:
    st.title(session["name"])
    link = media.page_url("listen", session=session["token"])
    with st.expander("Share this session", icon=":material/share:"):
        st.caption("Anyone with this link can take part from their own browser.")
        st.code(link, language=None)
    reviewer = ab_trial.reviewer_of(session)
    who.keep_in_browser()  # the name a reviewer joins with is remembered for the browser
    screen = sessions.screen(rt.log, session["id"], reviewer) if reviewer else None
    if screen is None:
        ab_trial.start_form(rt.log, session)
        if st.toggle("Show the results (reveals which take is which)", key="ab_peek"):
            ab_results.results(rt.log, session)
    elif not screen.done:
        ab_trial.trial_screen(rt.log, screen)
    else:
        st.success(f"Thank you, {plain(screen.reviewer)}: you answered all {screen.total} pairs.",
                   icon=":material/check_circle:")
        ab_results.results(rt.log, session)
        # the session is over for this listener: the way back to the (labelled) app appears
        page_link("pages/tasks.py", "Back to Songbench", {}, ":material/home:", "tasks")
