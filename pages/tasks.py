"""Tasks: the live board of recent tasks; ``?task=<id>`` forwards to that task's detail page
(`pages/task.py`).

Widgets (filters, paging) live outside the refreshing fragment so a tick never resets them;
the fragment only reads the log and redraws cards keyed by task id (see
`pages/components/board.py` for the DOM contract). Toasts announce tasks that finished since
the previous tick.
"""

from __future__ import annotations

import math
from datetime import datetime

import streamlit as st
from streamlit.errors import StreamlitAPIException

from lib import ops
from lib.app.runtime import get_runtime
from lib.views import board, board_live
from lib.views.words import plural
from pages.components import media, recipe_run, task_detail
from pages.components.board import plain, render_task_card

PAGE_SIZE = 10
_WATCH = "_board_watch"
_FULL_RUN = "_board_full_run"
_SLOTS = "_board_slots"

rt = get_runtime()
media.reset_pins()  # a full run: players may pick up archived copies; ticks keep their URLs


def open_detail(ref: str) -> None:
    """``/tasks?task=<id>``: the task's own page (so *Tasks* in the sidebar leads back to the
    board); shown here when this page runs outside the app's navigation (tests)."""
    try:
        st.switch_page(task_detail.PAGE, query_params={"task": ref})
    except StreamlitAPIException:
        task_detail.show(rt, ref)


def orphan_callbacks() -> None:
    """Deliveries that named no task of ours: kept, and shown here for support."""
    rows = board.orphan_callbacks(rt.log, limit=20)
    if not rows:
        return
    with st.expander(f"Callbacks that named no task of ours ({len(rows)} most recent)"):
        st.caption("A provider (or someone who knows the callback URL) sent these; they changed "
                   "nothing. A task whose create answer was lost is linked by its callback "
                   "automatically, so these are usually tasks of another app or test.")
        st.dataframe([{"time": datetime.fromtimestamp(e["at"]).strftime("%Y-%m-%d %H:%M:%S"),
                       "what": e["note"]} for e in rows], hide_index=True, width="stretch")


def show_board() -> None:
    st.title("Tasks")  # the list's and cards' CSS: `lib.views.styles`, in the page shell
    # The filters and pages sit above the list but are drawn after it (their values are in
    # the session state before the run), so a first visit sends the cards first and the
    # browser fetches the players' code before the filters' (see `draw_controls`).
    controls = st.container(key="board-controls")
    states = list(st.session_state.get("board_state") or [])
    chosen_ops = list(st.session_state.get("board_op") or [])
    search = str(st.session_state.get("board_q") or "")
    total = board.count(rt.log, state=states, op=chosen_ops, text=search)
    pages = max(1, math.ceil(total / PAGE_SIZE))
    page = min(max(1, int(st.session_state.get("board_page") or 1)), pages)
    filters = {"state": states or None, "op": chosen_ops or None, "text": search or None}
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
            st.toast(plain(toast.text), icon=toast.icon)
        recipe_run.active_runs(rt)
        st.caption(f"**{data.running}** running · {plural(data.total, 'task')}"
                   + (" (filtered)" if states or chosen_ops or search else "")
                   + f" · refreshes every {board.REFRESH_SECONDS:g} s · export "
                   + export_links(states, chosen_ops, search))
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
    with controls:
        draw_controls(chosen_ops, pages)
    orphan_callbacks()


def export_links(states: list[str], chosen_ops: list[str], search: str) -> str:
    """Markdown links to the export route with the board's filters (made when clicked)."""
    query = board.export_query(states, chosen_ops, search)
    return " · ".join(f"[{fmt.upper()}]({media.origin()}/api/export/tasks.{fmt}"
                      + (f"?{query}" if query else "") + ")" for fmt in ("csv", "json"))


def draw_controls(chosen_ops: list[str], pages: int) -> None:
    """The state and operation filters and the page picker (their values were read from the
    session state before the list was drawn)."""
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    left.pills("State", list(board.STATE_LABELS), selection_mode="multi",
               format_func=board.STATE_LABELS.get, key="board_state")
    # in a popover: its list is drawn only when opened, so a first visit does not fetch the
    # multiselect's JS chunks (~150 KB) before the players
    search = str(st.session_state.get("board_q") or "").strip()
    label = board.ops_filter_label(chosen_ops) + (f" · “{search[:20]}”" if search else "")
    with right.popover(label, icon=":material/filter_list:"):
        st.multiselect("Operation", list(ops.OPERATIONS), format_func=board.op_label,
                       key="board_op", placeholder="All operations")
        st.text_input("Search titles and prompts", key="board_q",
                      placeholder="e.g. lemonade", help="Full-text search over every task's "
                      "title and prompt (a text task's question, a recipe's brief).")
    if pages > 1:
        st.pagination(pages, key="board_page", max_visible_pages=7)


task_param = st.query_params.get("task")
if task_param:
    open_detail(task_param)
else:
    show_board()
