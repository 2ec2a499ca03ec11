"""Finding the simulator that serves a data dir from another process (`persistence.served_url`):
the command line attaches to the app's simulator this way instead of starting a second one."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from simulator.config import SimConfig
from simulator.persistence import in_use, served_url
from simulator.server import run_in_thread
from tests.conftest import FAST

ROOT = Path(__file__).resolve().parents[2]


def test_no_dir_or_a_dir_nobody_serves_has_no_url(tmp_path):
    assert served_url(tmp_path / "missing") is None and not in_use(tmp_path / "missing")
    running = run_in_thread(SimConfig(**{**FAST, "data_dir": tmp_path}))
    try:
        url = served_url(tmp_path)
        assert in_use(tmp_path) and url == running.base_url
        assert httpx.get(f"{url}/_sim/config", timeout=5).status_code == 200
        # the check never takes the dir away from its simulator
        with pytest.raises(RuntimeError, match="in use by another simulator"):
            run_in_thread(SimConfig(**{**FAST, "data_dir": tmp_path}))
    finally:
        running.stop()
    # the address is still saved, but nobody holds the dir any more
    assert (tmp_path / "state.sqlite3").is_file()
    assert not in_use(tmp_path) and served_url(tmp_path) is None


def test_the_url_of_a_simulator_in_another_process(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "simulator", "--port", str(port), "--data-dir",
                             str(tmp_path), "--speed", "400"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while served_url(tmp_path) is None:
            assert proc.poll() is None and time.monotonic() < deadline, "simulator did not start"
            time.sleep(0.1)
        assert served_url(tmp_path) == f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:  # the address is saved just before uvicorn binds
            try:
                assert httpx.get(f"http://127.0.0.1:{port}/_sim/config", timeout=5).status_code == 200
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline
                time.sleep(0.1)
    finally:
        proc.terminate()
        proc.wait(10)
    assert served_url(tmp_path) is None
