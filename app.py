"""Songbench entry point: one process, one port.

`streamlit run app.py` finds the `st.App` below (module import, `__name__ != "__main__"`): it adds
the callback and health routes and a lifespan that starts the runtime once per process (the
embedded simulator when no provider key is configured, and the tracker loop). Streamlit then runs
this same file as the UI script (`__name__ == "__main__"`), which draws the navigation and the
sidebar shared by every page.
"""

from __future__ import annotations

import streamlit as st

if __name__ == "__main__":
    from pages.components.sidebar import render_sidebar

    st.set_page_config(page_title="Songbench", page_icon=":material/music_note:", layout="wide")
    page = st.navigation(
        [
            st.Page("pages/generate.py", title="Generate", icon=":material/library_music:",
                    default=True),
            st.Page("pages/transform.py", title="Transform", icon=":material/tune:"),
            st.Page("pages/voices.py", title="Voices", icon=":material/record_voice_over:"),
            st.Page("pages/tasks.py", title="Tasks", icon=":material/monitoring:",
                    url_path="tasks"),
            st.Page("pages/task.py", title="Task", icon=":material/monitoring:",
                    url_path="task", visibility="hidden"),
            st.Page("pages/library.py", title="Library", icon=":material/album:"),
            st.Page("pages/checklist.py", title="Launch checklist", icon=":material/checklist:",
                    url_path="checklist"),
            st.Page("pages/settings.py", title="Settings", icon=":material/settings:"),
        ]
    )
    render_sidebar()
    page.run()
else:
    from lib.app.http_routes import lifespan, routes

    app = st.App(__file__, lifespan=lifespan, routes=routes())
