"""The process-wide runtime: settings, the task log, the providers' adapters, the tracker loop,
the simulator.

One `Runtime` per process (pages, routes and the lifespan share it). `get_runtime()` builds it
lazily and thread-safely; only the lifespan starts the background tracker loop, so importing a
page in a test never spawns threads beyond the embedded simulator.

The command line builds its own with `cli_runtime()`: same settings, no HTTP routes (so it polls,
unless ``SONGBENCH_PUBLIC_URL`` says where callbacks reach a running app), and with no API key it
attaches to the app's simulator when the app runs instead of starting a second one on the same
data folder (`lib.app.embedded.attach_or_start`). `Runtime.close()` stops what it started.

The embedded simulator starts when any provider has no key of its own (each adapter says so:
`Connection.simulated`); the providers with a key talk to their real base URL.
"""

from __future__ import annotations

import contextlib
import secrets as pysecrets
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from lib.settings import Settings, load_settings
from lib.experiments.queue import QueueRunner
from lib.recipes.runner import RecipeRunner
from lib.log import open_log
from lib.contract.operation import MUSIC
from lib.provider import adapters
from lib.provider.hub import Providers
from lib.provider.ratelimit import SharedRateLimiter
from lib.qa.tracks import TrackScorer
from lib.qa.media import MediaScorer
from lib.tracking.assets import AssetArchiver
from lib.provider.reachability import REACHABILITY
from lib.tracking.inbox import CallbackInbox
from lib.tracking.tracker import Tracker

if TYPE_CHECKING:
    from lib.views.app_runtime import AppRuntime

PLACEHOLDER_CALLBACK = "https://callback.invalid/songbench"
LOOP_INTERVAL_S = 0.5

_lock = threading.Lock()
_runtime: Runtime | None = None


def _callback_secret(data_dir: Path) -> str:
    """A random path secret kept beside the database so in-flight callbacks survive restarts."""
    path = data_dir / ".callback_secret"
    if path.exists():
        value = path.read_text().strip()
        if value:
            return value
    data_dir.mkdir(parents=True, exist_ok=True)
    value = pysecrets.token_urlsafe(24)
    path.write_text(value)
    with contextlib.suppress(OSError):
        path.chmod(0o600)
    return value


def _server_port() -> int:
    try:
        from streamlit import config

        return int(config.get_option("server.port"))
    except Exception:
        return 8501


