"""What the pages need of the text helper (`lib.text`), given the app's runtime: the text
adapter of the settings in force, its model list (one `ModelList` per adapter: cached for its
TTL, refreshable), and the calls (each a task row). No Streamlit here.
"""

from __future__ import annotations

import threading

from lib.provider.adapters.text import TextAdapter
from lib.provider.errors import SongbenchError
from lib.text import ModelList, TextCalls
from lib.views.app_runtime import AppRuntime

_LISTS: dict[int, tuple[TextAdapter, ModelList]] = {}
_LOCK = threading.Lock()


def adapter(rt: AppRuntime) -> TextAdapter:
    """The text server's adapter of the settings in force."""
    text = rt.tracker.providers.current("text")
    assert isinstance(text, TextAdapter)
    return text


def model_list(rt: AppRuntime) -> ModelList:
    """The (cached) model list of the text server in force."""
    text = adapter(rt)
    with _LOCK:
        held = _LISTS.get(id(text))
        if held is None or held[0] is not text:
            held = _LISTS[id(text)] = (text, ModelList(text))
        return held[1]


def models(rt: AppRuntime, *, refresh: bool = False) -> tuple[list[str], str | None]:
    """``(model ids, None)`` or ``([], the reason in plain words)`` when the server's list
    cannot be had (its shared error explained); never a hard-coded list."""
    try:
        ids = model_list(rt).get(refresh=refresh)
    except SongbenchError as exc:
        return [], exc.explain()
    if not ids:
        return [], "The text server offers no models."
    return ids, None


def calls(rt: AppRuntime) -> TextCalls:
    """Text calls on the app's log (each one a ``text`` task, the row before the request)."""
    return TextCalls(rt.log, adapter(rt))
