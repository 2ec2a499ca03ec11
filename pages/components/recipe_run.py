"""One recipe run as a pipeline: each step with its state, its task's card (players, images,
videos), its retry button when it failed and its choice when it asks. Refreshes by itself
while the run goes on. UI only: `lib.recipes`."""

from __future__ import annotations

import json
from datetime import datetime

import streamlit as st

from lib.recipes import progress
from lib.views import board
from lib.app.runtime import Runtime as AppRuntime
from pages.components.board import page_link, plain, render_task_card

REFRESH_S = 2.0
STATE_BADGES = {
    "waiting": ":gray-badge[waiting]", "ready": ":blue-badge[starting]",
    "blocked": ":gray-badge[blocked]", "choose": ":orange-badge[your choice]",
    "sending": ":blue-badge[sending]", "running": ":blue-badge[running]",
    "succeeded": ":green-badge[done]", "failed": ":red-badge[failed]",
    "unknown": ":orange-badge[unknown]", "cancelled": ":gray-badge[cancelled]",
}
RUN_BADGES = {"running": ":blue-badge[running]", "succeeded": ":green-badge[done]",
              "failed": ":red-badge[a step failed]", "cancelled": ":gray-badge[cancelled]"}


def _retry(rt: AppRuntime, view: progress.RunView, sv: progress.StepView) -> None:
    p = f"recipe.{view.run['id']}.{sv.step.name}"
    if sv.state == "unknown":
        sure = st.checkbox("The provider may have this task (its answer was lost): a retry "
                           "may be paid twice. Retry anyway.", key=f"{p}.sure")
    else:
        sure = True
    if st.button(f"Retry {sv.step.title.lower()}", key=f"{p}.retry", icon=":material/replay:",
                 disabled=not sure,
                 help="Sends this step again, alone: the steps that succeeded are not sent or "
                      "paid again."):
        if rt.recipes.retry(view.run["id"], sv.step.name):
            st.rerun()
        st.error("This step cannot be retried now.")


def _choose(rt: AppRuntime, view: progress.RunView, sv: progress.StepView) -> None:
    p = f"recipe.{view.run['id']}.{sv.step.name}"
    labels = {value: label for value, label in sv.options}
    picked = st.radio(sv.note or "Choose", list(labels), format_func=labels.get,
                      key=f"{p}.choice")
    if st.button("Use this one", key=f"{p}.use", icon=":material/check:", type="primary"):
        if rt.recipes.choose(view.run["id"], sv.step.name, picked):
            st.rerun()
        st.error("That choice is no longer open.")


def _step(rt: AppRuntime, view: progress.RunView, sv: progress.StepView,
          cards: dict[str, board.TaskView]) -> None:
    with st.container(border=True, key=f"recipe-step-{sv.step.name}"):
        after = f" · after {', '.join(sv.step.after)}" if sv.step.after else ""
        head = (f"**{plain(sv.step.title)}** {STATE_BADGES.get(sv.state, sv.state)} "
                f":gray[{plain(sv.step.op)}{after} · {plain(progress.cost_text(sv.step.op))}]")
        if sv.row["attempt"] > 1:
            head += f" :gray[· attempt {sv.row['attempt']}]"
        st.markdown(head)
        task = cards.get(sv.row["task_id"] or "")
        failed_task = task is not None and task.failure is not None and not sv.row["error"]
        if sv.note and sv.state != "choose" and not failed_task:  # its card says why
            (st.error if sv.state in progress.BAD else st.caption)(plain(sv.note))
        if sv.state == "choose":
            _choose(rt, view, sv)
        if sv.output is not None and sv.output.fields:
            with st.expander("The draft", expanded=False):
                for name, value in sv.output.fields.items():
                    st.markdown(f"**{plain(name)}**")
                    st.text(value)
        if task is not None:
            task.recipe_run_id = None  # this page is the run: no link back to it on the card
            render_task_card(task)
        if sv.tried:
            st.caption("Earlier attempts: " + ", ".join(t[:8] for t in sv.tried))
            for old in sv.tried:
                page_link("pages/task.py", f"Attempt task {old[:8]}", {"task": old},
                          ":material/history:", "task")
        if sv.retryable:
            _retry(rt, view, sv)


def render(rt: AppRuntime, run_id: str) -> None:
    view = progress.load(rt.log, run_id)
    if view is None:
        st.error(f"No recipe run has the id “{run_id}”.")
        page_link("pages/recipes.py", "All recipe runs", {}, ":material/arrow_back:", "recipes")
        return
    st.title(view.recipe.title)
    st.caption(plain(view.recipe.summary))
    page_link("pages/recipes.py", "All recipe runs", {}, ":material/arrow_back:", "recipes")
    st.markdown(f"**Brief:** {plain(view.run['brief'] or '')}")
    st.download_button("Export the run (JSON)", key="recipe.export",
                       data=json.dumps(progress.describe(view), indent=2, default=str),
                       file_name=f"recipe-{view.recipe.name}-{run_id[:8]}.json",
                       mime="application/json", icon=":material/download:")

    @st.fragment(run_every=REFRESH_S)
    def pipeline() -> None:
        fresh = progress.load(rt.log, run_id)
        assert fresh is not None
        started = datetime.fromtimestamp(fresh.run["created_at"])
        st.markdown(f"{RUN_BADGES.get(fresh.status, fresh.status)} "
                    f"{board.elapsed_text(fresh.wall_s)} · started {started:%H:%M:%S} · "
                    f"steps at the provider {board.elapsed_text(fresh.provider_sum_s)}")
        ids = [s.row["task_id"] for s in fresh.steps if s.row["task_id"]]
        cards = board.views_for(rt.log, [i for i in ids if i], rt.assets_dir)
        for sv in fresh.steps:
            _step(rt, fresh, sv, cards)

    pipeline()


def active_runs(rt: AppRuntime, limit: int = 5) -> None:
    """The recipe runs still going, one line each with their progress (the Tasks board)."""
    for view in progress.recent(rt.log, limit, status="running"):
        counts = view.counts()
        moving = [s.step.title.lower() for s in view.steps if s.state in progress.MOVING]
        asks = [s.step.title.lower() for s in view.steps if s.state == "choose"]
        with st.container(key=f"board-recipe-{view.run['id']}", horizontal=True,
                          vertical_alignment="center"):
            st.markdown(f":material/account_tree: **{plain(view.recipe.title)}** "
                        f"{counts.get('succeeded', 0)} of {len(view.steps)} steps done"
                        + (f" · running {', '.join(moving)}" if moving else "")
                        + (f" · :orange[your choice: {', '.join(asks)}]" if asks else ""),
                        width="content")
            page_link("pages/recipes.py", "Open the run", {"run": view.run["id"]},
                      ":material/open_in_new:", "recipes")