class Runtime:
    """Everything a page or a route needs, built once."""

    def __init__(self, settings: Settings, *, simulator: Any = None) -> None:
        self.settings = settings
        #: the embedded simulator this runtime runs (for any provider without a key)
        self.embedded = simulator
        #: the simulator the music provider talks to (None with a music key): the pages, the
        #: checklist and the simulator controls mean this one
        self.simulator = simulator if settings.use_simulator else None
        self.data_dir = Path(settings.db_path).resolve().parent
        self.assets_dir = Path(settings.assets_dir).resolve()
        self.uploads_dir = self.data_dir / "uploads"
        self.callback_secret = _callback_secret(self.data_dir)
        self.log = open_log(settings.db_path)
        # every provider's adapters; music's create limit is one for every tab, the experiment
        # queue and command-line runs (the others: their adapter's own, in this process)
        self.providers = Providers(settings, on_event=self._on_client_event,
                                   limiters={MUSIC: SharedRateLimiter(self.log.take_rate_slot)})
        #: the music provider's adapter (uploads, the experiment queue's limit)
        self.client = self.providers.current(MUSIC)
        # every archived track MP3 gets its QA scorecard (`lib.qa`), in the archiver's path
        self.archiver = AssetArchiver(self.log, self.assets_dir, on_audio=TrackScorer(self.log),
                                      on_media=MediaScorer(self.log))
        self._stop = threading.Event()
        self._wake = threading.Event()  # a callback made a task due: poll now, not next tick
        self.tracker = Tracker(self.log, self.providers, self.archiver,
                               callback_base=self.callback_url if settings.public_url else None,
                               reachability=REACHABILITY, on_due=self._wake.set)
        # experiments: queued cells go out at the provider's limit (`lib.experiments.queue`)
        self.queue = QueueRunner(self.log, self.tracker, self.client.limiter,
                                 lambda: self.callback_url)
        # route recipes: each ready step is sent once the steps it needs are done
        self.recipes = RecipeRunner(cast("AppRuntime", self))
        # the callback route's deliveries, recorded in batches off the request path
        self.callbacks = CallbackInbox(self.tracker)
        self._thread: threading.Thread | None = None
        self.last_tick: float | None = None
        self.last_error: str | None = None

    # -- client events go to the log -------------------------------------------------------
    def _on_client_event(self, event: dict) -> None:
        self.log.log_client_event(event)

    # -- callbacks ---------------------------------------------------------------------------
    @property
    def callback_url(self) -> str:
        base = self.settings.public_url
        if not base:
            return PLACEHOLDER_CALLBACK
        return f"{base.rstrip('/')}/api/callbacks/{self.callback_secret}"

    # -- the tracker loop --------------------------------------------------------------------
    def start_background(self) -> None:
        with _lock:
            if self._thread and self._thread.is_alive():
                return
            self.tracker.resume()
            self._stop.clear()
            self._thread = threading.Thread(target=self._loop, name="songbench-tracker",
                                            daemon=True)
            self._thread.start()
            self.queue.start()
            self.recipes.start_background()

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()  # before polling, so a callback during this tick is not lost
            try:
                self.tracker.run_once()
                self.last_error = None
            except Exception as exc:
                self.last_error = f"{type(exc).__name__}: {exc}"
            self.last_tick = time.time()
            self._wake.wait(LOOP_INTERVAL_S)

    def stop_background(self) -> None:
        self.callbacks.stop()
        self.queue.stop()
        self.recipes.stop()
        self._stop.set()
        self._wake.set()
        if self._thread:
            self._thread.join(timeout=5)

    def close(self) -> None:
        """Stop the loops, the simulator if this runtime started it, and the client."""
        self.stop_background()
        if self.embedded is not None:
            self.embedded.stop()
        self.providers.close()

    def tracker_alive(self) -> bool:
        return bool(self._thread and self._thread.is_alive())

    def health(self) -> dict:
        return {
            "status": "ok" if self.tracker_alive() and not self.last_error else "degraded",
            "tracker_running": self.tracker_alive(),
            "last_tick_age_s": (None if self.last_tick is None
                                else round(time.time() - self.last_tick, 2)),
            "last_error": self.last_error,
            "provider": "simulator" if self.simulator else self.settings.base_url,
            "dialect": self.settings.dialect,
            "key_configured": bool(self.settings.api_key),
            "callbacks": bool(self.settings.public_url),
            "queue": {"running": self.queue.alive(), "queued": self.log.queued_count(),
                      "last_error": self.queue.last_error},
        }

    # -- files served by /api/assets -----------------------------------------------------------
    def resolve_asset_path(self, rel: str) -> Path | None:
        """Map `/api/assets/<rel>` onto a file under the assets or uploads folder (no escapes)."""
        for root, prefix in ((self.uploads_dir, "uploads/"), (self.assets_dir, "")):
            if prefix and not rel.startswith(prefix):
                continue
            candidate = (root / rel[len(prefix):]).resolve()
            if candidate.is_file() and root.resolve() in candidate.parents:
                return candidate
        return None


def needs_simulator(settings: Settings) -> bool:
    """Whether any provider has no key of its own (the embedded simulator stands in for it)."""
    return any(kind.connect(settings).simulated for kind in adapters.ADAPTERS.values())


def _build(serving: bool, *, attach: bool = False) -> Runtime:
    settings = load_settings()
    simulator = None
    if needs_simulator(settings):
        from lib.app.embedded import attach_or_start, start_embedded_simulator

        try:
            simulator = (attach_or_start(settings) if attach
                         else start_embedded_simulator(settings))
        except RuntimeError as exc:
            if "in use by another simulator" not in str(exc):
                raise
            raise RuntimeError(
                "The embedded simulator's data folder is in use by another process (a "
                "`python -m lib experiment ... --wait` run started before the app?). Let it "
                "finish or stop it, then start the app again; a command started after the app "
                "uses the app's simulator.") from None
        # the simulator runs on this machine, so it can call us back on loopback while we serve
        loopback = f"http://127.0.0.1:{_server_port()}" if serving and settings.use_simulator \
            else None
        settings = replace(settings.with_simulator(simulator.base_url),
                           public_url=settings.public_url or loopback)
    return Runtime(settings, simulator=simulator)


def get_runtime(*, serving: bool = False) -> Runtime:
    """The process's runtime; `serving=True` (the lifespan) means our HTTP routes are live."""
    global _runtime
    if _runtime is None:
        with _lock:
            if _runtime is None:
                _runtime = _build(serving)
    return _runtime


def cli_runtime() -> Runtime:
    """A runtime of its own for a command-line run (not the process-wide one): it serves no
    routes, and attaches to the app's simulator when the app runs. Close it with `close()`."""
    return _build(False, attach=True)


def reset_runtime() -> None:
    """Stop and forget the runtime (tests)."""
    global _runtime
    with _lock:
        rt, _runtime = _runtime, None
    if rt is not None:
        rt.stop_background()
        if rt.embedded is not None:
            rt.embedded.stop()
