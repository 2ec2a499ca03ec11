"""The Tasks page with AppTest: every lifecycle state on the board, filters, toasts; a task id in
the address opens its detail (the Task page itself: `tests/app/test_task_page.py`).

AppTest never fires `run_every` timers: ticks are simulated by running the script again.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.pages import open_page, texts
from tests.bench.seed import seed_small_experiment, seed_states

PAGE = "../../pages/tasks.py"


@pytest.fixture
def seeded(app_runtime):
    return seed_states(app_runtime.log, app_runtime.assets_dir)


def run(query: dict | None = None) -> AppTest:
    return open_page(PAGE, query)


def test_empty_board(app_runtime):
    at = run()
    assert at.title[0].value == "Tasks"
    assert "No tasks yet" in at.info[0].value


def test_board_shows_every_state(seeded):
    at = run()
    body = texts(at)
    for label in ("Pending", "Processing", "Succeeded", "Failed", "Unknown outcome"):
        assert f"-badge[{label}]" in body
    assert "**2** running · 6 tasks" in body
    assert "Queued at the provider" in body
    assert "First track ready (streaming)" in body
    assert "Waiting for the first track…" in body          # second track of the processing task
    assert "**Code 400.** The provider refused the text" in at.error[0].value
    assert "“Lyrics contain an artist name”" in at.error[0].value
    assert "No answer after the request was sent" in at.warning[0].value
    assert "**Golden Echo** · 2:04" in body and "indie rock, warm" in body


def test_players_and_downloads_use_stable_urls(seeded, app_runtime):
    at = run()
    audio = [el.proto.url for el in at.get("audio")]
    ok = seeded["succeeded"]
    assert f"http://localhost:8501/api/assets/{ok}/trk-ok-1-mp3.mp3" in audio   # archived
    assert "http://127.0.0.1:9/a/trk-ok-2.mp3" in audio                          # provider
    assert "http://127.0.0.1:9/stream/trk-proc-1" in audio                       # stream
    # a track's files are links in its Markdown (one element fewer per track)
    assert f"[MP3](<http://localhost:8501/api/assets/{ok}/trk-ok-1-mp3.mp3>)" in texts(at)
    assert "[WAV](<http://127.0.0.1:9/w/trk-ok-1.wav>)" in texts(at)           # the WAV task
    assert not at.get("link_button")                                            # links, not buttons
    again = run()
    assert [el.proto.url for el in again.get("audio")] == audio                  # same args


def block_keys(node) -> set[str]:
    """User keys of every keyed container under ``node`` (ids end with ``-<key>``)."""
    keys = set()
    proto = getattr(node, "proto", None)
    if type(node).__name__ == "Block" and proto is not None and proto.id.startswith("$$ID-"):
        keys.add(proto.id.split("-", 2)[2])
    for child in getattr(node, "children", {}).values():
        keys |= block_keys(child)
    return keys


def test_task_and_track_containers_are_keyed(seeded):
    keys = block_keys(run().main)
    for state in ("pending", "processing", "succeeded", "failed", "unknown"):
        assert f"task-{seeded[state]}" in keys
    assert {"track-trk-ok-1", "track-trk-ok-2", "track-trk-proc-1"} <= keys


def test_filters_outside_the_fragment(seeded):
    at = run()
    at.pills(key="board_state").set_value(["failed"]).run()
    body = texts(at)
    assert "Broken Glass" in body and "Golden Echo" not in body
    assert "1 task (filtered)" in body
    at.pills(key="board_state").set_value([]).run()
    at.multiselect(key="board_op").set_value(["wav"]).run()
    body = texts(at)
    assert "**Convert to WAV: Golden Echo**" in body      # named after its source track
    assert "indie rock, warm" not in body and "Broken Glass" not in body


def test_toasts_on_the_next_tick(seeded, app_runtime):
    at = run()
    assert len(at.toast) == 0
    app_runtime.log.mark_failed(seeded["pending"], 430, "Too many requests: wait a bit")
    with app_runtime.log.raw_connection() as db:
        db.execute("UPDATE tasks SET state = 'succeeded', finished_at = updated_at WHERE id = ?",
                   [seeded["processing"]])
    at.run()
    toasts = sorted(t.value for t in at.toast)
    assert toasts[0].startswith("Failed: Quiet Harbor (code 430). Too many requests")
    assert toasts[1] == "Finished: Neon River"
    at.run()
    assert len(at.toast) == 0


def test_a_task_id_in_the_address_opens_its_detail(seeded):
    """``/tasks?task=<id>`` forwards to the Task page; run alone, this page shows it itself."""
    at = run({"task": seeded["succeeded"][:8]})
    assert at.subheader[0].value == "Golden Echo"
    assert not at.title, "the board is not drawn under a detail"


def test_callbacks_that_named_no_task_are_listed(app_runtime):
    at = run()
    assert not at.expander, "no expander while every callback belonged to a task"
    task, _, _ = app_runtime.log.record_callback(
        "prov-not-ours", local_id=None, headers={"authorization": "Bearer sk-secret"},
        body={"code": 200, "data": {"task_id": "prov-not-ours"}}, note="complete for prov-not-ours")
    assert task is None
    at = run()
    [box] = at.expander
    assert "Callbacks that named no task of ours (1 most recent)" in box.label
    frame = at.dataframe[0].value
    assert list(frame["what"]) == ["complete for prov-not-ours"]


def test_cards_show_what_was_asked(seeded, app_runtime):
    """The prompt's first line and, for experiment tasks, the variant and repeat; models and
    tags in words."""
    seed_small_experiment(app_runtime.log)
    body = texts(run())
    assert "“a song called Golden Echo”" in body
    assert "“a fast rock song about trains” · variant: rock-fast · repeat 2" in body
    assert "with a long second line" not in body
    assert ":gray[Generate music · V4.5+]" in body and "V4_5" not in body
    assert "rock, backing vocals" in body and "backing_vocals" not in body
    assert "**2** running · 8 tasks" in body


def test_operation_lists_show_labels_only(app_runtime):
    from lib import ops

    options = run().multiselect(key="board_op").options
    assert options == [ops.label(name) for name in ops.OPERATIONS]
    assert "Cover uploaded audio" in options and "Generate music" in options
    assert not any("_" in o or " · " in o for o in options), options   # no upload_cover


def test_a_file_made_on_click_is_offered_on_the_task_page_not_on_the_card(app_runtime):
    """A MIDI task's notes file is made when its button is clicked; that registers the file
    under an id that each board refresh replaces, so the card names the file and the Task
    page (refreshed only while the task runs) has the button."""
    from lib.families import parse_poll
    from tests.lib.contract_examples import MIDI_RECORD_INFO

    log = app_runtime.log
    tid = log.create_task("midi", "midi", {"taskId": "5c79****be8e"})
    log.mark_submitted(tid, "prov-midi", next_poll_at=None)
    log.apply_poll(tid, parse_poll("midi", MIDI_RECORD_INFO["data"]), next_poll_at=None)
    assert log.get_task(tid)["state"] == "succeeded"
    board = run()
    assert not board.get("download_button")
    assert "MIDI on the task's *Details* page" in texts(board)
    detail = open_page("../../pages/task.py", {"task": tid})
    assert [b.proto.label for b in detail.get("download_button")] == ["MIDI"]


def test_cards_and_sidebar_say_when_the_provider_does_not_answer(seeded, app_runtime,
                                                                  monkeypatch):
    """The card kept "Queued at the provider" and the sidebar "Tracker: running" while every
    poll failed: both now say since when the provider does not answer and when the next try is."""
    import time

    from lib.provider.credits import CREDITS
    from lib.provider.reachability import REACHABILITY

    def panel():
        from pages.components.sidebar import status_panel

        status_panel()

    monkeypatch.setattr(REACHABILITY, "_by_url", {})
    # the embedded simulator answers the sidebar's balance read, which would clear the
    # failures set below at once (tested in test_sidebar_settings_facts)
    monkeypatch.setattr(CREDITS, "reachability", None)
    assert app_runtime.tracker.reachability is REACHABILITY
    waiting = {t["base_url"] for t in app_runtime.log.list_tasks(state=["pending", "processing"])}
    now = time.time()
    for url in waiting | {app_runtime.settings.base_url}:
        REACHABILITY.answered(url, now - 30)
        REACHABILITY.failed(url, RuntimeError("ConnectError: refused"), now - 20, now + 5)
    body = texts(run())
    assert body.count("Provider not answering since") == 2       # the pending and processing
    assert "(1 failed try)" in body and "last good answer" in body
    sidebar = AppTest.from_function(panel).run()
    assert not sidebar.exception
    assert "Provider not answering since" in texts(sidebar) and "next try in" in texts(sidebar)
    monkeypatch.setattr(REACHABILITY, "_by_url", {})
    assert "Provider not answering" not in texts(run())


def test_a_finished_video_plays_on_the_board(app_runtime):
    from tests.app.videos import finished_video

    tid = finished_video(app_runtime.log, app_runtime.assets_dir, hours_ago=2)
    at = run()
    videos = [el.proto.url for el in at.get("video")]
    assert videos == [f"http://localhost:8501/api/assets/{tid}/video.mp4"], videos  # archived
    body = texts(at)
    assert "Provider link expires in 21 h (24 h after the task finished); the archived copy " \
           "stays." in body, body


def test_a_text_call_reads_in_words_on_the_board_and_in_full_on_its_page(app_runtime):
    """A text helper's call (op ``text_chat``, family ``text``) is labelled like any task; its
    card says model, tokens, first-token time and the answer's first words (not the raw result
    dict cut short), its Task page shows the whole answer and offers it as a file."""
    from lib.contract.family import PollResult
    from lib.contract.states import Stage, State

    answer = ("Neon rain on the city, a slow synth line and a voice that carries the chorus "
              "home through the night.")
    log = app_runtime.log
    tid = log.create_task("text_chat", "text", {"model": "gpt-5", "messages": [
        {"role": "user", "content": "a song idea"}]}, provider="text", model="gpt-5",
        prompt="a song idea")
    log.mark_submitted(tid, None, next_poll_at=None)
    log.apply_poll(tid, PollResult("stop", State.SUCCEEDED, Stage.COMPLETE.value, result={
        "model": "gpt-5", "answer": answer, "finish_reason": "stop", "latency_s": 0.4,
        "first_token_s": 0.12, "usage": {"prompt_tokens": 12, "completion_tokens": 18,
                                         "total_tokens": 30}}), next_poll_at=None)
    body = texts(run())
    assert "Text (chat)" in body and "text_chat" not in body, body
    assert ("gpt-5 · 30 tokens · first token 120 ms · “Neon rain on the city, a slow synth "
            "line and a voice…”") in body, body
    assert "{'model'" not in body and "through the night." not in body, body
    detail = open_page("../../pages/task.py", {"task": tid})
    assert answer in texts(detail)
    assert [b.proto.label for b in detail.get("download_button")] == ["Answer (text)"]


def test_search_narrows_the_board_and_its_export_links_follow_the_filters(seeded):
    at = run()
    assert "/api/export/tasks.csv)" in texts(at)  # everything, no filter yet
    at.text_input(key="board_q").input("Golden").run()
    body = texts(at)
    assert "Golden Echo" in body and "Broken Glass" not in body and "Neon River" not in body
    assert "(filtered)" in body
    assert "/api/export/tasks.csv?q=Golden)" in body and "/api/export/tasks.json?q=Golden)" in body
