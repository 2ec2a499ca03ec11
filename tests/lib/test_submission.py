"""lib.views.submission and lib.provider.uploads: form rules, sources, one-click links, duplicate guard, submit
and upload, against a real SqliteLog and the fast simulator (`simulator` fixture)."""

from __future__ import annotations

import json
import time

import httpx
import pytest
from tenacity import wait_none

from lib import ops
from lib.contract.prepare import prepare
from lib.settings import Settings
from lib.families import parse_poll
from lib.log.sqlite import SqliteLog
from lib.provider import uploads
from lib.provider.client import SunoClient
from lib.tracking.assets import AssetArchiver
from lib.tracking.tracker import Tracker
from lib.views import submission as sub
from tests.helpers import wav_bytes

CB = "https://cb.example/hook"
SONG = {"customMode": False, "instrumental": False, "model": "V5", "prompt": "calm piano"}





@pytest.fixture
def env(tmp_path, simulator):
    settings = Settings(base_url=simulator.base_url, upload_base_url=simulator.base_url,
                        db_path=str(tmp_path / "s.db"), use_simulator=True)
    log = SqliteLog(settings.db_path)
    client = SunoClient(settings, wait=wait_none(), sleep=lambda s: None)
    tracker = Tracker(log, client, AssetArchiver(log, tmp_path / "assets"))
    yield log, client, tracker, tmp_path
    client.close()


def finish(tracker: Tracker, task_id: str, timeout: float = 30.0) -> dict:
    deadline = time.time() + timeout
    while time.time() < deadline:
        tracker.run_once(now=time.time() + 10_000)
        task = tracker.log.get_task(task_id)
        if task["state"] in ("succeeded", "failed"):
            return task
        time.sleep(0.05)
    raise AssertionError(f"task {task_id} never finished: {tracker.log.get_task(task_id)}")


# ---- form rules ----------------------------------------------------------------------------------

def test_field_visibility_follows_mode_and_flags():
    assert not sub.field_visible(ops.get("generate"), "title", {"customMode": False})
    assert sub.field_visible(ops.get("generate"), "title", {"customMode": True})
    assert not sub.field_visible(ops.get("generate"), "personaId", {"customMode": False})
    assert sub.field_visible(ops.get("generate"), "prompt", {"customMode": False})
    assert not sub.field_visible(ops.get("extend"), "continueAt", {"defaultParamFlag": False})
    assert sub.field_visible(ops.get("extend"), "continueAt", {"defaultParamFlag": True})
    assert sub.field_visible(ops.get("extend"), "model", {"defaultParamFlag": False})
    for name in ("taskId", "audioId"):
        assert not sub.field_visible(ops.get("wav"), name, {})
    assert not sub.field_visible(ops.get("mashup"), "uploadUrlList", {})


def test_counter_text_flags_overflow():
    assert sub.counter_text("abc", 5) == ("3/5 characters", False)
    text, over = sub.counter_text("x" * 101, 100)
    assert over and text.startswith("101/100") and "1 over" in text


def test_prepare_reports_model_aware_limits_at_the_field():
    custom = {"customMode": True, "instrumental": True, "style": "pop", "title": "t" * 101}
    v5 = prepare(ops.get("generate"), {**custom, "model": "V5"}, CB)
    assert [e.field for e in v5.errors] == ["title"] and "100" in v5.errors[0].message
    assert prepare(ops.get("generate"), {**custom, "model": "V4", "title": "t" * 81}, CB).errors[0] \
        .message.endswith("at most 80")
    missing = prepare(ops.get("generate"), {"customMode": True, "instrumental": True, "model": "V5",
                                                   "title": "x"}, CB)
    assert [e.field for e in missing.errors] == ["style"]
    ok = prepare(ops.get("generate"), {**SONG}, CB)
    assert ok.ok and ok.body == {**SONG, "callBackUrl": CB}


def _rt(settings):
    from types import SimpleNamespace

    from lib.provider.hub import Providers

    return SimpleNamespace(settings=settings, tracker=SimpleNamespace(
        providers=Providers(settings)))


