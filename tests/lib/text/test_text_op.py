"""The text operation and family: a chat completion parses into the answer, an answer with no
choice is a failure, the summary line reads in words, the form's prompt goes as messages."""

from __future__ import annotations

import copy

from lib import families, ops
from lib.contract.states import State
from tests.lib.contract_examples import CHAT_COMPLETION_OK


def test_a_chat_completion_is_the_answer():
    poll = families.parse_poll("text", copy.deepcopy(CHAT_COMPLETION_OK))
    assert poll.state is State.SUCCEEDED
    assert poll.result["answer"].startswith("Neon rain") and poll.result["model"] == "gpt-5"
    assert ops.get("text_chat").summarize(poll.result) == (
        "gpt-5 · 30 tokens · “Neon rain on the city, a slow synth line and a voice…”")
    (made,) = families.get("text").result_files(poll.result)
    assert made.make().decode() == poll.result["answer"]


def test_no_choice_or_a_refusal_is_a_failure_not_a_success():
    empty = families.parse_poll("text", {"model": "gpt-5", "choices": []})
    assert empty.state is State.FAILED and empty.raw_status == "NO_CHOICE"
    refused = copy.deepcopy(CHAT_COMPLETION_OK)
    refused["choices"][0]["finish_reason"] = "content_filter"
    assert families.parse_poll("text", refused).state is State.FAILED


def test_a_cut_answer_says_so():
    line = ops.get("text_chat").summarize({"model": "m", "answer": "short",
                                           "finish_reason": "length"})
    assert line == "m · “short” · cut at the token limit"
    assert ops.get("text_chat").summarize({"raw": 1}) is None


def test_the_form_prompt_goes_as_messages_and_the_helper_body_as_it_is():
    op = ops.get("text_chat")
    assert op.wire({"model": "m", "prompt": "hi", "system": "be brief"}) == {
        "model": "m", "messages": [{"role": "system", "content": "be brief"},
                                   {"role": "user", "content": "hi"}]}
    helper = {"model": "m", "messages": [{"role": "user", "content": "x"}], "n": 1}
    assert op.wire(helper) == helper
