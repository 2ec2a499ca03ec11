"""The text helper (`lib.text`): every call a task row written before the request, streamed
deltas with the first-token time, song drafts checked against the generate operation's limits
(reported, never truncated), the model list cached and refreshable, the key never logged."""

from __future__ import annotations

import json

import httpx2
import pytest

from lib.contract.states import State
from lib.log.sqlite import SqliteLog
from lib.provider import errors
from lib.text import ModelList, TextCalls, check_song, draft
from tests.lib.adapters.test_text import KEY, MESSAGES, Server, completion, sse, text_adapter

SONG = {"title": "Salt", "style": "sea shanty, fiddle, stomps",
        "lyrics": "[Verse]\nHaul the line\n\n[Chorus]\nWe sail at nine"}


@pytest.fixture
def log(tmp_path):
    return SqliteLog(tmp_path / "log.db")


def streamed(*pieces: str):
    return lambda r: httpx2.Response(200, content=sse(*pieces),
                                     headers={"content-type": "text/event-stream"})


def pieces_of(text: str, n: int = 4) -> list[str]:
    size = max(1, len(text) // n)
    return [text[i:i + size] for i in range(0, len(text), size)]


def rows(log: SqliteLog, path) -> list[dict]:
    import sqlite3

    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute("SELECT * FROM tasks")]
    finally:
        conn.close()


def test_the_row_is_written_before_the_request_and_finished_with_the_answer(log, tmp_path):
    seen: list[dict] = []

    def answer(request: httpx2.Request) -> httpx2.Response:
        (row,) = rows(log, tmp_path / "log.db")   # the row exists when the request arrives
        seen.append(row)
        return streamed("[Chorus] ", "waves ", "again")(request)

    deltas_seen: list[str] = []
    with text_adapter(Server(answer)) as adapter:
        call, deltas = TextCalls(log, adapter).stream("m1", MESSAGES,
                                                      on_delta=deltas_seen.append)
        assert list(deltas) == ["[Chorus] ", "waves ", "again"]
    (before,) = seen
    assert before["state"] == "pending" and before["op"] == "text_chat"
    assert before["family"] == "text" and before["provider"] == "text"
    assert json.loads(before["request_json"])["messages"] == MESSAGES
    assert deltas_seen == ["[Chorus] ", "waves ", "again"]
    row = log.get_task(call.task_id)
    assert row is not None and row["state"] == State.SUCCEEDED.value
    result = json.loads(rows(log, tmp_path / "log.db")[0]["result_json"])
    assert result["answer"] == "[Chorus] waves again" == call.text
    assert result["usage"]["total_tokens"] == 7 and result["model"] == "m1"
    assert result["first_token_s"] is not None and result["latency_s"] >= result["first_token_s"]
    assert call.done and call.first_token_s is not None


def test_the_key_never_reaches_the_log(log, tmp_path):
    def answer(request: httpx2.Request) -> httpx2.Response:
        if json.loads(request.content).get("stream"):
            return streamed("hello")(request)
        return httpx2.Response(200, json=completion("hello"))

    with text_adapter(Server(answer)) as adapter:
        calls = TextCalls(log, adapter)
        _, deltas = calls.stream("m1", MESSAGES)
        list(deltas)
        assert calls.chat("m1", MESSAGES).text == "hello"
    with text_adapter(Server(lambda r: httpx2.Response(401, json={"error": {
            "message": f"bad key {KEY}", "type": "invalid_request_error",
            "code": "invalid_api_key"}}))) as adapter, pytest.raises(errors.AuthError):
        TextCalls(log, adapter).chat("m1", MESSAGES)
    data = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("log.db"))
    assert KEY.encode() not in data and b"SECRET" not in data


def test_a_rejection_fails_the_row_with_the_shared_words(log, tmp_path):
    with text_adapter(Server(lambda r: httpx2.Response(429, json={"error": {
            "message": "slow down", "type": "rate_limit", "code": "rate_limit_exceeded"}}))
            ) as adapter, pytest.raises(errors.RateLimited) as raised:
        TextCalls(log, adapter).stream("m1", MESSAGES)
    (row,) = rows(log, tmp_path / "log.db")
    assert row["state"] == "failed" and row["error_message"] == raised.value.explain()


def test_a_timeout_after_sending_leaves_the_row_unknown(log, tmp_path):
    def answer(request):
        raise httpx2.ReadTimeout("no answer", request=request)

    with text_adapter(Server(answer)) as adapter, pytest.raises(errors.UnknownOutcome):
        TextCalls(log, adapter).chat("m1", MESSAGES)
    (row,) = rows(log, tmp_path / "log.db")
    assert row["state"] == "unknown"


