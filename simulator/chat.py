"""Chat answers for the OpenAI-compatible text route (`routes_openai`): deterministic from the
messages (the same messages give the same answer, `variant` tells the `n` choices apart; the
temperature changes nothing), written with `texts`.

What the last user message (with the system message as context) asks for decides the answer:

* a song (lyrics, verse, chorus, song, Suno...): a title, a style line and sectioned lyrics
  with [Verse]/[Chorus]/[Bridge] tags;
* an image prompt (cover, artwork, image, picture...): one prompt for an image model;
* a video prompt (video, clip, shot, scene...): one prompt with camera and motion (a message
  asking for a prompt is an image or video request even when it is about a song);
* anything else: a short plan that names the brief's content words.

JSON answers (`response_format` json_object / json_schema, tool arguments): with a schema every
property is filled by its name and type; without one the keys the messages name (`"title":`,
backticked names, "keys: a, b") or the intent's defaults (song: title, style, lyrics; image and
video: prompt, negative_prompt; other: answer) are filled by name: title, style/tags, lyrics,
prompt, image_prompt, video_prompt, negative_prompt, description, mood, bpm, key, instruments...
"""

from __future__ import annotations

import json
import re
from typing import Any

from simulator import texts
from simulator.synth import spec_from_request

TEXT_MODELS = {  # id -> display name (contract-media 3: the ids seen with AnyInt)
    "claude-sonnet-4-6": "Claude Sonnet 4.6", "gpt-5": "GPT-5", "gpt-5.5": "GPT-5.5",
    "deepseek-v3.2-exp": "DeepSeek V3.2 Exp", "qwen3-max": "Qwen3 Max", "gemini-2.5-pro": "Gemini 2.5 Pro",
}
EMBEDDING_MODELS = {"text-embedding-v4": "Text Embedding v4"}
_INTENTS = (  # checked in order on the last user message, then on the system message
    ("song", ("lyric", "verse", "chorus", "song", "suno", "hook", "bridge")),
    ("video", ("video", "clip", "shot", "scene", "footage", "animation")),
    ("image", ("image", "cover", "artwork", "picture", "poster", "illustration", "thumbnail")),
)
_INSTRUCTIONS = frozenset(("json", "return", "respond", "answer", "reply", "output", "format", "object", "give",
                           "only", "keys", "key", "fields", "field", "valid", "schema", "using"))
_KEYS = ("bpm", "tempo", "key", "mood", "instruments", "duration", "language")
_TOKEN = re.compile(r"\s*\S+|\s+$")
_NAME = r"[A-Za-z_]\w*"
_LISTED = re.compile(rf"\b(?:keys|fields|properties)\b\s*[:\-]?\s*({_NAME}(?:\s*(?:,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+){_NAME})*)")


def message_text(message: dict[str, Any]) -> str:
    """A message's text: its `content` string, or its text parts joined."""
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(str(p.get("text", "")) for p in content if isinstance(p, dict) and p.get("type") == "text")
    return ""


def _brief(messages: list[dict[str, Any]]) -> tuple[str, str]:
    """(last user message, system and developer messages)."""
    user = next((message_text(m) for m in reversed(messages) if m.get("role") == "user"), "")
    system = " ".join(message_text(m) for m in messages if m.get("role") in ("system", "developer"))
    return user, system


def _content(brief: str) -> str:
    """A brief without its format instructions (JSON examples, key names, "return json with
    keys ..."), so titles and prompts come from what it is about."""
    text = re.sub(r"\{[^{}]*\}|`[^`]*`", " ", brief)
    text = re.sub(r'"[A-Za-z_]\w*"\s*:', " ", text)
    listed = _LISTED.search(text)
    if listed:
        text = text.replace(listed.group(0), " ")
    return " ".join(w for w in text.split() if w.lower().strip(".,:;!?") not in _INSTRUCTIONS)


