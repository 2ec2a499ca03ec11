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
both see the same machine load; the figures are medians. Target: board <= 1.3 x hello. A
breakdown follows (`phases`): when the websocket opened (the shell: HTML, main JS, fonts and
the health probes - left alone, a page URL such as ``/tasks`` makes Streamlit's frontend probe
``/tasks/_stcore/health`` first and retry at ``/`` 100 ms later; the page shell tells it where
the server is, and ``--against`` an older checkout counts the probes), the
session's first message, the script's last message before the mark, when the Audio element's
JS chunk and the last element chunk arrived, and the first MP3 request and response.

``python -m tests.bench.first_paint [RUNS] [SONGS]`` (defaults 7 and 20; about 50 s with 9 runs).
``--hello-nodelay`` adds a second hello run with the TCP fix Songbench applies to its own server
(`lib.app.nodelay`), to see how much of the board's lead in the shell is that fix.
``--against DIR`` adds the board of another checkout (e.g. ``git archive main | tar -x -C DIR``)
as a third server in the same alternation: a change's before and after in one run.

History (2-core machine, medians; the ratio is the figure, absolute times drift with load).
At issue time: 4.85 s against hello's 1.75 s (2.8x). Fewer elements per card, no emoji table,
no `st.metric`, the multiselect in a popover, cards before filters and `runner.postScriptGC =
false`: 1.53-1.64x (147 messages, was 365; 12 element chunks of 54 KB, was 41 of 707 KB).
Then three changes, each measured with ``--against`` the one before:

* TCP_NODELAY on the server's connections (`lib.app.nodelay`): Streamlit's server left Nagle
  on, so every request after the first on a kept-alive connection waited ~40 ms for the
  browser's delayed ACK (the frontend's ~70 JS files, the 40 images, the 20 MP3s, 6
  connections): 1.60x -> 1.36x, the websocket open at ~500 ms instead of ~800.
* The page shell (`lib.app.page_shell`): the frontend is told where the server is (no
  ``/tasks/_stcore/health`` probe and 100 ms retry), the board's CSS comes with the shell
  (`lib.views.styles`, no `st.html` element) and the element chunks are preloaded.
* A card track's cover is the first image of its Markdown (9 elements a card, was 12; no
  image element code).

Then cards off screen were left unlaid-out (``content-visibility``). Now (``python -m
tests.bench.first_paint 11 20``, three runs): 1.30x, 1.24x, 1.25x (e.g. hello 821 ms, board
1027 ms; the previous main's board 1308 ms in that run). With ``--hello-nodelay``: hello
~650 ms, the board 1.7x of that. What remains: React shows the players (skeletons until then)
only once it has drawn the script's whole stream of elements (~300 ms of main thread for
~116 elements), then 20 players start at once and the first has its metadata ~100-150 ms
later: Chrome's media pipeline per player (a page with only 20 ``<audio>`` elements: ~150 ms
to the first metadata, 10: ~80 ms, 1: ~20-50 ms; the server answers the 20 MP3s in ~30 ms).
Fewer players a page is the lever left (5 cards measured 1.05x in one run); the board keeps
10.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
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
                                  canplay: null, fcp: null, ws: null, msgs: []};
  const now = () => performance.now();
  // the websocket's open and message times (the session's setup and the script's deltas)
  const WS = window.WebSocket;
  window.WebSocket = function (...args) {
    const ws = new WS(...args);
    ws.addEventListener('open', () => { if (rec.ws === null) rec.ws = now(); });
    ws.addEventListener('message', (e) => rec.msgs.push(
      [now(), e.data.byteLength || e.data.size || e.data.length || 0]));
    return ws;
  };
  window.WebSocket.prototype = WS.prototype;
  Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
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


#: Every request the page made: path, start, end (ms from navigation start), bytes.
RESOURCES = """() => performance.getEntriesByType('resource').map(e => ({
  path: e.name.replace(location.origin, ''), start: e.startTime, end: e.responseEnd,
  bytes: e.encodedBodySize}))"""


