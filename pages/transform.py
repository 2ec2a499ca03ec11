"""Transform: everything made from existing audio - extend, covers, mashups, add vocals or an
instrumental, replace a section, stems, MIDI, persona, WAV, music video, timestamped lyrics and
audio recovery - from a finished track, an upload or a URL.

UI only: the operations come from `lib.ops` (`ui.page == "transform"`). One-click entry:
``/transform?op=<op>&track=<audio id>`` preselects the operation and the source track and
prefills the form once per link. Operation picker key: ``transform_page.op``.
"""

from lib.app.runtime import get_runtime
from pages.components import op_page

op_page.render("transform", "Transform", get_runtime(), compact=False)
