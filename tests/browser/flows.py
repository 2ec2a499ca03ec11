"""User flows on the real pages, shared by the browser tests and the latency bench.

Selectors follow the pages' DOM contracts: widget keys become CSS classes with dots turned into
dashes (`generate.prompt` -> `.st-key-generate-prompt`); task cards are `.st-key-task-<id>`,
tracks `.st-key-track-<id>` holding one `<audio>` (see `pages/components/board.py`).
"""

from __future__ import annotations

import re
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx

from tests.browser.harness import goto, wait_ready
from tests.helpers import write_wav16

TASK_ID = re.compile(r"[?&]task=([0-9a-f]{32})")

#: JS: count script runs (full and fragment) by watching the app's script-state attribute.
WATCH_RUNS = """() => {
  if (window.__sbRuns !== undefined) return window.__sbRuns;
  window.__sbRuns = 0;
  const app = document.querySelector('[data-testid=stApp]');
  let last = app.getAttribute('data-test-script-state');
  new MutationObserver(() => {
    const now = app.getAttribute('data-test-script-state');
    if (now === 'running' && last !== 'running') window.__sbRuns += 1;
    last = now;
  }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
  return 0;
}"""


def commit_text(page, selector: str, text: str) -> None:
    """Type into a text area / input and commit it (blur), then wait for the rerun."""
    box = page.locator(selector)
    box.click()
    box.fill(text)
    box.press("Tab")
    page.wait_for_timeout(300)
    wait_ready(page)


def custom_mode(page, title: str) -> None:
    """Turn the generate form's Custom mode on and give it a title (a style axis only counts
    in custom mode: simple mode leaves style and title out)."""
    page.locator(".st-key-generate-customMode label").first.click()
    page.wait_for_timeout(300)
    wait_ready(page)
    commit_text(page, ".st-key-field-generate-title input", title)


def task_id_from_outcome(page, op: str, timeout: float = 30_000) -> str:
    """The local task id from the outcome's link to the board, after a submit."""
    link = page.locator(f".st-key-outcome-{op} a[href*='task=']").first
    link.wait_for(timeout=timeout)
    href = link.get_attribute("href") or ""
    found = parse_qs(urlsplit(href).query).get("task") or TASK_ID.findall(href)
    assert found, f"no task id in the outcome link {href!r}"
    return found[0]


def submit_song(page, base_url: str, prompt: str) -> str:
    """Generate page, simple mode: type the prompt, press submit; returns the local task id."""
    goto(page, f"{base_url}/")
    commit_text(page, ".st-key-generate-prompt textarea", prompt)
    page.locator(".st-key-generate-submit button").click()
    wait_ready(page)
    confirm = page.locator(".st-key-generate-confirm button")
    if confirm.count():  # the duplicate guard asks again for an identical recent request
        confirm.click()
        wait_ready(page)
    return task_id_from_outcome(page, "generate")


def audio_src(page, task_id: str) -> str | None:
    """The src of the first player with a source in the task's card, or None."""
    return page.evaluate("""(id) => {
        const a = [...document.querySelectorAll(`.st-key-task-${id} audio`)]
            .find(e => e.getAttribute('src'));
        return a ? a.src : null; }""", task_id)


def wait_for_audio(page, task_id: str, timeout: float = 60.0, accept=None) -> str:
    """Wait until the task's card has an `<audio>` with a src (optionally `accept(src)`)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        src = audio_src(page, task_id)
        if src and (accept is None or accept(src)):
            return src
        page.wait_for_timeout(100)
    raise AssertionError(f"no playable <audio> for task {task_id} after {timeout} s")


def fetch_and_decode(src: str) -> float:
    """Download `src` and decode it with `lib.media.audio`; returns the duration in seconds."""
    from lib.media.audio import probe

    response = httpx.get(src, timeout=30, follow_redirects=True)
    response.raise_for_status()
    assert response.content[:3] == b"ID3" or response.content[:1] == b"\xff", \
        f"{src} does not look like MP3 ({response.headers.get('content-type')})"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "song.mp3"
        path.write_bytes(response.content)
        return probe(path).duration


def make_wav(path: Path, seconds: float = 3.0, rate: int = 22050) -> Path:
    """A small stereo WAV (a few notes) for upload tests."""
    import numpy as np

    t = np.arange(int(seconds * rate)) / rate
    freq = np.where(t % 1.0 < 0.5, 440.0, 330.0)
    tone = 0.3 * np.sin(2 * np.pi * freq * t) * np.minimum(1, (seconds - t) * 4)
    pcm = (np.stack([tone, tone], axis=1) * 32767).astype("<i2")
    write_wav16(path, pcm.tobytes(), rate, channels=2)
    return path


def pick_option(page, container: str, pattern: str, search: str | None = None) -> None:
    """Open a selectbox and choose the option whose text matches `pattern` (``search``: typed
    first to filter a long list, whose far options the dropdown does not draw)."""
    page.locator(f"{container} [role=combobox]").click()
    if search:
        page.keyboard.type(search)
    page.get_by_role("option", name=re.compile(pattern)).first.click()
    page.wait_for_timeout(200)
    wait_ready(page)


def new_experiment(page, base_url: str, name: str) -> None:
    """Open the Experiments page's setup form (folded once experiments exist) and name it;
    blurs by clicking the title (Tab would focus the operation's menu, which can open over the
    form and catch the next click)."""
    goto(page, f"{base_url}/experiments")
    box = page.get_by_label("Name")
    box.wait_for(state="attached", timeout=30_000)
    if not box.is_visible():
        page.locator("[data-testid=stExpander] summary", has_text="New experiment").click()
    box.fill(name)
    page.locator("h1").first.click()
    wait_ready(page)
