"""Write lyrics (contract §5.9): several lyric drafts from a theme (≤ 200 words)."""

from typing import Any

from lib.contract.fields import CALLBACK, PROMPT
from lib.contract.operation import Operation, Ui
from lib.ops._common import MUSIC_PROMPT_DRAFT, paths


def summarize(result: Any) -> str | None:
    variants = result.get("variants") if isinstance(result, dict) else None
    if not variants:
        return None
    titles = ", ".join(v.get("title") or "untitled" for v in variants)
    return f"{len(variants)} lyrics variants: {titles}"


OPERATION = Operation(
    "lyrics", "Write lyrics", "lyrics", paths("/api/v1/lyrics", "/suno/generate-lyrics"),
    (PROMPT.but(required=True, label="Theme", help="What the lyrics are about (≤ 200 words).",
                max_len_by_model=None, max_words=200), CALLBACK),
    Ui("generate", "Lyrics", "Write lyrics", order=20,
       draft=MUSIC_PROMPT_DRAFT),
    credits_estimate=2, description="Several lyric drafts from a theme.", summarize=summarize)
