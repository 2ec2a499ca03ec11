"""Words for people: counts with the right plural, tags and models as they are said.

Pages show these instead of field names and stored values (``backing_vocals``, ``V4_5``,
``1 tasks``).
"""

from __future__ import annotations

from lib.contract.fields import model_label

__all__ = ["PROMPT_CHARS", "experiment_cell", "first_line", "matches", "model_label", "plural",
           "tags_text"]

#: How much of a prompt's first line cards and tables show.
PROMPT_CHARS = 90


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """``"1 task"``, ``"2 tasks"``, ``"0 tasks"`` (``nouns`` for irregular plurals)."""
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"


def matches(count: int, noun: str, nouns: str | None = None) -> str:
    """``"1 task matches"``, ``"2 tasks match"``."""
    return f"{plural(count, noun, nouns)} {'matches' if count == 1 else 'match'}"


def tags_text(tags: str | None) -> str:
    """Tags as words: ``"backing_vocals, G major"`` -> ``"backing vocals, G major"``."""
    return (tags or "").replace("_", " ").strip()


def first_line(text: str | None, limit: int = PROMPT_CHARS) -> str | None:
    """The first non-blank line of ``text``, cut at a word to at most ``limit`` characters
    (with "…"), or None when there is none."""
    line = next((part.strip() for part in (text or "").splitlines() if part.strip()), "")
    if not line:
        return None
    if len(line) <= limit:
        return line
    cut = line[:limit - 1]
    if " " in cut[limit // 2:]:  # end on a whole word unless that loses half the line
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-") + "…"


def experiment_cell(variant: str | None, repeat_no: int | None, *,
                    named: bool = True) -> str | None:
    """``"variant: rock-fast · repeat 2"`` for a task a prompt experiment made, else None
    (``named=False``: ``"rock-fast · repeat 2"``, e.g. in a column called variant)."""
    parts = []
    if variant:
        parts.append(f"variant: {variant}" if named else variant)
    if repeat_no is not None:
        parts.append(f"repeat {repeat_no}")
    return " · ".join(parts) or None


def as_written(text: str) -> str:
    """``text`` for a Markdown element (``st.error``...) shown as written: a ``*`` escaped, so
    a size such as ``832*480`` is not read as emphasis (an underscore inside a word, as in
    ``V4_5``, never is)."""
    return text.replace("*", "\\*")
