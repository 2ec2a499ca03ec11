"""simulator.texts: lyrics variants, style boost and word alignment."""
import numpy as np
import pytest

from simulator import synth, texts
from simulator.synth import SR

PROMPT = "A song about rainy nights in Tokyo and a lost love"


def test_lyrics_have_sections_and_use_the_prompt():
    variants = texts.lyrics_variants(PROMPT)
    assert len(variants) == 2
    for v in variants:
        assert set(v) == {"title", "text"} and v["title"]
        for header in ("[Verse]", "[Chorus]", "[Bridge]"):
            assert header in v["text"]
    assert any(w in (v["text"] + v["title"]).lower() for v in variants for w in ("rainy", "tokyo", "nights"))


def test_lyrics_are_deterministic_and_variants_differ():
    assert texts.lyrics_variants(PROMPT, n=3) == texts.lyrics_variants(PROMPT, n=3)
    texts_ = [v["text"] for v in texts.lyrics_variants(PROMPT, n=3)]
    assert len(set(texts_)) == 3
    assert texts.lyrics_variants("", n=1)[0]["text"].startswith("[Verse]")


def test_boost_style_expands_deterministically():
    boosted = texts.boost_style("Pop, Mysterious")
    assert boosted == texts.boost_style("Pop, Mysterious") != texts.boost_style("Rock, Happy")
    assert boosted.startswith("Pop, Mysterious") and len(boosted) > 80 and "BPM" in boosted


def test_tokens_keep_headers_with_the_next_word():
    words = texts.tokens("[Verse]\nHello rainy city\n\n[Chorus]\nSing")
    assert words == ["[Verse]\nHello ", "rainy ", "city\n", "[Chorus]\nSing\n"]


def check_alignment(words, duration):
    starts = [w["startS"] for w in words]
    assert starts == sorted(starts)
    for w, nxt in zip(words, words[1:] + [None], strict=False):
        assert set(w) == {"word", "success", "startS", "endS", "palign"} and w["success"] is True
        assert 0 <= w["startS"] <= w["endS"] <= duration
        assert nxt is None or w["endS"] <= nxt["startS"]


def test_alignment_follows_the_voiced_part():
    lyrics = texts.lyrics_variants(PROMPT)[0]["text"]
    pcm = np.zeros((4 * SR, 2), np.float32)
    pcm[2 * SR:] = 0.3 * np.sin(2 * np.pi * 220 * np.arange(2 * SR) / SR)[:, None]   # silent, then sung
    words, waveform = texts.align_words(lyrics, 4.0, pcm)
    check_alignment(words, 4.0)
    assert words[0]["word"].startswith("[Verse]\n") and len(words) == len(texts.tokens(lyrics))
    assert words[0]["startS"] >= 1.95 and words[-1]["endS"] <= 4.0
    assert len(waveform) == 200 and max(waveform) == 1.0 and min(waveform) == 0.0
    assert np.mean(waveform[:95]) == 0 and np.mean(waveform[105:]) > 0.9


def test_alignment_on_a_rendered_vocal_and_without_audio():
    song = synth.render(synth.spec_from_request("pop", None, PROMPT, "T", False, 5, 0))
    lyrics = texts.lyrics_variants(PROMPT)[1]["text"]
    words, waveform = texts.align_words(lyrics, song.duration, synth.stems(song, "separate_vocal")["vocals"])
    check_alignment(words, song.duration)
    assert all(0 <= v <= 1 for v in waveform)
    even, flat = texts.align_words(lyrics, 10.0, None)
    check_alignment(even, 10.0)
    assert even[0]["startS"] == 0 and even[-1]["endS"] == pytest.approx(10.0) and flat == [0.0] * 200
    assert texts.align_words("", 10.0, None)[0] == []
