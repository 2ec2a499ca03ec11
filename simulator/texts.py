"""Texts for the simulator: lyrics, style boosts and timestamped lyrics; style tags, image and
video prompts written from a brief, and the rewritten prompts of `prompt_extend` (deterministic,
no network)."""
from __future__ import annotations

import hashlib
import random
import re

import numpy as np

from simulator.synth import SR, spec_from_request

_STOP = frozenset(["a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "had", "has", "have", "her", "his", "how", "i", "in", "into", "is", "it", "its", "me", "my", "of", "on", "or", "our", "she", "so", "that", "the", "their", "them", "then", "there", "they", "this", "to", "up", "was", "we", "were", "what", "when", "where", "which", "who", "why", "will", "with", "you", "your", "about", "song", "songs", "make", "write", "lyrics", "please", "like", "want"])
_NOUNS = ("heart", "night", "city", "fire", "river", "light", "road", "sky", "rain", "dream", "ocean",
          "star", "shadow", "morning", "window", "echo", "mountain", "summer", "storm", "signal")
_VERBS = ("run", "burn", "fall", "shine", "hold on", "chase", "break", "dance", "wait", "rise", "fade",
          "sing", "drive", "call")
_ADJS = ("golden", "electric", "broken", "silver", "endless", "quiet", "wild", "neon", "hollow",
         "burning", "gentle", "restless")
_VERSE = ("{Adj} {noun} in the {noun2}", "I {verb} through the {adj} {noun}", "we {verb} until the {noun} is gone",
          "you left a {noun} on my {noun2}", "counting every {adj} {noun}", "the {noun} remembers what we said",
          "walking where the {noun2}s used to be", "a {adj} {noun} beneath the {noun2}")
_HOOK = ("oh, {noun}, don't let me {verb}", "we are the {adj} {noun}", "{verb} with me tonight",
         "{Adj} {noun}, {adj} {noun2}", "all I need is the {noun}", "hey, {noun}, we {verb} forever")
_BRIDGE = ("and if the {noun} should fall", "I'll {verb} again", "no {noun2} can hold us now",
           "just breathe, just {verb}")
_INSTRUMENT_PHRASES = {"backing_vocals": "layered harmonies", "drums": "punchy drums", "bass": "a warm bass line",
                       "guitar": "crunchy guitars", "keyboard": "bright keys", "strings": "lush strings",
                       "brass": "bold brass stabs", "woodwinds": "airy woodwinds",
                       "percussion": "shuffling percussion", "synth": "shimmering synth arpeggios",
                       "fx": "risers and sweeps"}
_KEYS = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
_FLAVOURS = ("hushed verses open into a wide, soaring chorus", "a tight groove carries a hook you hum after one listen",
             "the arrangement builds patiently to a cathartic final chorus",
             "reverb-soaked textures frame an intimate lead vocal",
             "unexpected chord turns keep the energy restless", "a crisp, modern mix with deep low end")


def _rng(*parts) -> random.Random:
    """A private RNG seeded by a stable hash of `parts`."""
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def keywords(prompt: str) -> list[str]:
    """Content words of a prompt (lower case, no stop words, no duplicates, in order)."""
    seen: dict[str, None] = {}
    for w in re.findall(r"[a-z][a-z']{2,}", (prompt or "").lower()):
        if w not in _STOP:
            seen.setdefault(w)
    return list(seen)


def _line(rng: random.Random, templates, nouns) -> str:
    """One lyric line from a random template, filled with prompt words and vocabulary."""
    adj = rng.choice(_ADJS)
    text = rng.choice(templates).format(adj=adj, Adj=adj.capitalize(), noun=rng.choice(nouns),
                                        noun2=rng.choice(_NOUNS), verb=rng.choice(_VERBS))
    text = re.sub(r"\b([Aa]) (?=[aeiou])", r"\1n ", text)                 # "a ocean" -> "an ocean"
    return text[0].upper() + text[1:]


def lyrics_variants(prompt: str, n: int = 2) -> list[dict]:
    """`n` different lyrics ({"title", "text"}) with [Verse]/[Chorus]/[Bridge] sections."""
    words = keywords(prompt)
    out = []
    for i in range(n):
        rng = _rng(prompt, i)
        nouns = words * 2 + list(_NOUNS) if words else list(_NOUNS)
        chorus = [_line(rng, _HOOK, nouns) for _ in range(2)] * 2
        sections = [("Verse", [_line(rng, _VERSE, nouns) for _ in range(4)]), ("Chorus", chorus),
                    ("Verse", [_line(rng, _VERSE, nouns) for _ in range(4)]), ("Chorus", chorus),
                    ("Bridge", [_line(rng, _BRIDGE, nouns) for _ in range(2)]), ("Chorus", chorus)]
        title = f"{rng.choice(_ADJS)} {rng.choice(words or list(_NOUNS))}".title()
        out.append({"title": title, "text": "\n\n".join(f"[{name}]\n" + "\n".join(lines) for name, lines in sections)})
    return out


def boost_style(content: str) -> str:
    """Expand short style tags ("Pop, Mysterious") into a richer style description, deterministically.

    Tempo, key and instruments are the ones the simulator's synth derives from the same text."""
    tags = [t.strip() for t in re.split(r"[,;/\n]", content or "") if t.strip()] or ["Pop"]
    spec = spec_from_request(content, None, None, None, False, 20, 0)
    rng = _rng("boost", content)
    parts = [_INSTRUMENT_PHRASES[i] for i in spec.instruments if i in _INSTRUMENT_PHRASES]
    gear = ", ".join(parts[:-1]) + f" and {parts[-1]}" if len(parts) > 1 else "".join(parts)
    first, second = rng.sample(_FLAVOURS, 2)
    return (f"{', '.join(tags)}. A {' '.join(t.lower() for t in tags[::-1])} track at "
            f"{spec.tempo_bpm:.0f} BPM in {_KEYS[spec.key]} {spec.scale}, with {gear}; {first}, and {second}.")


def tokens(lyrics: str) -> list[str]:
    """Suno-style aligned-word tokens: each word with its trailing space or newline, section
    headers ("[Verse]\\n") prefixed to the next word; joined they give the non-blank lyric lines."""
    out, header = [], ""
    for line in (lyrics or "").splitlines():
        line = line.strip()
        if re.fullmatch(r"\[[^\]]*\]", line):
            header += line + "\n"
        elif line:
            words = line.split()
            out += [(header if i == 0 else "") + w + (" " if i < len(words) - 1 else "\n") for i, w in enumerate(words)]
            header = ""
    return out + ([header] if header else [])


def _envelope(pcm, duration: float, frames: int) -> np.ndarray:
    """RMS of the mono PCM in `frames` equal slices of its first `duration` seconds (zeros if none)."""
    if pcm is None or len(pcm) == 0:
        return np.zeros(frames)
    mono = np.asarray(pcm, np.float32).reshape(len(pcm), -1).mean(axis=1)[:max(int(duration * SR), 1)]
    edges = np.linspace(0, len(mono), frames + 1).astype(int)
    sums = np.add.reduceat(np.square(mono, dtype=np.float64), edges[:-1]) if len(mono) >= frames else np.zeros(frames)
    return np.sqrt(sums / np.maximum(np.diff(edges), 1))


def align_words(lyrics: str, duration: float, pcm=None, waveform_points: int = 200):
    """(alignedWords, waveformData) for lyrics sung over `duration` seconds of `pcm`.

    Words are spread over the voiced frames of the RMS envelope (pass the vocals stem for a good
    fit; a silent or missing pcm spreads them evenly), weighted by length, monotonic and inside
    [0, duration]. waveformData is the RMS envelope in `waveform_points` values 0..1."""
    duration = max(float(duration), 0.0)
    frames = max(int(duration * 20), 1)                                # 50 ms analysis frames
    dt = duration / frames
    env = _envelope(pcm, duration, frames)
    voiced = env > .15 * env.max() if env.max() > 0 else np.ones(frames, bool)
    cum = np.concatenate([[0], np.cumsum(voiced)])                     # voiced frames before frame k

    def at(share: float) -> float:
        """The time by which `share` (0..1) of the voiced frames have passed."""
        x = max(share * cum[-1], 1e-9)
        k = min(int(np.searchsorted(cum[1:], x)), frames - 1)         # the voiced frame holding x
        return (k + min(x - cum[k], 1.0)) * dt

    words = tokens(lyrics)
    weights = np.array([len(re.sub(r"\[[^\]]*\]|\W", "", w)) + 1.0 for w in words])
    q = np.concatenate([[0.0], np.cumsum(weights) / weights.sum()]) if words else [0.0]
    aligned = []
    for i, w in enumerate(words):
        start = at(q[i])
        end = min(at(q[i + 1]), start + (q[i + 1] - q[i]) * cum[-1] * dt)  # never across a silence
        aligned.append({"word": w, "success": True, "startS": round(float(start), 2),
                        "endS": round(float(end), 2), "palign": 0})
    wave = _envelope(pcm, duration, waveform_points)
    wave = wave / wave.max() if wave.max() > 0 else wave
    return aligned, [round(float(v), 4) for v in wave]


_GENRE_WORDS = ("synthwave", "pop", "rock", "indie", "folk", "jazz", "blues", "soul", "funk", "hip hop",
                "rap", "trap", "edm", "house", "techno", "ambient", "lofi", "classical", "cinematic",
                "country", "reggae", "latin", "metal", "punk", "r&b", "dance", "acoustic", "orchestral")
_MOODS = ("dreamy", "uplifting", "melancholic", "energetic", "moody", "warm", "nostalgic", "euphoric",
          "hypnotic", "bittersweet")
_LIGHT = ("warm golden-hour light", "neon glow", "soft diffused light", "moody low-key lighting",
          "crisp morning light", "volumetric haze", "candle-lit shadows")
_LOOKS = ("film grain", "high detail", "shallow depth of field", "rich colour grading", "painterly texture",
          "clean vector shapes", "35 mm photograph", "risograph print")
_CAMERA = ("slow push-in", "gentle dolly left", "orbiting shot", "locked-off wide shot", "slow crane up",
           "handheld close-up", "tracking shot")
_MOTION = ("light flickers across the scene", "dust drifts through the air", "the crowd sways in time",
           "reflections ripple slowly", "clouds race overhead", "the camera breathes with the beat")


def mood(brief: str) -> str:
    """The brief's mood word, or one picked from it."""
    return next((m for m in _MOODS if m in (brief or "").lower()), None) or _rng("mood", brief).choice(_MOODS)


def style_tags(brief: str) -> str:
    """Suno-style style tags for a brief: its genre and mood words (or ones picked from it), the
    instruments and tempo the simulator's synth hears in it."""
    text = (brief or "").lower()
    genres = [g for g in _GENRE_WORDS if re.search(rf"(?<![a-z]){re.escape(g)}(?![a-z])", text)][:2]
    spec = spec_from_request(brief, None, None, None, False, 20, 0)
    gear = [i.replace("_", " ") for i in spec.instruments][:3]
    genres = genres or [_rng("style", brief).choice(_GENRE_WORDS[:8])]
    return ", ".join([*genres, mood(brief), *gear, f"{spec.tempo_bpm:.0f} BPM"])


_MEDIA_WORDS = frozenset(("cover", "image", "prompt", "picture", "video", "clip", "art", "artwork", "album",
                          "poster", "shot", "scene", "music"))


def _subject(brief: str) -> str:
    """The first content words of a brief that are not genre or media words."""
    words = [w for w in keywords(brief) if w not in _GENRE_WORDS and w not in _MEDIA_WORDS] or list(_NOUNS[:3])
    return " ".join(words[:4])


def image_prompt(brief: str) -> str:
    """A prompt for a cover image of a brief."""
    rng = _rng("image", brief)
    subject = _subject(brief)
    return (f"Album cover art: {subject}, {rng.choice(_ADJS)} {rng.choice(_NOUNS)} in the background, "
            f"{rng.choice(_LIGHT)}, {', '.join(rng.sample(_LOOKS, 2))}, centred composition, "
            "no text")


def video_prompt(brief: str) -> str:
    """A prompt for a short music video shot of a brief."""
    rng = _rng("video", brief)
    return (f"{rng.choice(_CAMERA).capitalize()} on {_subject(brief)}, {rng.choice(_LIGHT)}, "
            f"{rng.choice(_MOTION)}, cinematic, smooth motion, 5 seconds")


def extend_prompt(prompt: str, kind: str = "image") -> str:
    """The rewritten prompt DashScope reports as `actual_prompt` when `prompt_extend` is on: the
    original plus a few concrete details (`kind` "image" or "video")."""
    rng = _rng("extend", kind, prompt)
    details = [rng.choice(_LIGHT), rng.choice(_LOOKS)]
    if kind == "video":
        details.insert(0, rng.choice(_CAMERA))
        details.append(rng.choice(_MOTION))
    return f"{(prompt or '').strip().rstrip('.')}. " + ", ".join(details).capitalize() + "."
