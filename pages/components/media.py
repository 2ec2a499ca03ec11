"""Stable http URLs for archived files, so players and images survive the board's refreshes.

Archived files are served by our own route `GET /api/assets/<path relative to the assets dir>`
(Range requests supported, `lib/http_routes.py`). `st.audio` / `st.image` need an absolute http
URL (a relative one would be read as a local file and re-sent as bytes on every tick), so we
build it from the browser's URL (`st.context.url`), else the configured public URL, else
``http://localhost:<server.port>``. Files not archived yet fall back to the provider's URL.

Players are *pinned*: within one full run of the page, and across the fragment ticks that
follow, a track keeps the first URL it was given (e.g. the provider's stream URL), so a playing
`<audio>` element is never replaced by a tick; the archived copy takes over on the next full run.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import streamlit as st

from lib.views.board import Download

_PINS = "_media_player_pins"


def origin() -> str:
    """``scheme://host:port`` the browser used to reach us."""
    try:
        url = st.context.url
    except Exception:
        url = None
    if url:
        parts = urlsplit(url)
        if parts.scheme and parts.netloc:
            return f"{parts.scheme}://{parts.netloc}"
    try:
        from lib.app.runtime import get_runtime

        public = get_runtime().settings.public_url
        if public:
            parts = urlsplit(public)
            return f"{parts.scheme}://{parts.netloc}"
    except Exception:
        pass
    try:
        port = int(st.get_option("server.port"))
    except Exception:
        port = 8501
    return f"http://localhost:{port}"


def asset_url(rel_path: str) -> str:
    """Absolute URL of an archived file (``rel_path`` relative to the assets dir)."""
    return f"{origin()}/api/assets/{quote(rel_path)}"


def url_for(item: Download | None) -> str | None:
    """The archived copy's URL when there is one, else the provider's http(s) URL, else None
    (anything else would be read as a local file by `st.image` / `st.audio`)."""
    if item is None:
        return None
    if item.rel_path:
        return asset_url(item.rel_path)
    url = item.url or ""
    return url if urlsplit(url).scheme in ("http", "https") else None


def reset_pins() -> None:
    """Call once per full page run (never inside a fragment): players may take better URLs."""
    st.session_state[_PINS] = {}


def player_url(key: str, item: Download | None) -> str | None:
    """The URL a player keyed ``key`` keeps until the next full run."""
    pins = st.session_state.setdefault(_PINS, {})
    if key in pins:
        return pins[key]
    url = url_for(item)
    if url:
        pins[key] = url
    return url


def page_url(path: str = "", **query: str) -> str:
    """An absolute URL of one of our pages, e.g. ``page_url("tasks", task=id)``."""
    qs = "&".join(f"{k}={quote(str(v))}" for k, v in query.items())
    return f"{origin()}/{path.lstrip('/')}" + (f"?{qs}" if qs else "")
