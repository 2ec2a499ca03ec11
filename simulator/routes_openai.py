"""The OpenAI-compatible text routes under the gateway's `/openai/v1` (contract-media 3):

* `GET /openai/v1/models` -> `{"object": "list", "data": [...], "has_more", "first_id",
  "last_id"}`: every model id this simulator serves, each with OpenAI's fields (`id`, `object`,
  `created`, `owned_by`) and AnyInt's (`display_name`, `type`: chat | embedding | image | video
  | music, `created_at`); `GET /openai/v1/models/{id}` one of them (404 unknown).
* `POST /openai/v1/chat/completions`: a standard Chat Completions body; the answer comes from
  `simulator.chat` (deterministic from the messages). `stream: true` answers Server-Sent Events:
  `data: {chat.completion.chunk}` lines (a role delta, one token per content delta, a last delta
  with `finish_reason`), with `stream_options.include_usage` a final chunk with `choices: []` and
  the usage (the others carry `usage: null`), then `data: [DONE]`. `response_format`
  `{"type": "json_object"}` answers a JSON object (OpenAI's rule: the messages must say "json"),
  `json_schema` one that fills the schema; `tools` with `tool_choice` "required" or a named
  function answer a tool call whose arguments fill its parameters; `n` choices, `stop`,
  `max_tokens`/`max_completion_tokens` (finish_reason "length") apply.

Timing: `--text-first-token-ms` before the first token (streamed or not), `--text-chunk-ms`
between tokens (a non-streamed answer waits for all of them), after the `latency_ms` fault.
Errors in the gateway's (OpenAI's) shape `{"error": {"message", "type", "param", "code"}}`:
400 invalid_request_error (bad body, unknown or non-chat model, empty messages...), 401
authentication_error (missing or wrong key), 404 unknown model id, 429 rate_limit_error and
503 under the `rate_429_text` / `rate_503_text` faults (with `retry-after`).
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from simulator import chat
from simulator.engine import Engine
from simulator.formats import iso
from simulator.gateway import AUTH_MESSAGE, RATE_MESSAGE, bearer, gateway_error, json_object
from simulator.media_ops import MEDIA_OPERATIONS
from simulator.ops._checks import MODELS as MUSIC_MODELS
from simulator.routes_common import add_latency

PREFIX = "/openai/v1"
#: The create routes (POST) these text routes serve: what a text operation's route must be.
CREATE_ROUTES = (f"{PREFIX}/chat/completions",)
CREATED = 1767225600  # 2026-01-01: the `created` of every listed model
ROLES = ("system", "developer", "user", "assistant", "tool", "function")
FINGERPRINT = "fp_songbench_sim"
MEDIA_NAMES = {"kling-v2-1": "Kling: Image v2.1", "kling-v3-omni": "Kling: Video v3.0 Omni",
               "qwen-image-plus": "Qwen Image Plus"}  # contract-media 1.3, 1.5


def catalogue() -> list[dict[str, Any]]:
    """Every model id served: text, embedding, the media operations' and the music models."""
    kinds: dict[str, tuple[str, str]] = {}
    for table, kind in ((chat.TEXT_MODELS, "chat"), (chat.EMBEDDING_MODELS, "embedding")):
        kinds.update({mid: (kind, name) for mid, name in table.items()})
    for op in MEDIA_OPERATIONS.values():
        for mid in op.models:  # a model of image and video routes (kling-v3-omni) is listed as video
            kind = "video" if mid in kinds and kinds[mid][0] != op.kind else op.kind
            kinds[mid] = (kind, MEDIA_NAMES.get(mid, mid))
    kinds.update({m: ("music", f"Suno {m.replace('_', '.')}") for m in MUSIC_MODELS})
    return [{"id": mid, "object": "model", "created": CREATED, "owned_by": "anyint", "display_name": name,
             "type": kind, "created_at": iso(CREATED)} for mid, (kind, name) in kinds.items()]


class BadRequest(Exception):
    """A 400 answer: message, the offending `param`, an error `code`."""

    def __init__(self, message: str, param: str | None = None, code: str | None = "invalid_value") -> None:
        super().__init__(message)
        self.message, self.param, self.code = message, param, code


