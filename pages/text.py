"""Text: one chat completion of the OpenAI-compatible text server (the text helper's call).

UI only: the operations come from `lib.ops` (``ui.page == "text"``). Operation picker key:
``text_page.op``.
"""

from lib.app.runtime import get_runtime
from pages.components import op_page

op_page.render("text", "Text", get_runtime())
