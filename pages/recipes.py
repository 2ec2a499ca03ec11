"""Recipes: route sequences for common product experiences (brief -> lyrics -> song + cover
-> promo video, ...), each step a task of its own.

``/recipes`` lists the recipes and the runs and holds the form (the plan and every step's cost
shown before anything is sent); ``?run=<id>`` opens one run's pipeline. UI only: the logic is
`lib.recipes`.
"""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from lib import recipes
from lib.app.runtime import get_runtime
from lib.recipes import progress
from lib.recipes.runner import PlanRefused
from lib.recipes.steps import Param, Recipe
from pages.components import recipe_run
from pages.components.board import page_link, plain

rt = get_runtime()


def _param(recipe: Recipe, p: Param) -> object:
    key = f"recipes.{recipe.name}.{p.name}"
    if p.choices:
        options = list(p.choices)
        return st.selectbox(p.label, options, index=options.index(p.default), key=key,
                            help=p.help or None)
    if isinstance(p.default, bool):
        return st.checkbox(p.label, value=p.default, key=key, help=p.help or None)
    if isinstance(p.default, int):
        return st.number_input(p.label, value=p.default, step=1, key=key, help=p.help or None)
    if "\n" in str(p.default):
        return st.text_area(p.label, value=p.default, key=key, help=p.help or None)
    return st.text_input(p.label, value=p.default, key=key, help=p.help or None)


def _form() -> None:
    # the promo clip first: it chains all three families
    names = sorted(recipes.RECIPES, key=lambda n: (n != "promo_clip", n))
    name = st.selectbox("Recipe", names, format_func=lambda n: recipes.get(n).title,
                        key="recipes.name")
    recipe = recipes.get(name)
    st.caption(plain(recipe.summary))
    brief = st.text_area(recipe.brief_label, key=f"recipes.{name}.brief",
                         max_chars=recipe.brief_max, placeholder="e.g. a lemonade brand for hot "
                         "summer days, upbeat and sunny")
    given = {}
    if recipe.params:
        with st.expander("Settings", expanded=False):
            for p in recipe.params:
                given[p.name] = _param(recipe, p)
    checked = rt.recipes.check(name, brief or "", given)
    st.markdown("**What it sends** (each step is a task of its own):")
    st.dataframe([{"step": s.title, "operation": s.op_title, "after": ", ".join(s.after) or "-",
                   "gives": s.gives, "cost": s.cost} for s in checked.steps],
                 hide_index=True, width="stretch")
    st.markdown(f"**Cost:** {plain(checked.cost_line())}")
    if brief:
        for problem in checked.problems:
            st.error(plain(problem), icon=":material/error:")
    else:
        st.caption(f"Write the brief ({plain(recipe.brief_label.lower())}) to start.")
    if st.button("Start the run", type="primary", key="recipes.start",
                 icon=":material/play_arrow:", disabled=not checked.ok):
        try:
            run_id = rt.recipes.start(name, brief or "", given)
        except PlanRefused as exc:
            for problem in exc.plan.problems:
                st.error(plain(problem))
            return
        st.query_params.clear()
        st.query_params["run"] = run_id
        st.rerun()


def _runs() -> None:
    views = progress.recent(rt.log, limit=30)
    if not views:
        return
    st.subheader("Runs")
    for view in views:
        run = view.run
        with st.container(border=True, key=f"recipe-run-{run['id']}"):
            left, right = st.columns([5, 1], vertical_alignment="center")
            counts = view.counts()
            left.markdown(f"**{plain(view.recipe.title)}** "
                          f"{recipe_run.RUN_BADGES.get(view.status, view.status)} "
                          f":gray[{plain((run['brief'] or '')[:80])}]")
            left.caption(f"{counts.get('succeeded', 0)} of {len(view.steps)} steps done · "
                         f"started {datetime.fromtimestamp(run['created_at']):%Y-%m-%d %H:%M}"
                         + (f" · {plain(run['error'])}" if run["error"] else ""))
            with right:
                page_link("pages/recipes.py", "Open", {"run": run["id"]},
                          ":material/open_in_new:", "recipes")


run_id = st.query_params.get("run")
if run_id:
    recipe_run.render(rt, run_id)
else:
    st.title("Recipes")
    st.caption("Route sequences for common product experiences: text, media and music calls "
               "chained, each step its own task with its own errors. A failed step is retried "
               "alone; nothing that succeeded is paid again.")
    with st.expander("New run", expanded=True):
        _form()
    _runs()
