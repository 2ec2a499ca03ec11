"""One reviewer's blind trials: their name, then each pair with one transport (the A/B player,
`lib.review.player`), a preference, an optional reason, and the next pair.

Nothing that tells the takes apart is on screen: no title, variant, label or id; the audio
comes from `/api/blind/<session token>/<trial token>/<a|b>`.

Widget keys: ``ab_reviewer`` (name), ``ab_start``; per trial ``ab_choice_<n>``,
``ab_reason_<n>`` and ``ab_next`` (n is the pair's number for this reviewer).
"""

from __future__ import annotations

import streamlit as st
import streamlit.components.v1 as components

from lib.log import ABSessionRow, TaskLog
from lib.review import player, reviewer, sessions
from pages.components import media
from pages.components import reviewer as who
from pages.components.board import plain

CHOICES = {"Prefer A": "a", "No preference": "none", "Prefer B": "b"}


def joined_key(session: ABSessionRow) -> str:
    return f"ab_joined_{session['id']}"


def reviewer_of(session: ABSessionRow) -> str | None:
    """The name this browser joined the session with, if any."""
    return st.session_state.get(joined_key(session))


def start_form(log: TaskLog, session: ABSessionRow) -> None:
    """Ask the reviewer's name, then join the session."""
    st.markdown("Listen to each pair, switch between **A** and **B** as often as you like, "
                "and say which one you prefer. The takes are level-matched and their names "
                "stay hidden until you finish.")
    if "ab_reviewer" not in st.session_state and who.known():
        st.session_state["ab_reviewer"] = who.known()
    with st.form("ab_join", border=True):
        name = st.text_input("Your name", key="ab_reviewer", max_chars=sessions.MAX_NAME,
                             help="Shown beside your answers in the results.")
        go = st.form_submit_button("Start listening", type="primary",
                                   icon=":material/play_arrow:")
    if not go:
        return
    if not (name or "").strip():
        st.error("Enter your name to start: it is kept with your answers.",
                 icon=":material/person:")
        return
    try:
        name = reviewer.check(name)
    except reviewer.BadName as exc:
        st.error(str(exc), icon=":material/person:")
        return
    sessions.join(log, session["id"], name)
    who.remember(name)
    st.session_state[joined_key(session)] = name
    st.rerun()


def trial_screen(log: TaskLog, screen: sessions.Screen) -> None:
    """The reviewer's next pair."""
    trial = screen.trial
    assert trial is not None
    session = screen.session
    n = screen.number
    st.progress(screen.answered / max(1, screen.total), text=f"Pair {n} of {screen.total}")
    a_url = media.origin() + sessions.audio_path(session["token"], trial["token"], "a")
    b_url = media.origin() + sessions.audio_path(session["token"], trial["token"], "b")
    components.html(player.player_html(a_url, b_url, trial["a_gain_db"], trial["b_gain_db"]),
                    height=player.HEIGHT)
    choice = st.segmented_control("Which do you prefer?", list(CHOICES), key=f"ab_choice_{n}")
    reason = st.text_input("Why? (optional)", key=f"ab_reason_{n}", max_chars=500,
                           placeholder="e.g. clearer vocals, the drums are too loud")
    last = n == screen.total
    if st.button("Finish" if last else "Next pair", key="ab_next", type="primary",
                 icon=":material/done_all:" if last else ":material/arrow_forward:"):
        if not choice:
            st.error("Choose “Prefer A”, “Prefer B” or “No preference” before going on.",
                     icon=":material/touch_app:")
            return
        sessions.answer(log, trial["id"], CHOICES[choice], reason)
        st.rerun()
    st.caption(f"Listening as {plain(screen.reviewer)}.")
