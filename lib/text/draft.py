"""Drafts of a form's free text from a short brief: `draft(kind, brief, ...)`.

Kinds (`KINDS`):

* ``song`` - a custom-mode song, asked for as a JSON object ``{title, style, lyrics}``
  (lyrics sectioned with ``[Verse]`` / ``[Chorus]`` tags) and checked field by field as the
  body of the ``generate`` operation for the chosen music model (`lib.contract.validation`:
  the same limits the form enforces) plus the section tags. An answer that does not fit is
  kept whole: ``Draft.text`` is the answer as written, ``Draft.problems`` says what is wrong;
  nothing is truncated.
* ``image_prompt`` / ``video_prompt`` - one prompt for an image or a video model, plain text;
* ``music_prompt`` - one short description of music (a sound, a lyrics theme, a simple-mode
  song), plain text.

Which kind a form drafts, and into which of its fields, is the operation's own word
(`lib.contract.operation.DraftSpec`, read by `lib.text.forms`).

The answer streams: ``on_delta`` gets each piece as it arrives; the call is a task-log row
(`lib.text.calls`).
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lib import ops
from lib.contract.fields import MODEL
from lib.contract.validation import limits_for, validate
from lib.text.calls import TextCall, TextCalls

KINDS = ("song", "image_prompt", "video_prompt", "music_prompt")
SONG_FIELDS = ("title", "style", "lyrics")
REQUIRED_TAGS = ("[Verse", "[Chorus")
_SYSTEM = {
    "song": "You write songs for a music model. Answer with one JSON object with the keys "
            "title, style and lyrics. lyrics: sectioned song lyrics, each section headed by "
            "its tag on its own line ([Verse], [Chorus], [Bridge]...), at least one [Verse] "
            "and one [Chorus]. style: genre, mood and instruments in one line. title: short.",
    "image_prompt": "You write prompts for an image model (cover art): one image prompt "
                    "describing subject, style, lighting and composition. Answer with the "
                    "prompt only.",
    "video_prompt": "You write prompts for a video model: one video prompt describing the "
                    "scene, the camera shot and motion. Answer with the prompt only.",
    "music_prompt": "You describe music for a music model: one short description (genre, "
                    "mood, instruments, what it is about) in plain words, under 400 "
                    "characters. Answer with the description only.",
}
_USER = {"song": "Write a song (lyrics, style and title) about: {brief}. Limits: title at most "
                 "{title} characters, style at most {style}, lyrics at most {prompt}.",
         "image_prompt": "Write an image prompt for: {brief}",
         "video_prompt": "Write a video prompt for: {brief}",
         "music_prompt": "Describe the music for: {brief}"}


@dataclass(frozen=True)
class Problem:
    """What is wrong with one field of a drafted answer (``limit``: a rule of the generate
    form, which a form the draft goes into checks again by its own rules)."""

    field: str
    message: str
    limit: bool = dataclasses.field(default=False, compare=False)


@dataclass
class Draft:
    """A draft: the answer as written (``text``), its fields (a song's title, style, lyrics;
    a prompt's ``prompt``) when it parsed, and what does not fit (``problems``: empty = usable
    as it is)."""

    kind: str
    text: str
    fields: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    call: TextCall | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_json(self) -> dict[str, Any]:
        call = self.call
        return {"kind": self.kind, "ok": self.ok, "text": self.text, "fields": self.fields,
                "problems": [{"field": p.field, "message": p.message} for p in self.problems],
                "task_id": call.task_id if call else None,
                "model": call.model if call else None,
                "usage": call.usage if call else None,
                "latency_s": call.latency_s if call else None,
                "first_token_s": call.first_token_s if call else None}


def song_limits(music_model: str) -> dict[str, int]:
    """The generate operation's character limits for ``music_model`` in custom mode."""
    return limits_for(ops.get("generate"), music_model, {"customMode": True})


