"""Review on screen: approve, reject or flag a take with a reason, moderation notes, history.

* `task_reviews(rt, task_id)` - in the task detail: one panel per take (its latest decision
  as a badge, the controls and the history);
* `bulk(log, track_ids)` - in the Library: one decision for the selected takes;
* `badge(track_id)` - the latest decision beside a take, as a badge ("✔ approved"...; the
  board reads its badges in one batch: `TrackView.review`, `review_badge`).

The reviewer's name is asked once per browser session and remembered until the browser
closes, across reloads and tasks opened by their address (`pages.components.reviewer`: a
session cookie; shared with the Listen page); *Forget* (or emptying the field) asks again.
Decisions go through `lib.review.decisions.decide` (which says what is missing).

Widget keys: ``review_name`` (the name) and ``review_name_forget``, per take ``review-<track>``
(form) with ``review-action-<track>`` and ``review-reason-<track>``; ``review-bulk`` for the
Library.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from lib.views.app_runtime import AppRuntime
from lib.log import TaskLog
from lib.review import decisions, reviewer, view
from pages.components import reviewer as who
from pages.components.review_badge import badge_markdown

ACTIONS = {"Approve": "approve", "Reject": "reject", "Flag": "flag", "Add a note": "note"}
_DONE = "_review_done"
_NAME_ERROR = "_review_name_error"


def _remember() -> None:
    typed = st.session_state.get("review_name") or ""
    if not typed.strip():
        who.forget()
        return
    try:
        who.remember(reviewer.check(typed))
    except reviewer.BadName as exc:
        st.session_state[_NAME_ERROR] = str(exc)


def _forget() -> None:
    who.forget()
    st.session_state["review_name"] = ""


def reviewer_name() -> str:
    """The reviewer's name, asked once per browser session (then shown, ready to change)."""
    name = who.known()
    if "review_name" not in st.session_state and name:
        st.session_state["review_name"] = name
    field, forget, _ = st.columns([4, 1, 5], vertical_alignment="bottom")
    field.text_input("Your name (kept with your decisions)", key="review_name",
                     max_chars=reviewer.MAX_NAME, on_change=_remember, placeholder="e.g. Ana",
                     help="Remembered in this browser until you close it.")
    if name:
        forget.button("Forget", key="review_name_forget", on_click=_forget, type="tertiary",
                      icon=":material/person_remove:",
                      help="Forget the name in this browser: the next decision asks again.")
    problem = st.session_state.pop(_NAME_ERROR, None)
    if problem:
        st.error(problem, icon=":material/person:")
    who.keep_in_browser()
    return name


def _decide(log: TaskLog, track_ids: Sequence[str], action: str | None, reason: str,
            name: str) -> None:
    if action is None:
        st.error("Choose Approve, Reject, Flag or Add a note.", icon=":material/touch_app:")
        return
    try:
        for tid in track_ids:
            decisions.decide(log, tid, ACTIONS[action], reviewer=name, reason=reason)
    except decisions.ReviewRefused as exc:
        st.error(str(exc), icon=":material/block:")
        return
    who.remember(name)
    n = len(track_ids)
    st.session_state[_DONE] = (f"{decisions.STATUS_WORDS.get(ACTIONS[action], 'Note added')}"
                               f"{'' if n == 1 else f' ({n} takes)'}.")
    st.rerun()


def _flash() -> None:
    done = st.session_state.pop(_DONE, None)
    if done:
        st.success(done, icon=":material/check:")


def _controls(key: str) -> tuple[str | None, str, bool]:
    left, mid, right = st.columns([4, 5, 1], vertical_alignment="bottom")
    action = left.segmented_control("Decision", list(ACTIONS), key=f"{key}-action")
    reason = mid.text_input("Reason (required to reject, flag or add a note)",
                            key=f"{key}-reason", max_chars=300)
    return action, reason, right.form_submit_button("Save", type="primary")




def _badge_md(log: TaskLog, track_id: str) -> str:
    row = log.latest_reviews([track_id]).get(track_id)
    return badge_markdown(row["action"], view.badge(row)) if row else ""


def take_panel(log: TaskLog, track_id: str, title: str, name: str) -> None:
    """One take: its badge, the decision form and its history."""
    st.markdown(f"**{title}** " + (_badge_md(log, track_id) or ":gray[not reviewed yet]"))
    with st.form(f"review-{track_id}", clear_on_submit=True, border=False):
        action, reason, go = _controls(f"review-{track_id}")
    if go:
        _decide(log, [track_id], action, reason, name)
    history = view.history_rows(log, track_id)
    if history:
        with st.expander(f"History ({len(history)})", icon=":material/history:"):
            st.dataframe(history, hide_index=True, width="stretch")


def task_reviews(rt: AppRuntime, task_id: str) -> None:
    """The review panel of a task's takes (the task detail calls this once)."""
    tracks = view.takes_of(rt.log, task_id)
    if not tracks:
        return
    with st.container(border=True, key=f"reviews-{task_id}"):
        st.markdown("#### Review")
        st.caption("Approve, reject or flag each take with a reason; only approved takes reach "
                   "demo mode. Notes are kept in the history and change no decision.")
        _flash()
        name = reviewer_name()
        for track in tracks:
            take_panel(rt.log, track["id"], view.track_label(dict(track)), name)


def bulk(log: TaskLog, track_ids: Sequence[str]) -> None:
    """One decision for several selected takes (the Library)."""
    with st.container(border=True, key="review-bulk-box"):
        st.markdown(f"**Review the {len(track_ids)} selected take"
                    f"{'s' if len(track_ids) != 1 else ''}**")
        _flash()
        name = reviewer_name()
        with st.form("review-bulk", clear_on_submit=True, border=False):
            action, reason, go = _controls("review-bulk")
        if go:
            _decide(log, list(track_ids), action, reason, name)


def badge(track_id: str) -> None:
    """The latest decision on a take, as a small badge (nothing when not reviewed)."""
    from lib.app.runtime import get_runtime

    mark = _badge_md(get_runtime().log, track_id)
    if mark:
        st.markdown(mark)
