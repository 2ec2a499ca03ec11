"""An operation page: pick one of the page's operations (`lib.ops.on_page`), open a one-click
link (``?op=<op>&track=<audio id>``) once, and render the operation's form.

Session keys: ``"<page>_page.op"`` (the picker), ``"<page>_page.applied_link"``,
``"<page>_page.link_problem"``.
"""

from __future__ import annotations


import streamlit as st

from lib import ops
from lib.views.app_runtime import AppRuntime
from lib.views import submission as sub
from pages.components import forms, sources


def _apply_link(page: str, rt: AppRuntime) -> None:
    """Preselect op + source from the query params (once per distinct link)."""
    op, track = sub.parse_link(st.query_params, page)
    applied = f"{page}_page.applied_link"
    if op is None or (op, track) == st.session_state.get(applied):
        return
    st.session_state[applied] = (op, track)
    st.session_state[f"{page}_page.op"] = op
    problem = sources.apply_link(op, page, rt)
    if problem:
        st.session_state[f"{page}_page.link_problem"] = problem
    else:
        st.session_state.pop(f"{page}_page.link_problem", None)


def _forget_link(page: str) -> None:
    """The user picked another operation: the URL no longer describes the page."""
    for name in ("op", "track"):
        if name in st.query_params:
            del st.query_params[name]
    st.session_state.pop(f"{page}_page.applied_link", None)
    st.session_state.pop(f"{page}_page.link_problem", None)


def _label(by_name: dict[str, ops.Operation], rt: AppRuntime, long: bool):
    dialects = {name: sub.dialect_for(rt, op) for name, op in by_name.items()}

    def label(name: str) -> str:
        op = by_name[name]
        text = op.title if long else op.ui.label
        return text if op.offered(dialects[name]) else f"{text} (not on {dialects[name]})"
    return label


def render(page: str, title: str, rt: AppRuntime, *, compact: bool = True) -> str | None:
    """The page: its picker (a segmented control when ``compact``, else a select box) and the
    chosen operation's panel; returns the chosen operation. Operations the configured provider
    does not offer are not drawn: the page says why in plain words (and returns None when
    none is left); one of an unpublished route shows only once switched on."""
    _apply_link(page, rt)
    st.title(title)
    shown, not_offered = sub.page_operations(rt, page)
    for reason in not_offered:
        st.info(reason, icon=":material/block:")
    if not shown:
        return None
    by_name = {o.name: o for o in shown}
    names = list(by_name)
    key = f"{page}_page.op"
    if st.session_state.get(key) not in names:
        st.session_state.pop(key, None)
    label = _label(by_name, rt, long=not compact)
    if compact:
        op = st.segmented_control("What to make", names, format_func=label, key=key,
                                  default=names[0], required=True, persist_state="session",
                                  on_change=_forget_link, args=(page,)) or names[0]
    else:
        op = st.selectbox("Operation", names, key=key, persist_state="session",
                          format_func=label,
                          on_change=_forget_link, args=(page,))
    if problem := st.session_state.get(f"{page}_page.link_problem"):
        st.warning(problem)
    operation = by_name[op]  # the form gets the Operation itself, looked up once here
    st.subheader(operation.title)
    forms.render_operation(operation, rt)
    return op
