"""First-paint bench: the Tasks board's first playable player against Streamlit's own ``hello``.

Both servers run side by side in one run, on their own ports: ``streamlit hello`` (headless) and
the app (`streamlit run app.py`, embedded simulator) on a log seeded with finished songs whose
MP3s and covers are archived (`tests.bench.seed.seed_songs`, real files). Each sample opens a
fresh browser context (cold cache, new Streamlit session) and measures, from navigation start
(`performance.now()` = 0), in the page itself:

* ``hello``: the first paint of the app's content, i.e. the animation frame after the first
  element the script sent is drawn in the main area (an element container holding something
  other than a loading skeleton; the frontend shows an empty one before the script runs);
  the browser's own first contentful paint (the empty shell) is printed beside it;
* ``board`` (``/tasks``): the first ``<audio>`` in a task card with a src that can play
  (``loadedmetadata``, i.e. ``readyState >= 1``; ``canplay`` is printed beside it).

Samples alternate between the two (hello, board, hello, board...) after one warm-up each, so
both see the same machine load; the figures are medians. Target: board <= 1.3 x hello.

``python -m tests.bench.first_paint [RUNS] [SONGS]`` runs it alone (`make bench` runs it last).
"""

from __future__ import annotations

import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from lib.log.sqlite import SqliteLog
from tests.bench.seed import seed_songs
from tests.browser import harness

TARGET_RATIO = 1.3

#: Installed before any page script: stamps the first content element, the first playable
#: audio (metadata loaded / can play) and the browser's first contentful paint.
WATCH = """(() => {
  const rec = window.__sbFirst = {content: null, paint: null, audio: null, meta: null,
                                  canplay: null, fcp: null};
  const now = () => performance.now();
  const mark = (name) => { if (rec[name] === null) rec[name] = now(); };
  const isCard = (a) => a.closest('[class*="st-key-task-"]') && a.getAttribute('src');
  document.addEventListener('loadedmetadata', (e) => { if (isCard(e.target)) mark('meta'); },
                            true);
  document.addEventListener('canplay', (e) => { if (isCard(e.target)) mark('canplay'); }, true);
  const check = () => {
    // an element the script sent: a non-empty element container that is not a skeleton (the
    // frontend shows an empty container before the run, and skeletons while chunks load)
    if (rec.content === null && document.querySelector(
        '[data-testid=stMain] [data-testid=stElementContainer] > :not([data-testid=stSkeleton])')) {
      mark('content');
      requestAnimationFrame(() => requestAnimationFrame(() => mark('paint')));
    }
    if (rec.audio === null && [...document.querySelectorAll('audio')].some(isCard))
      mark('audio');
    if (rec.meta === null) {  // an element that had its metadata before we saw it
      const a = [...document.querySelectorAll('audio')].find(x => isCard(x) &&
                                                                  x.readyState >= 1);
      if (a) mark('meta');
    }
  };
  new MutationObserver(check).observe(document, {subtree: true, childList: true,
                                                 attributes: true, attributeFilter: ['src']});
  new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      if (e.name === 'first-contentful-paint' && rec.fcp === null) rec.fcp = e.startTime;
  }).observe({type: 'paint', buffered: true});
})();"""


class HelloServer:
    """``streamlit hello`` on a free port, in its own process group."""

    def __init__(self) -> None:
        self.port = harness.free_port()
        self.proc: subprocess.Popen | None = None
        self.log = Path(tempfile.mkstemp(prefix="songbench-hello-", suffix=".log")[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> HelloServer:
        cmd = [sys.executable, "-m", "streamlit", "hello", "--server.headless", "true",
               "--server.port", str(self.port), "--server.fileWatcherType", "none",
               "--browser.gatherUsageStats", "false"]
        with open(self.log, "wb") as out:
            self.proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT,
                                         start_new_session=True, cwd=tempfile.gettempdir())
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit hello exited: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{self.url}/_stcore/health", timeout=2).text.strip() == "ok":
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.25)
        self.__exit__()
        raise RuntimeError("streamlit hello never became healthy")

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=15)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        self.log.unlink(missing_ok=True)


