"""A blind session's results, labels revealed: win chance per set with its 95% interval
(Bradley-Terry + bootstrap), counts, agreement between reviewers (Krippendorff's alpha, in
words), a bar chart with error bars, the reviewers' table and the takes' table."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from lib.log import ABSessionRow, TaskLog
from lib.review import sessions, view


@st.cache_data(ttl=5, show_spinner=False)
def _outcome(db: str, session_id: str, answered: int) -> sessions.Outcome | None:
    from lib.app.runtime import get_runtime

    log = get_runtime().log
    session = log.get_ab_session(session_id)
    if session is None:
        return None
    return sessions.outcome(log, session_id, take_labels=view.take_labels(log, session))


def _chart(rows: list[dict]) -> alt.LayerChart:
    frame = pd.DataFrame(rows)
    base = alt.Chart(frame).encode(x=alt.X("set:N", title=None, sort=None,
                                           axis=alt.Axis(labelAngle=0)))
    bars = base.mark_bar(size=48).encode(
        y=alt.Y("win chance:Q", title="Chance to be preferred",
                scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
        tooltip=[alt.Tooltip("set:N"), alt.Tooltip("win chance:Q", format=".0%"),
                 alt.Tooltip("low (95%):Q", format=".0%"),
                 alt.Tooltip("high (95%):Q", format=".0%")])
    errors = base.mark_errorbar(ticks=True, color="black").encode(
        y=alt.Y("low (95%):Q", title=""), y2="high (95%):Q")
    half = alt.Chart(pd.DataFrame({"y": [0.5]})).mark_rule(strokeDash=[4, 4],
                                                            color="gray").encode(y="y:Q")
    return (bars + errors + half).properties(height=260)


def results(log: TaskLog, session: ABSessionRow) -> None:
    answered = sum(1 for t in log.ab_trials(session["id"]) if t["choice"] is not None)
    out = _outcome(log.location, session["id"], answered)
    if out is None:
        st.error("This session no longer exists.")
        return
    with st.container(key="ab_results"):
        st.subheader("Results")
        if not out.answered:
            st.info("No answers yet: share the link and come back when reviewers have "
                    "listened.")
            return
        st.markdown(f"Compared: **{out.sets[0].label}** against **{out.sets[1].label}**.")
        st.markdown(f"**{view.verdict(out)}**")
        st.caption(f"{out.answered} answers from {len(out.reviewers)} "
                   f"reviewer{'s' if len(out.reviewers) != 1 else ''} over {out.pairs} pairs. "
                   "The chance is a Bradley-Terry fit, the interval a bootstrap (95%); "
                   "“no preference” counts as half a win each.")
        rows = view.set_rows(out)
        left, right = st.columns([3, 2])
        left.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", column_config={
            "win chance": st.column_config.NumberColumn(format="percent"),
            "low (95%)": st.column_config.NumberColumn(format="percent"),
            "high (95%)": st.column_config.NumberColumn(format="percent")})
        left.markdown(view.alpha_words(out.agreement))
        right.altair_chart(_chart(rows), width="stretch")
        st.markdown("##### Reviewers")
        st.dataframe(pd.DataFrame(view.reviewer_rows(log, out)), hide_index=True,
                     width="stretch")
        st.markdown("##### Takes")
        st.dataframe(pd.DataFrame(view.take_rows(out)), hide_index=True, width="stretch",
                     column_config={"win chance": st.column_config.NumberColumn(
                         format="percent")})