def intent(messages: list[dict[str, Any]]) -> str:
    """song | video | image | general: a request for a *prompt* is an image or video request
    even when it is about a song; otherwise the first intent whose words appear."""
    for text in _brief(messages):
        low = text.lower()
        hits = [name for name, words in _INTENTS if any(w in low for w in words)]
        if "prompt" in low and {"video", "image"} & set(hits):
            return "video" if "video" in hits else "image"
        if hits:
            return hits[0]
    return "general"


def _song(brief: str, variant: int) -> dict[str, str]:
    lyric = texts.lyrics_variants(brief, n=variant + 1)[variant]
    return {"title": lyric["title"], "style": texts.style_tags(brief), "lyrics": lyric["text"]}


def reply(messages: list[dict[str, Any]], variant: int = 0) -> str:
    """The plain-text answer."""
    brief = _content(_brief(messages)[0])
    kind = intent(messages)
    if kind == "song":
        song = _song(brief, variant)
        return f"Title: {song['title']}\nStyle: {song['style']}\n\n{song['lyrics']}"
    if kind == "image":
        return texts.image_prompt(f"{brief} {variant or ''}")
    if kind == "video":
        return texts.video_prompt(f"{brief} {variant or ''}")
    words = texts.keywords(brief)[:5] or ["your", "idea"]
    return (f"Here is a plan for {', '.join(words)}: 1. Write the lyrics and pick a style. "
            "2. Generate two takes and compare them. 3. Make the cover art and a short video. "
            "4. Review, rate and keep the best take.")


def requested_keys(messages: list[dict[str, Any]]) -> list[str]:
    """The JSON keys the messages ask for, in order (empty when they name none)."""
    text = "\n".join(message_text(m) for m in messages if m.get("role") in ("system", "developer", "user"))
    found = re.findall(r'"([A-Za-z_][A-Za-z0-9_]{0,40})"\s*:', text)
    if not found:
        found = re.findall(r"`([A-Za-z_][A-Za-z0-9_]{0,40})`", text)
    if not found:
        listed = _LISTED.search(text)
        found = re.findall(r"[A-Za-z_]\w*", listed.group(1)) if listed else []
        found = [w for w in found if w.lower() not in ("and", "or")]
    return list(dict.fromkeys(found))


def _value(name: str, kind: str, brief: str, variant: int) -> Any:
    """A value for a key, chosen by its name (and the intent, for the ambiguous `prompt`)."""
    key = name.lower().replace("-", "_")
    song = _song(brief, variant)
    spec = spec_from_request(brief, None, None, None, False, 20, 0)
    if "negative" in key:
        return "off-key vocals, harsh distortion" if kind == "song" else "blurry, low quality, watermark, distorted text"
    if key in ("title", "name", "song_title", "track_title"):
        return song["title"]
    if key in ("style", "styles", "tags", "genre", "genres", "style_tags"):
        return song["style"]
    if key in ("lyrics", "song", "text") or (key == "prompt" and kind == "song"):
        return song["lyrics"]
    if "image" in key or "cover" in key or key.startswith("art") or (key == "prompt" and kind != "video"):
        return texts.image_prompt(brief)
    if "video" in key or "motion" in key or (key == "prompt" and kind == "video"):
        return texts.video_prompt(brief)
    if key in ("bpm", "tempo"):
        return int(spec.tempo_bpm)
    if key == "key":
        return f"{('C', 'C#', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B')[spec.key]} {spec.scale}"
    if key == "mood":
        return texts.mood(brief)
    if key == "instruments":
        return [i.replace("_", " ") for i in spec.instruments]
    if key in ("duration", "seconds", "length"):
        return 20
    if key == "language":
        return "en"
    if key in ("description", "summary", "concept", "brief", "answer", "plan", "reply", "content"):
        return reply([{"role": "user", "content": brief}], variant) if key in ("answer", "reply", "content") \
            else f"A {song['style']} song about {' '.join(texts.keywords(brief)[:4]) or 'the brief'}."
    return " ".join(texts.keywords(f"{name} {brief}")[:4]) or name


