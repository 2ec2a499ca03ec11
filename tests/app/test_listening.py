"""Listening on the Tasks board and the task detail (AppTest, songs made by the embedded
simulator and archived by the runtime's tracker): waveform images, stems and videos played
inline, readable lyrics, "use these lyrics", and the two takes of a task told apart."""

from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.pages import open_page
from lib import ops
from lib.views import lyrics, takes
from pages.components.board import CARD_CSS
from tests.helpers import drive_to_success, finished_song

TASKS = "../../pages/tasks.py"
TASK = "../../pages/task.py"


def run(page: str, query: dict | None = None) -> AppTest:
    return open_page(page, query)


def waveforms(at: AppTest) -> list[str]:
    """The waveform ``<img>`` tags on the page (the detail's), or the Markdown images at the
    end of a board track's Markdown."""
    return [tag for m in at.markdown
            for tag in re.findall(r"<img [^>]*>|!\[Waveform of [^\]]*\]\(<[^>]*>\)", m.value)
            if 'alt="Waveform of' in tag or tag.startswith("![Waveform of")]


def audio_urls(at: AppTest) -> list[str]:
    return [el.proto.url for el in at.get("audio")]


def derived(rt, op: str, song: dict, **extra) -> dict:
    """Run ``op`` on the song's first track through the tracker, to success."""
    track = rt.log.tracks_for(song["id"])[0]
    values = {"taskId": song["provider_task_id"], "audioId": track["id"], **extra}
    task_id = rt.tracker.submit(op, ops.build_body(op, values, rt.callback_url))
    return drive_to_success(rt, task_id, op)


@pytest.fixture
def song(app_runtime):
    return finished_song(app_runtime)


def test_every_track_card_shows_its_waveform(song, app_runtime):
    at = run(TASKS)
    waves = waveforms(at)
    assert len(waves) == 2 and all(w.startswith("![") for w in waves)     # small on cards:
    assert "height:40px" in CARD_CSS                                        # the page's CSS
    for track in app_runtime.log.tracks_for(song["id"]):
        assert any(f"/api/assets/{song['id']}/{track['id']}-waveform.png>" in w for w in waves)
        assert (app_runtime.assets_dir / song["id"] / f"{track['id']}-waveform.png").is_file()
    waves = waveforms(run(TASK, {"task": song["id"]}))
    assert len(waves) == 2 and all("height:80px" in w for w in waves)     # large on the detail


def test_stems_play_inline_on_the_card_and_the_detail(song, app_runtime):
    stems = derived(app_runtime, "split_stem", song)
    kinds = [a["kind"] for a in app_runtime.log.assets_for(stems["id"])
             if a["kind"].startswith("stem:")]
    count = len(kinds)
    assert count >= 4 and "stem:origin" in kinds
    at = run(TASK, {"task": stems["id"]})
    players = [u for u in audio_urls(at) if "-stem-" in u]
    assert len(players) == count
    body = "\n".join(m.value for m in at.markdown)
    assert f"**Stems ({count})**" in body and "**Original mix**" in body    # names, in words
    assert "stem:vocal" in kinds and "**Vocals**" in body
    for kind in kinds:
        name = kind.removeprefix("stem:").replace("_", " ")
        assert f"**{name[0].upper()}{name[1:]}**" in body or kind in ("stem:origin", "stem:vocal")
    # the song's own detail lists the stems made from its first track, one player each
    at = run(TASK, {"task": song["id"]})
    assert len([u for u in audio_urls(at) if "-stem-" in u]) == count
    # the board links them (each opens in a new tab; no player fetches them on a card)
    at = run(TASKS)
    body = "\n".join(m.value for m in at.markdown)
    assert f"Stems ({count}): [" in body
    assert "[Original mix](<" in body and "[Vocals](<" in body
    assert not [u for u in audio_urls(at) if "-stem-" in u]


def test_a_music_video_plays_inline(song, app_runtime):
    video = derived(app_runtime, "mp4", song, author="Test")
    at = run(TASK, {"task": video["id"]})
    urls = [el.proto.url for el in at.get("video")]
    assert len(urls) == 1 and urls[0].endswith(".mp4") and "/api/assets/" in urls[0]
    at = run(TASKS)   # the board links the video (the detail plays it)
    body = "\n".join(m.value for m in at.markdown)
    assert re.search(r"\[[^\]]+\]\(<[^>]*/api/assets/[^>]*\.mp4>\)", body), body
    assert len(at.get("video")) == 0


# -- lyrics -----------------------------------------------------------------------------------


def lyrics_task(rt, theme: str = "rain on a night drive") -> dict:
    task_id = rt.tracker.submit("lyrics", ops.build_body("lyrics", {"prompt": theme},
                                                         rt.callback_url))
    return drive_to_success(rt, task_id, "lyrics")


def lyric_markdown(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("##### ")]


