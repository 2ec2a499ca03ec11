"""The HTML shell of every page, with what a cold visit needs announced up front.

Streamlit answers every page URL (``/``, ``/tasks``, ``/demo?playlist=...``) with the same
``index.html``: it loads the frontend, which then finds the server and draws what the script
sends. Two things make a cold visit to a page other than ``/`` slower than it needs to be, and
`PageShellMiddleware` adds a line to that HTML for each, and the app's stylesheet
(`lib.views.styles`, so no page sends a style block of its own):

* **Where the server is.** Without being told, the frontend guesses a base path from the page's
  URL: at ``/tasks`` it first probes ``/tasks/_stcore/health`` (a 404), waits 100 ms and retries
  at ``/``. The shell knows the app's page paths (`lib.app.navigation`), so it sets
  ``window.__streamlit.BACKEND_BASE_URL`` (the frontend's setting for hosts that embed it) to
  the page's URL without its page segment, and the first probe is the right one, also under a
  proxy's path prefix or ``server.baseUrlPath``.
* **The element code the pages draw.** Each element type's JS is a chunk the frontend imports
  the first time such an element arrives, i.e. only after the websocket opened and the script
  ran; until then the element is a skeleton (and React reveals the waiting elements only once
  the script's stream of elements has been drawn). The shell ``modulepreload``\\ s the chunks of
  the elements Songbench's pages open with (players, images, page links, the board's filters
  and pager; `PRELOADED_ELEMENTS`, with the chunks they import), so they are fetched beside
  the main bundle rather than after the script's first messages.

Chunk file names carry a content hash that changes with each Streamlit release, so they are
read from the installed package's static folder when the app starts; an element whose chunk
is not found is skipped (the page still works, only without that head start).
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from lib.app import navigation
from lib.views.styles import APP_CSS

#: The element components whose code the board, the Library and a task's page need first:
#: players, images, page links, and the board's filter pills and pager (`st.pills`,
#: `st.pagination`).
PRELOADED_ELEMENTS = ("Audio", "ImageList", "PageLink", "ButtonGroup", "Pagination")

#: The shell is a few KB: a larger HTML answer (a downloaded report, say) passes untouched,
#: without being held in memory.
MAX_SHELL_BYTES = 256 * 1024

#: Where the frontend's own entry script starts in ``index.html``: additions go just before it.
ENTRY = re.compile(r'<script type="module"[^>]*src="\./static/js/index\.[^"]+\.js"')
_STATIC_IMPORT = re.compile(r'(?:from|import)\s*"\./([A-Za-z0-9_.\-]+\.js)"')
_PRELOADED = re.compile(r'<link rel="modulepreload"[^>]*href="\./static/js/([^"]+\.js)"')


def chunk_closure(js_dir: Path, names: Iterable[str], known: set[str]) -> list[str]:
    """The chunk files of the named components (``Audio`` -> ``Audio.<hash>.js``) and every
    chunk they import statically, in import order, minus ``known`` (already loaded by the
    shell). Missing components are skipped."""
    queue = []
    for name in names:
        found = sorted(js_dir.glob(f"{name}.*.js"))
        if len(found) == 1:  # a name that is ambiguous (or gone) is not guessed
            queue.append(found[0].name)
    seen: list[str] = []
    while queue:
        file = queue.pop(0)
        if file in seen or file in known or not (js_dir / file).is_file():
            continue
        seen.append(file)
        queue.extend(_STATIC_IMPORT.findall((js_dir / file).read_text(encoding="utf-8")))
    return seen


def backend_script(page_paths: Iterable[str]) -> str:
    """``window.__streamlit.BACKEND_BASE_URL``: the page's URL without its last segment when
    that is one of the app's pages (``/tasks`` -> ``/``, ``/songs/tasks`` -> ``/songs``, behind
    a proxy or `server.baseUrlPath`), else the URL itself (the default page under a prefix).
    The frontend then probes there first; an unknown path keeps its own fallback (the parent)."""
    return ("<script>(()=>{const pages=" + json.dumps(sorted(set(page_paths)))
            + ";const parts=location.pathname.replace(/\\/+$/,'').split('/');"
            "if(pages.includes(parts[parts.length-1]))parts.pop();"
            "window.__streamlit=Object.assign({BACKEND_BASE_URL:location.origin+"
            "(parts.join('/')||'/')},window.__streamlit||{})})()</script>")


def additions(index_html: str, js_dir: Path, page_paths: Iterable[str] = (),
              elements: Iterable[str] = PRELOADED_ELEMENTS, stylesheet: str = APP_CSS) -> str:
    """The lines the shell adds before the frontend's entry script: where the server is, the
    app's stylesheet and the element chunks to preload."""
    setting = backend_script(page_paths or navigation.url_paths())
    if stylesheet:
        css = stylesheet.replace("</", "<\\/")  # cannot close the style element early
        setting += f"<style>{css}</style>"
    known = set(_PRELOADED.findall(index_html))
    entry = ENTRY.search(index_html)
    if entry:
        known.update(re.findall(r"index\.[^\"]+\.js", entry.group(0)))
    links = "".join(f'<link rel="modulepreload" crossorigin href="./static/js/{name}">'
                    for name in chunk_closure(js_dir, elements, known))
    return setting + links


