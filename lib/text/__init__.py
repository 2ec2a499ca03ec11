"""The text helper (issue 16 part 1): chat completions of the OpenAI-compatible text server,
each one a row of the task log, and drafts of a form's free text made from a short brief.

* `calls` - `TextCalls`: one chat completion (`chat`) or one streamed answer (`stream`), the
  task row (family ``text``, provider ``text``) written BEFORE the request and finished when
  the answer is complete (or failed / unknown with the shared error words);
* `models` - `ModelList`: the server's models (``GET /models``), cached with a TTL and
  refreshable, never hard-coded;
* `draft` - `draft(kind, brief, ...)` for ``song`` (custom-mode lyrics, style and title as
  JSON, validated field by field against the generate operation's limits for the chosen music
  model), ``image_prompt`` and ``video_prompt``.

No Streamlit here: the CLI (`lib.cli.text`) and the pages call the same functions.
"""

from lib.text.calls import OP, FAMILY, TextCall, TextCalls
from lib.text.draft import KINDS, Draft, Problem, check_song, draft, song_body
from lib.text.models import ModelList

__all__ = ["FAMILY", "KINDS", "OP", "Draft", "ModelList", "Problem", "TextCall", "TextCalls",
           "check_song", "draft", "song_body"]