def _sample(browser, url: str, wait_for: str, timeout: float = 60.0) -> dict:
    """One cold visit: a fresh context, navigation, then the watcher's stamps (ms)."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        page = context.new_page()
        page.add_init_script(WATCH)
        page.goto(url, wait_until="commit", timeout=timeout * 1000)
        page.wait_for_function(f"() => window.__sbFirst && window.__sbFirst.{wait_for} !== null",
                               timeout=timeout * 1000, polling=20)
        page.wait_for_timeout(300)  # canplay / fcp stamps that follow
        return page.evaluate("() => window.__sbFirst")
    finally:
        context.close()


def _median(values: list[float | None]) -> float | None:
    kept = [v for v in values if v is not None]
    return statistics.median(kept) if kept else None


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:7.0f} ms"


def first_paint_bench(runs: int = 7, songs: int = 20,
                      out: Callable[[str], None] = print) -> dict:
    """Run the bench; returns the medians (ms), the ratio and whether it meets the target."""
    problem = harness.chromium_problem()
    if problem:
        raise RuntimeError(f"first-paint bench needs Chromium: {problem}")
    from playwright.sync_api import sync_playwright

    data = Path(tempfile.mkdtemp(prefix="songbench-first-paint-"))
    try:
        seed_songs(SqliteLog(data / "songbench.db"), data / "assets", songs)
        out(f"first paint: {songs} finished songs (archived MP3s and covers), "
            f"{runs} cold visits each after a warm-up, alternating")
        with HelloServer() as hello, harness.AppServer(data_dir=data) as app, \
                sync_playwright() as pw:
            browser = harness.launch_browser(pw)
            try:
                board_url = f"{app.url}/tasks"
                _sample(browser, hello.url, "paint")
                _sample(browser, board_url, "meta")
                rows: dict[str, list[dict]] = {"hello": [], "board": []}
                for i in range(runs):
                    rows["hello"].append(_sample(browser, hello.url, "paint"))
                    rows["board"].append(_sample(browser, board_url, "meta"))
                    out(f"  #{i + 1}: hello paint {_ms(rows['hello'][-1]['paint'])}"
                        f"   board playable {_ms(rows['board'][-1]['meta'])}")
            finally:
                browser.close()
    finally:
        shutil.rmtree(data, ignore_errors=True)
    res = {
        "hello_paint_ms": _median([r["paint"] for r in rows["hello"]]),
        "hello_fcp_ms": _median([r["fcp"] for r in rows["hello"]]),
        "board_content_ms": _median([r["paint"] for r in rows["board"]]),
        "board_audio_ms": _median([r["audio"] for r in rows["board"]]),
        "board_playable_ms": _median([r["meta"] for r in rows["board"]]),
        "board_canplay_ms": _median([r["canplay"] for r in rows["board"]]),
        "board_fcp_ms": _median([r["fcp"] for r in rows["board"]]),
    }
    res["ratio"] = (res["board_playable_ms"] or 0) / (res["hello_paint_ms"] or float("nan"))
    res["ok"] = res["ratio"] <= TARGET_RATIO
    out(f"{'':28s}{'median':>10s}")
    out(f"{'hello: first content paint':28s}{_ms(res['hello_paint_ms'])}"
        f"   (browser FCP {_ms(res['hello_fcp_ms']).strip()})")
    out(f"{'board: first playable audio':28s}{_ms(res['board_playable_ms'])}"
        f"   (canplay {_ms(res['board_canplay_ms']).strip()}, first <audio> in the DOM "
        f"{_ms(res['board_audio_ms']).strip()}, first content "
        f"{_ms(res['board_content_ms']).strip()}, browser FCP {_ms(res['board_fcp_ms']).strip()})")
    out(f"ratio board / hello: {res['ratio']:.2f}x   target <= {TARGET_RATIO}x   "
        f"{'OK' if res['ok'] else 'OVER TARGET'}")
    return res


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    args = [int(a) for a in sys.argv[1:] if a.isdigit()]
    first_paint_bench(*(args[:2]))
