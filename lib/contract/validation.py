"""Interpret an `Operation`'s spec: validate a body, build it from form values, live limits.

``body = build_body(op, form_values, callback_url)`` then ``validate(op, body)``. Messages name
the field and the limit (contract.md §5). Limits are checked in characters; an unknown model
gets the strictest per-model limit.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from lib.contract.fields import Field, Window
from lib.contract.operation import FieldError, Operation

_URL = re.compile(r"https?://\S+$")


def number_text(value: Any) -> str:
    """``value`` for a message (``1e+400`` and huge integers never raise)."""
    try:
        return f"{float(value):g}"
    except (OverflowError, TypeError, ValueError):
        return "a number too large" if isinstance(value, int) else repr(value)


def is_number(value: Any) -> bool:
    """A finite real number (not a bool, not NaN or infinity)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False


def empty(value: Any) -> bool:
    """No value: None, a blank string or an empty list."""
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def value_or_default(op: Operation, body: Mapping[str, Any], name: str) -> Any:
    """The body value, or the field default when absent (used to evaluate rule conditions)."""
    value = body.get(name)
    if not empty(value):
        return value
    try:
        return op.field(name).default
    except KeyError:
        return None


def _matches(op: Operation, body: Mapping[str, Any], when: Mapping[str, Any]) -> bool:
    return all(value_or_default(op, body, k) == v for k, v in when.items())


def describe(when: Mapping[str, Any]) -> str:
    return " and ".join(f"{k} is {str(v).lower()}" for k, v in when.items())


def model_of(op: Operation, body: Mapping[str, Any]) -> str | None:
    """The body's model (or the field default), when the operation has a model field."""
    if "model" not in op.names:
        return None
    model = value_or_default(op, body, "model")
    return model if isinstance(model, str) else None


def limits_for(op: Operation, model: Any, values: Mapping[str, Any] | None = None
               ) -> dict[str, int]:
    """Character limits ``{field: max_len}`` for ``op`` with ``model`` (for live counters).

    ``values`` (the current form values) select conditional limits, e.g. the 500-character
    prompt of simple mode (``customMode`` false). Without them the custom-mode limits apply.
    An unknown model (or a model that is not a string) gets the strictest per-model limit.
    """
    model = model if isinstance(model, str) else ""
    out: dict[str, int] = {}
    for f in op.fields:
        if f.max_len_by_model:
            out[f.name] = f.max_len_by_model.get(model, min(f.max_len_by_model.values()))
        elif f.max_len is not None:
            out[f.name] = f.max_len
    if values is not None:
        for rule in op.length_if:
            if all(values.get(k) == v for k, v in rule.when.items()):
                by_model = rule.by_model or {}
                out[rule.field] = by_model.get(model, rule.max_len)
    return out


def _limit_reason(op: Operation, body: Mapping[str, Any], f: Field, model: str | None,
                  limit: int) -> str:
    for rule in op.length_if:
        if rule.field == f.name and _matches(op, body, rule.when):
            special = rule.by_model and rule.by_model.get(model or "", rule.max_len) != rule.max_len
            with_model = f" with {model}" if special else ""
            return f"at most {limit} when {describe(rule.when)}{with_model}"
    if f.max_len_by_model and model in f.max_len_by_model:
        return f"model {model} allows at most {limit}"
    return f"at most {limit} allowed"


def _check_number(f: Field, value: Any) -> str | None:
    if not is_number(value) or (f.type == "int" and float(value) != int(value)):
        return f"{f.name}: must be a {'whole number' if f.type == 'int' else 'number'}"
    if f.min is not None and (value <= f.min if f.min_exclusive else value < f.min):
        bound = "greater than" if f.min_exclusive else "at least"
        return f"{f.name}: {number_text(value)} is too small; must be {bound} {f.min:g}"
    if f.max is not None and value > f.max:
        return f"{f.name}: {number_text(value)} is too large; the maximum is {f.max:g}"
    return None


def _check_list(f: Field, value: Any) -> str | None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return f"{f.name}: must be a list of URLs"
    if f.min_items is not None and len(value) < f.min_items or (
            f.max_items is not None and len(value) > f.max_items):
        count = (f"exactly {f.min_items}" if f.min_items == f.max_items
                 else f"{f.min_items or 0}–{f.max_items}")
        return f"{f.name}: {len(value)} given; {count} needed"
    bad = [i for i, v in enumerate(value, start=1) if not _URL.match(v)]
    return f"{f.name}: item {bad[0]} must be an http(s) URL" if bad else None


