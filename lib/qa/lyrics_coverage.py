"""How much of a track's lyrics the timestamped alignment covers.

The alignment is the ``timestamped_lyrics`` result (contract §5.9): ``alignedWords`` entries
``{word, success, startS, endS, palign}``, where a ``word`` may carry a section tag and a line
break (``"[Verse]\\nWaggin'"``). Both sides are reduced to lowercase words: section tags and
punctuation dropped, apostrophes kept inside words ("don't"; "waggin'" reads "waggin"). The
lyrics' words are matched in order against the aligned words whose ``success`` is not false
(`difflib.SequenceMatcher`); the coverage is the share of lyric words matched.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from lib.qa.flags import Check, Flag, skipped
from lib.qa.thresholds import Thresholds
from lib.qa.words import number, plain, wording

_TAG = re.compile(r"\[[^\]]*\]|\([^)]*\)")
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


def words(text: str) -> list[str]:
    """Lowercase words of lyrics, without section tags (``[Chorus]``) or stage directions."""
    text = _TAG.sub(" ", text or "").replace("’", "'").lower()
    return _WORD.findall(text)


def aligned_words(alignment: Any) -> list[dict[str, Any]]:
    """``alignedWords`` of a timestamped-lyrics result (or the list itself), one entry per
    word, with its times; malformed entries are skipped."""
    entries = alignment.get("alignedWords") if isinstance(alignment, dict) else alignment
    out = []
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict) or not isinstance(entry.get("word"), str):
            continue
        for word in words(entry["word"]):
            out.append({"word": word, "success": entry.get("success") is not False,
                        "start": entry.get("startS"), "end": entry.get("endS")})
    return out


def coverage(lyrics: str, alignment: Any) -> dict[str, Any]:
    """``{coverage, lyric_words, aligned_words, matched, missing}`` (``missing``: the first
    lyric words not found, up to 10)."""
    wanted = words(lyrics)
    found = [w for w in aligned_words(alignment) if w["success"]]
    matcher = difflib.SequenceMatcher(None, wanted, [w["word"] for w in found], autojunk=False)
    hit = [False] * len(wanted)
    for block in matcher.get_matching_blocks():
        for i in range(block.a, block.a + block.size):
            hit[i] = True
    matched = sum(hit)
    return {"coverage": matched / len(wanted) if wanted else None,
            "lyric_words": len(wanted), "aligned_words": len(found), "matched": matched,
            "missing": [w for w, h in zip(wanted, hit, strict=True) if not h][:10]}


def judge(lyrics: str | None, alignment: Any, instrumental: bool | None,
          t: Thresholds) -> Check:
    if instrumental:
        return skipped("instrumental: no lyrics to cover")
    if not lyrics or not words(lyrics):
        return skipped("no lyrics known for this track")
    if alignment is None:
        return skipped("no timestamped lyrics for this track")
    found = coverage(lyrics, alignment)
    share = found["coverage"]
    flag = Flag.OK if share >= t.lyrics_ok else Flag.WARN if share >= t.lyrics_warn \
        else Flag.FAIL
    detail = f"{found['matched']} of {found['lyric_words']} lyric words aligned ({share:.0%})"
    if found["missing"]:
        detail += "; missing e.g. " + " ".join(found["missing"][:5])
    return Check(round(share, 3), flag, detail, "", found)


@wording("lyrics")
def lyrics_words(name: str, check: Check) -> str:
    value = number(check.value)
    return f"lyrics {value:.0%} aligned" if value is not None else plain(name, check)
