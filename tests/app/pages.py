"""What every AppTest of a page does: open it (with query parameters), run it again, read its
words."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def open_page(page: str, query: dict | None = None, *, timeout: float = 30) -> AppTest:
    """Run ``pages/<page>.py`` (a name, or a path relative to this folder) once, with
    ``query`` in the address; the run must raise nothing."""
    path = page if page.endswith(".py") else f"../../pages/{page}.py"
    at = AppTest.from_file(path, default_timeout=timeout)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    return rerun(at)


def rerun(at: AppTest) -> AppTest:
    """Run the script again (a click, a tick); it must raise nothing."""
    at.run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    """The page's Markdown, captions, errors, warnings and infos, a line each."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [e.value for e in at.error] + [w.value for w in at.warning]
    parts += [i.value for i in at.info]
    return "\n".join(parts)
