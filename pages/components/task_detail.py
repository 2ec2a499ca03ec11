"""The detail view of one task, opened by any id the user sees (`pages/task.py`).

``?task=`` may hold the local id, the 8 characters the app's messages show (any unique prefix
of at least 6) or the provider task id (`lib.views.board_detail.lookup_task`); once found, the
address names the task by its local id, so a reload or a shared link opens the same task.
An ambiguous or unknown id says so and lists the tasks it may mean.
"""

from __future__ import annotations

import streamlit as st

from lib.views.app_runtime import AppRuntime
from lib.log import TaskRow
from lib.tracking import unknown
from lib.views import board, board_detail
from lib.views.board import op_label
from pages.components import review_controls
from pages.components.board import page_link, render_detail, when

PAGE = "pages/task.py"
PATH = "task"


def task_link(task: TaskRow) -> None:
    """A link to one task's detail, labelled with its short id, name and operation."""
    name = task["title"] or (task["prompt"] or "").split("\n")[0][:60] or op_label(task["op"])
    page_link(PAGE, f"{task['id'][:8]} · {name} · {op_label(task['op'])} · "
              f"{when(task['created_at'])}", {"task": task["id"]}, ":material/open_in_new:",
              PATH)


def show(rt: AppRuntime, ref: str) -> None:
    """The detail of the task ``ref`` names, or why there is none."""
    page_link("pages/tasks.py", "All tasks", {}, ":material/arrow_back:", "tasks")
    found = board_detail.lookup_task(rt.log, ref)
    if found.task is None:
        (st.warning if found.matches else st.error)(found.message or "No such task.")
        for task in found.matches:
            task_link(task)
        return
    task_id = found.task["id"]
    if st.query_params.get("task") != task_id:  # the address names the task by its local id
        st.query_params["task"] = task_id
    detail = board_detail.task_detail(rt.log, task_id, assets_dir=rt.assets_dir)
    if detail is None:
        st.error(f"No task has the id “{ref}”.")
        return
    live = not detail.view.terminal and detail.view.state != "unknown"

    @st.fragment(run_every=board.REFRESH_SECONDS if live else None)
    def panel() -> None:
        fresh = board_detail.task_detail(rt.log, task_id, assets_dir=rt.assets_dir)
        if fresh is not None:
            render_detail(fresh)

    done = st.session_state.pop(f"resolved-{task_id}", None)
    if done is not None:
        (st.success if done.ok else st.error)(done.message)
    panel()
    review_controls.task_reviews(rt, task_id)
    if detail.view.state == "unknown":
        ways_out(rt, task_id)


def _resolve(rt: AppRuntime, kind: str, task_id: str) -> None:
    """Button callbacks: link by the pasted provider id, or mark as not created."""
    if kind == "link":
        done = unknown.link_by_hand(rt.log, rt.tracker.providers, task_id,
                                    st.session_state.get(f"link-{task_id}", ""))
    else:
        done = unknown.mark_not_created(rt.log, task_id)
    st.session_state[f"resolved-{task_id}"] = done


def ways_out(rt: AppRuntime, task_id: str) -> None:
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
                     args=(rt, "link", task_id), icon=":material/link:")
        st.button("Mark as not created", key=f"not-created-{task_id}", on_click=_resolve,
                  args=(rt, "not_created", task_id), icon=":material/block:",
                  help="Only if you know the provider made no job for this request.")
