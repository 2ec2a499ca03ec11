"""Settings: provider, dialect and callback URL (read-only); simulator speed and faults (grouped
by the API family they act on: `lib.app.sim_admin.FAULT_GROUPS`).

Provider settings come from `SONGBENCH_*` environment variables or `.streamlit/secrets.toml`
and are only shown here (the API key never is). The simulator section appears only when the
embedded simulator is in use; its form writes through the simulator's admin API
(`lib.app.sim_admin.SimControls`).
"""

from __future__ import annotations

import streamlit as st

from lib.app import runtime, sim_admin
from lib.views import qa_settings
from lib.views import settings as settings_view
from lib.views import sidebar

SECRETS_EXAMPLE = """# .streamlit/secrets.toml  (git-ignored; see .streamlit/secrets.example.toml)
SONGBENCH_API_BASE_URL = "https://gateway.api.anyint.ai"
SONGBENCH_API_KEY = "<your key>"
SONGBENCH_API_DIALECT = "anyint"        # or "sunoapi"
SONGBENCH_PUBLIC_URL = "https://songbench.example.com"   # optional, for callbacks"""
ENV_EXAMPLE = """export SONGBENCH_API_BASE_URL=https://api.sunoapi.org
export SONGBENCH_API_KEY=...            # read from your shell or CI secret store
export SONGBENCH_API_DIALECT=sunoapi
streamlit run app.py"""


def provider_section(rt) -> None:
    st.subheader("Provider", anchor="provider")
    facts = sidebar.sidebar_facts(rt)
    c1, c2, c3 = st.columns(3)
    c1.metric("Provider", "Simulator" if facts.simulated else facts.provider,
              help=f"Embedded simulator on {facts.base_url}" if facts.simulated else facts.base_url)
    c2.metric("Dialect", facts.dialect)
    c3.metric("API key", "set" if facts.key_present else "not set",
              help="The key is never displayed, logged or stored by Songbench.")
    st.dataframe(settings_view.settings_rows(rt), hide_index=True, width="stretch")
    with st.expander("How to change these", expanded=not facts.key_present):
        st.markdown(
            "Settings are read once at start-up from environment variables (highest priority) or "
            "`.streamlit/secrets.toml` (same names). Restart the app after changing them. "
            "With no `SONGBENCH_API_KEY` the app runs against the embedded simulator.")
        t1, t2 = st.tabs(["secrets.toml", "Environment"])
        t1.code(SECRETS_EXAMPLE, language="toml")
        t2.code(ENV_EXAMPLE, language="bash")


def callback_section(rt) -> None:
    st.subheader("Callbacks", anchor="callbacks")
    info = settings_view.callback_info(rt)
    if info.live:
        st.markdown(f"Mode: **{info.mode}** — the provider calls this URL when a stage finishes; "
                    "the tracker then re-reads the task from the query route.")
        st.code(info.url, language=None)
        st.caption("The last path segment is a secret (kept in the data folder) and is masked "
                   "here.")
    else:
        st.markdown("Mode: **polling only** — no public URL is configured, so the tracker polls "
                    "each task on a back-off schedule. Set `SONGBENCH_PUBLIC_URL` to the address "
                    "where the provider can reach this app to receive callbacks.")
    if info.warning:
        st.warning(info.warning, icon=":material/cloud_off:")


def _load_widgets(state: sim_admin.SimState) -> None:
    """Put the simulator's current values into the widgets when they changed outside the form."""
    snapshot = {"speed": state.speed, "track_seconds": state.track_seconds,
                "credits": state.credits, **state.faults}
    if st.session_state.get("sim-loaded") == snapshot:
        return
    st.session_state["sim-loaded"] = snapshot
    for name, value in snapshot.items():
        if name == "sensitive_words":
            value = ", ".join(value)
        elif isinstance(value, float) and name not in ("speed", "track_seconds"):
            value = float(value)
        st.session_state[f"sim-{name}"] = value


def _fault_widget(fault: sim_admin.Fault) -> None:
    name, label, help_ = fault.name, fault.label, fault.help or None
    key, value = f"sim-{name}", st.session_state.get(f"sim-{name}")
    if isinstance(value, bool):
        st.checkbox(label, key=key, help=help_)
    elif isinstance(value, (list, str)):
        st.text_input(label, key=key, help=help_)
    elif name.startswith("rate_") or name.endswith("_rate"):
        st.number_input(label, min_value=0.0, max_value=1.0, step=0.05, format="%.2f", key=key,
                        help=help_)
    elif isinstance(value, int):
        st.number_input(label, min_value=0, step=100, key=key, help=help_)
    else:
        st.number_input(label, min_value=0.0, step=0.5, format="%.1f", key=key, help=help_)


def _collect(names: list[str]) -> dict:
    ss = st.session_state
    faults = {}
    loaded = ss.get("sim-loaded") or {}
    for name in names:
        value = ss[f"sim-{name}"]
        if isinstance(loaded.get(name), list):
            value = [w.strip() for w in str(value).split(",") if w.strip()]
        faults[name] = value
    credits = int(ss["sim-credits"])
    # an untouched balance is not written back (tasks may have spent credits meanwhile)
    return {"speed": ss["sim-speed"], "track_seconds": ss["sim-track_seconds"],
            "credits": None if credits == loaded.get("credits") else credits, "faults": faults}


