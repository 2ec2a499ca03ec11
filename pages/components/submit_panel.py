"""The right-hand request preview and the submit area of an operation panel.

* `render_request`: the exact JSON body, the route, the headers (``Authorization: Bearer ***``),
  the estimated credit cost and the balance (`lib.views.balance`: the sidebar's reading, kept
  current by `pages.components.balance`; drawn after the submit, so it counts it).
* `render_submit`: the submit button (key ``"<op>.submit"``), the duplicate-submit confirmation
  (``"<op>.confirm"`` / ``"<op>.cancel"``) and the last outcome (``st-key-outcome-<op>``): the
  submitted task live under the form, its words and stage re-read from the log and, as soon as
  the first stream is there, its players (the board's card, `pages.components.board`). The
  panel refreshes with the board while the task runs and stops once it is final (a full run
  then shows the result line and the follow-ups).
"""

from __future__ import annotations

import json
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitAPIException

from lib import ops
from lib.contract.operation import Operation
from lib.contract.prepare import Prepared
from lib.provider.credits import Credits
from lib.views.app_runtime import AppRuntime
from lib.views.words import as_written
from lib.provider.redaction import mask_callback_secret
from lib.views import balance as credit_balance
from lib.views import board
from lib.views import submission as sub
from pages.components import balance
from pages.components.board import render_task_card
from pages.components.form_state import set_values


def render_request(op: Operation, prepared: Prepared, rt: AppRuntime) -> None:
    """What will be sent, and what it costs."""
    line = sub.request_line(op, rt, prepared.body)
    with st.container(key=f"request-{op.name}", border=True):
        st.markdown("**What will be sent**")
        st.caption(f"`{line['method']} {line['url']}`")
        st.caption("Headers: " + " · ".join(f"`{k}: {v}`" for k, v in line["headers"].items()))
        st.code(mask_callback_secret(json.dumps(line["body"], indent=2, ensure_ascii=False)),
                language="json",
                wrap_lines=True)
        if "callBackUrl" in prepared.body and not rt.settings.public_url:
            st.caption("No public URL is configured: the callback URL is a placeholder and "
                       "results arrive by polling.")
        balance.live(rt, lambda reading: _cost_line(op, reading), provider=op.provider)


def _cost_line(op: Operation, reading: Credits | None) -> None:
    shown = credit_balance.value_text(reading)
    if op.provider != "music":  # not paid in music credits
        tail = ("it has no balance route" if shown == credit_balance.NO_ROUTE_TEXT
                else f"balance **{shown}**")
        st.markdown(f"Cost: billed by the provider ({op.provider}), not in music credits; "
                    f"{tail}")
        return
    cost = op.credits_estimate
    st.markdown(f"Cost: about **{cost}** credits (estimate) · balance **{shown}**")
    if credit_balance.too_low(reading, cost):
        st.warning("The balance looks too low for this request.")


def task_link(task_id: str, label: str = "Open this task") -> None:
    """A link to the task's detail page (``/task?task=<local id>``)."""
    try:
        st.page_link("pages/task.py", label=label, icon=":material/open_in_new:",
                     query_params={"task": task_id})
    except StreamlitAPIException:  # the page runs outside the app's navigation (tests)
        st.markdown(f"[{label}](/task?task={task_id})")


def _follow(target: str, values: dict) -> None:
    """A follow-up: fill the target operation's form and open it on its page."""
    set_values(target, values)
    page = ops.get(target).ui.page
    st.session_state[f"{page}_page.op"] = target


def _outcome_notice(outcome: sub.Outcome) -> None:
    if outcome.kind == "ok":
        st.success(outcome.message, icon=":material/check_circle:")
    elif outcome.kind == "failed":
        st.error(outcome.message, icon=":material/error:")
    else:
        st.warning(outcome.message, icon=":material/help:")


def render_outcome(op: Operation, outcome: sub.Outcome, rt: AppRuntime) -> None:
    """The last submit's result (success, explained failure or unknown outcome) and the task
    live: its card (stage, then players; its *Details* link), refreshed while the task runs."""
    outcome = sub.current_outcome(rt.log, outcome)
    live = sub.still_running(outcome)

    @st.fragment(run_every=board.REFRESH_SECONDS if live else None)
    def panel() -> None:
        now = sub.current_outcome(rt.log, outcome) if live else outcome
        with st.container(key=f"outcome-{op.name}"):
            _outcome_notice(now)
            view = None if now.kind == "failed" else \
                board.views_for(rt.log, [now.task_id], rt.assets_dir).get(now.task_id)
            if view is not None:
                render_task_card(view)
            else:  # refused: the notice says why; the task's page has its events
                task_link(now.task_id)
        if live and not sub.still_running(now):
            st.rerun()  # final: a full run stops the refresh and shows the follow-ups

    panel()
    line = sub.describe_result(op, outcome.result) if outcome.ok else None
    if line:
        st.info(line)
    for i, (label, target, values) in enumerate(
            sub.follow_ups(op, outcome.result) if outcome.ok else []):
        st.button(label, key=f"{op.name}.use_result" + (f".{i}" if i else ""), on_click=_follow,
                  args=(target, values))


def _mark_attempt(op: str) -> None:
    st.session_state[f"{op}.attempted"] = True


def _confirm(op: str, fingerprint: str) -> None:
    st.session_state[f"{op}.force"] = fingerprint
    st.session_state.pop(f"{op}.pending", None)


def _cancel(op: str) -> None:
    st.session_state.pop(f"{op}.pending", None)


def _send(op: str, rt: Any, prepared: Prepared) -> None:
    with st.spinner("Sending…"):
        outcome = sub.submit(rt.tracker, op, prepared.body)
    credit_balance.spent()  # every balance on the page is read after this request
    st.session_state[f"{op}.outcome"] = outcome
    st.session_state[f"{op}.attempted"] = False
    st.session_state.pop(f"{op}.pending", None)


def render_submit(op: Operation, rt: Any, prepared: Prepared, leftover: list[str]) -> None:
    """The submit button and everything that follows a click."""
    name = op.name
    fingerprint = json.dumps([name, prepared.body], sort_keys=True, default=str)
    forced = st.session_state.pop(f"{name}.force", None) == fingerprint
    clicked = st.button(op.ui.submit, key=f"{name}.submit", type="primary",
                        on_click=_mark_attempt, args=(name,), icon=":material/send:")
    if clicked or forced:
        if not prepared.ok:
            n = len(prepared.errors)
            st.error(f"Nothing was sent: fix the {n} problem{'s' if n > 1 else ''} marked "
                     "above.", icon=":material/block:")
            for message in leftover:
                st.error(as_written(message))
        elif not forced and (dup := sub.recent_duplicate(rt.log, name, prepared.body)):
            st.session_state[f"{name}.pending"] = (fingerprint, dup["id"],
                                                   sub.duplicate_warning(dup))
        else:
            _send(name, rt, prepared)
    pending = st.session_state.get(f"{name}.pending")
    if pending and pending[0] != fingerprint:
        st.session_state.pop(f"{name}.pending", None)  # the request changed: no longer a repeat
    elif pending:
        with st.container(key=f"duplicate-{name}"):
            st.warning(pending[2], icon=":material/content_copy:")
            left, right = st.columns(2)
            left.button("Send again", key=f"{name}.confirm", on_click=_confirm,
                        args=(name, fingerprint))
            right.button("Cancel", key=f"{name}.cancel", on_click=_cancel, args=(name,))
    outcome = st.session_state.get(f"{name}.outcome")
    if outcome is not None:
        render_outcome(op, outcome, rt)
