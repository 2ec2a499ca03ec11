"""Run the real app (`streamlit run app.py`) and drive it with Playwright + Debian's Chromium.

Shared by the browser tests (`tests/browser/conftest.py`) and the latency bench
(`tests/bench/latency.py`); no pytest imports here.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = os.environ.get("SONGBENCH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--autoplay-policy=no-user-gesture-required", "--mute-audio"]
PROVIDER_ENV = ("SONGBENCH_API_KEY", "SONGBENCH_API_BASE_URL", "SONGBENCH_API_DIALECT",
                "SONGBENCH_PUBLIC_URL", "SONGBENCH_UPLOAD_BASE_URL", "SONGBENCH_SIM_PORT")
FAST_SIM = {"SONGBENCH_SIM_SPEED": "40", "SONGBENCH_SIM_TRACK_SECONDS": "6"}
READY = ("[data-testid=stApp][data-test-connection-state=CONNECTED]"
         "[data-test-script-state=notRunning]")


def stop_group(proc: subprocess.Popen | None) -> None:
    """Stop a server started in its own process group (``start_new_session``): only it and its
    children; SIGKILL when SIGTERM is not enough within 15 s."""
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class AppServer:
    """A `streamlit run app.py` subprocess on a free port with its own data folder."""

    env_overrides: dict[str, str] = field(default_factory=dict)
    data_dir: Path | None = None
    port: int = 0
    proc: subprocess.Popen | None = None
    log_path: Path | None = None
    root: Path = ROOT
    sim_port: int = 0

    @property
    def sim_url(self) -> str:
        """The embedded simulator (admin API `/_sim/...`), on a port chosen up front."""
        return f"http://127.0.0.1:{self.sim_port}"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 90.0) -> AppServer:
        self._owns_dir = self.data_dir is None and not os.environ.get("SONGBENCH_E2E_KEEP")
        self.data_dir = Path(self.data_dir or tempfile.mkdtemp(prefix="songbench-e2e-"))
        self.port = self.port or free_port()
        self.sim_port = self.sim_port or free_port()
        env = {k: v for k, v in os.environ.items() if k not in PROVIDER_ENV}
        env.update({"SONGBENCH_DB": str(self.data_dir / "songbench.db"),
                    "SONGBENCH_ASSETS_DIR": str(self.data_dir / "assets"),
                    "SONGBENCH_SIM_PORT": str(self.sim_port), **FAST_SIM, **self.env_overrides,
                    "PYTHONUNBUFFERED": "1"})
        self.log_path = self.data_dir / "streamlit.log"
        cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
               "--server.port", str(self.port), "--server.fileWatcherType", "none",
               "--browser.gatherUsageStats", "false"]
        with open(self.log_path, "wb") as log:  # the child keeps its own handle
            self.proc = subprocess.Popen(cmd, cwd=self.root, env=env, stdout=log,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        self._wait_healthy(timeout)
        return self

    def _wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                ok = httpx.get(f"{self.url}/_stcore/health", timeout=2).text.strip() == "ok"
                if ok and httpx.get(f"{self.url}/api/health", timeout=5).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.25)
        tail = self.log_tail()
        self.stop()
        raise RuntimeError(f"app not healthy after {timeout} s:\n{tail}")

    def health(self) -> dict:
        return httpx.get(f"{self.url}/api/health", timeout=5).json()

    def log_tail(self, lines: int = 60) -> str:
        if not self.log_path or not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        """Stop our streamlit (its own process group) and remove the temp data folder
        (kept when `SONGBENCH_E2E_KEEP` is set)."""
        stop_group(self.proc)
        if getattr(self, "_owns_dir", False) and self.data_dir and self.data_dir.exists():
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self) -> AppServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def chromium_problem() -> str | None:
    """Why the browser suite cannot run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        return f"playwright is not importable ({exc})"
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    return None


def launch_browser(playwright):
    """Chromium through Playwright's `executable_path` (never `playwright install`)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def wait_ready(page, timeout: float = 30_000) -> None:
    """Connected to the server and no script run in progress."""
    page.wait_for_selector(READY, timeout=timeout, state="attached")


def goto(page, url: str, timeout: float = 45_000) -> None:
    page.goto(url, wait_until="domcontentloaded", timeout=timeout)
    wait_ready(page, timeout)


_CONTENT_HEIGHT = """() => Math.max(...['[data-testid=stMain]', '[data-testid=stMainBlockContainer]',
    '[data-testid=stSidebarContent]'].map(s => { const e = document.querySelector(s);
    return e ? e.getBoundingClientRect().top + window.scrollY + e.scrollHeight : 0; }))"""


def screenshot(page, name: str) -> Path:
    """Full-page PNG under tests/artifacts/ (git-ignored).

    Streamlit scrolls inside its main container, so the viewport is stretched to the content
    height for the shot (and restored afterwards)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    size = page.viewport_size
    try:
        for _ in range(4):  # growing the viewport can reflow the content; repeat until it fits
            height = min(int(page.evaluate(_CONTENT_HEIGHT) or 0) + 40, 12000)
            if not size or height <= page.viewport_size["height"]:
                break
            page.set_viewport_size({"width": size["width"], "height": height})
            page.wait_for_timeout(250)
        page.screenshot(path=str(path), full_page=True)
    finally:
        if size and page.viewport_size != size:
            page.set_viewport_size(size)
    return path


def streamlit_exceptions(page) -> list[str]:
    return [e.inner_text() for e in page.query_selector_all("[data-testid=stException]")]
