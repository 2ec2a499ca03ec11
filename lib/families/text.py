"""The text helper's chat completions (contract-media 3): provider ``text``, synchronous, no
poll route; the create's answer (an OpenAI ``chat.completion``) is the whole result.

The result is ``{model, answer, usage, finish_reason}`` (the text helper, `lib.text.calls`,
adds ``latency_s`` and ``first_token_s``, which it times itself). An answer with no choice is a
failure, never a success; an empty answer (a model that wrote nothing) is a success with an
empty ``answer``. The answer is offered as a text file (`result_files`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lib.contract.family import (
    Family, PollResult, ResultFile, readable_status, unreadable_text,
)
from lib.contract.states import Stage, State

NO_CHOICE = "NO_CHOICE"


def answer_of(result: Any) -> str | None:
    """The answer's text of a text task's result (None when it has none)."""
    value = result.get("answer") if isinstance(result, dict) else None
    return value if isinstance(value, str) else None


class Text(Family):
    name = "text"
    provider = "text"
    poll = {"openai": None}
    failure_words = {NO_CHOICE: "The text server answered without a choice (no answer)."}
    #: An answer carries no status of its own (its choice's ``finish_reason`` says it); a
    #: status written at ``status`` is read the same way (one we cannot read is not a result).
    status_key = "status"

    def map_status(self, raw: Any) -> State:
        word = str(raw).strip().lower()
        if word in ("stop", "length", "tool_calls", "function_call", "succeeded"):
            return State.SUCCEEDED
        return State.FAILED if word in (NO_CHOICE.lower(), "content_filter") \
            else State.PROCESSING

    def parse(self, data: Any) -> PollResult:
        record: Mapping[str, Any] = data if isinstance(data, dict) else {}
        raw = self.raw_status(record)
        if raw is not None and (not readable_status(raw)
                                or self.map_status(raw) is State.PROCESSING):
            shown = raw if readable_status(raw) else unreadable_text(raw)
            return PollResult(shown, State.PROCESSING, Stage.QUEUED.value)
        choices = record.get("choices")
        choice = choices[0] if isinstance(choices, list) and choices \
            and isinstance(choices[0], dict) else None
        usage = record.get("usage")
        model = record.get("model")
        if choice is None:
            error = record.get("error")
            error = error if isinstance(error, dict) else {}
            return PollResult(NO_CHOICE, State.FAILED, Stage.ERROR.value,
                              error_code=error.get("code"),
                              error_message=str(error.get("message") or "") or None)
        message = choice.get("message")
        content = message.get("content") if isinstance(message, dict) else None
        finish = choice.get("finish_reason")
        finish = finish if isinstance(finish, str) and finish else "stop"
        result = {"model": model if isinstance(model, str) else None,
                  "answer": content if isinstance(content, str) else "",
                  "usage": usage if isinstance(usage, dict) else None,
                  "finish_reason": finish}
        if finish == "content_filter":
            return PollResult(finish, State.FAILED, Stage.ERROR.value, error_code=finish,
                              error_message="The text server refused to answer (content "
                                            "filter).", result=result)
        return PollResult(finish, State.SUCCEEDED, Stage.COMPLETE.value, result=result)

    def result_files(self, result: Any) -> list[ResultFile]:
        text = answer_of(result)
        if not text:
            return []
        data = text.encode("utf-8")
        return [ResultFile("Answer (text)", "answer.txt", "text/plain", lambda: data)]


FAMILY = Text()
