"""Media: images and video from the Media API (DashScope, Kling), beside the music.

UI only: the operations come from `lib.ops` (`ui.page == "media"`). Operation picker key:
``media_page.op``. A music-driven video takes a song's audio from its source picker
(`pages.components.sources`: no audio, an upload, a finished track, or a public URL); a track
longer than 30 s is refused, or sent as a 30 s clip from a start second.
"""

from lib.app.runtime import get_runtime
from pages.components import op_page

op_page.render("media", "Media", get_runtime())
