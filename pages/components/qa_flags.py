"""QA flags on screen (words: `lib.qa.words`): a compact line for cards, grids and tables, and
the full scorecard with a "Re-check" button for the task detail.

DOM contract (browser tests): the compact line is ``st.container(key=f"qa-{track id}")``
(``st-key-qa-<id>``), the full scorecard ``st.container(key=f"qa-card-{track id}")``, the
task's image and video QA ``st.container(key=f"media-qa-{task id}")``.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import streamlit as st

from lib.qa import tracks as qa_tracks
from lib.qa import words
from lib.qa.words import QaLine

if TYPE_CHECKING:
    from lib.qa.scorecard import Scorecard
    from lib.views.board_detail import MediaQaLine

_MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*_[]<>#~$|"})


def _plain(text: str) -> str:
    return text.translate(_MARKDOWN)


def line_markdown(line: QaLine | None) -> str:
    """``:red[✖ clipped: 312 samples]`` (Markdown), or "" when the track has no scorecard."""
    if line is None:
        return ""
    return f":{line.color}[{_plain(line.text)}]"


#: the compact line's explanation (its tooltip)
HELP = ("QA scorecard of the archived MP3: the worst problems first. The task's Details page "
        "has every check.")


def line(line: QaLine | None, key: str | None = None) -> None:
    """The compact QA line of a track (nothing until its MP3 is scored)."""
    if line is None:
        return
    with st.container(key=key):
        st.markdown(line_markdown(line), help=HELP)


def _recheck(track_id: str) -> None:
    from lib.app.runtime import get_runtime

    done = qa_tracks.recheck(get_runtime().log, track_id)
    st.session_state[f"qa-rechecked-{track_id}"] = done.message if done.ok else None
    if not done.ok:
        st.session_state[f"qa-recheck-error-{track_id}"] = done.message


def scorecard(track_id: str, card: Scorecard | None) -> None:
    """Every check of a track's scorecard in words, and a button to check again."""
    with st.container(key=f"qa-card-{track_id}"):
        st.markdown("**QA scorecard**")
        error = st.session_state.pop(f"qa-recheck-error-{track_id}", None)
        done = st.session_state.pop(f"qa-rechecked-{track_id}", None)
        if card is None:
            st.caption("Not checked yet: the scorecard is made when the track's MP3 is archived.")
        else:
            headline = words.headline(card, limit=4)
            color = words.COLORS.get(card.worst.value, "gray")
            st.markdown(f":{color}[{_plain(headline)}]")
            rows = words.table(card)
            st.dataframe(rows, hide_index=True, width="stretch", key=f"qa-table-{track_id}",
                         height=35 * (len(rows) + 1) + 3,  # every check, no inner scroll
                         column_config={"Details": st.column_config.TextColumn(width="large")})
            checked = datetime.fromtimestamp(card.computed_at).strftime("%Y-%m-%d %H:%M")
            st.caption(f"Checked {checked} · {words.clock(card.measures.duration)} of audio, "
                       f"{card.measures.rate} Hz, {card.measures.channels} channel(s) · days "
                       "left and links as of that check")
        if done:
            st.success(done, icon=":material/check_circle:")
        if error:
            st.warning(error, icon=":material/info:")
        st.button("Re-check", key=f"qa-recheck-{track_id}", icon=":material/refresh:",
                  on_click=_recheck, args=(track_id,),
                  help="Measure the archived MP3 again, ask the provider whether its files still "
                       "answer and judge under the current thresholds (Settings).")


#: the media QA block's explanation
MEDIA_HELP = ("Each archived image and video measured against the request: size in pixels and "
              "format; length, size, frame rate and sound. ⚠ names what differs.")


def media(task_id: str, lines: list[MediaQaLine]) -> None:
    """One line per archived image or video of the task, mismatches flagged."""
    if not lines:
        return
    with st.container(key=f"media-qa-{task_id}"):
        st.markdown("**QA of the files**", help=MEDIA_HELP)
        for item in lines:
            st.markdown(f"{_plain(item.label)}: :{item.color}[{_plain(item.text)}]")
