"""One chat completion of the OpenAI-compatible text server (contract-media 3): the text
helper's call (`lib.text.calls`, the CLI ``python -m lib text``) and the Text page's form.

Sent by the text adapter (`lib.provider.adapters.text`, the ``openai`` package): ``POST
<base>/chat/completions`` where the base is ``SONGBENCH_TEXT_BASE_URL`` (the gateway's
``/openai/v1``). The form's ``prompt`` (and optional ``system``) go as the ``messages``; the log
keeps the flat body, the wire body is the Chat Completions one. The answer comes at once (no
task to poll); the row is written first (a timeout after sending makes the task ``unknown``,
never resent). Models come from the server's list (``GET /models``), never from here.
"""

from __future__ import annotations

from typing import Any

from lib.contract.fields import Field
from lib.contract.operation import Operation, Ui

#: The create route under the text server's base URL (``.../openai/v1``).
PATH = "/chat/completions"
PROMPT_MAX = 20000
WORDS = 12


def _shape(wire: dict[str, Any]) -> dict[str, Any]:
    """The form's prompt (and system message) as Chat Completions ``messages``; a body that
    has its messages already (the text helper's) is sent as it is."""
    out = dict(wire)
    prompt, system = out.pop("prompt", None), out.pop("system", None)
    if "messages" not in out:
        out["messages"] = ([{"role": "system", "content": system}] if system else []) + [
            {"role": "user", "content": prompt or ""}]
    return out


def _answer(result: dict[str, Any]) -> str | None:
    value = result.get("answer")
    return value if isinstance(value, str) else None


def _first_words(text: str, n: int = WORDS) -> str:
    words = text.split()
    return " ".join(words[:n]) + ("…" if len(words) > n else "")


def summarize(result: Any) -> str | None:
    """``model · N tokens · first token 120 ms · “the answer's first words…”``."""
    if not isinstance(result, dict):
        return None
    answer = _answer(result)
    if answer is None:
        return None
    parts = [str(result["model"])] if result.get("model") else []
    usage = result.get("usage")
    total = usage.get("total_tokens") if isinstance(usage, dict) else None
    if isinstance(total, int) and not isinstance(total, bool):
        parts.append(f"{total} tokens")
    first = result.get("first_token_s")
    if isinstance(first, (int, float)) and not isinstance(first, bool):
        parts.append(f"first token {round(first * 1000)} ms")
    parts.append(f"“{_first_words(answer)}”" if answer.strip() else "an empty answer")
    if result.get("finish_reason") == "length":
        parts.append("cut at the token limit")
    return " · ".join(parts)


OPERATION = Operation(
    "text_chat", "Text (chat)", "text", {"openai": PATH},
    (
        Field("model", "str", "Model", "A chat model id of the text server's list "
              "(python -m lib text models).", required=True),
        Field("prompt", "text", "Prompt", "What to ask (the user message).", required=True,
              max_len=PROMPT_MAX),
        Field("system", "text", "System message", "How the model should answer.",
              max_len=PROMPT_MAX),
        Field("temperature", "float", "Temperature", "Randomness of the answer (0 to 2).",
              min=0.0, max=2.0),
        Field("max_tokens", "int", "Max tokens", "The longest answer, in tokens.", min=1,
              max=1000000),
    ),
    Ui("text", "Chat", "Ask", order=10, advanced=("system", "temperature", "max_tokens")),
    sync=True,
    summarize=summarize,
    provider="text",
    shape=_shape,
    description="One answer of the OpenAI-compatible text server, logged like any task.")
