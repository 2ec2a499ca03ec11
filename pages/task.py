"""Task: the detail view of one task (``/task?task=<id>``), a page hidden from the navigation.

A page of its own so that *Tasks* in the sidebar always leads back to the board (the address
of another page drops ``?task=``); ``/tasks?task=<id>`` forwards here. Any id the user sees
opens it: the local id, its first 8 (at least 6) characters, or the provider task id
(`pages/components/task_detail.py`).
"""

from __future__ import annotations

import streamlit as st

from lib.app.runtime import get_runtime
from pages.components import media, task_detail

rt = get_runtime()
media.reset_pins()  # a full run: players may pick up archived copies; ticks keep their URLs

ref = st.query_params.get("task")
if ref:
    task_detail.show(rt, ref)
else:
    st.title("Task")
    st.info("No task chosen: open one from **Tasks** or the **Library**, or add "
            "`?task=<task id>` to the address.")
    task_detail.page_link("pages/tasks.py", "All tasks", {}, ":material/arrow_back:", "tasks")
