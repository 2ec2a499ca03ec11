"""Deterministic song synthesis for the simulator: numpy only, no HTTP, no files.

`spec_from_request` turns a request's text into tempo, key, scale and instrumentation; `render`
turns a `SongSpec` into named stereo layers (the contract's stem names). A `Song`'s mix is always
`sum(layers) * gain`, so the stems returned by `stems` (layers times that gain) sum to the mix.

The source-based operations take decoded PCM, or a `Song` when the caller still has one (its real
layers are then kept, so stem separation of an extended track stays truthful). Source PCM that
cannot be separated becomes the catch-all `fx` layer (`vocals` for `add_instrumental`).
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from simulator import notes as note_events

SR = 44100
STEM_NAMES = ("vocals", "backing_vocals", "drums", "bass", "guitar", "keyboard", "strings",
              "brass", "woodwinds", "percussion", "synth", "fx")
VOCAL_LAYERS = ("vocals", "backing_vocals")
PEAK = 0.89              # peak of a normalised mix (about -1 dBFS)
EXTEND_XFADE = 0.25      # seconds of crossfade before `continue_at`
EDGE_XFADE = 0.02        # seconds of crossfade inside each edge of a replaced section
_BLOCK = 1 << 17         # samples rendered per vectorised block (bounds memory on long songs)

_MAJOR, _MINOR = (0, 2, 4, 5, 7, 9, 11), (0, 2, 3, 5, 7, 8, 10)
_PROGRESSIONS = ((0, 5, 3, 4), (0, 3, 4, 3), (5, 3, 0, 4), (0, 4, 5, 3), (0, 0, 3, 4), (3, 4, 0, 0))
_GENRES = (  # keywords, instruments, base tempo
    (("punk", "rock", "metal", "grunge", "indie", "alternative"), ("drums", "bass", "guitar"), 124),
    (("edm", "electronic", "house", "techno", "trance", "dubstep", "synthwave", "dance"),
     ("synth", "drums", "bass", "fx"), 126),
    (("hip hop", "hip-hop", "rap", "trap", "drill"), ("drums", "bass", "synth", "percussion"), 90),
    (("jazz", "blues", "swing", "soul", "funk"), ("keyboard", "bass", "drums", "brass"), 108),
    (("classical", "orchestral", "cinematic", "symphonic", "epic"),
     ("strings", "keyboard", "woodwinds", "brass"), 92),
    (("piano",), ("keyboard", "strings"), 84),
    (("folk", "acoustic", "country"), ("guitar", "bass", "percussion"), 100),
    (("latin", "reggae", "reggaeton", "afro", "salsa", "bossa"), ("percussion", "bass", "guitar", "brass"), 100),
    (("ambient", "lofi", "lo-fi", "chill", "dreamy"), ("keyboard", "synth", "fx"), 78),
    (("pop", "k-pop", "kpop"), ("drums", "bass", "keyboard", "synth"), 112),
)
_INSTRUMENT_WORDS = {"guitar": "guitar", "piano": "keyboard", "keys": "keyboard", "organ": "keyboard",
                     "synth": "synth", "strings": "strings", "violin": "strings", "cello": "strings",
                     "brass": "brass", "trumpet": "brass", "sax": "brass", "flute": "woodwinds",
                     "clarinet": "woodwinds", "drums": "drums", "beat": "drums", "bass": "bass",
                     "percussion": "percussion", "choir": "backing_vocals", "harmony": "backing_vocals",
                     "gospel": "backing_vocals"}
_DEFAULT_BANDS = (("drums", "bass", "keyboard"), ("drums", "bass", "guitar"), ("keyboard", "strings"),
                  ("synth", "drums", "bass"))
_MINOR_WORDS = ("sad", "dark", "minor", "melancholic", "melancholy", "moody", "mysterious", "gloomy",
                "somber", "haunting", "tragic", "lonely")
_MAJOR_WORDS = ("happy", "bright", "major", "uplifting", "joyful", "cheerful", "sunny")
_TEMPO_WORDS = {"punk": 45, "fast": 30, "hyper": 35, "energetic": 20, "upbeat": 15, "slow": -25,
                "ballad": -30, "calm": -15, "sleepy": -30, "lullaby": -35}
_LEVELS = {"vocals": .12, "backing_vocals": .05, "drums": .12, "bass": .09, "guitar": .06,
           "keyboard": .06, "strings": .05, "brass": .05, "woodwinds": .04, "percussion": .04,
           "synth": .05, "fx": .03}
_VOWELS = np.array([[800, 1150, 2900], [400, 2000, 2550], [350, 2300, 3000], [450, 800, 2830],
                    [325, 700, 2530]], dtype=np.float64)   # a e i o u formants (Hz)


@dataclass(frozen=True)
class SongSpec:
    """Everything `render` needs; equal specs render identical PCM."""
    seed: int
    tempo_bpm: float = 110.0
    key: int = 0                       # tonic pitch class, 0 = C
    scale: str = "major"               # "major" | "minor"
    instruments: tuple[str, ...] = ("drums", "bass", "keyboard")   # stem names, vocals excluded
    vocal: bool = True
    vocal_gender: str = "f"            # "m" | "f"
    seconds: float = 20.0
    variant: int = 0                   # 0 / 1: the two tracks of one task
    persona_timbre: float | None = None  # 0..1, a persona's stable voice colour

    def __post_init__(self):
        object.__setattr__(self, "instruments", tuple(self.instruments))
        unknown = set(self.instruments) - set(STEM_NAMES) | ({"vocals"} & set(self.instruments))
        if unknown or self.scale not in ("major", "minor") or self.vocal_gender not in ("m", "f"):
            raise ValueError(f"invalid SongSpec: {self}")
        if not (0 <= self.key < 12 and self.seconds > 0 and 30 <= self.tempo_bpm <= 300):
            raise ValueError(f"invalid SongSpec: {self}")
        if not self.vocal and not set(self.instruments) - set(VOCAL_LAYERS):
            raise ValueError("an instrumental SongSpec needs at least one instrument")


@dataclass
class Song:
    """Named float32 stereo layers of equal length; the mix is `sum(layers) * gain`.

    `spec` is the spec the song (or, for the source-based operations, its new material) was
    rendered from; it carries the key, scale and tempo that later extends follow. `notes` makes
    the note events of its layers on demand (`simulator.notes`; None: unknown, e.g. uploads)."""
    layers: dict[str, np.ndarray]
    gain: float = 1.0
    spec: SongSpec | None = None
    notes: Callable[[], dict] | None = None

    def __post_init__(self):
        shapes = {v.shape for v in self.layers.values()}
        if len(shapes) != 1 or next(iter(shapes))[1:] != (2,) or set(self.layers) - set(STEM_NAMES):
            raise ValueError(f"layers must be named stems of one (n, 2) shape, got {shapes}")

    @property
    def n_samples(self) -> int:
        """Length in samples at `SR`."""
        return next(iter(self.layers.values())).shape[0]

    @property
    def duration(self) -> float:
        """Length in seconds."""
        return self.n_samples / SR

    def mix(self) -> np.ndarray:
        """The float32 stereo mix: the layers summed, times `gain`."""
        out = np.zeros((self.n_samples, 2), np.float32)
        for layer in self.layers.values():
            out += layer
        return out * np.float32(self.gain)


def _hash(*parts) -> int:
    """A stable 64-bit hash of some text parts (Python's `hash` is salted per process)."""
    text = "\x1f".join("" if p is None else str(p) for p in parts)
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


def _found(text: str, words) -> list[str]:
    """The keywords of `words` that occur as whole words in `text`."""
    return [w for w in words if re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", text)]


def spec_from_request(style, tags, prompt, title, instrumental, seconds, variant, persona=None,
                      vocal_gender=None) -> SongSpec:
    """Derive a `SongSpec` deterministically from a request's text fields."""
    text = " ".join(str(p or "") for p in (style, tags, title, prompt)).lower()
    h = _hash(style, tags, prompt, title, persona)
    genres = [g for g in _GENRES if _found(text, g[0])]
    picked = {i for g in genres for i in g[1]} | {_INSTRUMENT_WORDS[w] for w in _found(text, _INSTRUMENT_WORDS)}
    picked.discard("backing_vocals")
    if not picked:
        picked = set(_DEFAULT_BANDS[h % len(_DEFAULT_BANDS)])
    if not instrumental and (_found(text, ("choir", "harmony", "gospel")) or h % 3 == 0):
        picked.add("backing_vocals")
    tempo = (genres[0][2] if genres else 84 + h % 50) + (h >> 8) % 9 - 4
    tempo += sum(_TEMPO_WORDS[w] for w in _found(text, _TEMPO_WORDS))
    minor = _found(text, _MINOR_WORDS) or (not _found(text, _MAJOR_WORDS) and (h >> 16) % 2)
    voice_hash = _hash(persona) if persona else h >> 24
    return SongSpec(seed=h % 2**32, tempo_bpm=float(min(max(tempo, 60), 190)), key=(h >> 4) % 12,
                    scale="minor" if minor else "major",
                    instruments=tuple(s for s in STEM_NAMES if s in picked), vocal=not instrumental,
                    vocal_gender=vocal_gender or ("m" if voice_hash % 2 else "f"),
                    seconds=float(seconds), variant=int(variant),
                    persona_timbre=(_hash(persona) % 1000) / 999 if persona else None)


class _Grid:
    """Tempo, key and chord grid shared by every part of one rendering."""

    def __init__(self, spec: SongSpec, n: int, rng: np.random.Generator):
        self.n, self.spb = n, SR * 60.0 / spec.tempo_bpm
        self.bars = int(np.ceil(n / (4 * self.spb))) + 1
        self.root = 60 + spec.key - (12 if spec.key > 6 else 0)
        self.steps = _MINOR if spec.scale == "minor" else _MAJOR
        self.prog = _PROGRESSIONS[(spec.seed + 3 * spec.variant) % len(_PROGRESSIONS)]  # variants differ
        self.bright = float(rng.uniform(.6, .9) if spec.variant % 2 else rng.uniform(1.1, 1.5))  # roll-off

    def midi(self, degree: int, octave: int = 0) -> int:
        """MIDI note of a scale degree (may exceed 7) in an octave relative to the tonic."""
        return self.root + self.steps[degree % 7] + 12 * (degree // 7 + octave)

    def chord(self, bar: int) -> int:
        """Scale degree of the chord root in `bar`."""
        return self.prog[bar % len(self.prog)]


def _partials(cycles: np.ndarray, amp: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """Sum over k of amp[row, k-1] * sin(2 pi k cycles), by the Chebyshev recurrence (one sin/cos)."""
    phase = (cycles % 1) * np.float32(2 * np.pi)
    s1, c2 = np.sin(phase), 2 * np.cos(phase)
    uniform = bool((amp == amp[0]).all())
    if uniform:
        coef = [np.float32(a) for a in amp[0]]
    else:
        coef = [amp[:, k].astype(np.float32)[idx] for k in range(amp.shape[1])]
    prev, cur, wave = np.zeros_like(s1), s1, coef[0] * s1
    for a in coef[1:]:
        prev, cur = cur, c2 * cur - prev
        wave += a * cur
    return wave


def _tone(g: _Grid, notes, harmonics, attack=.005, decay=1.0, release=.03, vibrato=0.0, amps=None):
    """Render rows of (start_beat, beats, velocity, midi, [midi...]) - one note or chord per row.

    Vectorised over blocks of samples: each sample looks up its row; phases restart at each onset
    (envelopes start and end at zero, so no clicks). `harmonics` are partial amplitudes; `amps`
    (rows x partials) overrides them per row (vowel formants)."""
    out = np.zeros(g.n, np.float32)
    if len(notes) == 0:
        return out
    if (rec := note_events.recording()) is not None:   # note replay: report, do not render
        note_events.record_rows(rec, g.spb, SR, notes)
        return out
    arr = np.array(notes, np.float64)
    order = np.argsort(arr[:, 0], kind="stable")
    arr, amps = arr[order], None if amps is None else amps[order]
    starts = np.round(arr[:, 0] * g.spb).astype(np.int64)
    lens = np.maximum(np.round(arr[:, 1] * g.spb), 1).astype(np.float32)
    vel = arr[:, 2].astype(np.float32)
    base = np.tile(np.asarray(harmonics, np.float64) ** g.bright, (len(arr), 1)) if amps is None else amps
    freqs = 440.0 * 2 ** ((arr[:, 3:] - 69) / 12)                       # rows x chord voices
    voices = [(f.astype(np.float32), base * (f[:, None] * np.arange(1, base.shape[1] + 1) < 18000))
              for f in freqs.T]                                          # no partials above 18 kHz
    rate = np.float32(2 * np.pi * 5.5)      # vibrato: instantaneous frequency f * (1 + vibrato * sin)
    for t0 in range(max(int(starts[0]), 0), g.n, _BLOCK):
        t = np.arange(t0, min(t0 + _BLOCK, g.n))
        idx = np.searchsorted(starts, t, side="right") - 1
        local = (t - starts[idx]).astype(np.float32)                     # samples since onset
        env = np.minimum(local / np.float32(attack * SR), 1) * np.exp(local / np.float32(-decay * SR))
        env *= np.clip((lens[idx] - local) / np.float32(release * SR), 0, 1) * vel[idx]
        tau = local / np.float32(SR)
        tau = tau + np.float32(vibrato) / rate * (1 - np.cos(rate * tau)) if vibrato else tau
        for f, amp in voices:
            out[t0:t0 + len(t)] += _partials(f[idx] * tau, amp, idx) * env
    return out


def _place(n: int, template: np.ndarray, positions, note: int | None = None) -> np.ndarray:
    """Add `template` at each sample position (one numpy add per event); `note`: its GM drum
    note number, reported during a note replay (unpitched noises have none)."""
    out = np.zeros(n, np.float32)
    if (rec := note_events.recording()) is not None:
        if note is not None:
            note_events.record_hits(rec, [p for p in np.round(positions) if 0 <= p < n], SR, note)
        return out
    for p in np.round(positions).astype(np.int64):
        if 0 <= p < n:
            out[p:p + len(template)] += template[:n - p]
    return out


def _pan(mono: np.ndarray, pan: float) -> np.ndarray:
    """Constant-power pan (-1 left .. 1 right) of a mono signal to stereo (unity at centre)."""
    theta = (pan + 1) * np.pi / 4
    return mono[:, None] * (np.sqrt(2) * np.array([np.cos(theta), np.sin(theta)])).astype(np.float32)


def _pick(rng: np.random.Generator, options):
    """One element of `options`, chosen by `rng`."""
    return options[rng.integers(len(options))]


def _chords(g, onsets, beats, octave, degrees=(0, 2, 4), vel=.8):
    """Chord rows following the bar chords at the given beat onsets of every bar."""
    return [(bar * 4 + b, beats, vel if b else 1.0, *(g.midi(g.chord(bar) + d, octave) for d in degrees))
            for bar in range(g.bars) for b in onsets]


def _tonal(name, g, rng):
    """Stereo layer of a pitched instrument."""
    if name == "bass":
        pat = _pick(rng, ((0, 1, 2, 3), (0, 1.5, 2, 3.5), (0, .5, 1, 1.5, 2, 2.5, 3, 3.5), (0, 2.5, 3)))
        gaps = np.diff(list(pat) + [4])
        notes = [(bar * 4 + b, gap * .9, 1 if b == 0 else .8, g.midi(g.chord(bar) + (4 if i == 3 else 0), -2))
                 for bar in range(g.bars) for i, (b, gap) in enumerate(zip(pat, gaps, strict=False))]
        return _pan(_tone(g, notes, (1, .45, .2, .1), decay=.6), 0)
    if name == "guitar":
        pat = _pick(rng, ((0, .5, 1, 1.5, 2, 2.5, 3, 3.5), (0, 1.5, 3), (0, .75, 1.5, 2.5, 3)))
        mono = _tone(g, _chords(g, pat, .45, -1, (0, 4, 7)), (1, .7, .5, .4, .3, .2), decay=.5)
        return _pan(np.tanh(2.5 * mono) / 2.5, -.35)
    if name == "keyboard":
        pat, beats = _pick(rng, (((0,), 3.8), ((0, 1, 2, 3), .9), ((0, 1.5, 2.5), 1.2)))
        return _pan(_tone(g, _chords(g, pat, beats, 0), (1, .4, .2, .1), decay=.9), .3)
    if name == "strings":
        low, high = _chords(g, (0,), 4, -1, (0, 4)), _chords(g, (0,), 4, 0, (0, 2, 4))
        kw = dict(attack=.3, decay=8, release=.2, vibrato=.004)
        return (_pan(_tone(g, low, (1, .5, .33, .25, .2), **kw), -.4)
                + _pan(_tone(g, high, (1, .5, .33, .25, .2), **kw), .4))
    if name == "brass":
        pat = _pick(rng, ((0, 1.5), (2.5, 3), (0, 2)))
        return _pan(_tone(g, _chords(g, pat, .5, 0), (1, .8, .6, .5, .4, .3), attack=.03, decay=1.5), .25)
    if name == "woodwinds":
        notes = [(bar * 4 + b, 1.8, .8, g.midi(g.chord(bar) + int(_pick(rng, (0, 2, 4, 5))), 1))
                 for bar in range(g.bars) for b in (0, 2)]
        return _pan(_tone(g, notes, (1, .05, .3, .02, .1), attack=.06, decay=3, vibrato=.005), .45)
    if name == "synth":
        order = _pick(rng, ((0, 2, 4, 7), (7, 4, 2, 0), (0, 4, 2, 7, 4, 2)))
        notes = [(bar * 4 + i / 4, .22, .8 if i % 4 else 1, g.midi(g.chord(bar) + order[i % len(order)], 1))
                 for bar in range(g.bars) for i in range(16)]
        return _pan(_tone(g, notes, (1, 0, .33, 0, .2, 0, .14), decay=.2), -.3)
    raise ValueError(f"not a pitched instrument: {name}")


def _beats(g, pattern: str, fill: str = "") -> np.ndarray:
    """Beat positions of a 16-step pattern string ('x' = hit) in every bar (fill on each 4th bar)."""
    return np.array([bar * 4 + i / 4 for bar in range(g.bars)
                     for i, c in enumerate(fill if fill and bar % 4 == 3 else pattern) if c == "x"])


def _rhythm(name, g, rng):
    """Stereo layer of an unpitched part: drums, percussion or fx."""
    t = np.arange(int(.4 * SR)) / SR
    noise = rng.standard_normal(len(t) + 1).astype(np.float32)
    decay = lambda s: np.exp(-t / s).astype(np.float32)  # noqa: E731 - tiny local helper
    if name == "drums":
        kick = np.sin(2 * np.pi * np.cumsum(45 + 90 * np.exp(-t / .04)) / SR) * decay(.12)
        snare = noise[:-1] * .5 * decay(.06) + np.sin(2 * np.pi * 185 * t) * decay(.04)
        hat = np.diff(noise) * .3 * decay(.015)
        kp = _pick(rng, ("x...x...x...x...", "x.....x...x.....", "x..x..x...x..x..", "x.......x.x....."))
        sp = _pick(rng, ("....x.......x...", "....x.......x..x", "........x......."))
        hp = _pick(rng, ("x.x.x.x.x.x.x.x.", "xxxxxxxxxxxxxxxx", "..x...x...x...x."))
        core = (_place(g.n, kick, _beats(g, kp) * g.spb, note=36)
                + _place(g.n, snare, _beats(g, sp, sp[:12] + "xxxx") * g.spb, note=38))
        return _pan(core, 0) + _pan(_place(g.n, hat, _beats(g, hp) * g.spb, note=42), .3)
    if name == "percussion":
        shaker = np.diff(noise) * decay(.03)
        conga = np.sin(2 * np.pi * 210 * t) * decay(.08)
        cp = _pick(rng, ("x..x..x...x.x...", "..x..x....x..x.x"))
        return (_pan(_place(g.n, shaker, _beats(g, "..x...x...x...x.") * g.spb, note=70), -.4)
                + _pan(_place(g.n, conga, _beats(g, cp) * g.spb, note=63), .4))
    if name == "fx":
        bar = int(4 * g.spb)
        ramp = np.linspace(0, 1, bar, dtype=np.float32) ** 2
        sweep = np.sin(2 * np.pi * np.cumsum(np.linspace(200, 2000, bar)) / SR).astype(np.float32)
        riser = (rng.standard_normal(bar).astype(np.float32) * .5 + sweep) * ramp
        crash = np.diff(noise) * decay(.3)
        bounds = np.arange(4, g.bars, 4) * 4 * g.spb
        return _pan(_place(g.n, riser, bounds - bar) + _place(g.n, crash, bounds), float(rng.uniform(-.3, .3)))
    raise ValueError(f"not a rhythm part: {name}")


def _motif(rng, lift: int):
    """A two-bar melodic phrase: (beat, beats, chord-relative step + lift, vowel, consonant)."""
    notes, pos = [], 0
    while pos < 14:
        pos += int(rng.random() < .2)
        d = min(int(_pick(rng, (1, 1, 2, 2, 3, 4))), 14 - pos)
        if d <= 0:
            break
        step = int(_pick(rng, (0, 2, 4) if pos % 4 == 0 else (-1, 0, 1, 2, 3, 4, 5)))
        notes.append((pos / 2, d / 2 * .92, step + lift, int(rng.integers(5)), rng.random() < .7))
        pos += d
    return notes


def _vocals(g: _Grid, rng, spec: SongSpec) -> dict[str, np.ndarray]:
    """Lead (and backing) vocal layers: formant-shaped partials with vibrato and syllable onsets."""
    motifs = (_motif(rng, 0), _motif(rng, 2))   # verse, chorus (sung higher, with backing harmony)
    octave = -1 if spec.vocal_gender == "m" else 0
    timbre = .5 if spec.persona_timbre is None else spec.persona_timbre
    intro = 1 if g.bars > 4 else 0
    parts: dict[str, list] = {"vocals": [], "backing_vocals": []}
    for bar in range(intro, max(g.bars - 1, 1), 2):
        chorus = (bar - intro) // 2 % 2                 # two-bar phrases: verse, chorus, verse, ...
        for beat, beats, step, vowel, cons in motifs[chorus]:
            midi = g.midi(g.chord(bar + int(beat // 4)) + step, octave)
            midi -= 12 * (midi > g.root + 12 * octave + 14)
            parts["vocals"].append((bar * 4 + beat, beats, 1.0, midi, vowel, cons))
            if chorus:
                parts["backing_vocals"].append((bar * 4 + beat, beats, .8, midi + 3 + (spec.scale == "major"), 4, 0))
    shift = (.88 if spec.vocal_gender == "m" else 1.0) * (.9 + .2 * timbre)
    hiss = np.diff(rng.standard_normal(int(.03 * SR) + 1)) * np.exp(-np.arange(int(.03 * SR)) / (.008 * SR)) * .3
    layers = {}
    for name, notes in parts.items():
        if name == "backing_vocals" and "backing_vocals" not in spec.instruments:
            continue
        if not notes:
            layers[name] = np.zeros((g.n, 2), np.float32)
            continue
        notes = sorted(notes)
        arr = np.array(notes, np.float64)
        partials = 440.0 * 2 ** ((arr[:, 3:4] - 69) / 12) * np.arange(1, 17)
        form = _VOWELS[arr[:, 4].astype(int)] * shift
        amps = sum(w * np.exp(-.5 * ((partials - form[:, j:j + 1]) / (90 + 40 * j)) ** 2)
                   for j, w in enumerate((1, .6, .35))) + .04 / np.arange(1, 17)
        note_events.at_layer(name)
        mono = _tone(g, arr[:, :4], (), attack=.02, decay=4, release=.06, vibrato=.006 + .006 * timbre, amps=amps)
        mono += _place(g.n, hiss.astype(np.float32), arr[arr[:, 5] > 0, 0] * g.spb)
        stereo = _pan(mono, 0)
        if name == "backing_vocals":
            stereo[:, 1] = np.roll(stereo[:, 1], int(.015 * SR))   # Haas widening
        layers[name] = stereo
    return layers


def _render_layers(spec: SongSpec, fade_out: bool = True) -> dict[str, np.ndarray]:
    """Balanced (not yet normalised) layers of a spec, in stem order."""
    rng = np.random.default_rng([spec.seed, spec.variant])
    n = max(int(round(spec.seconds * SR)), 1)
    g = _Grid(spec, n, rng)
    layers = _vocals(g, rng, spec) if spec.vocal else {}
    for name in spec.instruments:
        if name not in VOCAL_LAYERS:
            note_events.at_layer(name)
            layers[name] = _rhythm(name, g, rng) if name in ("drums", "percussion", "fx") else _tonal(name, g, rng)
    fade = np.ones(n, np.float32)
    edge = min(int(.005 * SR), n)
    fade[:edge] = np.linspace(0, 1, edge)
    if fade_out:
        tail = min(int(1.5 * SR), n // 10)
        fade[n - tail:] = np.linspace(1, 0, tail)
    out = {}
    for name in STEM_NAMES:
        if name in layers:
            x = layers[name]
            active = np.count_nonzero(np.abs(x) > 1e-4) / x.size      # sparse parts (fx) by their hits
            rms = _rms(x) / np.sqrt(active) if active else 0.0
            out[name] = x * np.float32(_LEVELS[name] / rms if rms > 0 else 1) * fade[:, None]
    return out


def _finish(layers: dict[str, np.ndarray], spec: SongSpec | None, normalise: bool, notes=None) -> Song:
    """A Song whose gain normalises the mix to `PEAK`, or (`normalise=False`) only prevents clipping."""
    song = Song(layers, 1.0, spec, notes)
    peak = float(np.abs(song.mix()).max())
    song.gain = (PEAK / peak if peak > 0 else 1.0) if normalise else (1.0 / peak if peak > 1 else 1.0)
    return song


def events(spec: SongSpec) -> note_events.Events:
    """The note events of `render(spec)`'s layers: the render replayed with the recorder on."""
    return note_events.replay(_render_layers, spec)


def notes_of(spec: SongSpec) -> note_events.NotesFn:
    """Events of a song rendered whole from `spec` (render, cover), made when first asked for."""
    return lambda: events(spec)


def render(spec: SongSpec) -> Song:
    """Synthesise a whole song; same spec -> identical PCM."""
    return _finish(_render_layers(spec), spec, normalise=True, notes=notes_of(spec))


def _as_stereo(pcm) -> np.ndarray:
    """Float32 (n, 2) view of mono or stereo PCM."""
    x = np.asarray(pcm, np.float32)
    if x.ndim == 1 or (x.ndim == 2 and x.shape[1] == 1):
        x = np.repeat(x.reshape(-1, 1), 2, axis=1)
    if x.ndim != 2 or x.shape[1] != 2 or len(x) == 0:
        raise ValueError(f"expected non-empty mono or (n, 2) stereo PCM, got shape {x.shape}")
    return x


def _source(source, name: str) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """(mix, layers) of a source: a Song's own layers (times its gain), or the PCM as layer `name`."""
    if isinstance(source, Song):
        return source.mix(), {k: v * np.float32(source.gain) for k, v in source.layers.items()}
    pcm = _as_stereo(source)
    return pcm, {name: pcm}


def _rms(x: np.ndarray) -> float:
    """Root-mean-square level of a signal."""
    return float(np.sqrt(np.mean(np.square(x)))) if x.size else 0.0


def _merge(*parts: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Sum layer dicts by name (left to right), in stem order."""
    out: dict[str, np.ndarray] = {}
    for part in parts:
        for k, v in part.items():
            out[k] = out[k] + v if k in out else v
    return {k: out[k] for k in STEM_NAMES if k in out}


def _matched(layers, ref_rms: float, peak_cap: float) -> dict[str, np.ndarray]:
    """Layers scaled together so their mix has `ref_rms` (at least -30 dBFS, so a silent source
    still gets audible new material), without its peak exceeding `peak_cap`."""
    mix = sum(layers.values())
    rms, peak = _rms(mix), float(np.abs(mix).max())
    k = min(max(ref_rms, .03) / rms if rms > 0 else 1.0, peak_cap / peak if peak > 0 else 1.0)
    return {name: v * np.float32(k) for name, v in layers.items()}


def _placed(layers, n: int, at: int, weight: np.ndarray) -> dict[str, np.ndarray]:
    """Layers zero-padded to `n` samples, starting at sample `at`, multiplied by `weight`."""
    out = {}
    for k, v in layers.items():
        buf = np.zeros((n, 2), np.float32)
        buf[at:at + len(weight)] = v[:len(weight)] * weight[:, None]
        out[k] = buf
    return out


def _ramp(n: int) -> np.ndarray:
    """Raised-cosine fade-in of `n` samples (0 -> 1; its complement sums to exactly one)."""
    return (0.5 - 0.5 * np.cos(np.pi * (np.arange(n) + 0.5) / max(n, 1))).astype(np.float32)


_PROFILES = np.array([[5, 2, 3.5, 2, 4.5, 4, 2, 4.5, 2, 3.5, 1.5, 4],      # Temperley major / minor
                      [5, 2, 3.5, 4.5, 2, 4, 2, 4.5, 3.5, 2, 1.5, 4]], dtype=np.float64)


def analyse(pcm) -> tuple[float | None, int, str]:
    """Rough (tempo_bpm or None if under 3 s, key, scale) of PCM: spectral-flux autocorrelation
    (with a prior around 120 bpm) and a chroma of spectral peaks matched to key profiles."""
    mono = _as_stereo(pcm).mean(axis=1)[:30 * SR]
    frames = np.pad(mono, (0, -len(mono) % 16384)).reshape(-1, 16384) * np.hanning(16384).astype(np.float32)
    mag = np.abs(np.fft.rfft(frames, axis=1))
    mag[:, 1:-1] *= (mag[:, 1:-1] > mag[:, :-2]) & (mag[:, 1:-1] > mag[:, 2:])   # peaks only: ignore noise
    freqs = np.fft.rfftfreq(16384, 1 / SR)
    band = (freqs > 60) & (freqs < 2000)
    chroma = np.bincount(np.round(12 * np.log2(freqs[band] / 440) + 69).astype(int) % 12,
                         weights=mag[:, band].sum(axis=0), minlength=12)
    scores = [[np.corrcoef(chroma, np.roll(p, k))[0, 1] if chroma.std() > 0 else 0 for k in range(12)]
              for p in _PROFILES]
    mode, key = np.unravel_index(int(np.argmax(scores)), (2, 12))
    hop, win, tempo = SR // 100, 1024, None
    if len(mono) >= 3 * SR:
        idx = np.arange(len(mono) // hop - 3)[:, None] * hop + np.arange(win)
        spectra = np.log1p(100 * np.abs(np.fft.rfft(mono[idx] * np.hanning(win).astype(np.float32), axis=1)))
        flux = np.maximum(np.diff(spectra, axis=0), 0).sum(axis=1)
        ac = np.fft.irfft(np.abs(np.fft.rfft(flux - flux.mean(), 2 * len(flux))) ** 2)[:len(flux)]
        lags = np.arange(30, 100)                       # 200 .. 60 bpm at 100 frames/s
        bpm = 6000.0 / lags
        score = (ac[lags] + .5 * ac[np.minimum(2 * lags, len(ac) - 1)]) * np.exp(-.5 * (np.log2(bpm / 120) / .7) ** 2)
        tempo = round(float(bpm[int(np.argmax(score))]), 1)
    return tempo, int(key), ("major", "minor")[mode]


def _follow(spec: SongSpec, source, pcm, seconds: float, keep_tempo: bool = False, **changes) -> SongSpec:
    """`spec` moved to the key/scale (and tempo unless `keep_tempo`) of the source, `seconds` long:
    the source Song's own spec when it has one, else `analyse(pcm)`."""
    if isinstance(source, Song) and source.spec is not None:
        tempo, key, scale = source.spec.tempo_bpm, source.spec.key, source.spec.scale
    else:
        tempo, key, scale = analyse(pcm)
    return replace(spec, key=key, scale=scale, tempo_bpm=spec.tempo_bpm if keep_tempo or not tempo else tempo,
                   seconds=seconds, **changes)


def extend(source_pcm, continue_at: float, spec: SongSpec) -> Song:
    """Keep the source up to `continue_at` s (clamped to its end), then continue `spec.seconds` s
    in its key and tempo.

    The new part fades in over the `EXTEND_XFADE` s before `continue_at`; earlier samples equal the
    source (the gain is 1 unless the source itself exceeds full scale)."""
    mix, src_layers = _source(source_pcm, "fx")
    c = min(int(round(continue_at * SR)), len(mix))        # at/after the end: continue from the end
    if c <= 0:
        raise ValueError(f"continue_at must be > 0, got {continue_at}")
    x, n_new = min(int(EXTEND_XFADE * SR), c), int(round(spec.seconds * SR))
    new_spec = _follow(spec, source_pcm, mix[:c], (n_new + x) / SR)
    new = _matched(_render_layers(new_spec), _rms(mix[max(0, c - 5 * SR):c]), max(PEAK, np.abs(mix).max()))
    fade = np.ones(c, np.float32)
    fade[c - x:] = 1 - _ramp(x)
    fade_in = np.ones(n_new + x, np.float32)
    fade_in[:x] = _ramp(x)
    total = c + n_new
    return _finish(_merge(_placed(src_layers, total, 0, fade), _placed(new, total, c - x, fade_in)),
                   new_spec, normalise=False, notes=note_events.extended(source_pcm, c / SR, (c - x) / SR, notes_of(new_spec)))


def cover(source_pcm, spec: SongSpec) -> Song:
    """Re-synthesise the source in `spec`'s style and tempo, in the source's key and loudness shape."""
    mix, _ = _source(source_pcm, "fx")
    new_spec = _follow(spec, source_pcm, mix, len(mix) / SR, keep_tempo=True)
    hop = SR // 10
    frames = np.pad(mix.mean(axis=1), (0, -len(mix) % hop)).reshape(-1, hop)
    level = np.sqrt(np.mean(frames ** 2, axis=1))
    ref = np.percentile(level, 90)
    level = np.clip(level / ref if ref > 0 else np.ones_like(level), .1, 1.25)
    env = np.interp(np.arange(len(mix)), np.arange(len(level)) * hop + hop / 2, level).astype(np.float32)
    layers = {k: v * env[:, None] for k, v in _render_layers(new_spec).items()}
    return _finish(layers, new_spec, normalise=True, notes=notes_of(new_spec))


def add_vocals(source_pcm, spec: SongSpec) -> Song:
    """The source (an instrumental) plus new vocal layers in its key and tempo."""
    mix, src_layers = _source(source_pcm, "fx")
    vox_spec = _follow(spec, source_pcm, mix, len(mix) / SR, vocal=True,
                       instruments=tuple(i for i in spec.instruments if i == "backing_vocals"))
    vox = _matched(_render_layers(vox_spec), .8 * _rms(mix), PEAK)
    return _finish(_merge(src_layers, vox), vox_spec, normalise=True, notes=note_events.layered(source_pcm, notes_of(vox_spec)))


def add_instrumental(source_pcm, spec: SongSpec) -> Song:
    """The source (a vocal) as the `vocals` layer plus new accompaniment in its key and tempo."""
    mix, src_layers = _source(source_pcm, "vocals")
    acc_spec = _follow(spec, source_pcm, mix, len(mix) / SR, vocal=False,
                       instruments=tuple(i for i in spec.instruments if i not in VOCAL_LAYERS) or ("keyboard",))
    acc = _matched(_render_layers(acc_spec), _rms(mix), PEAK)
    return _finish(_merge(src_layers, acc), acc_spec, normalise=True, notes=note_events.layered(source_pcm, notes_of(acc_spec)))


def replace_section(source_pcm, start: float, end: float, spec: SongSpec) -> Song:
    """New material in [start, end) s with `EDGE_XFADE` crossfades inside the window; the rest is
    the source unchanged (gain 1 unless the source itself exceeds full scale)."""
    mix, src_layers = _source(source_pcm, "fx")
    a, b = int(round(start * SR)), min(int(round(end * SR)), len(mix))
    if not 0 <= a < b:
        raise ValueError(f"empty section [{start}, {end}) in a {len(mix) / SR:.2f} s source")
    new_spec = _follow(spec, source_pcm, mix, (b - a) / SR)
    new = _matched(_render_layers(new_spec, fade_out=False), _rms(mix[a:b]), max(PEAK, np.abs(mix).max()))
    w = np.ones(b - a, np.float32)
    e = min(int(EDGE_XFADE * SR), (b - a) // 2)
    w[:e], w[len(w) - e:] = _ramp(e), _ramp(e)[::-1]
    keep = np.ones(len(mix), np.float32)
    keep[a:b] = 1 - w
    return _finish(_merge(_placed(src_layers, len(mix), 0, keep), _placed(new, len(mix), a, w)),
                   new_spec, normalise=False, notes=note_events.replaced(source_pcm, a / SR, b / SR, notes_of(new_spec)))


def stems(song: Song, kind: str) -> dict[str, np.ndarray]:
    """Stems that sum to `song.mix()`: `separate_vocal` -> vocals + instrumental, `split_stem` ->
    every layer present (stem order). Each stem is its layers times the song's gain."""
    g = np.float32(song.gain)
    if kind == "split_stem":
        return {k: song.layers[k] * g for k in STEM_NAMES if k in song.layers}
    if kind == "separate_vocal":
        zero = np.zeros((song.n_samples, 2), np.float32)
        vocal = sum((v for k, v in song.layers.items() if k in VOCAL_LAYERS), zero)
        rest = sum((v for k, v in song.layers.items() if k not in VOCAL_LAYERS), zero)
        return {"vocals": vocal * g, "instrumental": rest * g}
    raise ValueError(f"unknown stem kind {kind!r} (separate_vocal | split_stem)")
