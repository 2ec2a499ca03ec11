""""Draft with the text helper" in the real app against its embedded simulator: the answer is
seen growing in the form's draft panel while it streams (several lengths, before any field is
filled), then the drafted song is in the form's own widgets (custom mode on, the title, the
lyrics), with nothing sent."""

from __future__ import annotations

import json

from lib.log.sqlite import SqliteLog
from tests.browser import flows
from tests.browser.harness import goto, screenshot, streamlit_exceptions, wait_ready

#: Samples the draft panel's text length every animation frame, with whether the title field
#: (shown once custom mode is on) holds a value yet.
WATCH = """(op) => {
  window.__draft = {samples: [], clicked: null};
  const streamText = () => {
    const box = document.querySelector(`.st-key-draft-stream-${op} [data-testid=stCode]`);
    return box ? box.innerText.length : 0;
  };
  const titled = () => {
    const t = document.querySelector(`.st-key-${op}-title input`);
    return !!(t && t.value);
  };
  const tick = () => {
    window.__draft.samples.push({t: performance.now(), n: streamText(), filled: titled()});
    if (window.__draft.samples.length < 20000) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}"""


def test_a_draft_streams_into_the_form_then_fills_it(page, app_server):
    db = SqliteLog(app_server.data_dir / "songbench.db")
    before = db.count_tasks(op="generate")
    goto(page, f"{app_server.url}/")
    page.get_by_text("Draft with the text helper").click()
    flows.commit_text(page, ".st-key-generate-draft_brief input", "a sea shanty about debugging")
    page.locator(".st-key-text_helper-model").wait_for()
    page.evaluate(WATCH, "generate")
    page.locator(".st-key-generate-draft button").click()
    page.locator(".st-key-generate-title input").wait_for(timeout=30_000)
    page.wait_for_function(
        "() => { const t = document.querySelector('.st-key-generate-title input');"
        " return t && t.value.length > 0; }", timeout=30_000)
    wait_ready(page)
    samples = page.evaluate("() => window.__draft.samples")
    streaming = [s["n"] for s in samples if s["n"] and not s["filled"]]
    lengths = sorted(set(streaming))
    # the answer grew in front of the user: many lengths, the first a small part of the last
    assert len(lengths) >= 5, lengths
    final = max(s["n"] for s in samples)
    assert lengths[0] < final / 3, (lengths[:5], final)

    title = page.locator(".st-key-generate-title input").input_value()
    lyrics = page.locator(".st-key-generate-prompt textarea").input_value()
    style = page.locator(".st-key-generate-style input").input_value()
    assert title and style and "[Verse" in lyrics and "[Chorus" in lyrics, (title, lyrics)
    (task,) = db.list_tasks(op="text_chat", limit=1)
    answer = json.loads(json.loads(task["result_json"])["answer"])
    assert (answer["title"], answer["lyrics"]) == (title, lyrics)
    assert db.count_tasks(op="generate") == before  # nothing is sent before the user does
    assert "Put into the form" in page.locator(".st-key-draft-generate").inner_text()
    assert not streamlit_exceptions(page)
    screenshot(page, "flow-draft-song")
