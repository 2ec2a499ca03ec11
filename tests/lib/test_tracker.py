"""lib.tracking.tracker through the real SunoClient over an httpx.MockTransport fake provider."""

import copy
import json

import httpx
import pytest
from tenacity import wait_none

from lib.settings import Settings
from lib.log.sqlite import SqliteLog
from lib.provider.client import SunoClient
from lib.tracking.assets import AssetArchiver
from lib.tracking.tracker import Tracker
from tests.lib import contract_examples as ex

BODY = {"customMode": False, "instrumental": False, "model": "V5",
        "prompt": "a calm piano piece", "callBackUrl": "https://cb.example/hook"}


class Clock:
    def __init__(self, t=1000.0):
        self.t = t

    def __call__(self):
        return self.t


class FakeProvider:
    """Scripted answers: ``create`` is a callable(request) -> Response; polls pop ``answers``."""

    def __init__(self, log):
        self.log = log
        self.answers: list = []
        self.posts: list[httpx.Request] = []
        self.gets: list[httpx.Request] = []
        self.rows_seen_at_post: list[dict] = []
        self.create = lambda request: httpx.Response(200, json={
            "code": 200, "msg": "success", "data": {"taskId": f"prov-{len(self.posts)}"}})
        self.files: dict[str, bytes] = {}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == "cdn.test":
            if request.url.path not in self.files:
                return httpx.Response(404)
            return httpx.Response(200, content=self.files[request.url.path],
                                  headers={"content-type": "audio/mpeg"})
        if request.method == "POST":
            self.posts.append(request)
            # the log row must already exist, pending, with the body as sent
            self.rows_seen_at_post.append(copy.deepcopy(self.log.list_tasks(limit=1)[0]))
            return self.create(request)
        self.gets.append(request)
        answer = self.answers.pop(0) if self.answers else ex.MUSIC_RECORD_INFO_PENDING
        if isinstance(answer, Exception):
            raise answer
        return httpx.Response(200, json=answer)


@pytest.fixture
def env(tmp_path):
    log = SqliteLog(tmp_path / "log.db")
    provider = FakeProvider(log)
    settings = Settings(base_url="http://provider.test", api_key="sk-test-key",
                        dialect="sunoapi", db_path=str(tmp_path / "log.db"))
    transport = httpx.MockTransport(provider)
    client = SunoClient(settings, transport=transport, on_event=log.log_client_event,
                        sleep=lambda s: None, wait=wait_none())
    archiver = AssetArchiver(log, tmp_path / "assets", httpx.Client(transport=transport))
    clock = Clock()
    tracker = Tracker(log, client, archiver, clock=clock)
    return log, provider, tracker, clock


def music(envelope, *, audio_host="cdn.test"):
    """A record-info envelope whose URLs point at the fake CDN."""
    out = copy.deepcopy(envelope)
    for track in (out["data"].get("response") or {}).get("sunoData") or []:
        for key in ("audioUrl", "imageUrl"):
            if track.get(key):
                track[key] = f"http://{audio_host}/{track['id']}.{key}"
    return out


def test_task_row_is_written_before_the_post(env):
    log, provider, tracker, _ = env
    task_id = tracker.submit("generate", BODY)
    (row,) = provider.rows_seen_at_post
    assert row["id"] == task_id and row["state"] == "pending"
    assert row["provider_task_id"] is None
    assert json.loads(row["request_json"]) == BODY
    assert json.loads(provider.posts[0].content) == BODY
    task = log.get_task(task_id)
    assert task["provider_task_id"] == "prov-1" and task["next_poll_at"] == 1002.0
    assert (task["model"], task["prompt"], task["dialect"]) == ("V5", "a calm piano piece",
                                                               "sunoapi")


def test_client_events_are_attributed_and_redacted(env):
    log, _, tracker, _ = env
    task_id = tracker.submit("generate", BODY)
    events = log.events_for(task_id)
    assert [e["kind"] for e in events][:2] == ["request", "response"]
    assert "sk-test-key" not in json.dumps(events)
    assert json.loads(events[1]["body_json"])["data"]["taskId"] == "prov-1"