@dataclass
class Choice:
    """One answer: its content or tool call, finish reason and token pieces."""

    index: int
    content: str | None
    finish: str
    tool_call: dict[str, Any] | None = None
    pieces: list[str] = field(default_factory=list)


def _number(body: dict[str, Any], name: str, lo: float, hi: float, integer: bool = False) -> None:
    value = body.get(name)
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (integer and not float(value).is_integer()):
        raise BadRequest(f"'{name}' must be {'an integer' if integer else 'a number'}", name, "invalid_type")
    if not lo <= value <= hi:
        raise BadRequest(f"'{name}' must be between {lo:g} and {hi:g} (got {value})", name)


def _messages(body: dict[str, Any]) -> list[dict[str, Any]]:
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise BadRequest("'messages' must be a non-empty array of messages", "messages")
    for i, m in enumerate(messages):
        if not isinstance(m, dict) or m.get("role") not in ROLES:
            raise BadRequest(f"messages[{i}].role must be one of {', '.join(ROLES)}", f"messages[{i}].role")
        content = m.get("content")
        if content is None and not (m["role"] == "assistant" and m.get("tool_calls")):
            raise BadRequest(f"messages[{i}].content is required", f"messages[{i}].content")
        if content is not None and not isinstance(content, (str, list)):
            raise BadRequest(f"messages[{i}].content must be a string or an array of content parts",
                             f"messages[{i}].content", "invalid_type")
        if m["role"] == "tool" and not m.get("tool_call_id"):
            raise BadRequest(f"messages[{i}].tool_call_id is required for a tool message", f"messages[{i}].tool_call_id")
    return messages


def _tool_choice(body: dict[str, Any]) -> dict[str, Any] | None:
    """The function a request forces (tool_choice "required" or named), or None."""
    tools, choice = body.get("tools"), body.get("tool_choice")
    if tools is None:
        if choice not in (None, "none", "auto"):
            raise BadRequest("'tool_choice' needs 'tools'", "tool_choice")
        return None
    if not isinstance(tools, list) or not tools or not all(
            isinstance(t, dict) and t.get("type") == "function" and isinstance(t.get("function"), dict)
            and isinstance(t["function"].get("name"), str) for t in tools):
        raise BadRequest("'tools' must be a non-empty array of {type: function, function: {name, parameters}}",
                         "tools")
    named = {t["function"]["name"]: t["function"] for t in tools}
    if choice in (None, "none", "auto"):
        return None
    if choice == "required":
        return next(iter(named.values()))
    name = choice.get("function", {}).get("name") if isinstance(choice, dict) else None
    if name not in named:
        raise BadRequest("'tool_choice' must be none, auto, required or a function named in 'tools'", "tool_choice")
    return named[name]


def _response_format(body: dict[str, Any], messages: list[dict[str, Any]]) -> tuple[str, dict[str, Any] | None]:
    fmt = body.get("response_format")
    if fmt is None:
        return "text", None
    kind = fmt.get("type") if isinstance(fmt, dict) else None
    if kind not in ("text", "json_object", "json_schema"):
        raise BadRequest("'response_format.type' must be text, json_object or json_schema", "response_format.type")
    if kind == "json_object" and not any("json" in chat.message_text(m).lower() for m in messages):
        raise BadRequest("'messages' must contain the word 'json' in some form, to use 'response_format' "
                         "of type 'json_object'.", "messages")
    if kind == "json_schema":
        spec = fmt.get("json_schema")
        if not isinstance(spec, dict) or not isinstance(spec.get("name"), str) or not isinstance(spec.get("schema"), dict):
            raise BadRequest("'response_format.json_schema' must be {name, schema}", "response_format.json_schema")
        return kind, spec["schema"]
    return kind, None


