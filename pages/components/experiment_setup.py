"""The "New experiment" form: name and notes, the operation and its base request (the
operation's own form, shared with its page's draft), the grid (typed axes or a CSV sheet),
repeats, and a preview of the calls, credits and time before a confirmation sends it.

Session keys start with ``exp.``. Logic: `lib.experiments.grid` and `.service`.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from lib import ops
from lib.views.app_runtime import AppRuntime
from lib.experiments import grid, service
from lib.views import balance as credit_balance
from lib.views import submission as sub
from pages.components import forms, sources

MAX_AXES = 4
MAX_ERRORS_SHOWN = 25
_AXES = "exp.axes"          # list of axis slot numbers shown
_CONFIRM = "exp.confirm"    # the plan fingerprint awaiting confirmation
_CLONED = "exp.cloned"      # the experiment id a clone was prefilled from


def prefill_clone(setup: service.Setup, experiment_id: str) -> None:
    """Fill the form from an experiment (once per clone link)."""
    if st.session_state.get(_CLONED) == experiment_id:
        return
    st.session_state[_CLONED] = experiment_id
    st.session_state["exp.name"] = setup.name
    st.session_state["exp.notes"] = setup.notes
    st.session_state["exp.op"] = setup.op
    st.session_state["exp.repeats"] = setup.repeats
    forms.set_values(setup.op, setup.base)
    if setup.variants is not None:
        st.session_state["exp.mode"] = "sheet"
        st.session_state["exp.sheet_text"] = grid.to_csv(setup.op, setup.variants,
                                                         setup.repeats)
    else:
        st.session_state["exp.mode"] = "axes"
        st.session_state[_AXES] = list(range(max(1, len(setup.axes))))
        for i, axis in enumerate(setup.axes):
            st.session_state[f"exp.axis{i}.field"] = axis.field
            st.session_state[f"exp.axis{i}.values"] = "\n".join(
                grid.cell_text(v).replace("\n", "\\n") for v in axis.values)


def _field_label(op: str):
    spec = ops.get(op)

    def label(name: str) -> str:
        return f"{spec.field(name).label} ({name})"
    return label


def _typed_axes(op: str) -> tuple[list[grid.Variant], list[grid.GridError], list[grid.Axis]]:
    slots = st.session_state.setdefault(_AXES, [0])
    names = [f.name for f in grid.grid_fields(op)]
    axes, errors = [], []
    for slot in list(slots):
        left, right, drop = st.container(key=f"exp-axis{slot}").columns(
            [2, 4, 1], vertical_alignment="top")
        k = f"exp.axis{slot}.field"
        if st.session_state.get(k) not in names:
            st.session_state[k] = next((n for n in ("style", "prompt") if n in names), names[0])
        name = left.selectbox("Field", names, key=k, format_func=_field_label(op))
        text = right.text_area("Values, one per line", key=f"exp.axis{slot}.values",
                               height=110, placeholder="e.g.\nindie rock, warm\njazz, brushed "
                                                       "drums\nsynthwave, 120 bpm")
        if drop.button("Remove", key=f"exp.axis{slot}.drop", icon=":material/close:",
                       disabled=len(slots) == 1):
            slots.remove(slot)
            st.rerun()
        if not (text or "").strip():
            continue
        axis, problems = grid.parse_axis(op, name, text)
        errors += problems
        if axis is not None and axis.values:
            axes.append(axis)
    if len(slots) < MAX_AXES and st.button("Add an axis", icon=":material/add:",
                                           key="exp.add_axis"):
        slots.append(max(slots) + 1)
        st.rerun()
    return grid.expand(axes), errors, axes


def _sheet(op: str) -> tuple[list[grid.Variant], list[grid.GridError]]:
    upload = st.file_uploader("CSV sheet", type=["csv"], key="exp.sheet",
                              help="Columns: the operation's request field names, plus "
                                   "`variant` (a name) and `repeats`. One row per variant.")
    if upload is not None:
        st.session_state["exp.sheet_text"] = upload.getvalue().decode("utf-8", "replace")
    text = st.session_state.get("exp.sheet_text")
    example = grid.to_csv(op, grid.example_variants(op), 2)
    st.download_button("Download a template", example, file_name=f"{op}-grid.csv",
                       mime="text/csv", icon=":material/download:", on_click="ignore",
                       key="exp.template")
    if not text:
        st.caption("Upload a sheet to see its variants.")
        return [], []
    return grid.parse_csv(op, text)


def _show_plan(plan: grid.Plan, rt: AppRuntime, fresh: bool = False) -> bool:
    """Calls, credits, time and refusals (``fresh``: nothing typed yet, so a hint instead of
    the refusals); True when it can be sent."""
    ahead = service.queued_ahead(rt.log)
    balance = credit_balance.current(rt)  # the sidebar's reading
    known = balance is not None and balance.value is not None
    billed = plan.billed_by
    pace = grid.pace_of(plan.op)
    a, b, c = st.columns(3)
    a.metric("Calls", plan.calls, help=f"{len(plan.variants)} variants × repeats")
    if billed is None:
        b.metric("Credits (estimate)", plan.credits,
                 help=f"{ops.get(plan.op).credits_estimate} per call")
    else:  # another provider's operation: it bills the calls, music credits are not spent
        b.metric("Cost", "Billed by provider", help=plan.cost_text.capitalize())
    c.metric("Time to send",
             grid.duration_text(grid.send_seconds(plan.calls, ahead, plan.op)),
             help=f"{'The provider allows' if billed is None else 'Sent at'} {pace.words}"
                  + (f"; {ahead} calls are queued ahead" if ahead else ""))
    if billed is not None:
        st.caption(f"{ops.get(plan.op).title} is {plan.cost_text}; it goes out at its own "
                   f"limit ({pace.words}), not the music provider's.")
    else:
        st.caption(f"Balance: **{balance.value:,}** credits" if known and balance
                   else "Balance: unknown (the credit call did not answer)")
    if plan.errors and fresh:
        st.caption("Fill in the base request and the grid: what must change before anything "
                   "is sent shows here as you type.")
        return False
    if plan.errors:
        with st.container(key="exp-refusals"):
            st.error(f"**{len(plan.errors)} problem(s) must be fixed before anything is "
                     "sent:**\n\n" + "\n".join(f"- {e}" for e in
                                               plan.errors[:MAX_ERRORS_SHOWN])
                     + (f"\n- … and {len(plan.errors) - MAX_ERRORS_SHOWN} more"
                        if len(plan.errors) > MAX_ERRORS_SHOWN else ""),
                     icon=":material/error:")
        return False
    if (billed is None and known and balance and balance.value is not None
            and balance.value < plan.credits):
        st.warning(f"The balance ({balance.value:,}) is below the estimate ({plan.credits:,}):"
                   " the provider will refuse the calls it cannot pay for (code 429).",
                   icon=":material/warning:")
    return plan.ok


def render(rt: AppRuntime) -> str | None:
    """The form; returns the new experiment's id once the user confirmed and it was queued."""
    names = grid.experiment_ops()
    if st.session_state.get("exp.op") not in names:
        st.session_state["exp.op"] = "generate"
    top = st.columns([2, 2])
    name = top[0].text_input("Name", key="exp.name", placeholder="e.g. Style words for the "
                                                                 "launch teaser")
    op = top[1].selectbox("Operation", names, key="exp.op",
                          format_func=lambda n: ops.get(n).title)
    notes = st.text_area("Hypothesis or notes", key="exp.notes", height=68,
                         placeholder="e.g. Shorter style prompts give cleaner vocals")
    spec = ops.get(op)
    with st.container(border=True, key="exp-base"):
        st.markdown("**Base request** (every cell starts from it)")
        st.caption("This is the operation's own form (the same draft as on its page). The grid "
                   "overrides the fields it varies.")
        picked = sources.pick_all(spec, rt) if spec.ui.sources else sources.Picked()
        personas = sub.personas(rt.log) if "personaId" in spec.names else None
        values, _ = forms.render_fields(spec, personas=personas)
    base: dict[str, Any] = {k: v for k, v in {**values, **picked.values}.items()
                            if v not in (None, "")}
    st.markdown("**The grid**")
    if st.session_state.get("exp.mode") not in ("axes", "sheet"):
        st.session_state["exp.mode"] = "axes"
    mode = st.segmented_control("Variants from", ["axes", "sheet"], key="exp.mode",
                                required=True,
                                format_func={"axes": "Typed axes",
                                             "sheet": "A CSV sheet"}.get) or "axes"
    axes: list[grid.Axis] = []
    if mode == "sheet":
        variants, errors = _sheet(op)
    else:
        variants, errors, axes = _typed_axes(op)
    repeats = int(st.number_input("Repeats of each variant", min_value=1,
                                  max_value=grid.MAX_REPEATS, value=1, step=1,
                                  key="exp.repeats"))
    plan = grid.plan(op, base, variants, repeats, errors=errors)
    if variants:
        st.caption("Variants: " + ", ".join(f"“{v.name}”" for v in variants[:12])
                   + (f" and {len(variants) - 12} more" if len(variants) > 12 else ""))
    ready = _show_plan(plan, rt, fresh=grid.untouched(op, base, variants, errors))
    fingerprint = f"{op}|{base}|{[(v.name, v.values, v.repeats) for v in variants]}|{repeats}"
    if st.session_state.get(_CONFIRM) not in (None, fingerprint):
        st.session_state.pop(_CONFIRM)  # the grid changed since "Run" was pressed
    if st.session_state.get(_CONFIRM) != fingerprint:
        if st.button(f"Run {plan.calls} call{'s' if plan.calls != 1 else ''}", type="primary",
                     disabled=not ready, icon=":material/play_arrow:", key="exp.run"):
            st.session_state[_CONFIRM] = fingerprint
            st.rerun()
        return None
    with st.container(border=True, key="exp-confirm"):
        wait = grid.duration_text(grid.send_seconds(plan.calls, service.queued_ahead(rt.log),
                                                    plan.op))
        cost = (f"for about **{plan.credits:,}** credits" if plan.billed_by is None
                else f"(billed by {plan.billed_by}, not in music credits)")
        st.warning(f"Send **{plan.calls}** calls {cost}? They "
                   f"go out at the provider's limit, {wait}"
                   " to send all.", icon=":material/payments:")
        yes, no = st.columns(2)
        if no.button("Back", key="exp.back"):
            st.session_state.pop(_CONFIRM, None)
            st.rerun()
        if yes.button("Confirm and queue", type="primary", key="exp.confirm_button",
                      disabled=not ready):
            st.session_state.pop(_CONFIRM, None)
            setup = service.Setup(name=name, op=op, base=base, axes=axes,
                                  variants=variants if mode == "sheet" else None,
                                  repeats=repeats, notes=notes)
            parent = st.session_state.get(_CLONED)
            return service.create(rt.log, setup, plan, parent_id=parent)
    return None
