"""The reviewer's name for one browser session: checked, kept in a session cookie, read back.

The name is asked once and then remembered in the browser until it closes (or the reviewer
forgets it on screen): `POST /api/session/reviewer` (`lib.app.http_routes`) sets a session
cookie (no ``Expires`` / ``Max-Age``), ``HttpOnly``, ``SameSite=Lax``, ``Path=/``, and a page
that has no name in its Streamlit session reads it from that cookie (`from_cookies`, given
``st.context.cookies``: the cookies of the request that opened the page's websocket, so a
reload or a task opened by its address finds it). `DELETE` forgets it.

* `check(raw)` - the name as stored (spaces collapsed, trimmed), or `BadName` with a
  message for the person: empty, longer than `MAX_NAME`, or holding a control character;
* `set_cookie(name, secure=...)` / `clear_cookie(...)` - the ``Set-Cookie`` header values;
* `from_cookies(cookies)` - the name a cookie holds, or None (a cookie that fails `check`
  counts as none);
* `sync_script(name)` - the few lines of JavaScript a page runs so that the browser's cookie
  holds ``name`` (None: forgets it); the name is in it as JSON that cannot close the script.

Nothing here imports Streamlit; the name is not a secret, but it is user text wherever it is
shown.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Mapping
from urllib.parse import quote, unquote

#: the cookie's name
COOKIE = "songbench_reviewer"
#: the route that sets (POST ``{"name": ...}``) and forgets (DELETE) it
ROUTE = "/api/session/reviewer"
#: the longest name kept (the same limit as a blind session's reviewer, `sessions.MAX_NAME`,
#: and a decision's, `decisions.decide`)
MAX_NAME = 60
#: a request body larger than this is refused before it is read whole (a name is ~100 bytes)
MAX_BODY = 4096

#: characters that reorder or hide text around them (bidirectional embeddings, overrides,
#: isolates and marks): a name is shown beside decisions, so it may not disguise itself
_BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_ATTRIBUTES = "Path=/; HttpOnly; SameSite=Lax"


class BadName(ValueError):
    """A name we refuse, with the reason in words (``str(exc)``)."""


def check(raw: object) -> str:
    """The name as kept: runs of spaces become one, no leading or trailing space. Refused
    (`BadName`): not text, empty, longer than `MAX_NAME` characters, or with a control,
    line-break or bidirectional-formatting character."""
    if not isinstance(raw, str):
        raise BadName("The name must be text.")
    for ch in raw:
        if ch in " \t":  # a tab is collapsed like a space (a pasted name)
            continue
        if unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp") or ch in _BIDI:
            raise BadName(f"The name may not contain control characters (U+{ord(ch):04X}).")
    name = " ".join(raw.split())
    if not name:
        raise BadName("Enter your name: it is kept with your decisions.")
    if len(name) > MAX_NAME:
        raise BadName(f"The name is {len(name)} characters long; at most {MAX_NAME}.")
    return name


def set_cookie(name: str, *, secure: bool = False) -> str:
    """The ``Set-Cookie`` value that keeps ``name`` (checked) for the browser session: no
    ``Expires`` or ``Max-Age``, so the browser drops it when the session ends. The value is
    percent-encoded UTF-8 (a cookie value is ASCII without spaces, quotes, commas or ``;``)."""
    value = quote(check(name), safe="")
    return f"{COOKIE}={value}; {_ATTRIBUTES}" + ("; Secure" if secure else "")


def clear_cookie(*, secure: bool = False) -> str:
    """The ``Set-Cookie`` value that forgets the name (expired at once, same attributes)."""
    return (f"{COOKIE}=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; {_ATTRIBUTES}"
            + ("; Secure" if secure else ""))


def from_cookies(cookies: Mapping[str, str]) -> str | None:
    """The name the browser session's cookie holds (``st.context.cookies``), or None when
    there is none or it is not a name `check` would keep."""
    raw = cookies.get(COOKIE)
    if not raw:
        return None
    try:
        return check(unquote(raw, errors="strict"))
    except (BadName, UnicodeDecodeError):
        return None


def _js(value: object) -> str:
    """JSON that is also safe inside an HTML ``<script>``: no ``<``, ``>``, ``&`` or line
    separators that could end the script or the line."""
    text = json.dumps(value, ensure_ascii=True)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def sync_script(name: str | None) -> str:
    """A ``<script>`` that makes the browser's cookie hold ``name`` (POST) or forgets it
    (None: DELETE), once per page load for the same wish (``window.__sbReviewer``). The
    request is same-origin, so the answer's ``Set-Cookie`` is kept even though the cookie is
    HttpOnly (the page's script never reads it)."""
    wish = {"name": name} if name is not None else None
    return (
        "<script>(function () {\n"
        f"  const wish = {_js(wish)};\n"
        "  const key = JSON.stringify(wish);\n"
        "  if (window.__sbReviewer === key) return;\n"
        "  window.__sbReviewer = key;\n"
        f"  fetch({_js(ROUTE)}, wish === null\n"
        "    ? {method: 'DELETE', credentials: 'same-origin'}\n"
        "    : {method: 'POST', credentials: 'same-origin',\n"
        "       headers: {'Content-Type': 'application/json'}, body: JSON.stringify(wish)})\n"
        "    .then((r) => { if (!r.ok) { window.__sbReviewer = undefined;"
        " console.warn('reviewer name not kept', r.status); } })\n"
        "    .catch((e) => { window.__sbReviewer = undefined;"
        " console.warn('reviewer name not kept', e); });\n"
        "})();</script>"
    )