def test_request_line_never_shows_the_key():
    settings = Settings(base_url="https://api.example", api_key="sk-secret", dialect="anyint")
    line = sub.request_line(ops.get("generate"), _rt(settings), {"prompt": "x"})
    assert line["url"] == "https://api.example/suno/generate"
    assert line["headers"]["Authorization"] == "Bearer ***"
    assert line["body"] == {"prompt": "x"}
    assert "sk-secret" not in json.dumps(line)


def test_request_line_is_the_operations_own_providers():
    """A DashScope video previews its own route, the async header and the nested body (not the
    music base URL with the music dialect, which has no such route)."""
    settings = Settings(base_url="https://api.example", api_key="sk-secret", dialect="sunoapi")
    op = ops.get("video_t2v")
    line = sub.request_line(op, _rt(settings), {"model": "wan2.6-t2v", "prompt": "p",
                                                "duration": 5})
    assert line["url"].endswith("/dashscope/v1/services/aigc/video-generation/video-synthesis")
    assert not line["url"].startswith("https://api.example")
    assert line["headers"]["X-DashScope-Async"] == "enable"
    assert line["body"]["input"] == {"prompt": "p"} and line["body"]["parameters"]["duration"] == 5
    assert "sk-secret" not in json.dumps(line)
    assert sub.dialect_for(_rt(settings), op) == "anyint" and op.offered("anyint")


# ---- one-click links and prefill -------------------------------------------------------------

def test_transform_link_round_trip():
    params = sub.transform_link("extend", {"id": "aud-1", "task_id": "t"})
    assert params == {"op": "extend", "track": "aud-1"}
    assert sub.parse_link(params) == ("extend", "aud-1")
    assert sub.transform_link("wav", "aud-2") == {"op": "wav", "track": "aud-2"}
    assert sub.parse_link({"op": "generate", "track": "x"}) == (None, "x")
    with pytest.raises(ValueError):
        sub.transform_link("generate", "aud-1")


SRC = sub.Source(audio_id="aud-1", task_id="local-1", provider_task_id="prov-1", title="Song",
                 tags="rock", duration=120.0, model="V4_5", audio_url="http://x/a.mp3",
                 state="succeeded", op="generate")


def test_prefill_gives_valid_requests_for_every_transform():
    for op in (o.name for o in ops.from_track()):
        values = sub.prefill(op, SRC)
        assert set(values) <= set(ops.OPERATIONS[op].names), op
    extend = sub.prefill("extend", SRC)
    assert extend["audioId"] == "aud-1" and extend["model"] == "V4_5"
    assert 0 < extend["continueAt"] < 120
    replace = sub.prefill("replace_section", SRC)
    assert prepare(ops.get("replace_section"), {**replace, "prompt": "new words"}, CB,
                   duration=120).ok
    persona = sub.prefill("persona", SRC)
    assert prepare(ops.get("persona"), {**persona, "description": "warm"}, CB, duration=120).ok
    assert sub.prefill("add_vocals", SRC)["uploadUrl"] == "http://x/a.mp3"
    assert prepare(ops.get("wav"), sub.prefill("wav", SRC), CB).body["taskId"] == "prov-1"


def test_duration_aware_checks():
    def fields(op, values, **kw):
        return {e.field for e in prepare(ops.get(op), values, CB, **kw).errors}

    ext = {"defaultParamFlag": True, "audioId": "a", "model": "V5", "continueAt": 20.0,
           "prompt": "p", "style": "s", "title": "t"}
    assert fields("extend", ext, duration=20.0) == {"continueAt"}
    assert fields("extend", ext, duration=25.0) == set()
    assert fields("extend", ext, duration=25.0, source_model="V4") == {"model"}
    rep = {"taskId": "t", "audioId": "a", "prompt": "p", "tags": "s", "title": "t",
           "infillStartS": 10.0, "infillEndS": 40.0}
    assert fields("replace_section", rep, duration=50.0) == {"infillEndS"}  # > half the track
    assert fields("replace_section", rep, duration=100.0) == set()
    per = {"taskId": "t", "audioId": "a", "name": "n", "description": "d"}
    # the form's defaults are valid: no end means 30 s, or the end of a shorter track
    assert fields("persona", per, duration=20.0) == set()
    assert fields("persona", {**per, "vocalStart": 12.0}, duration=20.0) == {"vocalStart"}
    assert fields("persona", {**per, "vocalEnd": 25.0}, duration=20.0) == {"vocalEnd"}
    assert fields("persona", {**per, "vocalEnd": 15.0}, duration=20.0) == set()
    cover = {"uploadUrl": "http://x/a.mp3", "customMode": False, "instrumental": False,
             "prompt": "p"}
    assert fields("upload_cover", {**cover, "model": "V4_5ALL"}, duration=90.0) == {"uploadUrl"}
    assert fields("upload_cover", {**cover, "model": "V5"}, duration=90.0) == set()


