"""Create a blind A/B session: two variants of an experiment, or two sets of takes (e.g. the
rows selected in the Library, passed as ``/listen?tracks=<id>,<id>...``).

Widget keys: ``ab_new_name``, ``ab_new_from`` (radio), ``ab_new_exp``, ``ab_new_x``,
``ab_new_y``, ``ab_new_xs``, ``ab_new_ys``, ``ab_new_pairing``, ``ab_new_cap``,
``ab_new_create`` (button).
"""

from __future__ import annotations

import time

import streamlit as st

from lib.log import TaskLog
from lib.review import pairs, sessions, view

FROM_EXPERIMENT = "Two variants of an experiment"
FROM_TRACKS = "Two sets of takes"


def _name_default() -> str:
    return f"Blind listening {time.strftime('%Y-%m-%d %H:%M')}"


def create_form(log: TaskLog, track_ids: list[str]) -> str | None:
    """The form; returns the new session's token once created."""
    choices = view.experiments_to_compare(log)
    modes = [FROM_EXPERIMENT, FROM_TRACKS]
    start = 1 if track_ids or not choices else 0
    with st.container(border=True, key="ab_new"):
        st.markdown("**New blind session**")
        name = st.text_input("Session name", key="ab_new_name", max_chars=80,
                             placeholder=_name_default(),
                             help="Reviewers see this name: keep the variants out of it.")
        mode = st.radio("Compare", modes, index=start, key="ab_new_from", horizontal=True)
        if mode == FROM_EXPERIMENT:
            picked = _from_experiment(choices)
        else:
            picked = _from_tracks(log, track_ids)
        cols = st.columns(2)
        pairing = cols[0].selectbox("Pairs", list(pairs.PAIRINGS), key="ab_new_pairing",
                                    format_func=pairs.PAIRINGS.get)
        cap = cols[1].number_input("At most this many pairs per reviewer", 1, pairs.MAX_PAIRS,
                                   pairs.DEFAULT_PAIRS, key="ab_new_cap")
        if not st.button("Create session", key="ab_new_create", type="primary",
                         icon=":material/headphones:"):
            return None
    if picked is None:
        return None
    x_label, xs, y_label, ys, source = picked
    problem = _problem(xs, ys)
    if problem:
        st.error(problem, icon=":material/block:")
        return None
    with st.spinner("Measuring the loudness of every take…"):
        sid = sessions.create(log, name=name.strip() or _name_default(), x_label=x_label,
                              xs=xs, y_label=y_label, ys=ys, pairing=pairing, cap=int(cap),
                              source=source,
                              measure=view.loudness_from_scorecards(log, [*xs, *ys]))
    session = log.get_ab_session(sid)
    return session["token"] if session else None


def _problem(xs: list[sessions.Take], ys: list[sessions.Take]) -> str | None:
    if not xs or not ys:
        return "Each side needs at least one take with its audio archived."
    if {t.track_id for t in xs} & {t.track_id for t in ys}:
        return "A take cannot be on both sides: take it out of one of them."
    return None


Picked = tuple[str, list[sessions.Take], str, list[sessions.Take], dict]


def _from_experiment(choices: list[view.Comparable]) -> Picked | None:
    if not choices:
        st.info("No experiment has two variants with archived takes yet. Run one on the "
                "Experiments page, or compare two sets of takes.")
        return None
    by_id = {c.experiment["id"]: c for c in choices}
    exp_id = st.selectbox("Experiment", list(by_id), key="ab_new_exp",
                          format_func=lambda i: by_id[i].experiment["name"])
    chosen = by_id[exp_id]
    variants = list(chosen.sets)
    cols = st.columns(2)
    x = cols[0].selectbox("First variant", variants, index=0, key="ab_new_x")
    y = cols[1].selectbox("Second variant", variants, index=1, key="ab_new_y")
    st.caption(f"{x}: {len(chosen.sets[x])} takes · {y}: {len(chosen.sets[y])} takes")
    if x == y:
        st.error("Pick two different variants.", icon=":material/block:")
        return None
    return (x, chosen.sets[x], y, chosen.sets[y],
            {"kind": "experiment", "experiment_id": exp_id, "x": x, "y": y})


def _from_tracks(log: TaskLog, track_ids: list[str]) -> Picked | None:
    labels = view.archived_takes(log, track_ids)
    if not labels:
        st.info("No take has its audio archived yet.")
        return None
    given = [t for t in track_ids if t in labels]
    half = (len(given) + 1) // 2
    cols = st.columns(2)
    x_label = cols[0].text_input("First set's name", "First set", key="ab_new_xname",
                                 max_chars=40)
    xs = cols[0].multiselect("First set", list(labels), default=given[:half], key="ab_new_xs",
                             format_func=labels.get, placeholder="Choose takes")
    y_label = cols[1].text_input("Second set's name", "Second set", key="ab_new_yname",
                                 max_chars=40)
    ys = cols[1].multiselect("Second set", list(labels), default=given[half:],
                             key="ab_new_ys", format_func=labels.get,
                             placeholder="Choose takes")
    x_label, y_label = x_label.strip() or "First set", y_label.strip() or "Second set"
    if x_label == y_label:
        st.error("Give the two sets different names.", icon=":material/block:")
        return None
    return (x_label, sessions.track_set(log, xs), y_label, sessions.track_set(log, ys),
            {"kind": "tracks", "x": list(xs), "y": list(ys)})
