"""No paid job lost: a create whose outcome we cannot tell becomes `unknown`, and the ways out of
it - the first callback (its URL names our task), a provider id pasted by hand (checked with the
provider first), or "not created" - through the real client over a scripted fake provider."""

import copy
import json

import httpx
import pytest
from tenacity import wait_none

from lib.settings import Settings
from lib.log.sqlite import SqliteLog
from lib.provider.client import SunoClient
from lib.tracking import unknown
from lib.tracking.tracker import Tracker
from lib.views import submission as sub
from tests.lib import contract_examples as ex

BASE = "https://me.example/api/callbacks/s3cret"
BODY = {"customMode": False, "instrumental": False, "model": "V5", "prompt": "calm piano",
        "callBackUrl": BASE}


class Provider:
    def __init__(self):
        self.create = lambda request: httpx.Response(200, json={"code": 200, "data": {
            "taskId": "prov-1"}})
        self.known = {"prov-1", "prov-9"}
        self.posts: list[httpx.Request] = []

    def __call__(self, request):
        if request.method == "POST":
            self.posts.append(request)
            return self.create(request)
        task = request.url.params.get("taskId")
        if task not in self.known:
            return httpx.Response(200, json={"code": 404, "msg": f"taskId not found: {task}"})
        return httpx.Response(200, json=ex.MUSIC_RECORD_INFO_PENDING)


@pytest.fixture
def env(tmp_path):
    log = SqliteLog(tmp_path / "log.db")
    provider = Provider()
    client = SunoClient(Settings(base_url="http://provider.test", api_key="k"),
                        transport=httpx.MockTransport(provider), wait=wait_none(),
                        sleep=lambda s: None)
    clock = [1000.0]
    tracker = Tracker(log, client, clock=lambda: clock[0], callback_base=BASE)
    return log, provider, tracker, clock


def _callback(provider_id="prov-1"):
    payload = copy.deepcopy(ex.CALLBACK_MUSIC_COMPLETE)
    payload["data"]["task_id"] = provider_id
    return payload


def test_the_callback_url_names_the_local_task(env):
    log, provider, tracker, _ = env
    task_id = tracker.submit("generate", BODY)
    sent = json.loads(provider.posts[0].content)
    assert sent["callBackUrl"] == f"{BASE}/{task_id}"
    assert "s3cret" not in log.get_task(task_id)["request_json"]  # masked in the log
    # the duplicate guard still sees the same request
    assert sub.recent_duplicate(log, "generate", BODY, now=1000.0)["id"] == task_id


def test_a_create_cut_off_by_a_crash_is_linked_by_its_first_callback(env):
    log, provider, tracker, clock = env
    # the app died after the row was written and before the answer was stored
    task_id = log.create_task("generate", "music", {**BODY, "callBackUrl": f"{BASE}/x"},
                              now=1000.0)
    assert tracker.resume() == 0 and log.get_task(task_id)["state"] == "pending"
    clock[0] = 1000.0 + unknown.STALE_SEND_S + 1
    tracker.run_once()
    row = log.get_task(task_id)
    assert row["state"] == "unknown" and "may have created the job" in row["error_message"]
    result = tracker.on_callback(_callback("prov-1"), {}, local_id=task_id)
    assert result == {"accepted": True, "due": True, "linked": True}
    assert log.get_task(task_id)["provider_task_id"] == "prov-1"
    assert tracker.run_once() == 1  # polled like any task
    assert log.get_task(task_id)["state"] == "pending"  # the provider says PENDING: merged
    notes = [e["note"] for e in log.events_for(task_id)]
    assert "pending -> unknown" in notes and any("(linked)" in (n or "") for n in notes)


def test_a_callback_never_relinks_a_task_to_another_provider_task(env):
    log, _, tracker, _ = env
    task_id = tracker.submit("generate", BODY)  # linked to prov-1
    result = tracker.on_callback(_callback("prov-other"), {}, local_id=task_id)
    assert result["accepted"] is False and log.get_task(task_id)["provider_task_id"] == "prov-1"


def test_callbacks_for_unknown_ids_are_kept(env):
    log, _, tracker, _ = env
    assert tracker.on_callback(_callback("nobody"), {})["error"] == "unknown task id"
    with log.raw_connection() as db:
        kept = list(db.query("SELECT note FROM events WHERE kind = 'callback'"))
    assert kept and "task=nobody" in kept[0]["note"]


@pytest.mark.parametrize("answer", [
    httpx.Response(200, text="<html>oops</html>"),
    httpx.Response(200, json={"code": 200, "msg": "success", "data": {}}),
    httpx.Response(503, text="<html>Service Unavailable</html>"),
    httpx.Response(200, json={"code": 500, "msg": "internal error"}),
])
def test_ambiguous_answers_are_unknown_and_guarded(env, answer):
    log, provider, tracker, _ = env
    provider.create = lambda request: answer
    task_id = tracker.submit("generate", BODY)
    row = log.get_task(task_id)
    assert row["state"] == "unknown" and len(provider.posts) == 1
    assert sub.recent_duplicate(log, "generate", BODY, now=1005.0)["id"] == task_id
    assert "unknown" in sub.outcome_of(row).kind


