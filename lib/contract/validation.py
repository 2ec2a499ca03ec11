"""Interpret an `Operation`'s spec: validate a body, build it from form values, live limits.

``body = build_body(op, form_values, callback_url)`` then ``validate(op, body)``. Messages name
the field in the words of its form label and the limit, for a user ("Title is required in
custom mode", "Style is 201 characters long; V4 allows at most 200"); `FieldError.field` keeps
the body name so the page can show each message at its widget. Limits are checked in
characters; an unknown model gets the strictest per-model limit. Nothing here raises on any
input: every value of every type becomes a message or passes.
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


#: Rule conditions in words (``{field: {value: words}}``); others read "when <field> is <v>".
CONDITION_WORDS: dict[str, dict[Any, str]] = {
    "customMode": {True: "in custom mode", False: "in simple mode"},
    "instrumental": {True: "for an instrumental", False: "for a song with vocals"},
    "defaultParamFlag": {True: "with custom parameters", False: "without custom parameters"},
}


def describe(when: Mapping[str, Any]) -> str:
    """A rule's conditions in words, e.g. "in custom mode for a song with vocals"."""
    return " ".join(CONDITION_WORDS.get(k, {}).get(v, f"when {k} is {str(v).lower()}")
                    for k, v in when.items())


def label(f: Field) -> str:
    """A field's name for a sentence: its form label without a trailing unit ("Start (s)")."""
    text = f.label.strip()
    if text.endswith(")") and " (" in text:
        text = text[: text.rindex(" (")]
    return text or f.name


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
            return f"at most {limit} {describe(rule.when)}{with_model}"
    if f.max_len_by_model and model in f.max_len_by_model:
        return f"{model} allows at most {limit}"
    return f"at most {limit} allowed"


def _check_number(f: Field, value: Any) -> str | None:
    whole = f.type == "int"
    if not is_number(value) or (whole and float(value) != int(value)):
        return f"{label(f)} must be a {'whole number' if whole else 'number'}"
    if f.min is not None and (value <= f.min if f.min_exclusive else value < f.min):
        bound = "greater than" if f.min_exclusive else "at least"
        return f"{label(f)} must be {bound} {f.min:g} (it is {number_text(value)})"
    if f.max is not None and value > f.max:
        return f"{label(f)} must be at most {f.max:g} (it is {number_text(value)})"
    return None


def _check_list(f: Field, value: Any) -> str | None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return f"{label(f)} must be a list of URLs"
    if f.min_items is not None and len(value) < f.min_items or (
            f.max_items is not None and len(value) > f.max_items):
        count = (f"exactly {f.min_items}" if f.min_items == f.max_items
                 else f"{f.min_items or 0}–{f.max_items}")
        return f"{label(f)} must have {count} (it has {len(value)})"
    bad = [i for i, v in enumerate(value, start=1) if not _URL.match(v)]
    return f"{label(f)}: item {bad[0]} must be an http(s) URL" if bad else None


def _shown(value: str) -> str:
    return repr(value if len(value) <= 40 else value[:37] + "...")


def check_type(f: Field, value: Any) -> str | None:
    """A message if ``value`` has the wrong type or is out of range/enum, else None."""
    if f.type == "bool":
        return None if isinstance(value, bool) else f"{label(f)} must be on or off (true/false)"
    if f.type in ("float", "int"):
        return _check_number(f, value)
    if f.type == "url_list":
        return _check_list(f, value)
    if not isinstance(value, str):
        return f"{label(f)} must be text"
    if f.type == "enum" and value not in f.enum:
        return f"{label(f)} must be one of {', '.join(f.enum)} (not {_shown(value)})"
    if f.type == "url" and not _URL.match(value):
        return f"{label(f)} must be an http(s) URL"
    return None


def _check_length(op: Operation, body: Mapping[str, Any], f: Field, value: str,
                  model: str | None) -> str | None:
    current = {k: value_or_default(op, body, k) for k in op.names}
    limit = limits_for(op, model, current).get(f.name)
    if limit is not None and len(value) > limit:
        return (f"{label(f)} is {len(value)} characters long; "
                f"{_limit_reason(op, body, f, model, limit)}")
    if f.max_words is not None:
        words = len(value.split())
        if words > f.max_words:
            return f"{label(f)} is {words} words long; at most {f.max_words} words"
    return None


def _check_window(op: Operation, body: Mapping[str, Any], w: Window) -> FieldError | None:
    start = body.get(w.start, w.defaults[0])
    end = body.get(w.end, w.defaults[1])
    if not (is_number(start) and is_number(end)):
        return None  # missing or mistyped: reported by the field checks
    first, last = label(op.field(w.start)), label(op.field(w.end))
    if start >= end:
        return FieldError(w.end, f"{last} ({number_text(end)} s) must be after {first} "
                                 f"({number_text(start)} s)")
    length = end - start
    if not w.min_len <= length <= w.max_len:
        return FieldError(w.end, f"From {first.lower()} to {last.lower()} is "
                                 f"{number_text(length)} s; it must be {w.min_len:g}–"
                                 f"{w.max_len:g} s long")
    return None


def validate(op: Operation, body: Any) -> list[FieldError]:
    """All problems of ``body`` for ``op`` (empty list = valid by the contract's rules)."""
    if not isinstance(body, Mapping):
        return [FieldError("body", "The request must be a JSON object")]
    errors: list[FieldError] = []
    required = {f.name: "" for f in op.fields if f.required}
    for rule in op.required_if:
        if _matches(op, body, rule.when):
            for name in rule.fields:
                required.setdefault(name, f" {describe(rule.when)}")
    model = model_of(op, body)
    for f in op.fields:
        value = body.get(f.name)
        if empty(value):
            if f.name in required:
                errors.append(FieldError(f.name, f"{label(f)} is required{required[f.name]}"))
            continue
        problem = check_type(f, value)
        if problem is None and isinstance(value, str) and f.type != "enum":
            problem = _check_length(op, body, f, value, model)
        if problem:
            errors.append(FieldError(f.name, problem))
    for window in op.windows:
        refused = _check_window(op, body, window)
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
