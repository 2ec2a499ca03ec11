"""lib.views.lyrics: lyric drafts and timed lyrics as sections people read; the karaoke page."""

from html.parser import HTMLParser

from lib.views import lyrics

DRAFT = "[Verse]\nCity lights are calling\nI keep on falling\n\n[Chorus]\nOh oh\n\nRun\n"


def test_sections_turn_brackets_into_headings_and_keep_lines():
    parts = lyrics.sections(DRAFT)
    assert [p.heading for p in parts] == ["Verse", "Chorus"]
    assert parts[0].lines == ["City lights are calling", "I keep on falling"]
    assert parts[1].lines == ["Oh oh", "", "Run"]          # a blank line inside a part stays
    assert lyrics.as_text(parts) == DRAFT.strip().replace("\n\n[Chorus]", "\n\n[Chorus]")


def test_literal_backslash_n_is_a_line_break():
    parts = lyrics.sections("[Intro]\\nHello there\\r\\nGeneral\\n\\n[Outro]\\nBye")
    assert [(p.heading, p.lines) for p in parts] == [("Intro", ["Hello there", "General"]),
                                                     ("Outro", ["Bye"])]
    assert lyrics.sections("no headings\nat all")[0].heading is None
    assert lyrics.sections("") == [] and lyrics.sections(None) == []


def test_drafts_of_a_write_lyrics_result():
    result = {"variants": [{"title": "Night Drive", "text": DRAFT.replace("\n", "\\n")},
                           {"title": "", "text": "[Verse]\nx"},
                           {"title": "Empty", "text": "   "}, "junk"]}
    found = lyrics.drafts(result)
    assert [d.title for d in found] == ["Night Drive", "Draft 2"]
    assert "\\n" not in found[0].text and found[0].sections[0].heading == "Verse"
    assert lyrics.drafts(None) == [] and lyrics.drafts({"variants": "x"}) == []


def test_markdown_has_headings_hard_breaks_and_no_markup_from_the_words():
    md = lyrics.to_markdown(lyrics.sections("[Verse]\n*star* [x] line\nnext\n\nafter"))
    assert md.startswith("##### Verse\n\n")
    assert "\\*star\\* \\[x\\] line  \nnext\n\nafter" in md
    assert "\\n" not in md.replace("\\*", "").replace("\\[", "").replace("\\]", "")


ALIGNED = {"alignedWords": [
    {"word": "[Verse]\nCity ", "startS": 1.0, "endS": 1.4, "success": True},
    {"word": "lights\n", "startS": 1.5, "endS": 2.0},
    {"word": "I ", "startS": 2.2, "endS": 2.3},
    {"word": "fall\n\n[Chorus]\n", "startS": 2.4, "endS": 3.0},
    {"word": "Oh\\n", "startS": "3.5", "endS": "3.9"},        # strings and a literal \n
    {"word": "bad", "startS": None},                           # no time: left out
    {"word": 5},
]}


def test_timed_lines_follow_the_tokens():
    parts = lyrics.timed_lines(ALIGNED)
    assert [p.heading for p in parts] == ["Verse", "Chorus"]
    verse = [[w.text for w in line] for line in parts[0].lines]
    assert verse == [["City", "lights"], ["I", "fall"]]
    assert parts[1].lines[0][0] == lyrics.Word("Oh", 3.5, 3.9)
    assert lyrics.word_count(parts) == 5
    assert lyrics.timed_text(parts) == "[Verse]\nCity lights\nI fall\n\n[Chorus]\nOh"
    assert lyrics.timed_lines({"alignedWords": None}) == [] and lyrics.timed_lines(7) == []


class _Spans(HTMLParser):
    def __init__(self):
        super().__init__()
        self.spans, self.audio, self.text = [], None, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "span":
            self.spans.append(attrs)
        if tag == "audio":
            self.audio = attrs

    def handle_data(self, data):
        self.text.append(data)


def test_the_karaoke_page_has_the_audio_and_one_timed_span_per_word():
    parts = lyrics.timed_lines({"alignedWords": [
        {"word": "[Verse]\n<b>bold</b> ", "startS": 0.5, "endS": 0.9},
        {"word": "\"quote\"\n", "startS": 1.0, "endS": 1.2}]})
    page = lyrics.karaoke_html("http://host/api/assets/t/a.mp3?x=1&y=2", parts)
    parser = _Spans()
    parser.feed(page)
    assert parser.audio["src"] == "http://host/api/assets/t/a.mp3?x=1&y=2"
    assert parser.audio["id"] == "karaoke-audio"
    assert [(s["data-s"], s["data-e"]) for s in parser.spans] == [("0.500", "0.900"),
                                                                  ("1.000", "1.200")]
    assert "<b>bold</b>" not in page and "&lt;b&gt;bold&lt;/b&gt;" in page   # words escaped
    assert lyrics.NOW_CLASS in page and lyrics.PAST_CLASS in page
    assert "__NOW__" not in page and "__BOX__" not in page
    assert 64 < lyrics.karaoke_height(parts) <= 64 + 360
