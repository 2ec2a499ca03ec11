"""Words for people: counts with the right plural, tags and models as they are said.

Pages show these instead of field names and stored values (``backing_vocals``, ``V4_5``,
``1 tasks``).
"""

from __future__ import annotations

from lib.contract.fields import model_label

__all__ = ["matches", "model_label", "plural", "tags_text"]


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """``"1 task"``, ``"2 tasks"``, ``"0 tasks"`` (``nouns`` for irregular plurals)."""
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"


def matches(count: int, noun: str, nouns: str | None = None) -> str:
    """``"1 task matches"``, ``"2 tasks match"``."""
    return f"{plural(count, noun, nouns)} {'matches' if count == 1 else 'match'}"


def tags_text(tags: str | None) -> str:
    """Tags as words: ``"backing_vocals, G major"`` -> ``"backing vocals, G major"``."""
    return (tags or "").replace("_", " ").strip()