# ---- duplicate guard and outcomes --------------------------------------------------------------

def test_recent_duplicate_reads_the_log(tmp_path):
    log = SqliteLog(tmp_path / "d.db")
    body = {**SONG, "callBackUrl": CB}
    now = time.time()
    first = log.create_task("generate", "music", body, now=now - 3)
    assert sub.recent_duplicate(log, "generate", body, now=now)["id"] == first
    assert sub.recent_duplicate(log, "generate", {**body, "prompt": "other"}, now=now) is None
    assert sub.recent_duplicate(log, "lyrics", body, now=now) is None
    assert sub.recent_duplicate(log, "generate", body, now=now + 20) is None
    log.mark_failed(first, 400, "rejected")  # never accepted: resending is harmless
    assert sub.recent_duplicate(log, "generate", body, now=now) is None


def test_outcome_messages(tmp_path):
    log = SqliteLog(tmp_path / "o.db")
    tid = log.create_task("generate", "music", SONG)
    assert sub.outcome_of(log.get_task(tid)).kind == "ok"
    log.mark_unknown(tid, "ReadTimeout")
    unknown = sub.outcome_of(log.get_task(tid))
    assert unknown.kind == "unknown" and "not be resubmitted" in unknown.message
    other = log.create_task("generate", "music", SONG)
    log.mark_failed(other, 429, "Insufficient credits.")
    failed = sub.outcome_of(log.get_task(other))
    assert failed.kind == "failed" and "429" in failed.message and "credits" in failed.message


# ---- against the simulator ------------------------------------------------------------------------

def test_submit_records_the_body_and_sources_follow(env):
    log, client, tracker, _ = env
    body = prepare(ops.get("generate"), SONG, CB).body
    outcome = sub.submit(tracker, "generate", body)
    assert outcome.ok and outcome.state == "pending"
    assert json.loads(log.get_task(outcome.task_id)["request_json"]) == body
    task = finish(tracker, outcome.task_id)
    assert task["state"] == "succeeded"
    tracks = sub.finished_tracks(log)
    assert len(tracks) == 2 and {t.task_id for t in tracks} == {outcome.task_id}
    src = sub.source_for(log, tracks[0].audio_id)
    assert src.finished and src.provider_task_id == task["provider_task_id"]
    assert src.model == "V5" and src.duration and src.audio_url
    assert [t["id"] for t in sub.finished_music_tasks(log)] == [outcome.task_id]
    # a real extend of that track, prefilled, passes both our checks and the simulator's
    extend = prepare(ops.get("extend"), sub.prefill("extend", src), CB, duration=src.duration,
                     source_model=src.model)
    assert extend.ok and extend.body["audioId"] == src.audio_id
    assert sub.submit(tracker, "extend", extend.body).ok
    cover = sub.submit(tracker, "cover_art", {"taskId": src.provider_task_id, "callBackUrl": CB})
    assert cover.ok and sub.made_from(log, "cover_art") == {src.provider_task_id}


def test_submit_explains_a_rejection(env):
    _, _, tracker, _ = env
    outcome = sub.submit(tracker, "wav", {"taskId": "nope", "audioId": "nope", "callBackUrl": CB})
    assert outcome.kind == "failed" and "Not accepted" in outcome.message


