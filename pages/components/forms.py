"""Forms driven by the operation registry (`lib.ops`), shared by every operation page.

`render_operation(op, rt)` draws one operation (the `Operation` itself, looked up once by the
page and passed down to every helper and check): its source pickers (`Ui.sources`), one widget
per visible field of the operation (keys ``"<op>.<field>"``), a live
``len/limit`` counter and the field's errors right below each widget, the request preview and
the credit cost beside the form, and the submit button with the duplicate guard below it. A
form with free text has "Draft with the text helper" above its fields (`draft_panel`: the
operation's ``ui.draft``); a text operation's model is a select box of the text server's list
(`text_models`).

Widgets live outside `st.form` so counters and the preview follow every change (text inputs
commit after a short typing pause, text areas on blur or Ctrl+Enter). Values persist for the
session (``persist_state="session"``), so switching operations or pages keeps a draft.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from lib.contract import validation
from lib.views.app_runtime import AppRuntime
from lib.contract.fields import MODEL_LABELS, Field, model_label
from lib.contract.operation import Operation
from lib.contract.prepare import Prepared, prepare
from lib.views import submission as sub
from lib.views.words import as_written
from pages.components import draft_panel, sources, submit_panel, text_models
from pages.components.form_state import key, set_values  # noqa: F401 - re-exported

_SHORT = ("bool", "enum")
_HEIGHT = {"prompt": 180, "description": 100}
_WRITING_ORDER = ("title", "style", "tags", "prompt")


def _initial(k: str, name: str, value: Any) -> dict[str, Any]:
    """``{name: value}`` unless session state already holds the widget (avoids the warning)."""
    return {} if k in st.session_state else {name: value}


def _persona_widget(op: Operation, f: Field, personas: list[sub.Persona]) -> str | None:
    k = key(op.name, f.name)
    by_id = {p.persona_id: p for p in personas}
    options = ["", *by_id]
    current = st.session_state.get(k)
    if current and current not in by_id:
        options.append(current)  # an id typed earlier or from elsewhere
    choice = st.selectbox(
        "Persona", options, key=k, accept_new_options=True, persist_state="session",
        format_func=lambda v: "— none —" if not v else (by_id[v].label if v in by_id else v),
        help="A voice made from a finished track (Transform → Make a persona) or a Suno Voice "
             "(Voices page); custom mode only. You can also paste a persona ID.")
    if not personas:
        st.caption("No personas yet: make one on the Transform page from a finished track, "
                   "or a voice on the Voices page.")
    return choice or None


def persona_kind(op: Operation, personas: list[sub.Persona] | None) -> str | None:
    """``voice_persona`` when the chosen persona is a Suno Voice (it must say so)."""
    chosen = st.session_state.get(key(op.name, "personaId"))
    by_id = {p.persona_id: p for p in personas or []}
    return by_id[chosen].kind if chosen in by_id else None


def _placeholder(op: Operation, f: Field) -> str:
    if f.required:
        return "required"
    return "provider default" if f.name in op.ui.advanced else "not set"


def _widget(op: Operation, f: Field, personas: list[sub.Persona] | None,
            rt: AppRuntime | None = None) -> Any:
    k = key(op.name, f.name)
    common: dict[str, Any] = {"key": k, "help": f.help or None, "persist_state": "session"}
    if f.name == "personaId" and personas is not None:
        return _persona_widget(op, f, personas)
    if f.name == "model" and op.provider == "text" and rt is not None:
        return text_models.select(rt, k, label=f.label, help=f.help or None)
    if f.type == "bool":
        return st.toggle(f.label, **_initial(k, "value", bool(f.default)), **common)
    if f.type == "enum":
        options = list(f.enum) if (f.required or f.default) else ["", *f.enum]
        index = options.index(f.default) if f.default in options else 0
        words = model_label if set(f.enum) <= set(MODEL_LABELS) else str
        value = st.selectbox(f.label, options, format_func=lambda v: words(v) if v else "—",
                             **_initial(k, "index", index), **common)
        return value or None
    if f.type == "float":
        step = 0.01 if f.max == 1.0 else 0.5
        # Streamlit wants every bound a float when the step is (Kling's 0-1 prompt weight)
        fmin = None if f.min is None else float(f.min)
        fmax = None if f.max is None else float(f.max)
        return st.number_input(f.label, min_value=fmin, max_value=fmax, step=step,
                               format="%.2f", placeholder=_placeholder(op, f),
                               **_initial(k, "value", None), **common)
    if f.type == "int":
        low = None if f.min is None else int(f.min)
        high = None if f.max is None else int(f.max)
        return st.number_input(f.label, min_value=low, max_value=high, step=1,
                               placeholder=_placeholder(op, f), **_initial(k, "value", None),
                               **common)
    if f.type == "text":
        value = st.text_area(f.label, height=_HEIGHT.get(f.name, 120), **common,
                             placeholder="Ctrl+Enter updates the counter and preview")
    else:
        value = st.text_input(f.label, live=True, **common)
    return (value or "").strip()


def _render_list(op: Operation, fields: list[Field], values: dict, slots: dict,
                 personas: list[sub.Persona] | None, rt: AppRuntime | None = None) -> None:
    """Render fields in order; consecutive toggles/selects share a row of up to 3 columns."""
    i = 0
    while i < len(fields):
        f = fields[i]
        if not sub.field_visible(op, f.name, values):
            i += 1
            continue
        row = [f]
        if f.type in _SHORT and f.name != "personaId":
            j = i + 1
            while (j < len(fields) and len(row) < 3 and fields[j].type in _SHORT
                   and sub.field_visible(op, fields[j].name, values)):
                row.append(fields[j])
                j += 1
        columns = st.columns(len(row)) if len(row) > 1 else [st.container()]
        for col, field in zip(columns, row, strict=True):
            with col, st.container(key=f"field-{op.name}-{field.name}"):
                values[field.name] = _widget(op, field, personas, rt)
                slots[field.name] = st.empty()
        i += len(row)


def _ordered(fields: list[Field]) -> list[Field]:
    """Title and style before the lyrics (the order people write a song in), else spec order."""
    moved = [f for name in _WRITING_ORDER for f in fields if f.name == name]
    if len(moved) < 2:
        return fields
    at = min(fields.index(f) for f in moved)
    rest = [f for f in fields if f not in moved]
    return rest[:at] + moved + rest[at:]


def render_fields(op: Operation, *, personas: list[sub.Persona] | None = None,
                  rt: AppRuntime | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """Draw the visible fields of ``op``; returns ``(values, {field: feedback slot})``. With
    ``rt``, a text operation's model is picked from the text server's list."""
    fields = _ordered([f for f in op.form_fields if f.name not in op.source_fields])
    main = [f for f in fields if f.required or f.name not in op.ui.advanced]
    advanced = [f for f in fields if f not in main]
    values: dict[str, Any] = {}
    slots: dict[str, Any] = {}
    _render_list(op, main, values, slots, personas, rt)
    shown = [f for f in advanced if sub.field_visible(op, f.name, values)]
    if shown:
        with st.expander("Advanced (optional)"):
            _render_list(op, shown, values, slots, personas, rt)
    return values, slots


def _model_of(op: Operation, values: dict[str, Any]) -> str | None:
    if "model" not in op.names:
        return None
    return values.get("model") or op.field("model").default


def show_feedback(op: Operation, slots: dict[str, Any], values: dict[str, Any],
                  prepared: Prepared, attempted: bool) -> list[str]:
    """Fill each field's slot with its counter and (after a submit attempt) its errors.

    Returns the messages that belong to no rendered field (shown by the caller).
    """
    limits = validation.limits_for(op, _model_of(op, values), {**values, **prepared.body})
    by_field = sub.errors_by_field(prepared.errors)
    for name, slot in slots.items():
        f = op.field(name)
        messages = by_field.pop(name, [])
        with slot.container():
            if f.type in ("str", "text") and name in limits:
                text, over = sub.counter_text(values.get(name) or "", limits[name])
                st.caption(f":red[{text}]" if over else text)
            elif f.max_words:
                words = len((values.get(name) or "").split())
                st.caption(f"{words}/{f.max_words} words")
            for message in messages if attempted else ():
                st.error(as_written(message), icon=":material/error:")
    return [m for msgs in by_field.values() for m in msgs]


def render_operation(op: Operation, rt: AppRuntime) -> Prepared | None:
    """One complete operation panel (see module docstring); returns what it would send."""
    st.caption(op.ui.intro or op.description)
    dialect = sub.dialect_for(rt, op)
    if not op.offered(dialect):
        st.info(f"{op.title} is not offered by the {dialect} dialect of the "
                "provider (no route is known for it there).", icon=":material/block:")
        return None
    personas = sub.personas(rt.log) if "personaId" in op.names else None
    form_col, side_col = st.columns([3, 2], gap="large")
    with form_col:
        draft_panel.render(op, rt)  # first: a draft fills the fields before they are drawn
        picked = sources.pick_all(op, rt) if op.ui.sources else sources.Picked()
        values, slots = render_fields(op, personas=personas, rt=rt)
    extra = dict(picked.values)
    if "personaModel" in op.names and not values.get("personaModel") and \
            persona_kind(op, personas) == "voice_persona":
        extra["personaModel"] = "voice_persona"
    prepared = prepare(op, {**values, **extra}, rt.callback_url,
                       duration=picked.duration, source_model=picked.model)
    attempted = bool(st.session_state.get(key(op.name, "attempted")))
    leftover = show_feedback(op, slots, values, prepared, attempted)
    if picked.slot is not None and attempted:
        source_msgs = [picked.missing if picked.missing and e.field not in picked.values
                       else e.message for e in prepared.errors if e.field in op.source_fields]
        with picked.slot.container():
            for message in source_msgs:
                st.error(as_written(message), icon=":material/error:")
        leftover = [m for m in leftover if m not in source_msgs and not any(
            m == e.message for e in prepared.errors if e.field in op.source_fields)]
    with form_col:  # first: the preview's balance then counts what a submit just spent
        submit_panel.render_submit(op, rt, prepared, leftover)
    with side_col:
        submit_panel.render_request(op, prepared, rt)
    return prepared
