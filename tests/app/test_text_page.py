"""The Text page under AppTest: one chat completion from its form, sent through the tracker's
sync path (the row written before the call) to the embedded simulator's text route, and its
answer read under the form and on the board."""

from __future__ import annotations

from tests.app.pages import open_page, rerun, texts


def test_a_chat_from_the_text_page(app_runtime):
    at = open_page("text")
    assert [s.value for s in at.subheader][0] == "Text (chat)"
    preview = " ".join(c.value for c in at.code) + texts(at)
    assert "/openai/v1/chat/completions" in preview and '"messages"' in preview, preview
    at.button(key="text_chat.submit").click()
    rerun(at)
    assert at.error, "an empty form is refused at its fields"
    assert app_runtime.log.count_tasks() == 0  # nothing sent while a field is wrong

    at.selectbox(key="text_chat.model").set_value("gpt-5")  # of the server's list
    at.text_area(key="text_chat.prompt").input("Write one line about neon rain.")
    at.button(key="text_chat.submit").click()
    rerun(at)
    assert not at.error, [e.value for e in at.error]
    (task,) = app_runtime.log.list_tasks(op="text_chat")
    assert (task["state"], task["provider"], task["family"]) == ("succeeded", "text", "text")
    assert task["prompt"] == "Write one line about neon rain."
    import json
    result = json.loads(task["result_json"])
    assert result["model"] == "gpt-5" and result["answer"].strip(), result
    assert result["usage"]["total_tokens"] > 0, result
    first = " ".join(result["answer"].split()[:3])
    assert any(i.value.startswith("gpt-5 · ") and first in i.value for i in at.info), \
        [i.value for i in at.info]
    board = texts(open_page("tasks"))
    assert "Text (chat)" in board and first in board, board
