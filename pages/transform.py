"""Transform: extend, covers, add vocals/instrumental, replace a section, stems, persona, WAV,
music video and timestamped lyrics, from a finished track, an upload or a URL.

One-click entry: ``/transform?op=<op>&track=<audio id>`` (see `lib.views.submission.transform_link`)
preselects the operation and the source track and prefills the form once per link.
Operation picker key: ``transform_page.op``.
"""

from __future__ import annotations

import streamlit as st

from lib.contract import specs
from lib.views import submission as sub
from lib.app.runtime import get_runtime
from pages.components import forms, sources

OP_KEY = "transform_page.op"
APPLIED_KEY = "transform_page.applied_link"


def _apply_link(log) -> None:
    """Preselect op + source from the query params (once per distinct link)."""
    op, track = sub.parse_link(st.query_params)
    if op is None or (op, track) == st.session_state.get(APPLIED_KEY):
        return
    st.session_state[APPLIED_KEY] = (op, track)
    st.session_state[OP_KEY] = op
    source = sub.source_for(log, track)
    if track and source is None:
        st.session_state["transform_page.link_problem"] = (
            f"Track {track} is not in the log; pick a source below.")
        return
    st.session_state.pop("transform_page.link_problem", None)
    if source is not None:
        st.session_state[f"{op}.source_mode"] = sources.TRACK
        st.session_state[f"{op}.source_track"] = source.audio_id
        forms.set_values(op, sub.prefill(op, source))


def _forget_link() -> None:
    """The user picked another operation: the URL no longer describes the page."""
    for name in ("op", "track"):
        if name in st.query_params:
            del st.query_params[name]
    st.session_state.pop(APPLIED_KEY, None)
    st.session_state.pop("transform_page.link_problem", None)


rt = get_runtime()
_apply_link(rt.log)
st.title("Transform")
op = st.selectbox("Operation", sub.TRANSFORM_OPS, key=OP_KEY, persist_state="session",
                  format_func=lambda o: f"{specs.SPECS[o].title}  ·  {o}",
                  on_change=_forget_link)
if problem := st.session_state.get("transform_page.link_problem"):
    st.warning(problem)
st.subheader(specs.SPECS[op].title)

if op in sub.UPLOAD_OPS:
    pick = lambda: sources.pick_audio_source(op, rt)  # noqa: E731
else:
    pick = lambda: sources.pick_track_source(op, rt)  # noqa: E731
forms.render_operation(op, rt, pick_source=pick,
                       personas=sub.personas(rt.log) if "personaId" in specs.SPECS[op].names
                       else None)