def test_personas_come_from_persona_tasks(tmp_path):
    log = SqliteLog(tmp_path / "p.db")
    tid = log.create_task("persona", "sync", {"name": "Anna"}, title="Anna")
    log.mark_submitted(tid, None, next_poll_at=None)
    log.apply_poll(tid, parse_poll("sync", {"personaId": "p-1", "name": "Anna",
                                            "description": "warm"}), next_poll_at=None)
    failed = log.create_task("persona", "sync", {"name": "Bob"})
    log.mark_failed(failed, 409, "exists")
    assert sub.personas(log) == [sub.Persona("p-1", "Anna", "warm")]


def test_describe_result():
    assert sub.describe_result(ops.get("style_boost"), {"result": "Pop, airy synths"}) == "Pop, airy synths"
    assert "p-1" in sub.describe_result(ops.get("persona"), {"personaId": "p-1", "name": "A"})
    words = [{"word": "la", "startS": 0.1, "endS": 2.4}]
    assert sub.describe_result(ops.get("timestamped_lyrics"), {"alignedWords": words}) == \
        "1 aligned words over 3 s"


# ---- uploads ---------------------------------------------------------------------------------------

def test_check_audio_refuses_bad_files():
    assert uploads.check_audio("a.wav", wav_bytes(0.1)) is None
    assert "not accepted" in uploads.check_audio("notes.txt", b"hello")
    assert "empty" in uploads.check_audio("a.mp3", b"")
    assert "does not look like audio" in uploads.check_audio("a.mp3", b"<html>nope</html>")
    big = b"ID3" + bytes(uploads.MAX_UPLOAD_BYTES)
    assert "too large" in uploads.check_audio("big.mp3", big)
    assert uploads.sniff_audio(b"fLaC\0\0") == "flac" and uploads.sniff_audio(b"OggS") == "ogg"
    assert uploads.sniff_audio(b"\0\0\0\x20ftypM4A ") == "m4a"
    assert uploads.sniff_audio(b"\xff\xfb\x90") == "mp3" and uploads.sniff_audio(b"\xff\xf1") \
        == "aac"


def test_upload_then_submit_reaches_the_provider(env):
    log, client, tracker, tmp = env
    data = wav_bytes(2.0)
    done = uploads.upload_audio(client, tmp / "uploads", "My Take (1).wav", data,
                                attested=True)
    assert done.via == "upload host" and done.attested and done.duration == pytest.approx(2.0, abs=0.05)
    assert (tmp / "uploads" / done.file_name).read_bytes() == data
    assert " " not in done.file_name and done.file_name.endswith(".wav")
    assert httpx.get(done.url).content == data  # the provider can fetch it
    body = prepare(ops.get("upload_cover"), {"uploadUrl": done.url, "customMode": False,
                                                     "instrumental": True, "model": "V5",
                                                     "prompt": "as a jazz trio"}, CB,
                   duration=done.duration).body
    outcome = sub.submit(tracker, "upload_cover", body)
    assert outcome.ok
    assert finish(tracker, outcome.task_id)["state"] == "succeeded"


def test_upload_falls_back_to_our_server_or_explains(tmp_path):
    dead = Settings(base_url="http://127.0.0.1:9", upload_base_url="http://127.0.0.1:9")
    client = SunoClient(dead, wait=wait_none(), sleep=lambda s: None, attempts=1)
    data = wav_bytes(0.2)
    done = uploads.upload_audio(client, tmp_path, "a.wav", data, public_url="https://me.example",
                                measure=False, attested=True)
    assert done.via == "Songbench server"
    assert done.url == f"https://me.example/api/assets/uploads/{done.file_name}"
    with pytest.raises(uploads.UploadError, match="Upload failed"):
        uploads.upload_audio(client, tmp_path, "a.wav", data, measure=False, attested=True)
    with pytest.raises(uploads.UploadError, match="not accepted"):
        uploads.upload_audio(client, tmp_path, "a.exe", data, attested=True)


