"""Media: images and video from the Media API (DashScope, Kling), beside the music.

UI only: the operations come from `lib.ops` (`ui.page == "media"`). Operation picker key:
``media_page.op``. A music-driven video takes a song's audio URL (a finished track's, from the
board or the library).
"""

from lib.app.runtime import get_runtime
from pages.components import op_page

op_page.render("media", "Media", get_runtime())