def phases(rec: dict, until: str) -> dict:
    """Where one visit's time went, from its stamps (ms from navigation start): the shell (HTML,
    main JS bundle, fonts, the health and host-config probes) up to the websocket's open; the
    session's first message; the script's deltas (the last message before ``until``); the JS
    chunks fetched for the elements the script sent (count, KB, when the last one arrived);
    the first audio request (its start and end) and the requests started before it."""
    end = rec.get(until)
    res = rec.get("resources") or []
    ws = rec.get("ws")
    msgs = [m for m in rec.get("msgs") or [] if end is None or m[0] <= end]
    chunks = [r for r in res if "/static/js/" in r["path"] and ws is not None
              and r["start"] >= ws]
    mp3 = sorted((r for r in res if r["path"].startswith("/api/assets/")
                  and r["path"].endswith(".mp3")), key=lambda r: r["start"])
    first_mp3 = mp3[0] if mp3 else None
    audio_js = [r for r in chunks if "/Audio." in r["path"]]
    return {
        "probes": sum(1 for r in res if r["path"].endswith("/_stcore/health")),
        "ws_open": ws,
        "first_msg": msgs[0][0] if msgs else None,
        "last_msg": msgs[-1][0] if msgs else None,
        "msgs": len(msgs),
        "chunks": len(chunks),
        "chunk_kb": sum(r["bytes"] for r in chunks) / 1024,
        "chunks_end": max((r["end"] for r in chunks), default=None),
        "audio_js_end": audio_js[0]["end"] if audio_js else None,
        "mp3_start": first_mp3["start"] if first_mp3 else None,
        "mp3_end": first_mp3["end"] if first_mp3 else None,
        "before_mp3": (sum(1 for r in res if ws is not None and ws <= r["start"]
                           < first_mp3["start"]) if first_mp3 else None),
        "mp3_requests": len(mp3),
        "end": end,
    }


class HelloServer:
    """``streamlit hello`` on a free port, in its own process group."""

    def __init__(self, nodelay: bool = False) -> None:
        self.port = harness.free_port()
        self.proc: subprocess.Popen | None = None
        self.log = Path(tempfile.mkstemp(prefix="songbench-hello-", suffix=".log")[1])
        #: run it with Songbench's TCP_NODELAY fix (`lib.app.nodelay`), which Streamlit's own
        #: server lacks: what hello would take without the ~40 ms per kept-alive request
        self.nodelay = nodelay

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> HelloServer:
        args = ["hello", "--server.headless", "true", "--server.port", str(self.port),
                "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"]
        cmd = [sys.executable, "-m", "streamlit", *args]
        env = dict(os.environ)
        if self.nodelay:
            cmd = [sys.executable, "-c", "import sys; from lib.app import nodelay; "
                   "nodelay.enable(); from streamlit.web.cli import main; "
                   f"sys.argv = ['streamlit', *{args!r}]; main()"]
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(harness.ROOT),
                                                              env.get("PYTHONPATH")]))
        with open(self.log, "wb") as out:
            self.proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env,
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
        harness.stop_group(self.proc)
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
        rec = page.evaluate("() => window.__sbFirst")
        rec["resources"] = page.evaluate(RESOURCES)
        return rec
    finally:
        context.close()


def _median(values: list[float | None]) -> float | None:
    kept = [v for v in values if v is not None]
    return statistics.median(kept) if kept else None


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:7.0f} ms"


