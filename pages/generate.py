"""Generate: songs (simple and custom mode), lyrics, style boost and cover art.

UI only: the forms come from `pages.components.forms` (driven by `lib.contract.specs`), the logic from
`lib.views.submission`. Operation picker key: ``generate_page.op``.
"""

from __future__ import annotations

import streamlit as st

from lib.contract import specs
from lib.views import submission as sub
from lib.app.runtime import get_runtime
from pages.components import forms, sources

LABELS = {"generate": "Song", "lyrics": "Lyrics", "style_boost": "Style boost",
          "cover_art": "Cover art"}

SONG_INTRO = ("Simple mode: describe the song and the lyrics are written for you. Custom mode: "
              "give the style, the title and (unless instrumental) the lyrics, sung verbatim. "
              "Each request returns two songs.")

rt = get_runtime()
st.title("Generate")
link = sub.generate_link_state(rt.log, dict(st.query_params))
if link and st.session_state.get("generate_page.applied_link") != link:
    st.session_state["generate_page.applied_link"] = link
    st.session_state.update(link)
op = st.segmented_control(
    "What to make", sub.GENERATE_OPS, format_func=LABELS.get, key="generate_page.op",
    default="generate", required=True, persist_state="session")
op = op or "generate"
st.subheader(specs.SPECS[op].title)

if op == "generate":
    forms.render_operation(op, rt, personas=sub.personas(rt.log), intro=SONG_INTRO)
elif op == "cover_art":
    forms.render_operation(op, rt, pick_source=lambda: sources.pick_music_task(op, rt))
else:
    forms.render_operation(op, rt)
