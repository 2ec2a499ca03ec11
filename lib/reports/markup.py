"""The small HTML pieces every report part writes: escaped text and a plain table."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import Any


def esc(value: Any) -> str:
    """``value`` as escaped text (None is empty)."""
    return html.escape("" if value is None else str(value))


def table(rows: Sequence[dict[str, Any]], fmt: Callable[[Any], Any] = lambda v: v) -> str:
    """The rows (dicts with the same keys) as a table, the keys as its head; "Nothing yet."
    without rows. ``fmt`` shapes each value before it is escaped."""
    if not rows:
        return "<p class='muted'>Nothing yet.</p>"
    head = "".join(f"<th>{esc(k)}</th>" for k in rows[0])
    body = "".join("<tr>" + "".join(f"<td>{esc(fmt(v))}</td>" for v in r.values()) + "</tr>"
                   for r in rows)
    return f"<table><tr>{head}</tr>{body}</table>"
