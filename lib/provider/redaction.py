"""Keeping secrets out of everything Songbench writes or shows: the API key, credential
headers and the callback path secret. The one place for each rule.

* `redact_headers(headers)` - credential headers become ``***`` (``Authorization`` keeps its
  scheme: ``Bearer ***``);
* `redact_text(text, key)` / `deep_redact(value, key)` - the API key itself, wherever it
  appears (a provider echoing it in a message, a URL...);
* `mask_callback_secret(text)` - the secret segment of our callback URL (and the task id after
  it: ``/api/callbacks/<secret>/<task>``) becomes ``***``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

MASK = "***"
#: Header names (lower case) whose values are credentials.
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie",
                            "x-api-key", "api-key", "x-webhook-secret"})
#: The secret segment, and the local task id after it (bodies that differ only there compare
#: equal once masked: the duplicate guard relies on it).
_CALLBACK_SECRET = re.compile(r"(/api/callbacks/)[A-Za-z0-9_\-]+(?:/[0-9a-f]{32})?")


def redact_headers(headers: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """A copy of ``headers`` with every credential replaced."""
    if headers is None:
        return None
    out: dict[str, Any] = {}
    for name, value in dict(headers).items():
        low = str(name).lower()
        if low == "authorization":
            scheme = str(value).split(" ", 1)[0] if " " in str(value) else ""
            out[name] = f"{scheme} {MASK}".strip()
        else:
            out[name] = MASK if low in SECRET_HEADERS else value
    return out


def redact_text(text: str, key: str | None) -> str:
    """``text`` with the API key (if any) replaced by ``***``."""
    return text.replace(key, MASK) if key and text else text


def deep_redact(value: Any, key: str | None) -> Any:
    """`redact_text` applied to every string inside lists and mappings."""
    if isinstance(value, str):
        return redact_text(value, key)
    if isinstance(value, Mapping):
        return {k: deep_redact(v, key) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [deep_redact(v, key) for v in value]
    return value


_TAGS = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]*>", re.S | re.I)
_BEARER = re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+")


def excerpt(text: str | bytes | None, key: str | None, limit: int = 160) -> str:
    """A short, safe piece of an answer for a message: markup (and scripts, styles) removed,
    whitespace collapsed, the API key, bearer tokens and our callback secret masked, at most
    ``limit`` characters (``…`` when cut). Empty for an empty body."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    plain = " ".join(_TAGS.sub(" ", text or "").split())
    plain = mask_callback_secret(_BEARER.sub(rf"\1{MASK}", redact_text(plain, key)))
    return plain if len(plain) <= limit else plain[: limit - 1].rstrip() + "…"


def mask_callback_secret(text: str) -> str:
    """Replace the secret path segment of our callback URL with ``***`` (logs, previews)."""
    return _CALLBACK_SECRET.sub(rf"\1{MASK}", text)