def test_lyric_drafts_read_as_sectioned_text(app_runtime):
    task = lyrics_task(app_runtime)
    at = run(TASK, {"task": task["id"]})
    drafts = lyric_markdown(at)
    assert len(drafts) == 2 and len(at.tabs) == 2
    for text in drafts:
        assert "##### Verse" in text and "##### Chorus" in text
        assert "\\n" not in text and "{" not in text and '"text"' not in text
        assert "  \n" in text                                    # real line breaks
    # on the board: folded in the card, with a button per draft
    at = run(TASKS)
    assert "Lyrics: 2 drafts" in [e.label for e in at.expander]
    assert len(lyric_markdown(at)) == 2
    links = [m.value for m in at.markdown if m.value.startswith("[Use these lyrics]")]
    assert links == [f"[Use these lyrics](/?lyrics={task['id']}&draft={n})" for n in (1, 2)]


def test_timed_lyrics_read_as_text_and_play_along(song, app_runtime):
    timed = derived(app_runtime, "timestamped_lyrics", song)
    at = run(TASK, {"task": timed["id"]})
    frames = at.get("iframe")
    assert len(frames) == 1
    page = frames[0].proto.srcdoc
    assert 'id="karaoke-audio"' in page and f"/api/assets/{song['id']}/" in page
    assert page.count('class="w"') > 10 and "lyric-now" in page
    assert any(m.value.startswith("#### Timed lyrics (") for m in at.markdown)
    # the song's detail plays its first track with the words too
    at = run(TASK, {"task": song["id"]})
    assert len(at.get("iframe")) == 1
    # the board shows the words as text
    at = run(TASKS)
    label = next(e.label for e in at.expander if e.label.startswith("Timed lyrics ("))
    assert "timed words" in label
    texts = lyric_markdown(at)
    assert texts and all("\\n" not in t and "{" not in t for t in texts)


GENERATE = "../../pages/generate.py"


def test_use_these_lyrics_opens_generate_in_custom_mode_with_them(app_runtime):
    task = lyrics_task(app_runtime)
    drafts = lyrics.drafts(json.loads(task["result_json"]))
    at = run(TASK, {"task": task["id"]})
    assert f"[Use these lyrics](/?lyrics={task['id']}&draft=2)" in [m.value for m in at.markdown]
    at = run(GENERATE, {"lyrics": task["id"], "draft": "2"})
    assert at.toggle(key="generate.customMode").value is True
    assert at.toggle(key="generate.instrumental").value is False
    prompt = at.text_area(key="generate.prompt").value
    assert prompt == drafts[1].text and prompt.startswith("[Verse]\n") and "\\n" not in prompt
    assert at.text_input(key="generate.title").value == drafts[1].title
    assert "are in the song form" in at.toast[0].value
    # once per link: what the user types next is kept on the following runs
    at.text_area(key="generate.prompt").input("[Verse]\nmy own words").run()
    assert at.text_area(key="generate.prompt").value == "[Verse]\nmy own words"
    at = run(GENERATE, {"lyrics": task["id"], "draft": "9"})
    assert "has no draft 9" in at.warning[0].value


def test_timed_and_track_lyrics_can_be_used_too(song, app_runtime):
    timed = derived(app_runtime, "timestamped_lyrics", song)
    parts = lyrics.timed_lines(json.loads(timed["result_json"]))
    at = run(TASK, {"task": song["id"]})
    assert f"[Use these lyrics](/?lyrics={timed['id']})" in [m.value for m in at.markdown]
    at = run(GENERATE, {"lyrics": timed["id"]})
    assert at.text_area(key="generate.prompt").value == lyrics.timed_text(parts)
    second = app_runtime.log.tracks_for(song["id"])[1]          # no alignment: its own lyrics
    at = run(TASK, {"task": song["id"]})
    assert f"[Use these lyrics](/?lyrics_of={second['id']})" in [m.value for m in at.markdown]
    at = run(GENERATE, {"lyrics_of": second["id"]})
    assert at.text_area(key="generate.prompt").value == lyrics.as_text(
        lyrics.sections(second["lyrics"]))
    assert at.text_input(key="generate.title").value == second["title"]


# -- takes --------------------------------------------------------------------------------------
def test_the_two_takes_are_told_apart_on_the_card_and_the_detail(song, app_runtime):
    tracks = app_runtime.log.tracks_for(song["id"])
    for page, query in ((TASKS, None), (TASK, {"task": song["id"]})):
        at = run(page, query)
        titles = [m.value for m in at.markdown if ":orange[Take " in m.value]
        assert len(titles) == 2 and "Take 1 of 2" in titles[0] and "Take 2 of 2" in titles[1]
        if page == TASKS:  # a card track's Markdown opens with its cover, then the title
            assert titles[0].startswith(f"![Cover of {tracks[0]['title']}](<")
            titles = [t.split("\n\n", 1)[1] for t in titles]
        assert titles[0].startswith(f"**{tracks[0]['title']}**")
        # in the track's Markdown on the board, in its caption on the detail
        notes = [t.value for t in (at.markdown if page == TASKS else at.caption)
                 if "vs Take " in t.value]
        assert len(notes) == 2
        assert "vs Take 2: " in notes[0] and "vs Take 1: " in notes[1]
    # the detail compares key and tempo from the QA scorecards
    facts = takes.facts(app_runtime.log, [t["id"] for t in tracks])
    assert set(facts) == {t["id"] for t in tracks}