def _apply(controls: sim_admin.SimControls, names: list[str]) -> None:
    """Form callback: runs before the script, with the submitted values in session state."""
    try:
        controls.apply(**_collect(names))
    except (ValueError, TypeError) as exc:
        st.session_state["sim-outcome"] = ("error", str(exc))
    else:
        st.session_state["sim-outcome"] = ("ok", None)


def simulator_section(rt) -> None:
    controls = sim_admin.sim_controls(rt)
    if controls is None:
        return
    st.subheader("Simulator", anchor="simulator")
    st.caption(f"The embedded simulator answers on `{controls.base_url}` (admin API: "
               "`/_sim/config`, `/_sim/faults`). Speed applies to tasks created after you "
               "apply; track length "
               "to songs rendered afterwards.")
    state = controls.read()
    _load_widgets(state)
    names = list(state.faults)
    with st.form("sim-form", border=True):
        c1, c2, c3 = st.columns(3)
        c1.number_input("Speed (× real time)", min_value=0.1, max_value=10000.0, step=1.0,
                        format="%.1f", key="sim-speed",
                        help="Real stage timings (text 20 s, first 40 s, complete 150 s) are "
                             "divided by this.")
        c2.number_input("Track length (s)", min_value=1.0, max_value=480.0, step=1.0,
                        format="%.0f", key="sim-track_seconds")
        c3.number_input("Credits", min_value=0, step=50, key="sim-credits")
        st.markdown("**Faults**")
        for group, faults in sim_admin.fault_groups(names):
            with st.container(key=f"sim-faults-{group.key}"):
                st.markdown(f"*{group.title}*")
                st.caption(group.caption)
                cols = st.columns(3)
                for i, fault in enumerate(faults):
                    with cols[i % 3]:
                        _fault_widget(fault)
        st.form_submit_button("Apply", type="primary", icon=":material/check:", key="sim-apply",
                              on_click=_apply, args=(controls, names))
    outcome = st.session_state.pop("sim-outcome", None)
    if outcome and outcome[0] == "error":
        st.error(f"Not applied: {outcome[1]}", icon=":material/error:")
    elif outcome:
        st.success("Applied to the simulator.", icon=":material/check_circle:")
    if st.button("Reset all faults", key="sim-reset", icon=":material/restart_alt:"):
        controls.reset_faults()
        st.rerun()
    with st.expander("Current simulator values (read back)", expanded=False):
        state = controls.read()
        st.json({"speed": state.speed, "track_seconds": state.track_seconds,
                 "credits": state.credits, "faults": state.faults})


def _qa_load(values: dict, force: bool = False) -> None:
    """Put saved thresholds into the widgets (first run, or after a reset)."""
    for name, value in values.items():
        if force or f"qa-{name}" not in st.session_state:
            st.session_state[f"qa-{name}"] = value


def _qa_save(rt, action: str) -> None:
    """Form callbacks: save (validated, then every scorecard judged again) or reset."""
    if action == "reset":
        done = qa_settings.reset(rt.log)
        _qa_load(qa_settings.current(rt.log), force=True)
    else:
        done = qa_settings.save(rt.log, {f.name: st.session_state.get(f"qa-{f.name}")
                                         for f in qa_settings.FIELDS})
    st.session_state["qa-outcome"] = done


def qa_section(rt) -> None:
    st.subheader("QA thresholds", anchor="qa")
    st.caption("Where each QA check of an archived track turns from ok (✔) to worth a look (⚠) "
               "to a problem (✖). Saving judges every stored scorecard again from its stored "
               "measures, so the board and the Library show the new flags at once.")
    _qa_load(qa_settings.current(rt.log))
    with st.form("qa-form", border=True):
        for group in qa_settings.GROUPS:
            st.markdown(f"**{group}**")
            fields = [f for f in qa_settings.FIELDS if f.group == group]
            cols = st.columns(3)
            for i, f in enumerate(fields):
                cols[i % 3].number_input(
                    f.label, key=f"qa-{f.name}", step=int(f.step) if f.integer else float(f.step),
                    format="%d" if f.integer else "%.2f",
                    help=(f.help + " " if f.help else "") + f"Allowed {f.limits}.")
        left, right = st.columns([1, 5])
        left.form_submit_button("Save", type="primary", icon=":material/save:", key="qa-save",
                                on_click=_qa_save, args=(rt, "save"))
        right.form_submit_button("Back to defaults", icon=":material/restart_alt:",
                                 key="qa-reset", on_click=_qa_save, args=(rt, "reset"))
    done = st.session_state.pop("qa-outcome", None)
    if done is not None and not done.ok:
        st.error("Not saved:\n\n" + "\n".join(f"- {e}" for e in done.errors),
                 icon=":material/error:")
    elif done is not None:
        st.success(done.message, icon=":material/check_circle:")


rt = runtime.get_runtime()
st.title("Settings")
provider_section(rt)
callback_section(rt)
qa_section(rt)
simulator_section(rt)