def test_link_by_hand_is_checked_with_the_provider(env):
    log, provider, tracker, _ = env
    provider.create = lambda request: httpx.Response(504, text="gateway timeout")
    task_id = tracker.submit("generate", BODY)
    client = tracker.client
    refused = unknown.link_by_hand(log, client, task_id, "prov-nope")
    assert not refused.ok and "does not know task prov-nope" in refused.message
    assert log.get_task(task_id)["provider_task_id"] is None
    done = unknown.link_by_hand(log, client, task_id, " prov-9 ")
    assert done.ok and log.get_task(task_id)["provider_task_id"] == "prov-9"
    again = unknown.link_by_hand(log, client, task_id, "prov-9")
    assert not again.ok and "already linked" in again.message


def test_mark_not_created(env):
    log, provider, tracker, _ = env
    provider.create = lambda request: httpx.Response(502, text="bad gateway")
    task_id = tracker.submit("generate", BODY)
    assert unknown.mark_not_created(log, task_id).ok
    row = log.get_task(task_id)
    assert row["state"] == "failed" and row["error_message"] == unknown.NOT_CREATED
    assert sub.recent_duplicate(log, "generate", BODY, now=1005.0) is None  # resend is fine
    assert not unknown.mark_not_created(log, task_id).ok  # only unknown tasks


def test_a_callback_during_a_hung_create_keeps_the_task_tracked(env):
    """The provider calls back (naming our task) while the create's answer never comes: the
    timeout that follows must not turn the linked task back into an untracked unknown."""
    log, provider, tracker, _ = env

    def hang(request):
        local_id = json.loads(request.content)["callBackUrl"].rsplit("/", 1)[1]
        assert tracker.on_callback(_callback("prov-9"), {}, local_id=local_id)["linked"]
        raise httpx.ReadTimeout("no answer", request=request)

    provider.create = hang
    task_id = tracker.submit("generate", BODY)
    row = log.get_task(task_id)
    assert row["provider_task_id"] == "prov-9" and row["state"] == "pending"
    assert row["next_poll_at"] is not None  # still polled


def test_an_unknown_repeat_is_guarded_for_a_day_and_says_why(env):
    log, provider, tracker, _ = env
    provider.create = lambda request: httpx.Response(504, text="gateway timeout")
    task_id = tracker.submit("generate", BODY)
    later = 1000.0 + 3 * 3600  # long after the 10 s window
    dup = sub.recent_duplicate(log, "generate", BODY, now=later)
    assert dup is not None and dup["id"] == task_id
    words = sub.duplicate_warning(dup, now=later)
    assert "3 h ago" in words and "outcome is unknown" in words and "charged" in words
    assert sub.recent_duplicate(log, "generate", BODY, now=1000.0 + 2 * 86400) is None


SECRET_KEY = "sk-live-7f3a9c"

@pytest.mark.parametrize(("answer", "status", "says", "shown"), [
    (httpx.Response(502, text="<html><head><style>b{}</style></head><body><h1>502 Bad Gateway"
                              "</h1>\n\n<p>nginx</p></body></html>"),
     502, "gateway", "502 Bad Gateway nginx"),
    (httpx.Response(503, text="<html>Service Unavailable</html>"), 503, "gateway",
     "Service Unavailable"),
    (httpx.Response(504, text="upstream timed out"), 504, "gateway", "upstream timed out"),
    (httpx.Response(200, json={"code": 500, "msg": f"internal error (key {SECRET_KEY})"}),
     200, "code 500", "internal error"),
    (httpx.Response(200, text='{"code": 200, "msg": "success", "data": {"taskId": "ab'), 200,
     "cut off", '{"code": 200'),
    (httpx.Response(200, json={"code": 200, "msg": "success", "data": {}}), 200,
     "no task id", '"msg": "success"'),
], ids=["502-html", "503", "504", "code-500", "cut-off-200", "no-task-id"])
def test_unknown_says_what_came_back(tmp_path, answer, status, says, shown):
    """It said "no answer came back" although an answer did arrive: the message names the
    status, what the answer was, a short excerpt (markup stripped, secrets masked), and what
    the user can do."""
    log = SqliteLog(tmp_path / "log.db")
    provider = Provider()
    provider.create = lambda request: answer
    client = SunoClient(Settings(base_url="http://provider.test", api_key=SECRET_KEY),
                        transport=httpx.MockTransport(provider), wait=wait_none(),
                        sleep=lambda s: None)
    tracker = Tracker(log, client, clock=lambda: 1000.0, callback_base=BASE)
    row = log.get_task(tracker.submit("generate", BODY))
    message = row["error_message"]
    assert row["state"] == "unknown"
    assert "no answer came back" not in message.lower()
    assert f"HTTP {status} came back" in message and says in message
    assert shown in message and "<" not in message and "style" not in message
    assert SECRET_KEY not in message and SECRET_KEY not in sub.outcome_of(row).message
    assert "not resubmitted" in message and "provider's history" in message
    assert len(message) < 600


def test_no_answer_at_all_still_says_so(env):
    log, provider, tracker, _ = env

    def hang(request):
        raise httpx.ReadTimeout("timed out", request=request)

    provider.create = hang
    row = log.get_task(tracker.submit("generate", BODY))
    assert row["state"] == "unknown" and "No answer came back" in row["error_message"]
    assert "ReadTimeout" in row["error_message"]
