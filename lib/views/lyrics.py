"""Lyrics people can read and use (no Streamlit): sectioned text, lyric drafts, timed words.

* `sections(text)` - lyrics as `Section`s: ``[Verse]``, ``[Chorus 2]``... become headings, lines
  stay lines (a literal ``\\n`` left in by an API or a JSON round trip is a line break too);
* `drafts(result)` - the variants of a *Write lyrics* task (`lib.families.lyrics`), each a title,
  its text and its sections;
* `timed_lines(result)` - timestamped lyrics (``alignedWords``: ``word``, ``startS``, ``endS``)
  as sections of lines of `Word`s; a token like ``"[Verse]\\nHello "`` opens a section, a
  trailing newline ends a line; `timed_text` is the same as plain lyrics (to reuse them);
* `karaoke_html(audio_url, sections)` - a self-contained player: an ``<audio>`` and the words as
  spans, the word being sung gets the class `NOW_CLASS` (sung ones `PAST_CLASS`) as the track
  plays, and clicking a word seeks to it;
* `source_audio(log, track_id, assets_dir)` - the archived audio of the track lyrics were
  aligned to (for that player).
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lib.log import TaskLog
from lib.views.board import Download, rel_path

_HEADING = re.compile(r"^\s*\[([^\]\n]{1,60})\]\s*$")
_INLINE_HEADING = re.compile(r"\[([^\]\n]{1,60})\]")
NOW_CLASS = "lyric-now"
PAST_CLASS = "lyric-past"


@dataclass
class Section:
    """A part of a song: its heading (``Verse``, ``Chorus``; None before the first one) and its
    lines (blank lines inside a part are kept as ``""``, at most one in a row)."""

    heading: str | None
    lines: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Draft:
    """One lyrics variant of a *Write lyrics* task."""

    title: str
    text: str
    sections: list[Section]


@dataclass(frozen=True)
class Word:
    text: str
    start: float
    end: float


@dataclass
class TimedSection:
    heading: str | None
    lines: list[list[Word]] = field(default_factory=list)


def clean_text(text: str | None) -> str:
    """Real line breaks for literal ``\\n`` / ``\\r\\n`` sequences and CRs; no trailing blanks."""
    value = (text or "").replace("\\r\\n", "\n").replace("\\n", "\n").replace("\r\n", "\n")
    return value.replace("\r", "\n").strip()


def sections(text: str | None) -> list[Section]:
    """The lyrics as sections (see `Section`); empty text gives no sections."""
    out: list[Section] = []
    for raw in clean_text(text).split("\n"):
        line = raw.strip()
        heading = _HEADING.match(line)
        if heading:
            out.append(Section(heading.group(1).strip()))
            continue
        if not out:
            out.append(Section(None))
        lines = out[-1].lines
        if line or (lines and lines[-1]):
            lines.append(line)
    for part in out:
        while part.lines and not part.lines[-1]:
            part.lines.pop()
    return [p for p in out if p.heading or p.lines]


def as_text(parts: list[Section]) -> str:
    """Sections back to lyrics text (``[Verse]`` lines, a blank line between sections)."""
    blocks = []
    for part in parts:
        head = [f"[{part.heading}]"] if part.heading else []
        blocks.append("\n".join(head + part.lines))
    return "\n\n".join(blocks)


def drafts(result: Any) -> list[Draft]:
    """The lyric drafts of a *Write lyrics* result (``{"variants": [{"title", "text"}]}``);
    drafts without text are left out."""
    variants = result.get("variants") if isinstance(result, dict) else None
    out = []
    for i, v in enumerate(variants if isinstance(variants, list) else []):
        if not isinstance(v, dict) or not isinstance(v.get("text"), str) or not v["text"].strip():
            continue
        text = clean_text(v["text"])
        title = v.get("title")
        name = title.strip() if isinstance(title, str) and title.strip() else f"Draft {i + 1}"
        out.append(Draft(name, text, sections(text)))
    return out


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number and number >= 0 else None   # no NaN, no negatives


def timed_lines(result: Any) -> list[TimedSection]:
    """Aligned words (``result["alignedWords"]``) as sections of lines of `Word`s."""
    items = result.get("alignedWords") if isinstance(result, dict) else None
    out: list[TimedSection] = []
    line: list[Word] = []

    def end_line() -> None:
        nonlocal line
        if line:
            if not out:
                out.append(TimedSection(None))
            out[-1].lines.append(line)
            line = []

    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict) or not isinstance(item.get("word"), str):
            continue
        token = clean_text(item["word"]) if "\\n" in item["word"] else item["word"]
        start, end = _number(item.get("startS")), _number(item.get("endS"))
        for n, chunk in enumerate(_INLINE_HEADING.split(token)):
            if n % 2:                                   # a "[Chorus]" inside the token
                end_line()
                out.append(TimedSection(chunk.strip()))
                continue
            for k, piece in enumerate(chunk.split("\n")):
                if k:
                    end_line()
                word = piece.strip()
                if word and start is not None:
                    line.append(Word(word, start, max(start, end if end is not None else start)))
    end_line()
    return [s for s in out if s.lines or s.heading]


def timed_text(parts: list[TimedSection]) -> str:
    """Timed lyrics as plain lyrics text."""
    return as_text(timed_sections(parts))


def word_count(parts: list[TimedSection]) -> int:
    return sum(len(line) for p in parts for line in p.lines)


def source_audio(log: TaskLog, track_id: str | None, assets_dir: Path | None) -> Download | None:
    """The archived MP3 of a track (else its provider URL), e.g. the one lyrics were aligned
    to; None when the log has no such track or no audio for it."""
    track = log.get_track(track_id) if track_id else None
    if track is None:
        return None
    local = rel_path(track["local_audio_path"], assets_dir) if track["local_audio_path"] else None
    url = track["audio_url"] or track["stream_audio_url"]
    return Download("mp3", "MP3", local, url) if local or url else None


# -- the karaoke player ---------------------------------------------------------------------------
_STYLE = """
:root{color-scheme:dark}
html{background:#171614}
body{margin:0;font-family:"Source Sans Pro","Source Sans 3",sans-serif;color:#fafafa;
background:transparent}
audio{width:100%;margin:0 0 .5rem 0}
.lyrics{max-height:__BOX__px;overflow-y:auto;padding:0 .25rem;line-height:1.7}
h4{margin:.9rem 0 .2rem 0;font-size:.95rem;color:#f97316;font-weight:600}
h4:first-child{margin-top:0}
.line{margin:0}
.w{cursor:pointer;border-radius:.25rem;padding:0 .06rem;color:rgba(250,250,250,.6)}
.w:hover{text-decoration:underline}
.w.__PAST__{color:#fafafa}
.w.__NOW__{background:#f97316;color:#0e1117}
"""

_SCRIPT = """
(function(){
try{  // the page's own background (a dark iframe is drawn opaque)
  const app=window.parent.document.querySelector("[data-testid=stApp]");
  const bg=app&&getComputedStyle(app).backgroundColor;
  if(bg&&bg!=="rgba(0, 0, 0, 0)")document.documentElement.style.background=bg;
}catch(e){}
const audio=document.getElementById("karaoke-audio");
const box=document.querySelector(".lyrics");
const words=Array.from(document.querySelectorAll(".w"));
const starts=words.map(w=>parseFloat(w.dataset.s));
const ends=words.map(w=>parseFloat(w.dataset.e));
let current=-1;
function at(t){let lo=0,hi=starts.length-1,found=-1;
  while(lo<=hi){const m=(lo+hi)>>1;if(starts[m]<=t){found=m;lo=m+1;}else{hi=m-1;}}
  return found;}
function show(i){
  if(i===current)return;
  const lo=Math.min(i,current),hi=Math.max(i,current);
  for(let k=Math.max(lo,0);k<=hi;k++){
    words[k].classList.toggle("__PAST__",k<i);words[k].classList.remove("__NOW__");}
  if(i>=0){const w=words[i];w.classList.add("__NOW__");
    const top=w.offsetTop-box.offsetTop;
    if(top<box.scrollTop||top>box.scrollTop+box.clientHeight-30){
      box.scrollTop=Math.max(0,top-box.clientHeight/3);}}
  current=i;document.body.dataset.word=String(i);}
function tick(){show(at(audio.currentTime));}
function loop(){tick();if(!audio.paused&&!audio.ended)requestAnimationFrame(loop);}
audio.addEventListener("timeupdate",tick);
audio.addEventListener("seeked",tick);
audio.addEventListener("play",()=>requestAnimationFrame(loop));
words.forEach((w,i)=>w.addEventListener("click",()=>{
  audio.currentTime=starts[i]+0.001;show(i);audio.play().catch(()=>{});}));
})();
"""


def karaoke_height(parts: list[TimedSection], box: int = 360) -> int:
    """The height (px) the player needs: the audio bar and the lyrics box (scrolls beyond)."""
    lines = sum(len(p.lines) for p in parts)
    headings = sum(1 for p in parts if p.heading)
    return 64 + min(box, lines * 28 + headings * 40 + 8)


def karaoke_html(audio_url: str, parts: list[TimedSection], box: int = 360) -> str:
    """A self-contained HTML page: the track's player and the timed words (see module doc)."""
    body = []
    index = 0
    for part in parts:
        if part.heading:
            body.append(f"<h4>{html.escape(part.heading)}</h4>")
        for line in part.lines:
            spans = []
            for word in line:
                spans.append(f'<span class="w" data-i="{index}" data-s="{word.start:.3f}" '
                             f'data-e="{word.end:.3f}">{html.escape(word.text)}</span>')
                index += 1
            body.append(f'<p class="line">{" ".join(spans)}</p>')
    def fill(text: str) -> str:
        return (text.replace("__PAST__", PAST_CLASS).replace("__NOW__", NOW_CLASS)
                .replace("__BOX__", str(int(box))))

    return ("<!doctype html><html><head><meta charset='utf-8'><style>"
            + fill(_STYLE) + "</style></head><body data-word='-1'>"
            + f'<audio id="karaoke-audio" controls preload="metadata" '
              f'src="{html.escape(audio_url, quote=True)}"></audio>'
            + f'<div class="lyrics">{"".join(body)}</div>'
            + "<script>" + fill(_SCRIPT) + "</script></body></html>")


def alignment_of(log: TaskLog, track_id: str) -> list[TimedSection]:
    """The timed lyrics of the newest timestamped-lyrics task made from a track, or []."""
    task = log.latest_from_track(track_id, "timestamped_lyrics")
    if task is None:
        return []
    try:
        return timed_lines(json.loads(task.get("result_json") or "null"))
    except ValueError:
        return []


_MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*_[]<>#~$|"})


def to_markdown(parts: list[Section]) -> str:
    """Sections as Markdown: each heading a small heading, each line its own line (hard
    breaks), a blank line kept as a paragraph break; the words shown as themselves."""
    blocks = []
    for part in parts:
        lines = []
        if part.heading:
            lines.append(f"##### {part.heading.translate(_MARKDOWN)}")
        paragraph: list[str] = []
        for line in [*part.lines, ""]:
            if line:
                paragraph.append(line.translate(_MARKDOWN))
            elif paragraph:
                lines.append("  \n".join(paragraph))
                paragraph = []
        blocks.append("\n\n".join(lines))
    return "\n\n".join(b for b in blocks if b)


def timed_sections(parts: list[TimedSection]) -> list[Section]:
    """Timed lyrics as plain `Section`s (for `to_markdown`)."""
    return [Section(p.heading, [" ".join(w.text for w in line) for line in p.lines])
            for p in parts]


# -- "use these lyrics": a link to the Generate page ---------------------------------------------
#: query params of the Generate page naming lyrics to put in its song form
LINK_PARAMS = ("lyrics", "draft", "lyrics_of")


@dataclass(frozen=True)
class Picked:
    """Lyrics a link names: a title for the song and the text, or why there are none."""

    title: str | None
    text: str | None
    problem: str | None = None


def link_params(*, task_id: str | None = None, draft: int | None = None,
                track_id: str | None = None) -> dict[str, str]:
    """Query params naming lyrics: draft ``draft`` (1-based) of a *Write lyrics* task, the
    words of a timestamped-lyrics task, or a track's own lyrics (``track_id``)."""
    if track_id:
        return {"lyrics_of": track_id}
    params = {"lyrics": task_id or ""}
    if draft is not None:
        params["draft"] = str(draft)
    return params


def pick(log: TaskLog, params: Any) -> Picked | None:
    """The lyrics the Generate page's query params name (`link_params`); None when they name
    none."""
    track_id = params.get("lyrics_of")
    if track_id:
        track = log.get_track(str(track_id))
        if track is None or not (track["lyrics"] or "").strip():
            return Picked(None, None, "That track has no lyrics to reuse.")
        return Picked(track["title"], as_text(sections(track["lyrics"])))
    task_id = params.get("lyrics")
    if not task_id:
        return None
    task = log.get_task(str(task_id))
    result = None
    if task is not None:
        try:
            result = json.loads(task["result_json"] or "null")
        except ValueError:
            result = None
    if task is not None and task["op"] == "lyrics":
        found = drafts(result)
        try:
            n = int(params.get("draft") or 1)
        except ValueError:
            n = 0
        if 1 <= n <= len(found):
            return Picked(found[n - 1].title, found[n - 1].text)
        return Picked(None, None, f"That lyrics task has no draft {params.get('draft')}.")
    if task is not None and task["op"] == "timestamped_lyrics":
        parts = timed_lines(result)
        if parts:
            source = log.get_track(task["source_audio_id"] or "")
            return Picked(source["title"] if source else None, timed_text(parts))
    return Picked(None, None, "No lyrics were found for that link: the task is unknown or "
                  "returned no lyrics.")


def source_audio_id(log: TaskLog, task_id: str) -> str | None:
    """The audio id a task started from (None: not a transform, or no such task)."""
    task = log.get_task(task_id)
    return task["source_audio_id"] if task else None