def test_back_off_schedule(env):
    log, provider, tracker, clock = env
    task_id = tracker.submit("generate", BODY)
    assert tracker.run_once(now=1001.9) == 0 and provider.gets == []
    schedule = [log.get_task(task_id)["next_poll_at"]]
    for _ in range(11):
        clock.t = schedule[-1]
        assert tracker.run_once() == 1
        assert tracker.run_once() == 0  # not due again until the next slot
        schedule.append(log.get_task(task_id)["next_poll_at"])
    delays = [round(b - a, 4) for a, b in zip(schedule, schedule[1:], strict=False)]
    assert schedule[0] == 1002.0  # first poll 2 s after the submit
    assert delays[:4] == [3.0, 4.5, 6.75, 10.125]
    assert delays[-3:] == [30.0, 30.0, 30.0]
    assert all(b >= a for a, b in zip(delays, delays[1:], strict=False))
    assert len(provider.gets) == 11
    assert provider.gets[0].url.params["taskId"] == "prov-1"


def test_progress_never_goes_backwards_and_terminal_is_never_polled(env):
    log, provider, tracker, clock = env
    task_id = tracker.submit("generate", BODY)
    provider.answers = [ex.MUSIC_RECORD_INFO_FIRST_SUCCESS, ex.MUSIC_RECORD_INFO_TEXT_SUCCESS,
                        ex.MUSIC_RECORD_INFO_PENDING]
    for _ in range(3):
        clock.t += 60
        tracker.run_once()
    task = log.get_task(task_id)
    assert (task["state"], task["stage"], task["raw_status"]) == ("processing", "first",
                                                                  "FIRST_SUCCESS")
    provider.answers = [music(ex.MUSIC_RECORD_INFO_OPENAPI)]
    clock.t += 60
    tracker.run_once()
    task = log.get_task(task_id)
    assert task["state"] == "succeeded" and task["next_poll_at"] is None
    polls = len(provider.gets)
    for _ in range(3):
        clock.t += 3600
        assert tracker.run_once() == 0
    tracker.resume()
    assert tracker.run_once() == 0
    assert len(provider.gets) == polls
    states = [json.loads(e["body_json"])["to"] for e in log.events_for(task_id)
              if e["kind"] == "state"]
    assert states == ["processing", "succeeded"]


def test_success_archives_assets(env, tmp_path):
    log, provider, tracker, clock = env
    provider.files = {"/8551****662c.audioUrl": b"ID3-fake-mp3",
                      "/8551****662c.imageUrl": b"jpeg-bytes"}
    task_id = tracker.submit("generate", BODY)
    provider.answers = [music(ex.MUSIC_RECORD_INFO_OPENAPI)]
    clock.t += 5
    tracker.run_once()
    assets = {a["kind"]: a for a in log.assets_for(task_id)}
    assert assets["mp3"]["status"] == "done"
    with open(assets["mp3"]["local_path"], "rb") as fh:
        assert fh.read() == b"ID3-fake-mp3"
    track = log.get_track("8551****662c")
    assert track["local_audio_path"] == assets["mp3"]["local_path"]
    assert track["local_image_path"] == assets["image"]["local_path"]


def test_query_errors_back_off_without_failing(env):
    log, provider, tracker, clock = env
    task_id = tracker.submit("generate", BODY)
    provider.answers = [httpx.ConnectError("down")] * 3 + [ex.MUSIC_RECORD_INFO_TEXT_SUCCESS]
    clock.t = 1002.0
    tracker.run_once()
    task = log.get_task(task_id)
    assert task["state"] == "pending" and task["poll_count"] == 1
    assert task["next_poll_at"] == pytest.approx(1002.0 + 3.0)
    assert any(e["kind"] == "error" for e in log.events_for(task_id))
    clock.t = task["next_poll_at"]
    tracker.run_once()
    assert log.get_task(task_id)["state"] == "processing"


def test_unknown_outcome_is_never_resubmitted_or_polled(env):
    log, provider, tracker, clock = env

    def timeout(request):
        raise httpx.ReadTimeout("no answer", request=request)

    provider.create = timeout
    task_id = tracker.submit("generate", BODY)
    task = log.get_task(task_id)
    assert task["state"] == "unknown" and task["provider_task_id"] is None
    assert "not resubmitted" in task["error_message"]
    clock.t += 3600
    tracker.resume()
    assert tracker.run_once() == 0
    assert len(provider.posts) == 1 and provider.gets == []
    tracker.link(task_id, "prov-found")
    provider.answers = [ex.MUSIC_RECORD_INFO_TEXT_SUCCESS]
    assert tracker.run_once() == 1
    assert log.get_task(task_id)["state"] == "processing"


def test_rejection_fails_with_code_and_explanation(env):
    log, provider, tracker, clock = env
    provider.create = lambda r: httpx.Response(200, json=ex.ERROR_ENVELOPES[413])
    task_id = tracker.submit("generate", BODY)
    task = log.get_task(task_id)
    assert (task["state"], task["error_code"], task["next_poll_at"]) == ("failed", 413, None)
    assert "Text too long" in task["error_message"]
    assert "Theme or prompt too long" in task["error_message"]


