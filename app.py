"""Songbench entry point: one process, one port.

`streamlit run app.py` finds the `st.App` below (module import, `__name__ != "__main__"`): it adds
the callback and health routes, the page shell (`lib.app.page_shell`) and a lifespan that starts
the runtime once per process (the embedded simulator when no provider key is configured, and
the tracker loop). Streamlit then runs
this same file as the UI script (`__name__ == "__main__"`), which draws the navigation and the
sidebar shared by every page (its status panel after the page has run, so it counts what the
page just did).
"""

from __future__ import annotations

import streamlit as st

if __name__ == "__main__":
    from lib.app.navigation import PAGES
    from pages.components.sidebar import render_sidebar, reserve

    # an emoji favicon is drawn by the browser (a `:material/...:` icon is fetched from
    # fonts.gstatic.com): an offline demo makes no request outside the app
    st.set_page_config(page_title="Songbench", page_icon="🎵", layout="wide")
    # a demo presentation (`/demo?playlist=...`) and a blind session (`/listen?session=...`)
    # show no navigation and no sidebar at all (`navigation.ROOMS`)
    from lib.app import navigation

    presenting = navigation.wants_room(st.query_params)
    page = st.navigation(
        [st.Page(p.file, title=p.title, icon=p.icon, url_path=None if p.default else p.url_path,
                 default=p.default, visibility="hidden" if p.hidden else "visible")
         for p in PAGES],
        position="hidden" if presenting else "sidebar",
    )
    presenting = presenting and navigation.is_room(page.url_path, st.query_params)
    panel = None if presenting else reserve()
    try:
        page.run()
    finally:  # after the page's work (a submit is counted at once), even when it failed
        if panel is not None:
            render_sidebar(panel)
else:
    from lib.app.http_routes import lifespan, middleware, routes

    app = st.App(__file__, lifespan=lifespan, routes=routes(), middleware=middleware())
