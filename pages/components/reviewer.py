"""The reviewer's name, asked once per browser session (the review controls and the Listen
page share it).

* `known()` - the name: this Streamlit session's, else the one the browser session's cookie
  held when the page connected (a reload, a task opened by its address, a new tab);
* `remember(name)` / `forget()` - a new name (checked by `lib.review.reviewer.check`), or none;
* `keep_in_browser()` - makes the browser's cookie follow: while the name differs from the one
  the page connected with, a hidden `st.html` script asks `POST /api/session/reviewer` (or
  `DELETE`) once per page load (`lib.review.reviewer.sync_script`). The cookie is a session
  cookie: it ends with the browser session.

Session keys: ``reviewer_name`` (the name, "" once forgotten), ``_reviewer_sent``. The hidden
script's container: ``st-key-reviewer-sync-<crc>`` (hidden by the app's stylesheet).
"""

from __future__ import annotations

import zlib

import streamlit as st

from lib.review import reviewer

#: the session key of the name (shared with the Listen page's start form)
REVIEWER = "reviewer_name"
_SENT = "_reviewer_sent"


def known() -> str:
    """The reviewer's name, or "" when this browser session has none (or forgot it)."""
    if REVIEWER not in st.session_state:
        st.session_state[REVIEWER] = reviewer.from_cookies(st.context.cookies) or ""
    return st.session_state[REVIEWER]


def remember(name: str) -> None:
    st.session_state[REVIEWER] = name


def forget() -> None:
    st.session_state[REVIEWER] = ""


def keep_in_browser() -> None:
    """Draw the hidden script that brings the browser's cookie to the current name, when the
    cookie the page connected with says otherwise (or this session already changed it)."""
    wish = known() or None
    if wish == reviewer.from_cookies(st.context.cookies) and not st.session_state.get(_SENT):
        return
    st.session_state[_SENT] = True
    # one container per wish: a new wish is a new element, so its script runs
    with st.container(key=f"reviewer-sync-{zlib.crc32(repr(wish).encode()):08x}"):
        st.html(reviewer.sync_script(wish), unsafe_allow_javascript=True)