def test_nothing_sent_fails(env):
    log, provider, tracker, _ = env

    def refused(request):
        raise httpx.ConnectError("refused", request=request)

    provider.create = refused
    task_id = tracker.submit("generate", BODY)
    task = log.get_task(task_id)
    assert task["state"] == "failed" and "nothing was sent" in task["error_message"]


@pytest.mark.parametrize(("op", "body", "answer"), [
    ("style_boost", {"content": "Pop, Mysterious"}, ex.STYLE_BOOST_OK),
    ("persona", {"taskId": "t", "audioId": "a", "name": "N", "description": "D"},
     ex.PERSONA_OK),
    ("timestamped_lyrics", {"taskId": "t", "audioId": "a"}, ex.TIMESTAMPED_LYRICS_OK),
])
def test_sync_operations_finish_at_once(env, op, body, answer):
    log, provider, tracker, clock = env
    provider.create = lambda r: httpx.Response(200, json=answer)
    task_id = tracker.submit(op, body)
    task = log.get_task(task_id)
    assert task["state"] == "succeeded" and task["next_poll_at"] is None
    assert json.loads(task["result_json"]) == answer["data"]
    clock.t += 100
    assert tracker.run_once() == 0 and provider.gets == []


def _callback_for(provider_id, example=ex.CALLBACK_MUSIC_COMPLETE):
    payload = copy.deepcopy(example)
    payload["data"]["task_id"] = provider_id
    return payload


def test_callbacks_make_the_task_due_and_duplicates_are_harmless(env):
    log, provider, tracker, clock = env
    task_id = tracker.submit("generate", BODY)
    clock.t = 1000.5  # first poll not due until 1002
    headers = {"Authorization": "Bearer forged", "content-type": "application/json"}
    first = tracker.on_callback(_callback_for("prov-1"), headers)
    second = tracker.on_callback(_callback_for("prov-1"), headers)
    assert first == second == {"accepted": True, "due": True, "linked": False}
    assert log.get_task(task_id)["next_poll_at"] == 1000.5
    provider.answers = [ex.MUSIC_RECORD_INFO_PENDING]
    assert tracker.run_once() == 1  # one poll for two deliveries
    callbacks = [e for e in log.events_for(task_id) if e["kind"] == "callback"]
    assert len(callbacks) == 2 and "forged" not in callbacks[0]["headers_json"]


def test_callback_overtaking_the_create_response_makes_the_task_due(env):
    log, provider, tracker, clock = env

    def create_then_callback(request):
        # the provider calls back before we have stored its taskId
        assert tracker.on_callback(_callback_for("prov-early"))["accepted"] is False
        return httpx.Response(200, json={"code": 200, "msg": "success",
                                         "data": {"taskId": "prov-early"}})

    provider.create = create_then_callback
    task_id = tracker.submit("generate", BODY)
    assert log.get_task(task_id)["next_poll_at"] == clock.t  # due now, not in 2 s
    assert tracker.run_once() == 1


def test_forged_callback_cannot_plant_urls(env):
    log, provider, tracker, clock = env
    task_id = tracker.submit("generate", BODY)
    forged = _callback_for("prov-1")
    forged["data"]["data"][0]["audio_url"] = "https://evil.example/x.mp3"
    tracker.on_callback(forged)
    provider.answers = [ex.MUSIC_RECORD_INFO_PENDING]
    tracker.run_once()
    task = log.get_task(task_id)
    assert task["state"] == "pending"
    assert log.tracks_for(task_id) == [] and log.assets_for(task_id) == []


def test_unknown_ids_and_garbage_are_logged_not_raised(env):
    log, _, tracker, _ = env
    assert tracker.on_callback(_callback_for("nobody"))["accepted"] is False
    garbage = tracker.on_callback(["not", "a", "callback"], {"x-api-key": "k"})
    assert garbage["accepted"] is False and "JSON object" in garbage["error"]
    with log.raw_connection() as db:
        rows = list(db.query("SELECT * FROM events WHERE kind = 'callback'"))
    assert len(rows) == 2 and all(r["task_id"] is None for r in rows)
    assert json.loads(rows[1]["headers_json"]) == {"x-api-key": "***"}


def test_callback_for_finished_task_is_not_due(env):
    log, provider, tracker, clock = env
    tracker.submit("generate", BODY)
    provider.answers = [music(ex.MUSIC_RECORD_INFO_OPENAPI)]
    clock.t += 5
    tracker.run_once()
    assert tracker.on_callback(_callback_for("prov-1")) == {"accepted": True, "due": False,
                                                            "linked": False}
    clock.t += 5
    assert tracker.run_once() == 0