def song_body(fields: dict[str, str], music_model: str) -> dict[str, Any]:
    """The custom-mode generate body a drafted song makes (lyrics sung as the prompt)."""
    return {"customMode": True, "instrumental": False, "model": music_model,
            "prompt": fields.get("lyrics", ""), "style": fields.get("style", ""),
            "title": fields.get("title", "")}


def check_song(text: str, music_model: str) -> tuple[dict[str, str], list[Problem]]:
    """A song answer's fields and every problem: not JSON, a missing or non-text field, a
    field over the generate operation's limit for ``music_model``, lyrics without a
    ``[Verse]`` or ``[Chorus]`` tag. The values are kept whole."""
    try:
        data = json.loads(_json_part(text))
    except ValueError:
        return {}, [Problem("answer", "The answer is not a JSON object.")]
    if not isinstance(data, dict):
        return {}, [Problem("answer", "The answer is not a JSON object.")]
    fields: dict[str, str] = {}
    problems: list[Problem] = []
    for name in SONG_FIELDS:
        value = data.get(name)
        if not isinstance(value, str) or not value.strip():
            problems.append(Problem(name, f"The answer has no {name}."))
        else:
            fields[name] = value
    names = {"prompt": "lyrics"}
    for error in validate(ops.get("generate"), song_body(fields, music_model)):
        name = names.get(error.field, error.field)
        if name in fields:  # a missing field is reported once, above
            problems.append(Problem(name, error.message, limit=True))
    lyrics = fields.get("lyrics", "")
    for tag in REQUIRED_TAGS:
        if lyrics and not re.search(re.escape(tag) + r"[^\]]*\]", lyrics, re.IGNORECASE):
            problems.append(Problem("lyrics", f"The lyrics have no {tag}] section tag."))
    return fields, problems


def _json_part(text: str) -> str:
    """The JSON object of an answer (a model may fence it in ```json ... ```)."""
    fenced = re.search(r"```(?:json)?\s*(\{.*\})\s*```", text, re.DOTALL)
    return fenced.group(1) if fenced else text.strip()


def messages_for(kind: str, brief: str, music_model: str = str(MODEL.default)
                 ) -> list[dict[str, str]]:
    """The messages a draft sends."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r} (one of {', '.join(KINDS)})")
    limits = song_limits(music_model) if kind == "song" else {}
    return [{"role": "system", "content": _SYSTEM[kind]},
            {"role": "user", "content": _USER[kind].format(brief=brief.strip(), **limits)}]


def draft(kind: str, brief: str, calls: TextCalls, model: str, *,
          music_model: str = str(MODEL.default),
          on_delta: Callable[[str], None] | None = None, task_id: str | None = None,
          **params: Any) -> Draft:
    """Draft ``kind`` from ``brief`` with the text ``model``, streaming each piece to
    ``on_delta``. A song is asked for as JSON and checked against ``music_model``'s limits.
    Provider errors are raised (the task row records them first)."""
    if not brief.strip():
        raise ValueError("The brief is empty.")
    messages = messages_for(kind, brief, music_model)
    if kind == "song":
        params = {"response_format": {"type": "json_object"}, **params}
    call, deltas = calls.stream(model, messages, on_delta=on_delta, brief=brief.strip(),
                                task_id=task_id, **params)
    for _ in deltas:
        pass
    return check(kind, call.text, music_model, call)


def check(kind: str, text: str, music_model: str = str(MODEL.default),
          call: TextCall | None = None) -> Draft:
    """A draft of ``kind`` from an answer's ``text`` (a logged answer read again, too)."""
    if kind == "song":
        fields, problems = check_song(text, music_model)
        return Draft(kind, text, fields, problems, call)
    prompt = text.strip()
    problems = [] if prompt else [Problem("prompt", "The answer is empty.")]
    return Draft(kind, text, {"prompt": prompt} if prompt else {}, problems, call)
