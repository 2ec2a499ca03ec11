"""The Task page (`pages/task.py`) with AppTest: one task's detail, opened by any id the user
sees, and the ways out of an unknown task.

AppTest never fires `run_every` timers: ticks are simulated by running the script again.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.pages import open_page, texts
from tests.bench.seed import seed_small_experiment, seed_states

PAGE = "../../pages/task.py"


@pytest.fixture
def seeded(app_runtime):
    return seed_states(app_runtime.log, app_runtime.assets_dir)


def run(query: dict | None = None) -> AppTest:
    return open_page(PAGE, query)


def test_detail_view(seeded):
    ok = seeded["succeeded"]
    at = run({"task": ok})
    body = texts(at)
    assert at.subheader[0].value == "Golden Echo"
    assert "-badge[Succeeded]" in body and "prov-ok" in body
    assert any(f"/task?task={ok}" in c.value for c in at.code)                  # shareable URL
    assert at.json[0].value  # result / request JSON
    timeline = at.dataframe[0].value
    assert list(timeline.columns) == ["time", "after (s)", "what"]
    assert "Provider status SUCCESS" in set(timeline["what"])
    assert "Callback complete code=200" in set(timeline["what"])
    labels = [e.label for e in at.expander]
    assert any("callback" in label for label in labels)
    assert any(label.startswith("Events") for label in [m.value.lstrip("# ") for m in at.markdown])
    for op in ("Extend", "Separate vocals", "Split stems", "WAV", "Music video", "Persona",
               "Timestamped lyrics", "Add vocals", "Replace section"):
        assert f"[{op}](/transform?op=" in body
    assert "[Cover art](/?op=cover_art&track=trk-ok-1)" in body  # cover art lives on Generate
    assert "track=trk-ok-1" in body


def test_detail_of_a_failed_and_an_unknown_task(seeded):
    at = run({"task": seeded["failed"]})
    assert "**Code 400.**" in at.error[0].value
    assert "[Extend]" not in texts(at)
    at = run({"task": seeded["unknown"]})
    assert "No answer" in at.warning[0].value
    at = run({"task": "does-not-exist"})
    assert "No task has the id “does-not-exist”" in at.error[0].value


def test_an_unknown_task_can_be_linked_or_marked_not_created(app_runtime):
    """The detail of an unknown task offers its ways out; a pasted id is checked first."""
    log = app_runtime.log
    task_id = log.create_task("generate", "music", {"prompt": "lost"})
    log.mark_unknown(task_id, "No answer after the request was sent")
    at = run({"task": task_id})
    at.text_input(key=f"link-{task_id}").input("no-such-task")
    at.button(key=f"link-btn-{task_id}").click().run()
    assert any("does not know task no-such-task" in e.value for e in at.error)
    assert log.get_task(task_id)["state"] == "unknown"
    at.button(key=f"not-created-{task_id}").click().run()
    assert any("Marked as not created" in s.value for s in at.success)
    assert log.get_task(task_id)["state"] == "failed"


def test_every_id_the_user_sees_opens_the_task(seeded, app_runtime):
    """The 8 characters of the messages, the full local id, the provider task id; the address
    then names the task by its local id (a reload opens the same task)."""
    ok = seeded["succeeded"]
    provider = app_runtime.log.get_task(ok)["provider_task_id"]
    for ref in (ok[:8], ok, ok[:6].upper(), provider):
        at = run({"task": ref})
        assert at.subheader[0].value == "Golden Echo", ref
        assert at.query_params["task"] == ok, ref


def test_an_ambiguous_or_unknown_id_says_so(app_runtime):
    log = app_runtime.log
    first = log.create_task("generate", "music", {}, task_id="eec1d545" + "0" * 24,
                            title="First try", now=100.0)
    second = log.create_task("generate", "music", {}, task_id="eec1d546" + "0" * 24,
                             title="Second try", now=101.0)
    at = run({"task": "eec1d5"})
    assert "“eec1d5” matches 2 tasks" in at.warning[0].value
    body = texts(at)
    assert f"(/task?task={second})" in body and f"(/task?task={first})" in body
    assert "eec1d546 · Second try · Generate music" in body
    at = run({"task": "eec1"})
    assert "too short" in at.error[0].value
    at = run()
    assert "No task chosen" in at.info[0].value


def test_the_header_shows_what_was_asked(app_runtime):
    made = seed_small_experiment(app_runtime.log)
    at = run({"task": made["tasks"][1]})
    body = texts(at)
    assert at.subheader[0].value == "Night Train 2.1"
    assert "“a fast rock song about trains” · variant: rock-fast · repeat 2" in body
    # the experiment's short id links to its results
    assert f"[Experiment {made['experiment'][:8]}](/experiments?id={made['experiment']})" \
        in body
    assert "Generate music · V4.5+" in body


def test_a_finished_video_plays_on_its_task_page(app_runtime):
    from tests.app.videos import finished_video

    tid = finished_video(app_runtime.log, app_runtime.assets_dir, hours_ago=30)
    at = run({"task": tid})
    videos = [el.proto.url for el in at.get("video")]
    assert videos == [f"http://localhost:8501/api/assets/{tid}/video.mp4"], videos
    assert "Provider link expired 6 h ago (24 h after the task finished); the archived copy " \
           "stays." in texts(at), texts(at)


def test_a_video_task_shows_the_qa_of_its_file(app_runtime, tmp_path):
    """The archived MP4 is measured against the request (wan2.6-t2v: 1280*720, 5 s, with
    sound) and the detail shows it in one line, the mismatch flagged."""
    from lib.qa import media
    from tests.app.videos import finished_video
    from tests.lib.qa.test_media import make_mp4

    tid = finished_video(app_runtime.log, app_runtime.assets_dir)
    (row,) = app_runtime.log.assets_for(tid)
    make_mp4(tmp_path / "v.mp4", seconds=2, fps=8)
    (tmp_path / "v.mp4").replace(row["local_path"])
    media.check_asset(app_runtime.log, row, row["local_path"])
    at = run({"task": tid})
    assert not at.exception
    line = next(m.value for m in at.markdown if m.value.startswith("Video (MP4):"))
    assert line == (r"Video (MP4): :orange[2.0 s · 1280×720 · 8 fps · with sound (asked 1280\*720, "
                    r"5 s, with sound) ⚠ 2 s long, not 5 s]")
