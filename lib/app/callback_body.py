"""Reading a callback body safely: a size cap checked before the body is read whole, and JSON
that must be a finite, shallow object. Nothing here raises anything but `BadBody`.

`MAX_BODY_BYTES` (1 MB) is generous: the documented callbacks are a few KB (a music callback
with two tracks and their lyrics is the largest).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

MAX_BODY_BYTES = 1024 * 1024
MAX_DEPTH = 32


class BadBody(ValueError):
    """A body we refuse: ``status`` (400 or 413) and a reason for the sender."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


async def read_capped(stream: AsyncIterator[bytes], declared: str | None,
                      cap: int = MAX_BODY_BYTES) -> bytes:
    """The body, refused with 413 as soon as it is known to exceed ``cap`` (from the
    Content-Length header, or while streaming when there is none)."""
    try:
        size = int(declared) if declared else None
    except ValueError:
        raise BadBody(400, "Content-Length is not a number") from None
    if size is not None and size > cap:
        raise BadBody(413, f"body of {size} bytes; the limit is {cap}")
    chunks, total = [], 0
    async for chunk in stream:
        total += len(chunk)
        if total > cap:
            raise BadBody(413, f"body over {cap} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _finite(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError(f"number out of range: {text[:20]}")
    return value


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _depth(value: Any, limit: int) -> int:
    """Nesting depth of a parsed value, without recursion (stops counting past ``limit``)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > limit:
            return deepest
        children = node.values() if isinstance(node, dict) else node if isinstance(
            node, list) else ()
        stack.extend((child, depth + 1) for child in children)
    return deepest


def parse_object(raw: bytes) -> dict[str, Any]:
    """A JSON object, refused (400) when not JSON, not an object, with numbers out of range
    (``1e400``, ``NaN``) or nested deeper than `MAX_DEPTH`."""
    try:
        payload = json.loads(raw.decode("utf-8") if raw else "null", parse_float=_finite,
                             parse_constant=_reject_constant)
    except RecursionError:
        raise BadBody(400, f"JSON nested deeper than {MAX_DEPTH} levels") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadBody(400, f"body is not valid JSON ({str(exc)[:80]})") from None
    if not isinstance(payload, dict):
        raise BadBody(400, f"body must be a JSON object, not {type(payload).__name__}")
    if _depth(payload, MAX_DEPTH) > MAX_DEPTH:
        raise BadBody(400, f"JSON nested deeper than {MAX_DEPTH} levels")
    return payload
