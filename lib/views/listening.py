"""Words for listening widgets (no Streamlit): stem names and their order, counts.

Stem assets are ``stem:<name>`` (``stem:backing_vocals``; `lib.families.stems`); people read
"Backing vocals", and the stems are listed voice first, then rhythm, then the rest.
"""

from __future__ import annotations

from collections.abc import Iterable

from lib.views.board import Download
from lib.views.words import plural

#: the usual order of a mixing desk; stems not named here follow, alphabetically
STEM_ORDER = ("vocals", "vocal", "backing_vocals", "instrumental", "drums", "percussion", "bass",
              "guitar", "keyboard", "piano", "synth", "strings", "brass", "woodwinds", "fx",
              "other", "origin")


_NAMES = {"fx": "FX", "origin": "Original mix", "vocal": "Vocals",
          "backing_vocal": "Backing vocals"}


def stem_key(kind: str) -> str:
    """``stem:backing_vocals`` -> ``backing_vocals``."""
    return kind.split(":", 1)[1] if kind.startswith("stem:") else kind


def stem_name(kind: str) -> str:
    """``stem:backing_vocals`` -> ``Backing vocals``; ``stem:fx`` -> ``FX``."""
    key = stem_key(kind)
    if key in _NAMES:
        return _NAMES[key]
    words = key.replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else "Stem"


def _rank(kind: str) -> tuple[int, str]:
    key = stem_key(kind)
    return (STEM_ORDER.index(key) if key in STEM_ORDER else len(STEM_ORDER), key)


def ordered(stems: Iterable[Download]) -> list[Download]:
    """Stems in mixing-desk order (`STEM_ORDER`)."""
    return sorted(stems, key=lambda stem: _rank(stem.kind))


def stems_label(count: int) -> str:
    """``Stems (12)``; one stem is ``1 stem``."""
    return f"Stems ({count})" if count != 1 else plural(1, "stem").capitalize()