def first_paint_bench(runs: int = 7, songs: int = 20, out: Callable[[str], None] = print,
                      against: Path | None = None, hello_nodelay: bool = False) -> dict:
    """Run the bench; returns the medians (ms), the ratio and whether it meets the target.

    ``against``: another checkout of Songbench (e.g. ``git archive main | tar -x -C DIR``); its
    board runs as a third server on its own seeded log, in the same alternation, to compare a
    change before and after in one run (``--against DIR``). ``hello_nodelay``: a second hello,
    run with Songbench's TCP_NODELAY fix (`HelloServer.nodelay`), in the same alternation; the
    target stays against Streamlit's own hello (``--hello-nodelay``)."""
    problem = harness.chromium_problem()
    if problem:
        raise RuntimeError(f"first-paint bench needs Chromium: {problem}")
    from playwright.sync_api import sync_playwright

    data = Path(tempfile.mkdtemp(prefix="songbench-first-paint-"))
    other_data = Path(tempfile.mkdtemp(prefix="songbench-first-paint-other-"))
    try:
        seed_songs(SqliteLog(data / "songbench.db"), data / "assets", songs)
        if against is not None:
            seed_songs(SqliteLog(other_data / "songbench.db"), other_data / "assets", songs)
        out(f"first paint: {songs} finished songs (archived MP3s and covers), "
            f"{runs} cold visits each after a warm-up, alternating"
            + (f"; the other board from {against}" if against is not None else ""))
        with ExitStack() as stack:
            hello = stack.enter_context(HelloServer())
            app = stack.enter_context(harness.AppServer(data_dir=data))
            targets = {"hello": (hello.url, "paint"), "board": (f"{app.url}/tasks", "meta")}
            if against is not None:
                other = stack.enter_context(harness.AppServer(data_dir=other_data,
                                                              root=Path(against)))
                targets["other"] = (f"{other.url}/tasks", "meta")
            if hello_nodelay:
                fixed = stack.enter_context(HelloServer(nodelay=True))
                targets["hello+nd"] = (fixed.url, "paint")
            pw = stack.enter_context(sync_playwright())
            browser = harness.launch_browser(pw)
            stack.callback(browser.close)
            for url, mark in targets.values():
                _sample(browser, url, mark)
            rows: dict[str, list[dict]] = {name: [] for name in targets}
            for i in range(runs):
                for name, (url, mark) in targets.items():
                    rows[name].append(_sample(browser, url, mark))
                out(f"  #{i + 1}: " + "   ".join(
                    f"{name} {'paint' if mark == 'paint' else 'playable'} "
                    f"{_ms(rows[name][-1][mark])}" for name, (_, mark) in targets.items()))
    finally:
        shutil.rmtree(data, ignore_errors=True)
        shutil.rmtree(other_data, ignore_errors=True)
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
    if "other" in rows:
        res["other_playable_ms"] = _median([r["meta"] for r in rows["other"]])
        res["other_ratio"] = (res["other_playable_ms"] or 0) / (res["hello_paint_ms"]
                                                                or float("nan"))
        out(f"{'other board (--against)':28s}{_ms(res['other_playable_ms'])}   "
            f"other / hello {res['other_ratio']:.2f}x   board / other "
            f"{(res['board_playable_ms'] or 0) / (res['other_playable_ms'] or float('nan')):.2f}x")
    if "hello+nd" in rows:
        res["hello_nodelay_paint_ms"] = _median([r["paint"] for r in rows["hello+nd"]])
        res["ratio_nodelay"] = (res["board_playable_ms"] or 0) / (
            res["hello_nodelay_paint_ms"] or float("nan"))
        out(f"{'hello with TCP_NODELAY':28s}{_ms(res['hello_nodelay_paint_ms'])}   "
            f"board / that hello {res['ratio_nodelay']:.2f}x (the fix Songbench applies to "
            "its own server; the target is against hello as Streamlit ships it)")
    res["breakdown"] = breakdown(rows, out)
    return res


BREAKDOWN = (
    ("ws_open", "shell: HTML, main JS, fonts, health probes -> websocket open"),
    ("first_msg", "session: first message from the server"),
    ("last_msg", "script: last message before the mark"),
    ("audio_js_end", "the Audio element's JS chunk arrived"),
    ("chunks_end", "the last element JS chunk arrived"),
    ("mp3_start", "first MP3 request sent"),
    ("mp3_end", "first MP3 response done"),
    ("end", "the mark (hello: content paint; board: playable)"),
)
COUNTS = (("probes", "health probes"), ("msgs", "messages"), ("chunks", "element JS chunks"),
          ("chunk_kb", "their KB"), ("before_mp3", "requests before the first MP3"),
          ("mp3_requests", "MP3 requests"))


def breakdown(rows: dict[str, list[dict]], out: Callable[[str], None] = print) -> dict:
    """Medians of each phase's end (ms from navigation start) for both apps, and counts."""
    med = {name: {k: _median([phases(r, "paint" if name.startswith("hello") else "meta").get(k)
                              for r in rows[name]])
                  for k, _ in BREAKDOWN + COUNTS}
           for name in rows}
    names = list(rows)
    out("breakdown (median ms from navigation start)" + " " * 24
        + "".join(f"{name:>10s}" for name in names))
    for key, label in BREAKDOWN:
        out(f"  {label:64s}" + "".join(_ms(med[name][key]) for name in names))
    out("  " + " · ".join(f"{label}: " + " / ".join(_num(med[name][key]) for name in names)
                          for key, label in COUNTS))
    return med


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    argv = sys.argv[1:]
    other_dir = None
    if "--against" in argv:
        at = argv.index("--against")
        if at + 1 >= len(argv) or not (Path(argv[at + 1]) / "app.py").is_file():
            sys.exit("--against needs a folder holding another Songbench checkout (its app.py)")
        other_dir = Path(argv[at + 1]).resolve()
        del argv[at:at + 2]
    args = [int(a) for a in argv if a.isdigit()]
    first_paint_bench(*(args[:2]), against=other_dir, hello_nodelay="--hello-nodelay" in argv)
