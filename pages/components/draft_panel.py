""""Draft with the text helper" on an operation's form (the operation's `DraftSpec`, mapped by
`lib.text.forms`): a short brief, the text model, a button. The answer streams into the panel
as it is written, then its values go into the form's fields (before they are drawn in the same
run) for the user to edit; nothing is sent until the form's own button.

A draft that does not fit is shown whole with what does not fit, field by field: only the
values that fit are put in; "Use anyway" puts the others in too (the form then marks them and
sends nothing until they are fixed). A text server error is shown in its plain words.

Session keys: ``"<op>.draft_brief"``, ``"<op>.draft"`` (the button), ``"<op>.draft_result"``
(the last draft: text, filling or error), ``"text_helper.model"`` (the text model, shared by
every form).
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from lib.contract.operation import Operation
from lib.provider.errors import SongbenchError
from lib.text import draft as draft_text
from lib.text import forms as text_forms
from lib.views import submission as sub
from lib.views import text_helper
from lib.views.app_runtime import AppRuntime
from pages.components import text_models
from pages.components.form_state import key, set_values

MODEL_KEY = "text_helper.model"
_WHAT = {"song": "a song (title, style and lyrics)", "image_prompt": "an image prompt",
         "video_prompt": "a video prompt", "music_prompt": "a description of the music"}


@dataclass
class _Last:
    """The last draft of a form: its answer and where it went (or the error)."""

    text: str = ""
    filling: text_forms.Filling | None = None
    error: str | None = None
    used_anyway: bool = False


def _values(op: Operation) -> dict:
    return {f.name: st.session_state.get(key(op.name, f.name)) for f in op.form_fields}


def _use_anyway(op_name: str) -> None:
    last = st.session_state.get(f"{op_name}.draft_result")
    if isinstance(last, _Last) and last.filling is not None:
        set_values(op_name, last.filling.anyway())
        last.used_anyway = True


def _forget(op_name: str) -> None:
    st.session_state.pop(f"{op_name}.draft_result", None)


def _labels(op: Operation, names) -> str:
    return ", ".join(text_forms.target_label(op, n) for n in names)


def _show(op: Operation, last: _Last, slot) -> None:
    """The last draft: its answer (in ``slot``) and what went where."""
    if last.error:
        with slot.container():
            st.error(last.error, icon=":material/error:")
        return
    filling = last.filling
    language = "json" if filling and filling.kind == "song" else None
    if filling is not None and filling.ok:  # it is in the form: the answer folds away
        with slot.container(), st.expander("The answer as it was written"):
            st.code(last.text, language=language, wrap_lines=True)
    else:  # shown whole beside what does not fit
        slot.code(last.text, language=language, wrap_lines=True)
    if filling is None:
        return
    if filling.values:
        st.success(f"Put into the form: {_labels(op, filling.values)}. Edit them below; "
                   f"nothing is sent until you press “{op.ui.submit}”.",
                   icon=":material/edit:")
    if filling.problems:
        lines = []
        for name in dict.fromkeys(p.field for p in filling.problems):
            words = " ".join(filling.problems_at(name))
            lines.append(f"* **{text_forms.target_label(op, name)}**: {words}")
        held = "" if not filling.held else (
            f"\n\nNot put in: {_labels(op, filling.held)} (the draft is shown whole above, "
            "never cut).")
        st.warning("The draft does not fit as it is:\n\n" + "\n".join(lines) + held,
                   icon=":material/warning:")
        if filling.held and not last.used_anyway:
            st.button("Use anyway", key=f"{op.name}.draft_anyway", on_click=_use_anyway,
                      args=(op.name,), icon=":material/input:",
                      help="Put these into the form as they are: the form marks what is "
                           "over its limits and sends nothing until you fix it.")
    if filling.unused:
        st.caption(f"Not used by this form: {', '.join(filling.unused)}.")


def render(op: Operation, rt: AppRuntime) -> None:
    """The panel, drawn above the form's fields (so a draft fills them in the same run)."""
    spec = text_forms.spec_for(op)
    if spec is None:
        return
    last_key = f"{op.name}.draft_result"
    with st.expander("Draft with the text helper", icon=":material/auto_awesome:"), \
            st.container(key=f"draft-{op.name}"):
        if reason := sub.text_not_offered(rt):  # nothing is asked of a text server
            st.info(reason, icon=":material/block:")
            return
        sets = " (and switches custom mode on)" if spec.sets.get("customMode") else ""
        st.caption(f"Describe what you want in a few words: the text helper writes "
                   f"{_WHAT[spec.kind]} into {_labels(op, spec.into.values())}{sets}. You "
                   "edit it before anything is sent.")
        brief = st.text_input("Brief", key=f"{op.name}.draft_brief", persist_state="session",
                              placeholder="e.g. a sea shanty about debugging")
        model = text_models.select(rt, MODEL_KEY)
        clicked = st.button("Draft", key=f"{op.name}.draft", icon=":material/auto_awesome:",
                            disabled=model is None)
        with st.container(key=f"draft-stream-{op.name}"):
            slot = st.empty()
        if clicked:
            _draft(op, rt, brief, model, slot)
        last = st.session_state.get(last_key)
        if isinstance(last, _Last):
            _show(op, last, slot)
            if not last.error:
                st.button("Dismiss the draft", key=f"{op.name}.draft_dismiss",
                          on_click=_forget, args=(op.name,), type="tertiary")


def _draft(op: Operation, rt: AppRuntime, brief: str, model: str | None, slot) -> None:
    last_key = f"{op.name}.draft_result"
    if not (brief or "").strip():
        st.session_state[last_key] = _Last(error="Type a brief first: a few words on what "
                                                 "to draft.")
        return
    values = _values(op)
    written: list[str] = []
    language = "json" if op.ui.draft and op.ui.draft.kind == "song" else None

    def on_delta(piece: str) -> None:
        written.append(piece)
        slot.code("".join(written), language=language, wrap_lines=True)

    slot.caption("Writing…")
    try:
        result = draft_text(
            text_forms.kind_for(op) or "", brief, text_helper.calls(rt), model or "",
            music_model=text_forms.music_model_for(op, values), on_delta=on_delta)
    except SongbenchError as exc:
        st.session_state[last_key] = _Last("".join(written),
                                           error=f"The text helper could not draft: "
                                                 f"{exc.explain()}")
        return
    filling = text_forms.fill(op, result, values)
    set_values(op.name, filling.now())  # the fields are drawn after this panel
    st.session_state[last_key] = _Last(result.text, filling)
