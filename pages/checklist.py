"""Launch checklist: the production checks, run live against the configured provider, with
pass / fail / not run, their evidence and their cost shown before they run; results are kept in
the task log and export for a launch review. UI only: the checks are `lib.checklist`.
"""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from lib import checklist
from lib.app.runtime import get_runtime
from lib.checklist.checks import history as check_history
from lib.provider.credits import Credits
from lib.views import balance as credit_balance
from lib.views.words import plural
from pages.components import balance
from pages.components.board import page_link

BADGES = {checklist.PASS: ":green-badge[pass]", checklist.FAIL: ":red-badge[fail]",
          checklist.NOT_RUN: ":gray-badge[not run]"}

rt = get_runtime()
st.title("Launch checklist")
provider = "the embedded simulator" if rt.simulator is not None else rt.settings.base_url
st.caption(f"Checks run live against {provider}, through the app's own tracker, callback route "
           "and archive. Each costs what its requests cost; results are kept in the task log.")

chosen = st.multiselect("Checks to run", [c.key for c in checklist.CHECKS],
                        default=[c.key for c in checklist.CHECKS], key="checks-chosen",
                        format_func=lambda k: checklist.BY_KEY[k].title)
cost = checklist.total_cost(chosen)
cost_slot = st.container()  # filled after a run: its balance counts what the run spent


def cost_line(reading: Credits | None) -> None:
    shown = credit_balance.value_text(reading)
    st.markdown(f"Cost of this run: about **{cost}** credits (estimate) · balance **{shown}**")
    if credit_balance.too_low(reading, cost):
        st.warning("The balance looks too low for this run.")


if st.button(f"Run {plural(len(chosen), 'check')}", type="primary", key="checks-run",
             icon=":material/play_arrow:", disabled=not chosen):
    with st.status("Running the checks…", expanded=True) as box:
        def progress(check, outcome):
            box.write(f"{BADGES[outcome.status]} **{check.title}**: {outcome.detail}")
        checklist.run(rt, chosen, on_result=progress)
        box.update(label="Checks done", state="complete")
    credit_balance.spent()
with cost_slot:
    balance.live(rt, cost_line)

latest = checklist.latest(rt.log)
st.subheader("Latest results")
for check in checklist.CHECKS:
    row = latest.get(check.key)
    with st.container(border=True, key=f"check-{check.key}"):
        status = BADGES[row["status"]] if row else ":gray-badge[never run]"
        st.markdown(f"{status} **{check.title}** · cost about {check.cost} credits")
        st.caption(check.proves)
        if row:
            when = datetime.fromtimestamp(row["started_at"]).strftime("%Y-%m-%d %H:%M:%S")
            st.markdown(row["detail"] or "")
            evidence = row.get("evidence") or {}
            for task_id in evidence.get("tasks", []):
                page_link("pages/task.py", f"Evidence: task {task_id[:8]}", {"task": task_id},
                          ":material/open_in_new:", "task")
            st.caption(f"Run {row['run_id']} at {when} against {row['provider']}")

rows = check_history(rt.log, limit=500)
if rows:
    left, right = st.columns(2)
    left.download_button("Export results (CSV)", checklist.export_csv(rows),
                         file_name="songbench-launch-checks.csv", mime="text/csv",
                         key="checks-csv", on_click="ignore")
    right.download_button("Export results (JSON)", checklist.export_json(rows),
                          file_name="songbench-launch-checks.json",
                          mime="application/json", key="checks-json", on_click="ignore")
