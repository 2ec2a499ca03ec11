"""The text model picker: a select box of the text server's models (``GET /models`` through
`lib.views.text_helper`, cached) with a button that asks the server again. Never a hard-coded
list: when the server cannot be asked, its error is shown in plain words."""

from __future__ import annotations

from typing import Any

import streamlit as st

from lib.views import text_helper
from lib.views.app_runtime import AppRuntime

_REFRESH = "text_models.refresh"


def _ask_again() -> None:
    st.session_state[_REFRESH] = True


def select(rt: AppRuntime, key: str, *, label: str = "Text model", help: str | None = None,
           persist: bool = True) -> str | None:
    """The chosen model id (None when the server's list cannot be had: the reason is shown)."""
    refresh = bool(st.session_state.pop(_REFRESH, False))
    ids, problem = text_helper.models(rt, refresh=refresh)
    current = st.session_state.get(key)
    if current is not None and current not in ids:
        st.session_state.pop(key, None)  # a model the server no longer lists
    pick, again = st.columns([6, 1], vertical_alignment="bottom")
    with again:
        st.button("", key=f"{key}.refresh", icon=":material/refresh:", on_click=_ask_again,
                  help="Ask the text server for its models again (the list is kept for "
                       "5 minutes).")
    with pick:
        extra: dict[str, Any] = {"persist_state": "session"} if persist else {}
        choice = st.selectbox(label, ids, key=key, help=help or "A model of the text "
                              "server's list (GET /models).", disabled=not ids,
                              placeholder="no models" if not ids else None, **extra)
    if problem:
        st.error(f"Could not get the text server's models: {problem}",
                 icon=":material/cloud_off:")
    return choice or None
