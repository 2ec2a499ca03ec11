"""Processes for the soak: a standalone simulator, and Songbench's own server side (the runtime,
the tracker loop and the HTTP routes of `lib.app.http_routes`, without the Streamlit UI) that a
scenario can `kill -9` and start again on the same data folder.

``python -m tests.soak.procs app --data DIR --port P --provider URL [--submit N --first I]``
runs the app side; with ``--submit`` it sends N creates, one after the other, from a thread
once it serves (prompts numbered from I; ``--op a,b`` sends those operations in turn), and
``--media URL`` is the DashScope and Kling gateway (the media scenario). `streamlit_app` starts the app as users run it
(``streamlit run app.py``) on the embedded simulator, for the callback scenario
(`tests.soak.callback_rates`).
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=1.0)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer in {timeout} s")


class Proc:
    """A child process with its output in a file; `kill9()` and `stop()`."""

    def __init__(self, args: list[str], log: Path, env: dict | None = None,
                 unset: tuple[str, ...] = ()) -> None:
        self.log = log
        environ = {k: v for k, v in os.environ.items() if k not in unset}
        with open(log, "ab") as out:
            self.p = subprocess.Popen([sys.executable, *args], cwd=ROOT, stdout=out,
                                      stderr=subprocess.STDOUT, start_new_session=True,
                                      env={**environ, **(env or {})})

    def kill9(self) -> None:
        os.killpg(self.p.pid, signal.SIGKILL)
        self.p.wait(10)

    def stop(self) -> None:
        if self.p.poll() is None:
            os.killpg(self.p.pid, signal.SIGTERM)
            try:
                self.p.wait(10)
            except subprocess.TimeoutExpired:
                self.kill9()


def simulator(work: Path, port: int, *flags: str) -> Proc:
    proc = Proc(["-m", "simulator", "--host", "127.0.0.1", "--port", str(port), *flags],
                work / f"simulator-{port}.log")
    wait_http(f"http://127.0.0.1:{port}/_sim/faults")
    return proc


def app(work: Path, port: int, provider: str, *, submit: int = 0, first: int = 0,
        op: str = "generate", media: str = "") -> Proc:
    args = ["-m", "tests.soak.procs", "app", "--data", str(work / "app"), "--port", str(port),
            "--provider", provider, "--submit", str(submit), "--first", str(first), "--op", op,
            *(["--media", media] if media else [])]
    proc = Proc(args, work / f"app-{port}.log")
    wait_http(f"http://127.0.0.1:{port}/api/health")
    return proc


#: The provider settings a soak child must not inherit (the embedded simulator runs without them).
PROVIDER_ENV = ("SONGBENCH_API_KEY", "SONGBENCH_API_BASE_URL", "SONGBENCH_API_DIALECT",
                "SONGBENCH_PUBLIC_URL", "SONGBENCH_UPLOAD_BASE_URL", "SONGBENCH_SIM_PORT")


def streamlit_env(data: Path, **sim: str) -> dict[str, str]:
    """The app's settings on ``data`` with the embedded simulator (``SONGBENCH_SIM_*``)."""
    return {"SONGBENCH_DB": str(data / "songbench.db"), "SONGBENCH_ASSETS_DIR": str(data / "assets"),
            "PYTHONUNBUFFERED": "1", **{f"SONGBENCH_SIM_{k.upper()}": v for k, v in sim.items()}}


def streamlit_app(work: Path, port: int, env: dict[str, str]) -> Proc:
    """``streamlit run app.py`` on ``port``: the server, routes and lifespan users run."""
    proc = Proc(["-m", "streamlit", "run", "app.py", "--server.port", str(port),
                 "--server.headless", "true", "--browser.gatherUsageStats", "false"],
                work / f"streamlit-{port}.log", env, unset=PROVIDER_ENV)
    try:
        wait_http(f"http://127.0.0.1:{port}/api/health", timeout=120)
    except RuntimeError:
        proc.stop()
        raise RuntimeError(f"streamlit did not serve: {proc.log.read_text()[-2000:]}") from None
    return proc


#: The media operations' bodies (prompts numbered like the songs'), for the media scenario.
MEDIA_BODIES = {
    "video_t2v": lambda i: {"model": "wan2.6-t2v", "prompt": f"soak video {i}: a vinyl record",
                            "size": "1280*720", "duration": 2},
    "kling_t2v": lambda i: {"model_name": "kling-v3", "prompt": f"soak kling {i}: a drummer",
                            "mode": "std", "duration": 3, "aspect_ratio": "16:9"},
    "qwen_image": lambda i: {"model": "qwen-image-plus", "prompt": f"soak image {i}: a poster",
                             "size": "1328*1328"},
}


def body_for(op: str, i: int, callback: str) -> dict:
    if op in MEDIA_BODIES:
        return MEDIA_BODIES[op](i)
    if op == "lyrics":
        return {"prompt": f"soak theme number {i}", "callBackUrl": callback}
    return {"customMode": False, "instrumental": True, "model": "V5",
            "prompt": f"soak take {i}: a calm piano piece", "callBackUrl": callback}


def _serve_app(data: Path, port: int, provider: str, submit: int, first: int, op: str,
               media: str = "") -> None:
    if media:  # the DashScope and Kling adapters' gateway (else the embedded simulator)
        os.environ.update({"SONGBENCH_MEDIA_BASE_URL": media, "SONGBENCH_MEDIA_API_KEY": "soak"})
    os.environ.update({
        "SONGBENCH_API_KEY": "soak-key", "SONGBENCH_API_BASE_URL": provider,
        "SONGBENCH_UPLOAD_BASE_URL": provider, "SONGBENCH_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "SONGBENCH_DB": str(data / "songbench.db"), "SONGBENCH_ASSETS_DIR": str(data / "assets"),
        "SONGBENCH_API_DIALECT": "sunoapi"})
    import uvicorn
    from starlette.applications import Starlette

    from lib.app import http_routes, runtime

    def submitter() -> None:
        wait_http(f"http://127.0.0.1:{port}/api/health")
        rt = runtime.get_runtime()
        names = op.split(",")  # several: in turn
        for i in range(first, first + submit):
            name = names[(i - first) % len(names)]
            rt.tracker.submit(name, body_for(name, i, rt.callback_url))

    if submit:
        threading.Thread(target=submitter, daemon=True).start()
    uvicorn.run(Starlette(routes=http_routes.routes(), lifespan=http_routes.lifespan),
                host="127.0.0.1", port=port, log_level="warning")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["app"])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--provider", required=True)
    parser.add_argument("--submit", type=int, default=0)
    parser.add_argument("--first", type=int, default=0)
    parser.add_argument("--op", default="generate")
    parser.add_argument("--media", default="")
    args = parser.parse_args()
    _serve_app(args.data, args.port, args.provider, args.submit, args.first, args.op,
               args.media)


if __name__ == "__main__":
    main()
