"""Generate: songs (simple and custom mode), sounds, lyrics, style boost and cover art.

UI only: the operations and their forms come from `lib.ops` (`ui.page == "generate"`), drawn by
`pages.components.op_page`. Operation picker key: ``generate_page.op``. One-click entry:
``/?op=cover_art&track=<audio id>``; lyrics into the song form: ``/?lyrics=<task id>&draft=1``,
``/?lyrics_of=<audio id>`` (`pages.components.lyrics_view.apply_link`).
"""

from lib.app.runtime import get_runtime
from pages.components import lyrics_view, op_page

rt = get_runtime()
lyrics_view.apply_link(rt)
op_page.render("generate", "Generate", rt)
