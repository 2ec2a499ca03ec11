"""A balance display that stays equal to the sidebar's (`lib.views.balance.current`: one cache,
one stamp): drawn in a fragment that refreshes as often as the sidebar's panel, so spending
elsewhere (another tab, an experiment's queue) moves both numbers together.

Draw it after the page's own work (a submit, a checklist run), so the very run that spends
shows the balance after it, as the sidebar (drawn after the page) does.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from lib.views.app_runtime import AppRuntime
from lib.provider.credits import Credits
from lib.views import balance, board

REFRESH_S = board.REFRESH_SECONDS  # the sidebar panel's interval too


@st.fragment(run_every=REFRESH_S)
def live(rt: AppRuntime, draw: Callable[[Credits | None], None],
         provider: str = "music") -> None:
    """``draw(reading)`` of ``provider``'s balance now and on every refresh."""
    draw(balance.current(rt, provider=provider))