def _stop(body: dict[str, Any]) -> list[str]:
    stop = body.get("stop")
    if stop is None:
        return []
    stops = [stop] if isinstance(stop, str) else stop
    if not isinstance(stops, list) or len(stops) > 4 or not all(isinstance(s, str) and s for s in stops):
        raise BadRequest("'stop' must be a string or an array of at most 4 strings", "stop")
    return stops


class OpenAIApi:
    """The text routes bound to one engine (for the faults, the clock and the settings)."""

    def __init__(self, engine: Engine) -> None:
        self.engine, self.config = engine, engine.config
        self.models = {m["id"]: m for m in catalogue()}

    def routes(self) -> list[Route]:
        return [Route(f"{PREFIX}/models", self.list_models, methods=["GET"]),
                Route(f"{PREFIX}/models/{{model_id}}", self.get_model, methods=["GET"]),
                Route(CREATE_ROUTES[0], self.completions, methods=["POST"])]

    async def _gate(self, request: Request) -> Response | None:
        """Latency, auth and limit faults: the error answer, or None to go on."""
        faults, roll = self.engine.faults.get(), self.engine.faults.roll
        await add_latency(faults.latency_ms)
        if bearer(request, self.config.api_key) is None:
            return gateway_error(401, AUTH_MESSAGE)
        if roll(faults.rate_429_text):
            return gateway_error(429, f"{RATE_MESSAGE} (simulated fault rate_429_text)", headers={"retry-after": "1"})
        if roll(faults.rate_503_text):
            return gateway_error(503, "Upstream temporarily unavailable (simulated fault rate_503_text)",
                                 headers={"retry-after": "1"})
        return None

    async def list_models(self, request: Request) -> Response:
        refused = await self._gate(request)
        if refused is not None:
            return refused
        data = list(self.models.values())
        return JSONResponse({"object": "list", "data": data, "has_more": False,
                             "first_id": data[0]["id"], "last_id": data[-1]["id"]})

    async def get_model(self, request: Request) -> Response:
        refused = await self._gate(request)
        if refused is not None:
            return refused
        model = self.models.get(request.path_params["model_id"])
        if model is None:
            return gateway_error(404, f"The model `{request.path_params['model_id']}` does not exist",
                                 code="model_not_found", param="model")
        return JSONResponse(model)

    def _checked(self, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise BadRequest("request body must be a JSON object", None, "invalid_type")
        model = body.get("model")
        if not isinstance(model, str) or not model:
            raise BadRequest("you must provide a model parameter", "model", "missing_required_parameter")
        if model not in self.models:
            raise BadRequest(f"The model `{model}` does not exist or you do not have access to it.", "model",
                             "model_not_found")
        if self.models[model]["type"] != "chat":
            raise BadRequest(f"The model `{model}` is a {self.models[model]['type']} model, not a chat model",
                             "model", "model_not_supported")
        _messages(body)
        for name, lo, hi, integer in (("temperature", 0, 2, False), ("top_p", 0, 1, False), ("n", 1, 8, True),
                                      ("max_tokens", 1, 10**6, True), ("max_completion_tokens", 1, 10**6, True),
                                      ("presence_penalty", -2, 2, False), ("frequency_penalty", -2, 2, False)):
            _number(body, name, lo, hi, integer)
        if body.get("stream") is not None and not isinstance(body["stream"], bool):
            raise BadRequest("'stream' must be a boolean", "stream", "invalid_type")
        if body.get("stream_options") is not None:
            if not body.get("stream"):
                raise BadRequest("The 'stream_options' parameter is only allowed when 'stream' is enabled.",
                                 "stream_options")
            if not isinstance(body["stream_options"], dict):
                raise BadRequest("'stream_options' must be an object", "stream_options", "invalid_type")
        return body

    def _choices(self, body: dict[str, Any]) -> list[Choice]:
        messages = body["messages"]
        fmt, schema = _response_format(body, messages)
        forced, stops = _tool_choice(body), _stop(body)
        limit = body.get("max_completion_tokens") or body.get("max_tokens")
        out = []
        for i in range(int(body.get("n") or 1)):
            if forced is not None:
                call = {"id": f"call_{uuid.uuid4().hex[:24]}", "type": "function",
                        "function": {"name": forced["name"],
                                     "arguments": chat.tool_arguments(forced.get("parameters"), messages)}}
                out.append(Choice(i, None, "tool_calls", call, chat.pieces(call["function"]["arguments"])))
                continue
            text = chat.json_reply(messages, i, schema) if fmt != "text" else chat.reply(messages, i)
            finish = "stop"
            cut = min((text.find(s) for s in stops if s in text), default=-1)
            if cut >= 0:
                text = text[:cut]
            parts = chat.pieces(text)
            if limit is not None and len(parts) > limit:
                parts, finish = parts[:int(limit)], "length"
            out.append(Choice(i, "".join(parts), finish, None, parts))
        return out

    @staticmethod
    def _usage(body: dict[str, Any], choices: list[Choice]) -> dict[str, int]:
        prompt = sum(chat.count_tokens(chat.message_text(m)) + 4 for m in body["messages"]) + 2
        completion = sum(len(c.pieces) for c in choices)
        return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}

    async def completions(self, request: Request) -> Response:
        refused = await self._gate(request)
        if refused is not None:
            return refused
        try:
            body = self._checked(await json_object(request))
            choices = self._choices(body)
        except BadRequest as exc:
            return gateway_error(400, exc.message, code=exc.code, param=exc.param)
        except ValueError as exc:
            return gateway_error(400, str(exc), code="invalid_json")
        head = {"id": f"chatcmpl-{uuid.uuid4().hex[:29]}", "created": int(self.engine.clock.now()),
                "model": body["model"], "system_fingerprint": FINGERPRINT}
        usage = self._usage(body, choices)
        if body.get("stream"):
            with_usage = bool((body.get("stream_options") or {}).get("include_usage"))
            return StreamingResponse(self._events(head, choices, usage, with_usage), media_type="text/event-stream",
                                     headers={"cache-control": "no-cache", "x-accel-buffering": "no"})
        steps = max((len(c.pieces) for c in choices), default=0)
        await asyncio.sleep((self.config.text_first_token_ms + self.config.text_chunk_ms * max(steps - 1, 0)) / 1000)
        return JSONResponse({**head, "object": "chat.completion", "usage": usage, "choices": [
            {"index": c.index, "logprobs": None, "finish_reason": c.finish,
             "message": {"role": "assistant", "content": c.content, "refusal": None,
                         **({"tool_calls": [c.tool_call]} if c.tool_call else {})}} for c in choices]})

    async def _events(self, head: dict[str, Any], choices: list[Choice], usage: dict[str, int],
                      with_usage: bool) -> AsyncIterator[str]:
        extra = {"usage": None} if with_usage else {}

        def chunk(index: int, delta: dict[str, Any], finish: str | None = None) -> str:
            body = {**head, "object": "chat.completion.chunk", **extra,
                    "choices": [{"index": index, "delta": delta, "logprobs": None, "finish_reason": finish}]}
            return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"

        await asyncio.sleep(self.config.text_first_token_ms / 1000)
        for c in choices:
            if c.tool_call:
                yield chunk(c.index, {"role": "assistant", "content": None, "tool_calls": [
                    {"index": 0, "id": c.tool_call["id"], "type": "function",
                     "function": {"name": c.tool_call["function"]["name"], "arguments": ""}}]})
            else:
                yield chunk(c.index, {"role": "assistant", "content": "", "refusal": None})
        for step in range(max((len(c.pieces) for c in choices), default=0)):
            if step:
                await asyncio.sleep(self.config.text_chunk_ms / 1000)
            for c in choices:
                if step < len(c.pieces):
                    delta = {"tool_calls": [{"index": 0, "function": {"arguments": c.pieces[step]}}]} \
                        if c.tool_call else {"content": c.pieces[step]}
                    yield chunk(c.index, delta)
        for c in choices:
            yield chunk(c.index, {}, c.finish)
        if with_usage:
            yield f"data: {json.dumps({**head, 'object': 'chat.completion.chunk', 'choices': [], 'usage': usage})}\n\n"
        yield "data: [DONE]\n\n"