def _resolve(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/"):
        node: Any = root
        for part in ref[2:].split("/"):
            node = node.get(part, {}) if isinstance(node, dict) else {}
        return node if isinstance(node, dict) else {}
    return schema


def fill(schema: dict[str, Any], name: str, kind: str, brief: str, variant: int = 0,
         root: dict[str, Any] | None = None, depth: int = 0) -> Any:
    """A value that satisfies a JSON schema (object, array, string, number, integer, boolean,
    enum/const, anyOf/oneOf, local $ref), its strings and numbers chosen by the key's name."""
    root = root if root is not None else schema
    schema = _resolve(schema if isinstance(schema, dict) else {}, root)
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return schema["enum"][0]
    for alt in ("anyOf", "oneOf"):
        if schema.get(alt):
            options = [s for s in schema[alt] if isinstance(s, dict) and s.get("type") != "null"] or schema[alt]
            return fill(options[0], name, kind, brief, variant, root, depth)
    kind_of = schema.get("type")
    if isinstance(kind_of, list):
        kind_of = next((t for t in kind_of if t != "null"), "null")
    if kind_of is None:
        kind_of = "object" if "properties" in schema else "string"
    if kind_of == "object":
        props = schema.get("properties") or {}
        if depth > 6:
            return {}
        return {k: fill(v, k, kind, brief, variant, root, depth + 1) for k, v in props.items()}
    if kind_of == "array":
        count = max(int(schema.get("minItems", 2)), 1)
        count = min(count, int(schema.get("maxItems", count)))
        item = schema.get("items") if isinstance(schema.get("items"), dict) else {}
        return [fill(item, name.rstrip("s"), kind, brief, variant + i, root, depth + 1) for i in range(count)]
    if kind_of in ("integer", "number"):
        guess = _value(name, kind, brief, variant) if name.lower() in _KEYS else None
        value = guess if isinstance(guess, (int, float)) and not isinstance(guess, bool) else 1
        low, high = schema.get("minimum"), schema.get("maximum")
        value = max(value, low) if low is not None else value
        value = min(value, high) if high is not None else value
        return int(value) if kind_of == "integer" else float(value)
    if kind_of == "boolean":
        return True
    if kind_of == "null":
        return None
    value = _value(name, kind, brief, variant)
    value = value if isinstance(value, str) else ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return value[: schema["maxLength"]] if isinstance(schema.get("maxLength"), int) else value


def json_reply(messages: list[dict[str, Any]], variant: int = 0, schema: dict[str, Any] | None = None) -> str:
    """The answer as JSON text (an object)."""
    brief = _content(_brief(messages)[0])
    kind = intent(messages)
    if schema:
        value = fill(schema, "answer", kind, brief, variant)
    else:
        defaults = {"song": ["title", "style", "lyrics"], "image": ["prompt", "negative_prompt"],
                    "video": ["prompt", "negative_prompt"]}.get(kind, ["answer"])
        value = {k: _value(k, kind, brief, variant) for k in requested_keys(messages) or defaults}
    return json.dumps(value, ensure_ascii=False, indent=2)


def tool_arguments(parameters: dict[str, Any] | None, messages: list[dict[str, Any]]) -> str:
    """A function call's arguments (JSON text) filled from its parameters schema."""
    brief = _content(_brief(messages)[0])
    return json.dumps(fill(parameters or {"type": "object"}, "arguments", intent(messages), brief),
                      ensure_ascii=False)


def pieces(text: str) -> list[str]:
    """The text as streamed pieces (one token each: a word with its leading whitespace); joined
    they give the text back."""
    return _TOKEN.findall(text or "")


def count_tokens(text: str) -> int:
    """Tokens of a text, as this simulator counts them (its streamed pieces)."""
    return len(pieces(text))