def test_resume_after_restart(env, tmp_path):
    log, provider, tracker, clock = env
    live = tracker.submit("generate", BODY)
    done = tracker.submit("generate", BODY)
    provider.answers = [ex.MUSIC_RECORD_INFO_PENDING, music(ex.MUSIC_RECORD_INFO_OPENAPI)]
    clock.t += 5
    tracker.run_once()
    assert log.get_task(done)["state"] == "succeeded"
    # a new process: fresh SqliteLog and Tracker over the same file, long before the next poll
    log2 = SqliteLog(log.path)
    restarted = Tracker(log2, tracker.client, None, clock=Clock(clock.t + 0.1))
    assert log2.due_tasks(clock.t + 0.1) == []
    assert restarted.resume() == 1
    assert [t["id"] for t in log2.due_tasks(clock.t + 0.1)] == [live]
    assert restarted.run_once() == 1


def test_unexpected_client_bug_leaves_an_unknown_task_and_raises(env):
    log, provider, tracker, _ = env

    def broken(request):
        raise RuntimeError("bug in a transport")

    provider.create = broken
    with pytest.raises(RuntimeError):
        tracker.submit("generate", BODY)
    (task,) = log.list_tasks()
    assert task["state"] == "unknown" and "bug in a transport" in task["error_message"]


def test_back_off_restarts_when_the_task_moves_on(env):
    """A new stage (text -> first) means the next one is near: poll again after the first delay."""
    log, provider, tracker, clock = env
    task_id = tracker.submit("generate", BODY)
    provider.answers = [ex.MUSIC_RECORD_INFO_PENDING, ex.MUSIC_RECORD_INFO_PENDING,
                        ex.MUSIC_RECORD_INFO_TEXT_SUCCESS]
    slots = []
    for _ in range(3):
        clock.t = log.get_task(task_id)["next_poll_at"]
        assert tracker.run_once() == 1
        slots.append(log.get_task(task_id)["next_poll_at"] - clock.t)
    assert slots[:2] == [3.0, 4.5]  # nothing new: the back-off grows
    assert slots[2] == tracker.first_delay  # TEXT_SUCCESS: back to the first delay
    assert log.get_task(task_id)["stage"] == "text"


def _drive(tracker, clock, log, task_id, polls):
    for _ in range(polls):
        clock.t = log.get_task(task_id)["next_poll_at"]
        tracker.run_once()


def test_a_task_the_provider_forgot_fails_after_three_not_found(env):
    """After a provider (or simulator) reset, polls answer body code 404: give up with a reason
    after three in a row, instead of polling forever."""
    log, provider, tracker, clock = env
    task_id = tracker.submit("generate", BODY)
    gone = {"code": 404, "msg": "taskId not found: prov-1"}
    provider.answers = [gone, gone, ex.MUSIC_RECORD_INFO_PENDING, gone, gone]
    _drive(tracker, clock, log, task_id, 5)
    task = log.get_task(task_id)
    assert task["state"] == "pending" and task["poll_misses"] == 2  # an answer reset the count
    provider.answers = [gone]
    _drive(tracker, clock, log, task_id, 1)
    task = log.get_task(task_id)
    assert (task["state"], task["error_code"]) == ("failed", 404)
    assert "no longer knows this task" in task["error_message"]
    assert task["next_poll_at"] is None
    assert [e["note"] for e in log.events_for(task_id) if e["kind"] == "state"][-1] == \
        "pending -> failed"


def test_a_missing_route_is_not_a_forgotten_task(env):
    """HTTP 404 means no such route (a wrong dialect): keep polling, never fail the task."""
    log, provider, tracker, clock = env
    task_id = tracker.submit("generate", BODY)
    original = provider.__call__

    def route_missing(request):
        if request.method == "GET":
            provider.gets.append(request)
            return httpx.Response(404, json={"code": 404, "msg": "Invalid request method or path"})
        return original(request)

    tracker.client._http._transport = httpx.MockTransport(route_missing)
    _drive(tracker, clock, log, task_id, 5)
    task = log.get_task(task_id)
    assert task["state"] == "pending" and task["poll_misses"] == 0 and task["poll_count"] == 5


