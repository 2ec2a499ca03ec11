"""Field checkers shared by the media operations' rules. Each takes a JSON object (`d`), a field
name and `where` (the path shown in messages, e.g. "input." or "parameters."), and raises
`Invalid` naming the field and the limit. Deliberately independent of `lib/`."""

from __future__ import annotations

import re
from typing import Any

from simulator.media_ops import Invalid

SEED_MAX = 2147483647
_SIZE = re.compile(r"^(\d{2,5})\*(\d{2,5})$")
_DATA_URI = re.compile(r"^data:[\w.+-]+/[\w.+-]+;base64,", re.I)


def obj(d: dict[str, Any], name: str, where: str = "", *, required: bool = False, code: Any = None) -> dict[str, Any]:
    """A nested object (`{}` when absent and not required)."""
    value = d.get(name)
    if value is None:
        if required:
            raise Invalid(f"{where}{name} is required", code)
        return {}
    if not isinstance(value, dict):
        raise Invalid(f"{where}{name} must be an object")
    return value


def text(d: dict[str, Any], name: str, where: str = "", *, required: bool = False, max_len: int | None = None) -> str | None:
    value = d.get(name)
    if value is None or (required and isinstance(value, str) and not value.strip()):
        if required:
            raise Invalid(f"{where}{name} is required and must not be empty")
        return None
    if not isinstance(value, str):
        raise Invalid(f"{where}{name} must be a string")
    if max_len is not None and len(value) > max_len:
        raise Invalid(f"{where}{name} is too long: {len(value)} characters, limit {max_len}")
    return value


def integer(d: dict[str, Any], name: str, where: str = "", *, lo: int | None = None, hi: int | None = None,
            allowed: tuple[int, ...] | None = None, numeric_string: bool = False) -> int | None:
    """An integer (Kling also writes numbers as strings: `numeric_string`)."""
    value = d.get(name)
    if value is None:
        return None
    if numeric_string and isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid(f"{where}{name} must be an integer")
    if allowed is not None and value not in allowed:
        raise Invalid(f"{where}{name} must be one of {', '.join(map(str, allowed))} (got {value})")
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise Invalid(f"{where}{name} must be between {lo} and {hi} (got {value})")
    return value


def number(d: dict[str, Any], name: str, where: str = "", *, lo: float, hi: float) -> float | None:
    value = d.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not lo <= value <= hi:
        raise Invalid(f"{where}{name} must be a number between {lo:g} and {hi:g}")
    return float(value)


def boolean(d: dict[str, Any], name: str, where: str = "") -> bool | None:
    value = d.get(name)
    if value is not None and not isinstance(value, bool):
        raise Invalid(f"{where}{name} must be a boolean")
    return value


def choice(d: dict[str, Any], name: str, where: str, options: tuple[str, ...]) -> str | None:
    value = d.get(name)
    if value is not None and value not in options:
        raise Invalid(f"{where}{name} must be one of {', '.join(options)} (got {value!r})")
    return value


def seed(d: dict[str, Any], where: str = "parameters.") -> int | None:
    return integer(d, "seed", where, lo=0, hi=SEED_MAX)


def size(value: Any, where: str = "parameters.size") -> tuple[int, int]:
    """A DashScope size `"W*H"` -> (width, height)."""
    match = _SIZE.match(value) if isinstance(value, str) else None
    if not match:
        raise Invalid(f"{where} must be a string \"width*height\", e.g. \"1024*1024\" (got {value!r})")
    return int(match.group(1)), int(match.group(2))


def is_source(value: Any, *, bare_base64: bool = False) -> bool:
    """An http(s) URL, a `data:<type>;base64,` URI, or (Kling) plain base64 text."""
    if not isinstance(value, str) or not value.strip():
        return False
    if value.startswith(("http://", "https://")) or _DATA_URI.match(value):
        return True
    return bare_base64 and len(value) >= 16 and re.fullmatch(r"[A-Za-z0-9+/=\s]+", value) is not None


def source(d: dict[str, Any], name: str, where: str = "", *, required: bool = False,
           bare_base64: bool = False) -> str | None:
    """A media reference: an http(s) URL or a base64 data URI (Kling: or plain base64)."""
    value = d.get(name)
    if value is None or value == "":
        if required:
            raise Invalid(f"{where}{name} is required")
        return None
    if not is_source(value, bare_base64=bare_base64):
        kinds = "an http(s) URL, a data: URI" + (" or base64 text" if bare_base64 else "")
        raise Invalid(f"{where}{name} must be {kinds}")
    return value
