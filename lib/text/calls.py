"""Text calls as task-log rows: `TextCalls.chat` and `TextCalls.stream`.

Every call is a task (op ``text_chat``, family ``text``, provider ``text``) whose request is
the model, the messages and the other OpenAI parameters (never the key: it lives in the
adapter's connection only). The row is written before the request is made (the log-before-send
rule); when the answer is complete its result holds the answer, the token usage, the latency
and the first-token time (seconds from the call), and the task is ``succeeded``. A rejection
fails it with the shared error words (`lib.provider.errors`), a timeout after sending makes it
``unknown``, an answer left unread before its end fails it with that reason.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from lib.contract.family import PollResult
from lib.contract.states import Stage, State
from lib.log import TaskLog
from lib.provider.adapters.text import TextAdapter
from lib.provider.errors import ApiError, NotOffered, TransportError, UnknownOutcome

OP = "text_chat"
FAMILY = "text"
PROVIDER = "text"


@dataclass
class TextCall:
    """One call's outcome: the logged task, the text so far, and (once complete) its facts."""

    task_id: str
    model: str
    text: str = ""
    usage: dict[str, Any] | None = None
    finish_reason: str | None = None
    latency_s: float | None = None
    first_token_s: float | None = None
    done: bool = False
    error: Exception | None = None
    raw: dict[str, Any] = field(default_factory=dict)


def _prompt_of(messages: list[dict[str, Any]]) -> str | None:
    user = [m for m in messages if m.get("role") == "user"]
    content = user[-1].get("content") if user else None
    return content if isinstance(content, str) else None


class TextCalls:
    """Chat completions through ``adapter``, each logged in ``log``. ``clock`` times them."""

    def __init__(self, log: TaskLog, adapter: TextAdapter, *,
                 clock: Callable[[], float] = time.monotonic,
                 wall: Callable[[], float] = time.time) -> None:
        self.log, self.adapter, self.clock, self.wall = log, adapter, clock, wall

    # ---- the row ------------------------------------------------------------------------
    def _open(self, model: str, messages: list[dict[str, Any]], params: dict[str, Any],
              stream: bool, brief: str | None, task_id: str | None = None) -> str:
        where = self.adapter.connection
        request = {"model": model, "messages": messages, **params,
                   **({"stream": True} if stream else {})}
        return self.log.create_task(
            OP, FAMILY, request, provider=PROVIDER, base_url=where.base_url,
            dialect=where.dialect, model=model, prompt=brief or _prompt_of(messages),
            now=self.wall(), task_id=task_id or uuid.uuid4().hex)

    def _succeed(self, call: TextCall) -> None:
        now = self.wall()
        result = {"model": call.model, "answer": call.text, "usage": call.usage,
                  "finish_reason": call.finish_reason, "latency_s": call.latency_s,
                  "first_token_s": call.first_token_s}
        self.log.mark_submitted(call.task_id, None, next_poll_at=None, now=now)
        self.log.apply_poll(call.task_id, PollResult(call.finish_reason or "stop",
                                                     State.SUCCEEDED, Stage.COMPLETE.value,
                                                     result=result),
                            next_poll_at=None, now=now)
        call.done = True

    def _fail(self, call: TextCall, exc: Exception) -> None:
        call.error = exc
        now = self.wall()
        if isinstance(exc, UnknownOutcome):
            self.log.mark_unknown(call.task_id, exc.explain(), now=now)
        elif isinstance(exc, (ApiError, TransportError, NotOffered)):
            self.log.mark_failed(call.task_id, getattr(exc, "code", None), exc.explain(),
                                 now=now)
        else:
            self.log.mark_unknown(call.task_id, f"Unexpected error while sending: {exc!r}",
                                  now=now)

    # ---- the calls ----------------------------------------------------------------------
    def chat(self, model: str, messages: list[dict[str, Any]], *, brief: str | None = None,
             **params: Any) -> TextCall:
        """One answer (``stream`` false). Provider errors are raised after the row records
        them (``call`` is then not returned)."""
        started = self.clock()
        call = TextCall(self._open(model, messages, params, False, brief), model)
        try:
            answer = self.adapter.chat(model, messages, op=OP, **params)
        except Exception as exc:
            self._fail(call, exc)
            raise
        call.text, call.usage, call.finish_reason = (answer.text, answer.usage,
                                                     answer.finish_reason)
        call.latency_s = call.first_token_s = round(self.clock() - started, 4)
        call.raw = answer.raw
        self._succeed(call)
        return call

    def stream(self, model: str, messages: list[dict[str, Any]], *,
               on_delta: Callable[[str], None] | None = None, brief: str | None = None,
               task_id: str | None = None, **params: Any
               ) -> tuple[TextCall, Iterator[str]]:
        """The answer as it is written: ``(call, deltas)``. The row is written and the
        request sent here; iterate ``deltas`` (each piece also goes to ``on_delta``) to read
        it: ``call`` is finished when the last piece is read. ``call.first_token_s`` counts
        from this call to the first piece. ``brief`` is the row's prompt (searchable; default:
        the last user message); ``task_id`` the row's id when the caller chose it (a recipe
        step claims it first)."""
        started = self.clock()
        call = TextCall(self._open(model, messages, params, True, brief, task_id), model)
        params = {"stream_options": {"include_usage": True}, **params}
        try:
            answer = self.adapter.stream(model, messages, op=OP, **params)
        except Exception as exc:
            self._fail(call, exc)
            raise

        def deltas() -> Iterator[str]:
            try:
                for piece in answer:
                    if call.first_token_s is None:
                        call.first_token_s = round(self.clock() - started, 4)
                    call.text += piece
                    if on_delta is not None:
                        on_delta(piece)
                    yield piece
            except GeneratorExit:
                self._fail(call, TransportError(OP, "The answer was not read to its end."))
                raise
            except Exception as exc:
                self._fail(call, exc)
                raise
            call.usage, call.finish_reason = answer.usage, answer.finish_reason
            call.latency_s = round(self.clock() - started, 4)
            self._succeed(call)

        return call, deltas()
