"""Deep links open inside `st.navigation` from the first session: Streamlit's multipage-v1 flag,
cleared before any session starts.

Streamlit 1.67 decides once per process, in the first `PagesManager` it builds, whether the app
is a multipage-v1 app: a ``pages/`` folder beside the main script sets the class attribute
``PagesManager.uses_pages_directory`` (None until then) to True. Songbench has that folder but
navigates with `st.navigation`, which sets the flag to False only when a session runs the main
script; until some session has opened ``/``, a deep link such as ``/settings`` would run the
page file alone, without the sidebar. `disable()` (the app's lifespan) sets it to False first.

The flag is Streamlit's private state: tests/lib/test_pages_mode.py fails when an upgrade moves
it (README, "Upgrading Streamlit").
"""

from __future__ import annotations

import logging

from streamlit.runtime.pages_manager import PagesManager

logger = logging.getLogger(__name__)

FLAG = "uses_pages_directory"


def disable() -> None:
    """From now on no session runs as a multipage-v1 app (the `pages/` folder is ignored)."""
    if FLAG not in vars(PagesManager):
        logger.warning("Streamlit's PagesManager has no %s any more: deep links may open "
                       "without the sidebar (README, Upgrading Streamlit)", FLAG)
    PagesManager.uses_pages_directory = False
