"""The app's pages: file, title, icon and URL path, in sidebar order (`app.py` builds its
`st.navigation` from this table; the page shell (`lib.app.page_shell`) tells a page URL from the
app's own base path with it)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    file: str
    title: str
    icon: str
    #: the URL path (``/tasks``); the default page is also served at ``/``
    url_path: str
    default: bool = False
    hidden: bool = False


PAGES = (
    PageSpec("pages/generate.py", "Generate", ":material/library_music:", "generate",
             default=True),
    PageSpec("pages/transform.py", "Transform", ":material/tune:", "transform"),
    PageSpec("pages/voices.py", "Voices", ":material/record_voice_over:", "voices"),
    PageSpec("pages/media.py", "Media", ":material/movie:", "media"),
    PageSpec("pages/text.py", "Text", ":material/chat:", "text"),
    PageSpec("pages/tasks.py", "Tasks", ":material/monitoring:", "tasks"),
    PageSpec("pages/task.py", "Task", ":material/monitoring:", "task", hidden=True),
    PageSpec("pages/recipes.py", "Recipes", ":material/account_tree:", "recipes"),
    PageSpec("pages/experiments.py", "Experiments", ":material/science:", "experiments"),
    PageSpec("pages/library.py", "Library", ":material/album:", "library"),
    PageSpec("pages/listen.py", "Listen", ":material/headphones:", "listen"),
    PageSpec("pages/demo.py", "Demo", ":material/slideshow:", "demo"),
    PageSpec("pages/checklist.py", "Launch checklist", ":material/checklist:", "checklist"),
    PageSpec("pages/settings.py", "Settings", ":material/settings:", "settings"),
)


def url_paths() -> list[str]:
    return [p.url_path for p in PAGES]


#: Pages that, opened with this query parameter, are a room of their own: no navigation and no
#: sidebar (a demo presentation; a blind session, whose listener must not reach labelled takes).
ROOMS = {"demo": "playlist", "listen": "session"}


def wants_room(query: dict[str, str] | object) -> bool:
    """Whether the address asks for a room (`ROOMS`), before the page is known."""
    get = getattr(query, "get", None)
    return get is not None and any(get(param) for param in ROOMS.values())


def is_room(url_path: str, query: object) -> bool:
    """Whether the page at ``url_path`` with this query is a room (`ROOMS`)."""
    param = ROOMS.get(url_path)
    get = getattr(query, "get", None)
    return param is not None and get is not None and bool(get(param))
