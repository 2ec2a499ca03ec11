"""A take's latest review decision as a coloured Markdown badge (approved green, rejected red,
flagged orange). Light on purpose (no `lib.review.view`, which loads numpy): the board draws
one per reviewed take from `TrackView.review`; `review_controls` uses it too."""

from __future__ import annotations

COLORS = {"approve": "green", "reject": "red", "flag": "orange"}


def badge_text(mark: str) -> str:
    """A badge's text inside ``:gray-badge[...]`` (brackets would end it early)."""
    return mark.replace("[", "(").replace("]", ")").replace("*", "∗").replace("_", " ")


def badge_markdown(action: str | None, mark: str) -> str:
    """``:orange-badge[⚑ flagged: hiss]``, or "" without a decision."""
    return f":{COLORS.get(action or '', 'gray')}-badge[{badge_text(mark)}]" if mark else ""