def test_the_board_and_the_sidebar_say_when_the_provider_does_not_answer(env):
    """With the provider down the card kept "Queued at the provider" and the sidebar "Tracker:
    running": now the tracker keeps when it last answered, since when it fails, how many tries
    failed and the next try, and the card of every task waiting on it says so until it answers."""
    from lib.views import board

    log, provider, tracker, clock = env
    task_id = tracker.submit("generate", BODY)
    reach = tracker.reachability
    assert reach.get("http://provider.test").last_good == 1000.0       # the create answered
    assert not reach.get("http://provider.test").failing

    provider.answers = [httpx.ConnectError("down")] * 6 + [ex.MUSIC_RECORD_INFO_TEXT_SUCCESS]
    clock.t = 1002.0
    tracker.run_once()
    clock.t = log.get_task(task_id)["next_poll_at"]
    tracker.run_once()
    state = reach.get("http://provider.test")
    assert state.failing and state.failing_since == 1002.0 and state.failures == 2
    assert state.next_try == log.get_task(task_id)["next_poll_at"]
    words = state.words(now=clock.t, clock_text=lambda ts: f"t{ts:.0f}")
    assert words.startswith("Provider not answering since t1002 (2 failed tries)")
    assert "next try in 4 s" in words and "last good answer t1000" in words

    [view] = board.page_views(log, [log.get_task(task_id)], None, now=clock.t, reach=reach)
    assert view.stage_label == "Queued at the provider"
    assert view.provider_note and "not answering since" in view.provider_note

    clock.t = log.get_task(task_id)["next_poll_at"]
    tracker.run_once()                                                    # it answers again
    assert not reach.get("http://provider.test").failing
    [view] = board.page_views(log, [log.get_task(task_id)], None, now=clock.t, reach=reach)
    assert view.provider_note is None


def test_a_finished_task_carries_no_provider_note(env):
    from lib.provider.reachability import Reachability
    from lib.views import board

    log, provider, tracker, clock = env
    task_id = tracker.submit("generate", BODY)
    reach = Reachability()
    reach.failed("http://provider.test", RuntimeError("down"), 1001.0, 1003.0)
    log.mark_failed(task_id, 400, "rejected")
    [view] = board.page_views(log, [log.get_task(task_id)], None, now=1002.0, reach=reach)
    assert view.provider_note is None


@pytest.fixture
def called_back(env):
    """The env's tracker with callbacks on (the URL the provider calls us back on)."""
    log, provider, tracker, clock = env
    tracker.callback_base = "https://me.example/api/callbacks/s3cret"
    return log, provider, tracker, clock


def _stage_callback(provider_id, kind):
    example = {"text": ex.CALLBACK_MUSIC_TEXT, "first": ex.CALLBACK_MUSIC_FIRST,
               "complete": ex.CALLBACK_MUSIC_COMPLETE}[kind]
    return _callback_for(provider_id, example)


def test_a_song_costs_at_most_three_polls_with_callbacks_on(called_back):
    """With callbacks on, a song cost 6 polls (each of 4 callbacks re-read the task). Only
    first, complete and error re-read it, a duplicate of what a poll already read does not, and
    scheduled polls are the safety net: here 2 polls for text, first, complete and a duplicate."""
    log, provider, tracker, clock = called_back
    task_id = tracker.submit("generate", BODY)
    assert log.get_task(task_id)["next_poll_at"] == pytest.approx(1000.0 + tracker.max_delay)
    script = [("text", None), ("first", ex.MUSIC_RECORD_INFO_FIRST_SUCCESS),
              ("complete", music(ex.MUSIC_RECORD_INFO_OPENAPI)), ("complete", None)]
    for kind, answer in script:
        clock.t += 1.0
        tracker.on_callback(_stage_callback("prov-1", kind))
        if answer is not None:
            provider.answers = [answer]
        tracker.run_once()
    assert log.get_task(task_id)["state"] == "succeeded"
    polls = [g for g in provider.gets if g.url.path.endswith("/record-info")]
    assert len(polls) == 2                                   # target: at most 3


def test_a_forged_complete_callback_still_marks_nothing_ready(called_back):
    log, provider, tracker, clock = called_back
    task_id = tracker.submit("generate", BODY)
    forged = _stage_callback("prov-1", "complete")
    forged["data"]["data"][0]["audio_url"] = "https://evil.example/x.mp3"
    clock.t += 1.0
    assert tracker.on_callback(forged)["due"] is True
    provider.answers = [ex.MUSIC_RECORD_INFO_PENDING]             # the poll route disagrees
    tracker.run_once()
    assert len([g for g in provider.gets if g.url.path.endswith("/record-info")]) == 1
    task = log.get_task(task_id)
    assert task["state"] == "pending" and log.tracks_for(task_id) == []
    assert log.assets_for(task_id) == []
