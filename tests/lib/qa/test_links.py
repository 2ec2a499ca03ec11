"""Provider URLs through an injected httpx client (MockTransport), and days left before the
provider deletes the files."""

import httpx
import pytest

from lib.qa import Asked, Thresholds, measure_file, score
from lib.qa.flags import Flag
from lib.qa.links import DAY, check_urls, days_left, judge_retention, judge_urls
from tests.lib.qa import signals as s


def _client(routes, seen=None):
    def handler(request):
        if seen is not None:
            seen.append((request.method, request.url.path, request.headers.get("range")))
        answer = routes.get(request.url.path)
        if isinstance(answer, Exception):
            raise answer
        status = answer(request) if callable(answer) else answer
        return httpx.Response(status or 404, content=b"x")
    return httpx.Client(transport=httpx.MockTransport(handler))


def test_urls_that_answer_head_are_alive():
    seen = []
    answers = check_urls({"audio_url": "http://cdn.test/a.mp3", "image_url": ""},
                         _client({"/a.mp3": 200}, seen))
    assert list(answers) == ["audio_url"]          # empty URLs are not asked
    assert answers["audio_url"]["alive"] and answers["audio_url"]["status"] == 200
    assert seen == [("HEAD", "/a.mp3", None)]


def test_a_server_refusing_head_is_asked_one_byte():
    seen = []
    routes = {"/a.mp3": lambda r: 405 if r.method == "HEAD" else 206}
    answers = check_urls({"audio_url": "http://cdn.test/a.mp3"}, _client(routes, seen))
    assert answers["audio_url"]["alive"] and answers["audio_url"]["status"] == 206
    assert seen == [("HEAD", "/a.mp3", None), ("GET", "/a.mp3", "bytes=0-0")]


def test_gone_and_failing_urls():
    routes = {"/gone.mp3": 404, "/old.png": 410, "/busy.mp3": 503,
              "/down.mp3": httpx.ConnectError("refused")}
    answers = check_urls({n: f"http://cdn.test{n}" for n in routes}, _client(routes))
    assert [answers[n]["gone"] for n in routes] == [True, True, False, False]
    assert answers["/down.mp3"]["error"].startswith("ConnectError")
    assert judge_urls(answers).flag is Flag.FAIL
    busy = {n: a for n, a in answers.items() if not a["gone"]}
    assert judge_urls(busy).flag is Flag.WARN
    assert judge_urls({}).flag is Flag.SKIP


def test_days_left_count_from_the_finish():
    now = 1_000_000_000.0
    assert days_left(now - 10 * DAY, 15, now) == pytest.approx(5)
    assert days_left(now - 16 * DAY, 15, now) == pytest.approx(-1)
    assert days_left(None, 15, now) is None
    t = Thresholds()
    assert judge_retention(5, True, t).flag is Flag.OK
    assert judge_retention(2, True, t).flag is Flag.WARN
    assert judge_retention(-1, True, t).flag is Flag.FAIL
    assert "local copy" in judge_retention(-1, True, t).detail


def test_the_scorecard_checks_links_through_the_injected_client(tmp_path):
    from lib.qa import scorecard_for_file

    path = s.write(tmp_path / "t.wav", s.sine(440, 2, 0.3))
    now = 2_000_000_000.0
    asked = Asked(urls={"audio_url": "http://cdn.test/a.mp3", "image_url": "http://cdn.test/i"},
                  finished_at=now - 13.5 * DAY)
    card = scorecard_for_file(path, asked, http=_client({"/a.mp3": 200, "/i": 404}),
                              check_links=True, now=now)
    assert card.checks["links"].flag is Flag.FAIL and card.checks["links"].value == 1
    assert card.checks["retention"].value == pytest.approx(1.5)
    assert card.checks["retention"].flag is Flag.WARN
    longer = score(measure_file(path), asked, Thresholds(retention_days=30), now=now)
    assert longer.checks["retention"].flag is Flag.OK
