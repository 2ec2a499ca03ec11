"""The session state of operation forms: widget keys and filling a form from values.

Shared by the form renderer, the source pickers and the submit panel (none imports another
for this).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from lib import ops


def key(op: str, name: str) -> str:
    """The session-state key of a field widget."""
    return f"{op}.{name}"


def _coerce(kind: str, value: Any) -> Any:
    if kind == "float":
        return float(value)
    if kind == "int":
        return int(value)
    return bool(value) if kind == "bool" else str(value)


def set_values(op: str, values: dict[str, Any]) -> None:
    """Put ``values`` into the widgets of ``op`` (call before they render, e.g. in a callback).

    Values a widget cannot hold (an enum value it does not offer, a list, a wrong type) are
    skipped; so are the fields the source pickers fill.
    """
    spec = ops.get(op)
    for name, value in values.items():
        if name not in spec.names or name in spec.source_fields or value is None:
            continue
        f = spec.field(name)
        if (f.type == "enum" and value not in f.enum) or f.type == "url_list":
            continue
        try:
            st.session_state[key(op, name)] = _coerce(f.type, value)
        except (TypeError, ValueError, OverflowError):
            continue