def patch(index_html: str, extra: str) -> str | None:
    """``index_html`` with ``extra`` before the entry script; None when it has no entry script
    (not the frontend's shell: left alone)."""
    entry = ENTRY.search(index_html)
    if entry is None:
        return None
    return index_html[:entry.start()] + extra + index_html[entry.start():]


class PageShellMiddleware:
    """ASGI middleware: a GET whose answer is the frontend's ``index.html`` gets `additions`.

    It looks at answers, not paths, so every page URL Streamlit serves the shell for (and only
    those) is covered: a 200 ``text/html`` answer of known length up to `MAX_SHELL_BYTES`, not
    a download, holding the frontend's entry script. It is read whole, un-gzipped when
    Streamlit compressed it, patched and sent without validators (an ETag of the unpatched file
    would let a browser keep a shell from another Songbench version)."""

    def __init__(self, app: Any, static_dir: Path | None = None):
        self.app = app
        self.static_dir = static_dir
        self._extra: str | None = None

    def extra(self, index_html: str) -> str:
        if self._extra is None:
            static_dir = self.static_dir or _streamlit_static_dir()
            self._extra = additions(index_html, static_dir / "static" / "js")
        return self._extra

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        start: dict | None = None
        body: list[bytes] = []

        async def capture(message: dict) -> None:
            nonlocal start
            if message["type"] == "http.response.start" and start is None:
                headers = dict(message.get("headers") or [])
                if (message.get("status") == 200
                        and headers.get(b"content-type", b"").startswith(b"text/html")
                        and b"content-disposition" not in headers
                        and 0 < _length(headers) <= MAX_SHELL_BYTES):
                    start = message
                    return
                await send(message)
                start = {}  # not ours: pass everything through
                return
            if start and message["type"] == "http.response.body":
                body.append(message.get("body", b""))
                if not message.get("more_body"):
                    await self._send_patched(start, b"".join(body), send)
                return
            await send(message)

        await self.app(scope, receive, capture)

    async def _send_patched(self, start: dict, raw: bytes, send: Any) -> None:
        headers = [(k, v) for k, v in start.get("headers") or []
                   if k.lower() not in (b"content-length", b"etag", b"last-modified",
                                        b"content-encoding")]
        encoding = dict(start.get("headers") or []).get(b"content-encoding", b"")
        try:
            html = (gzip.decompress(raw) if encoding == b"gzip" else raw).decode("utf-8")
            patched = patch(html, self.extra(html))
        except (OSError, UnicodeDecodeError, EOFError):
            patched = None
        if patched is None:  # not the shell (or unreadable): the answer as it was
            await send(start)
            await send({"type": "http.response.body", "body": raw})
            return
        data = patched.encode("utf-8")
        headers.append((b"content-length", str(len(data)).encode()))
        await send({**start, "headers": headers})
        await send({"type": "http.response.body", "body": data})


def _length(headers: dict[bytes, bytes]) -> int:
    try:
        return int(headers.get(b"content-length", b"0"))
    except ValueError:
        return 0


def _streamlit_static_dir() -> Path:
    from streamlit import file_util

    return Path(file_util.get_static_dir())