def check_type(f: Field, value: Any) -> str | None:
    """A message if ``value`` has the wrong type or is out of range/enum, else None."""
    if f.type == "bool":
        return None if isinstance(value, bool) else f"{f.name}: must be true or false"
    if f.type in ("float", "int"):
        return _check_number(f, value)
    if f.type == "url_list":
        return _check_list(f, value)
    if not isinstance(value, str):
        return f"{f.name}: must be text"
    if f.type == "enum" and value not in f.enum:
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"{f.name}: {shown!r} is not one of {', '.join(f.enum)}"
    if f.type == "url" and not _URL.match(value):
        return f"{f.name}: must be an http(s) URL"
    return None


def _check_length(op: Operation, body: Mapping[str, Any], f: Field, value: str,
                  model: str | None) -> str | None:
    current = {k: value_or_default(op, body, k) for k in op.names}
    limit = limits_for(op, model, current).get(f.name)
    if limit is not None and len(value) > limit:
        return f"{f.name}: {len(value)} characters; {_limit_reason(op, body, f, model, limit)}"
    if f.max_words is not None:
        words = len(value.split())
        if words > f.max_words:
            return f"{f.name}: {words} words; at most {f.max_words} words"
    return None


def _check_window(body: Mapping[str, Any], w: Window) -> FieldError | None:
    start = body.get(w.start, w.defaults[0])
    end = body.get(w.end, w.defaults[1])
    if not (is_number(start) and is_number(end)):
        return None  # missing or mistyped: reported by the field checks
    if start >= end:
        return FieldError(w.end, f"{w.end}: {number_text(end)} must be after {w.start} "
                                 f"({number_text(start)})")
    length = end - start
    if not w.min_len <= length <= w.max_len:
        return FieldError(w.end, f"{w.end}: the segment {w.start}–{w.end} is "
                                 f"{number_text(length)} s; it must be {w.min_len:g}–"
                                 f"{w.max_len:g} s long")
    return None


def validate(op: Operation, body: Any) -> list[FieldError]:
    """All problems of ``body`` for ``op`` (empty list = valid by the contract's rules)."""
    if not isinstance(body, Mapping):
        return [FieldError("body", "body: must be a JSON object")]
    errors: list[FieldError] = []
    required = {f.name: "required" for f in op.fields if f.required}
    for rule in op.required_if:
        if _matches(op, body, rule.when):
            for name in rule.fields:
                required.setdefault(name, f"required when {describe(rule.when)}")
    model = model_of(op, body)
    for f in op.fields:
        value = body.get(f.name)
        if empty(value):
            if f.name in required:
                errors.append(FieldError(f.name, f"{f.name}: {required[f.name]}"))
            continue
        problem = check_type(f, value)
        if problem is None and isinstance(value, str) and f.type != "enum":
            problem = _check_length(op, body, f, value, model)
        if problem:
            errors.append(FieldError(f.name, problem))
    for window in op.windows:
        refused = _check_window(body, window)
        if refused and all(e.field not in (window.start, window.end) for e in errors):
            errors.append(refused)
    flagged = {e.field for e in errors}
    for check in op.checks:
        errors += [e for e in check(body) if e.field not in flagged]
    return errors


def build_body(op: Operation, values: Mapping[str, Any], callback_url: str | None
               ) -> dict[str, Any]:
    """The JSON body for ``op`` from form ``values``.

    Keeps only the operation's fields, drops empty optional values (None, blank strings, empty
    lists), sets the callback field where the operation takes one and sets the operation's
    fixed values (the ``type`` of vocal_removal / split_stem, sent on both dialects: AnyInt's
    split-stem route is not documented to force it, and sunoapi.org defaults to
    ``separate_vocal``, which would silently give the wrong result).
    """
    body: dict[str, Any] = {}
    for f in op.fields:
        value = values.get(f.name)
        if f.hidden or (empty(value) and not f.required):
            continue
        body[f.name] = value
    if op.callback_field and callback_url:
        body[op.callback_field] = callback_url
    body.update(op.fixed)
    return body