def test_a_song_draft_streams_and_fits(log):
    text = json.dumps(SONG)
    server = Server(streamed(*pieces_of(text)))
    got: list[str] = []
    with text_adapter(server) as adapter:
        result = draft("song", "a shanty", TextCalls(log, adapter), "m1", music_model="V5",
                       on_delta=got.append)
    assert result.ok, result.problems
    assert result.fields == SONG and "".join(got) == text == result.text
    body = json.loads(server.requests[0].content)
    assert body["stream"] is True and body["response_format"] == {"type": "json_object"}
    assert "100" in body["messages"][1]["content"]   # V5's title limit is asked for
    assert result.call is not None and result.call.first_token_s is not None


def test_an_over_long_title_and_a_missing_verse_are_reported_not_truncated(log):
    song = {**SONG, "title": "T" * 81, "lyrics": "[Chorus]\nWe sail at nine"}
    text = json.dumps(song)
    with text_adapter(Server(streamed(*pieces_of(text)))) as adapter:
        result = draft("song", "a shanty", TextCalls(log, adapter), "m1", music_model="V4")
    assert not result.ok
    assert result.text == text and result.fields["title"] == "T" * 81   # kept whole
    problems = {(p.field, p.message) for p in result.problems}
    assert ("title", "Title is 81 characters long; V4 allows at most 80") in problems
    assert ("lyrics", "The lyrics have no [Verse] section tag.") in problems
    assert not any(p.field == "style" for p in result.problems)


def test_check_song_names_every_problem():
    assert check_song("not json", "V5")[1][0].field == "answer"
    fields, problems = check_song(json.dumps({"title": "x", "lyrics": "[Verse] a [Chorus] b"}),
                                  "V5")
    assert [p.field for p in problems] == ["style"] and "style" not in fields
    _, problems = check_song(json.dumps({**SONG, "style": "s" * 201}), "V4")
    assert [p.field for p in problems] == ["style"]
    assert check_song("```json\n" + json.dumps(SONG) + "\n```", "V5")[1] == []


@pytest.mark.parametrize("kind", ["image_prompt", "video_prompt"])
def test_prompt_drafts_are_plain_text(log, kind):
    server = Server(streamed("A lighthouse ", "at dusk"))
    with text_adapter(server) as adapter:
        result = draft(kind, "lighthouse", TextCalls(log, adapter), "m1")
    assert result.ok and result.fields == {"prompt": "A lighthouse at dusk"}
    body = json.loads(server.requests[0].content)
    assert "response_format" not in body
    assert ("video" if kind == "video_prompt" else "image") in body["messages"][0]["content"]


def test_models_are_cached_until_the_ttl_and_refreshable():
    now = [0.0]
    answers = [["a", "b"], ["c"], ["d"]]
    server = Server(lambda r: httpx2.Response(200, json={"object": "list", "data": [
        {"id": i, "object": "model", "created": 0, "owned_by": "x"} for i in answers.pop(0)]}))
    with text_adapter(server) as adapter:
        models = ModelList(adapter, ttl=60, clock=lambda: now[0])
        assert models.get() == ["a", "b"] and models.default() == "a"
        assert len(server.requests) == 1
        assert models.get(refresh=True) == ["c"]
        now[0] = 61
        assert models.get() == ["d"] and len(server.requests) == 3


def test_a_text_task_is_on_the_board_like_any_task(log):
    from lib.views import board

    with text_adapter(Server(streamed("A lighthouse ", "at dusk"))) as adapter:
        result = draft("image_prompt", "lighthouse", TextCalls(log, adapter), "m1")
    assert result.call is not None
    view = board.views_for(log, [result.call.task_id])[result.call.task_id]
    assert view.state == "succeeded" and view.model == "m1" and view.prompt == "lighthouse"
    assert view.result["answer"] == "A lighthouse at dusk"
    assert "A lighthouse at dusk" in (board.result_summary(view.op, view.result) or "")


def test_an_answer_left_unread_fails_its_row(log, tmp_path):
    with text_adapter(Server(streamed("one ", "two ", "three"))) as adapter:
        call, deltas = TextCalls(log, adapter).stream("m1", MESSAGES)
        assert next(deltas) == "one "
        deltas.close()
    (row,) = rows(log, tmp_path / "log.db")
    assert row["state"] == "failed" and "not read to its end" in row["error_message"]
    assert not call.done and call.text == "one "
