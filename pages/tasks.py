"""Tasks: the live board of recent tasks, and the detail view of one task (`?task=<id>`).

Widgets (filters, paging) live outside the refreshing fragment so a tick never resets them;
the fragment only reads the log and redraws cards keyed by task id (see
`pages/components/board.py` for the DOM contract). Toasts announce tasks that finished since
the previous tick.
"""

from __future__ import annotations

import math
from datetime import datetime

import streamlit as st

from lib import ops
from lib.app.runtime import get_runtime
from lib.tracking import unknown
from lib.views import board, board_detail, board_live
from pages.components import media
from pages.components.board import page_link, render_detail, render_task_card

PAGE_SIZE = 10
_WATCH = "_board_watch"
_FULL_RUN = "_board_full_run"
_SLOTS = "_board_slots"
#: Rows are rendered oldest first and shown reversed, so new tasks are appended and never
#: push a playing row to another position (a moved row is remounted and stops playing).
REVERSED_LIST_CSS = ("<style>.st-key-board-list{flex-direction:column-reverse !important;}"
                     "</style>")

rt = get_runtime()
media.reset_pins()  # a full run: players may pick up archived copies; ticks keep their URLs


def show_detail(task_id: str) -> None:
    page_link("pages/tasks.py", "All tasks", {}, ":material/arrow_back:", "tasks")
    detail = board_detail.task_detail(rt.log, task_id, assets_dir=rt.assets_dir)
    if detail is None:
        st.error(f"No task with id `{task_id}` in the log.")
        return
    live = not detail.view.terminal and detail.view.state != "unknown"

    @st.fragment(run_every=board.REFRESH_SECONDS if live else None)
    def panel() -> None:
        fresh = board_detail.task_detail(rt.log, task_id, assets_dir=rt.assets_dir)
        render_detail(fresh)

    done = st.session_state.pop(f"resolved-{task_id}", None)
    if done is not None:
        (st.success if done.ok else st.error)(done.message)
    panel()
    if detail.view.state == "unknown":
        ways_out(task_id)


def _resolve(kind: str, task_id: str) -> None:
    """Button callbacks: link by the pasted provider id, or mark as not created."""
    if kind == "link":
        done = unknown.link_by_hand(rt.log, rt.client, task_id,
                                    st.session_state.get(f"link-{task_id}", ""))
    else:
        done = unknown.mark_not_created(rt.log, task_id)
    st.session_state[f"resolved-{task_id}"] = done


def ways_out(task_id: str) -> None:
    """An unknown task may be a paid job: link it to the provider's task, or say it was not
    made (the duplicate guard then stops counting it)."""
    with st.container(border=True, key=f"ways-out-{task_id}"):
        st.markdown("**Resolve this task**")
        st.caption("If the provider made the job (look in its dashboard or history), paste its "
                   "task id: it is checked with the provider, then followed like any task. A "
                   "callback from the provider links it on its own.")
        left, right = st.columns([3, 1], vertical_alignment="bottom")
        left.text_input("Provider task id", key=f"link-{task_id}",
                        placeholder="e.g. 5c79be8e…")
        right.button("Link", key=f"link-btn-{task_id}", on_click=_resolve,
                     args=("link", task_id), icon=":material/link:")
        st.button("Mark as not created", key=f"not-created-{task_id}", on_click=_resolve,
                  args=("not_created", task_id), icon=":material/block:",
                  help="Only if you know the provider made no job for this request.")


def orphan_callbacks() -> None:
    """Deliveries that named no task of ours: kept, and shown here for support."""
    rows = rt.log.orphan_callbacks(limit=20)
    if not rows:
        return
    with st.expander(f"Callbacks that named no task of ours ({len(rows)} most recent)"):
        st.caption("A provider (or someone who knows the callback URL) sent these; they changed "
                   "nothing. A task whose create answer was lost is linked by its callback "
                   "automatically, so these are usually tasks of another app or test.")
        st.dataframe([{"time": datetime.fromtimestamp(e["at"]).strftime("%Y-%m-%d %H:%M:%S"),
                       "what": e["note"]} for e in rows], hide_index=True, width="stretch")


def show_board() -> None:
    st.title("Tasks")
    st.html(REVERSED_LIST_CSS)
    left, right = st.columns([3, 2])
    states = left.pills("State", list(board.STATE_LABELS), selection_mode="multi",
                        format_func=board.STATE_LABELS.get, key="board_state")
    chosen_ops = right.multiselect("Operation", list(ops.OPERATIONS), format_func=board.op_label,
                                   key="board_op", placeholder="All operations")
    total = rt.log.count_tasks(state=states or None, op=chosen_ops or None)
    pages = max(1, math.ceil(total / PAGE_SIZE))
    page = 1
    if pages > 1:
        page = st.pagination(pages, key="board_page", max_visible_pages=7)
    filters = {"state": states or None, "op": chosen_ops or None}
    st.session_state[_FULL_RUN] = True

    @st.fragment(run_every=board.REFRESH_SECONDS)
    def panel() -> None:
        # on a full run the count above is fresh: reuse it; a tick counts again
        full = st.session_state.pop(_FULL_RUN, False)
        known = total if full else None
        data = board.board_page(rt.log, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE,
                                assets_dir=rt.assets_dir, total=known, **filters)
        toasts, st.session_state[_WATCH] = board_live.finished_toasts(
            rt.log, st.session_state.get(_WATCH))
        for toast in toasts:
            st.toast(toast.text, icon=toast.icon)
        st.caption(f"**{data.running}** running · {data.total} tasks"
                   + (" (filtered)" if states or chosen_ops else "")
                   + f" · refreshes every {board.REFRESH_SECONDS:g} s")
        slots = board_live.stable_slots(None if full else st.session_state.get(_SLOTS),
                                   [v.id for v in data.tasks], accept_new=page == 1)
        st.session_state[_SLOTS] = slots
        views = {v.id: v for v in data.tasks}
        views.update(board.views_for(rt.log, [i for i in slots if i not in views],
                                     rt.assets_dir))
        with st.container(key="board-list"):  # shown reversed: newest on top
            for task_id in slots:
                if task_id in views:
                    render_task_card(views[task_id])
        if not slots:
            st.info("No tasks yet. Submit one from **Generate** or **Transform**.")

    panel()
    orphan_callbacks()


task_param = st.query_params.get("task")
if task_param:
    show_detail(task_param)
else:
    show_board()
