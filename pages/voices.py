"""Voices: make a Suno Voice in three steps - a clip of the singer gets a phrase, a recording of
the phrase gets a voice, and a check says when it can sing. The voice then appears among the
personas of the song forms (as a voice persona).

UI only: the operations come from `lib.ops` (`ui.page == "voices"`). Picker key:
``voices_page.op``.
"""

from lib.app.runtime import get_runtime
from pages.components import op_page

op_page.render("voices", "Voices", get_runtime())
