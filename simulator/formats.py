"""Text forms shared by the payload builders and the admin/upload answers.

Poll answers use ISO-8601 UTC times (`2025-01-15T10:35:27.000Z`, the schema's `date-time`),
callbacks the documented `"2025-01-01 00:00:00"` form; callbacks use snake_case keys where poll
answers use camelCase; media are served at `<base>/files/<relative path>`.
"""

from __future__ import annotations

import time
from typing import Any


def iso(t: float | None) -> str | None:
    """Epoch seconds -> `2025-01-15T10:35:27.000Z` (None stays None)."""
    if t is None:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + f".{int(t % 1 * 1000):03d}Z"


def plain(t: float) -> str:
    """Epoch seconds -> `2025-01-01 00:00:00` (UTC)."""
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(t))


def snake(name: str) -> str:
    """`backingVocalsUrl` -> `backing_vocals_url`."""
    return "".join("_" + c.lower() if c.isupper() else c for c in name)


def media_url(base: str, rel: str | None) -> str:
    """Absolute `/files/` URL of a media-store relative path, or "" when it does not exist (yet)."""
    return f"{base.rstrip('/')}/files/{rel}" if rel else ""


def clean(d: dict[str, Any]) -> dict[str, Any]:
    """`d` without its None values."""
    return {k: v for k, v in d.items() if v is not None}
