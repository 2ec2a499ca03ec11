"""Generate: songs (simple and custom mode), sounds, lyrics, style boost and cover art.

UI only: the operations and their forms come from `lib.ops` (`ui.page == "generate"`), drawn by
`pages.components.op_page`. Operation picker key: ``generate_page.op``. One-click entry:
``/?op=cover_art&track=<audio id>``.
"""

from lib.app.runtime import get_runtime
from pages.components import op_page

op_page.render("generate", "Generate", get_runtime())
