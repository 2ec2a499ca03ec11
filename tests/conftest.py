"""Shared fixtures: a fast simulator in a thread, and a real local callback receiver.

* `simulator` (session): `run_in_thread(SimConfig(speed=400, track_seconds=4, credits=10**6))`,
  yields the `RunningSimulator` (`.base_url`, `.stop()`, `.sim` parts).
* `make_simulator` (function): factory `make_simulator(**SimConfig fields)` for instances with
  their own settings (faults, shapes, keys); all are stopped after the test.
* `callback_receiver` (function): a `CallbackReceiver` HTTP server in a thread recording every
  POSTed JSON body; `.url(name)`, `.fail_first(n)`, `.received`, `.wait_for(pred, timeout)`.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from simulator.config import SimConfig
from simulator.server import RunningSimulator, run_in_thread

#: The files that take longest (minutes of real time, mostly waiting on the simulator, a
#: subprocess or a browser), sent to the workers first: `make test` distributes whole files in
#: collection order (``--dist loadfile``), and a long file collected last runs alone at the end
#: while the other workers idle.
SLOW_FIRST = (
    "tests/cli/test_experiment_cli.py", "tests/browser/test_screenshots.py",
    "tests/lib/test_fuzz_families.py", "tests/browser/test_listening.py",
    "tests/browser/test_checklist.py", "tests/browser/test_offline.py",
    "tests/browser/test_qa_flags.py", "tests/core/test_end_to_end.py",
    "tests/browser/test_blind_ab.py", "tests/browser/test_provider_down.py",
    "tests/browser/test_experiment.py", "tests/simulator/test_media_persistence.py",
    "tests/simulator/test_sim_persistence.py", "tests/browser/test_reviewer_name.py",
    "tests/core/test_checklist.py", "tests/browser/test_task_links.py",
    "tests/browser/test_demo.py", "tests/browser/test_generate_playback.py",
    "tests/cli/test_text_cli.py", "tests/lib/recipes/test_recipes.py",
)


def pytest_collection_modifyitems(session, config, items) -> None:
    """The slowest files first (`SLOW_FIRST`), every other test in its collected order."""
    rank = {name: i for i, name in enumerate(SLOW_FIRST)}
    order = {id(item): n for n, item in enumerate(items)}

    def key(item) -> tuple[int, int]:
        path = item.nodeid.split("::", 1)[0]
        return (rank.get(path, len(rank)), order[id(item)])

    items.sort(key=key)


FAST = {"speed": 400.0, "track_seconds": 4.0, "credits": 10**6, "workers": 2}


@pytest.fixture(scope="session")
def simulator() -> RunningSimulator:
    running = run_in_thread(SimConfig(**FAST))
    yield running
    running.stop()


@pytest.fixture
def make_simulator() -> Callable[..., RunningSimulator]:
    started: list[RunningSimulator] = []

    def make(**fields: Any) -> RunningSimulator:
        running = run_in_thread(SimConfig(**{**FAST, **fields}))
        started.append(running)
        return running

    yield make
    for running in started:
        running.stop()


class CallbackReceiver:
    """A local HTTP server recording POSTed JSON (path, body, headers)."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.attempts = 0
        self._failures_left = 0
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("content-length", 0)))
                with receiver._lock:
                    receiver.attempts += 1
                    fail = receiver._failures_left > 0
                    receiver._failures_left -= fail
                    if not fail:
                        receiver.received.append({"path": self.path, "body": json.loads(raw),
                                                  "headers": dict(self.headers)})
                self.send_response(500 if fail else 200)
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def url(self, name: str = "cb") -> str:
        return f"{self.base_url}/{name}"

    def fail_first(self, n: int) -> None:
        """Answer HTTP 500 to the next `n` deliveries."""
        with self._lock:
            self._failures_left = n

    def bodies(self, name: str | None = None) -> list[dict[str, Any]]:
        with self._lock:
            return [r["body"] for r in self.received if name is None or r["path"] == f"/{name}"]

    def wait_for(self, predicate: Callable[[list[dict[str, Any]]], bool], timeout: float = 15.0,
                 name: str | None = None) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            bodies = self.bodies(name)
            if predicate(bodies):
                return bodies
            time.sleep(0.02)
        raise AssertionError(f"callbacks never matched; got {self.bodies(name)}")

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def callback_receiver() -> CallbackReceiver:
    receiver = CallbackReceiver()
    yield receiver
    receiver.close()
