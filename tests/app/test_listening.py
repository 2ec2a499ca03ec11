"""Listening on the Tasks board and the task detail (AppTest, songs made by the embedded
simulator and archived by the runtime's tracker): waveform images, stems and videos played
inline, readable lyrics, "use these lyrics", and the two takes of a task told apart."""

from __future__ import annotations

import time

import pytest
from streamlit.testing.v1 import AppTest

from lib import ops
from tests.helpers import finished_song

TASKS = "../../pages/tasks.py"
TASK = "../../pages/task.py"


def run(page: str, query: dict | None = None) -> AppTest:
    at = AppTest.from_file(page, default_timeout=30)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    return at


def images(at: AppTest) -> list:
    return [img for el in at.get("image") for img in el.proto.imgs]


def audio_urls(at: AppTest) -> list[str]:
    return [el.proto.url for el in at.get("audio")]


def derived(rt, op: str, song: dict, **extra) -> dict:
    """Run ``op`` on the song's first track through the tracker, to success."""
    track = rt.log.tracks_for(song["id"])[0]
    values = {"taskId": song["provider_task_id"], "audioId": track["id"], **extra}
    task_id = rt.tracker.submit(op, ops.build_body(op, values, rt.callback_url))
    deadline = time.time() + 60
    while time.time() < deadline:
        rt.tracker.run_once(now=time.time() + 10_000)
        task = rt.log.get_task(task_id)
        if task["state"] in ("succeeded", "failed"):
            assert task["state"] == "succeeded", task
            return task
        time.sleep(0.05)
    raise AssertionError(f"{op} never finished")


@pytest.fixture
def song(app_runtime):
    return finished_song(app_runtime)


def test_every_track_card_shows_its_waveform(song, app_runtime):
    at = run(TASKS)
    waves = [img for img in images(at) if img.alt.startswith("Waveform of")]
    assert len(waves) == 2
    for track in app_runtime.log.tracks_for(song["id"]):
        assert any(img.url.endswith(f"/api/assets/{song['id']}/{track['id']}-waveform.png")
                   for img in waves)
        assert (app_runtime.assets_dir / song["id"] / f"{track['id']}-waveform.png").is_file()


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
    for kind in kinds:
        name = kind.removeprefix("stem:").replace("_", " ")
        assert f"**{name[0].upper()}{name[1:]}**" in body or kind == "stem:origin"
    # the song's own detail lists the stems made from its first track, one player each
    at = run(TASK, {"task": song["id"]})
    assert len([u for u in audio_urls(at) if "-stem-" in u]) == count
    # the board folds them in an expander per card
    at = run(TASKS)
    assert f"Stems ({count})" in [e.label for e in at.expander]


def test_a_music_video_plays_inline(song, app_runtime):
    video = derived(app_runtime, "mp4", song, author="Test")
    at = run(TASK, {"task": video["id"]})
    urls = [el.proto.url for el in at.get("video")]
    assert len(urls) == 1 and urls[0].endswith(".mp4") and "/api/assets/" in urls[0]
    at = run(TASKS)
    assert "Music video" in [e.label for e in at.expander]
    assert len(at.get("video")) >= 1