def test_nothing_is_stored_or_sent_without_the_attestation(tmp_path):
    class NoClient:
        def upload_bytes(self, *a, **kw):
            raise AssertionError("sent without the attestation")

    with pytest.raises(uploads.UploadError, match="The team may use this audio"):
        uploads.upload_audio(NoClient(), tmp_path / "uploads", "a.wav", wav_bytes(0.2))
    assert not (tmp_path / "uploads").exists()


def test_a_page_makes_an_upload_a_source_with_one_call(env):
    """`upload_source`: what the upload picker used to do itself (check, upload, record the
    attestation in the log), for any page."""
    from types import SimpleNamespace

    log, client, _, tmp = env
    rt = SimpleNamespace(client=client, uploads_dir=tmp / "uploads", log=log,
                         settings=SimpleNamespace(public_url=None))
    data = wav_bytes(1.0)
    attempt = sub.upload_source(rt, "take one.wav", data)
    done = attempt.uploaded
    assert done is not None and attempt.refused is None and attempt.failed is None
    assert httpx.get(done.url).content == data
    [row] = log.uploads_named(done.file_name)
    assert row["attested"] and row["statement"] == uploads.ATTESTATION and row["url"] == done.url
    assert sub.upload_summary(done).startswith("Uploaded take one.wav (1.0 s, ")
    assert sub.upload_signature(data) == sub.upload_signature(bytes(data))
    refused = sub.upload_source(rt, "notes.txt", b"hello")
    assert refused.uploaded is None and "not accepted" in (refused.refused or "")
    dead = SunoClient(Settings(base_url="http://127.0.0.1:9", upload_base_url="http://127.0.0.1:9"),
                      wait=wait_none(), sleep=lambda s: None, attempts=1)
    failed = sub.upload_source(SimpleNamespace(**{**vars(rt), "client": dead}), "b.wav", data)
    assert failed.uploaded is None and (failed.failed or "").startswith("Upload failed")
    assert len(log.uploads_named(done.file_name)) == 1  # only what reached the provider


def test_generate_link_state_picks_cover_art_source(tmp_path):
    """The board's one-click "Cover art" opens Generate on cover art with the track's task."""
    from lib.contract.family import PollResult, Track
    from lib.contract.states import State
    from lib.log.sqlite import SqliteLog

    log = SqliteLog(tmp_path / "t.db")
    task_id = log.create_task("generate", "music", {"prompt": "x"})
    log.mark_submitted(task_id, "prov123", next_poll_at=None)
    track = Track(id="aud-1", index=0, title="T", tags="", lyrics="", model_name="chirp",
                  duration=3.0, audio_url="http://x/a.mp3", stream_audio_url=None,
                  image_url=None, create_time=None)
    log.apply_poll(task_id, PollResult("SUCCESS", State.SUCCEEDED, "complete", [track], [],
                                       None, None), next_poll_at=None)
    state = sub.link_state(log, {"op": "cover_art", "track": "aud-1"}, "generate")
    assert state == {"generate_page.op": "cover_art", "cover_art.source_task": "prov123"}
    assert sub.link_state(log, {"op": "extend", "track": "aud-1"}, "generate") == {}
    assert sub.link_state(log, {"op": "extend", "track": "aud-1"}, "transform") == {
        "transform_page.op": "extend", "extend.source_track": "aud-1"}


def test_the_outcome_follows_the_task_after_the_submit(env):
    """What the Generate page shows under the form: re-read from the log as the tracker moves
    the task on (it used to stay "accepted (pending)")."""
    log, _, tracker, _ = env
    outcome = sub.submit(tracker, "lyrics", {"prompt": "a song about the sea", "callBackUrl": CB})
    assert outcome.ok and sub.still_running(outcome)
    log.mark_failed(outcome.task_id, 501, "generation failed")
    now = sub.current_outcome(log, outcome)
    assert now.kind == "failed" and not sub.still_running(now)
    assert now.message.startswith(f"Task {outcome.task_id[:8]} failed (code 501)")
    gone = sub.Outcome("no-such-task", "pending", "ok", "x")
    assert sub.current_outcome(log, gone) is gone
