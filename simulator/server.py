"""Assemble the simulator: `create_app(config)` and `run_in_thread(config, host, port)`.

The app serves the provider API in both path styles (`routes`), the upload API
(`routes_upload`), the gateway's other API families: OpenAI-compatible text (`routes_openai`),
DashScope (`routes_dashscope`) and Kling (`routes_kling`, and OpenAI-style `routes_videos`),
generated/uploaded media at
`/files/...` (`media_store`, no auth, Range support) and the admin API (`routes_admin`). `app.state.sim` holds the parts (`Simulator`).

With `config.data_dir` the state is saved there and restored on the next start
(`simulator.persistence`): media live in `<data dir>/media` (unless `media_dir` says otherwise),
every POST is saved before its answer goes out (`SaveBeforeAnswer`), unfinished jobs are
rendered again, and `run_in_thread(port=0)` serves on the port the dir was last served on when it
is free (so the media URLs handed out before stay valid).
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.routing import Route

from simulator.callbacks import CallbackSender
from simulator.clock import SimClock
from simulator.config import SimConfig
from simulator.engine import Engine
from simulator.faults import FaultState
from simulator.media_ops import MEDIA_OPERATIONS
from simulator.media_store import MediaStore
from simulator.ops import OPERATIONS
from simulator.persistence import Persistence
from simulator.render import Renderer
from simulator.routes import Api
from simulator.routes_admin import AdminApi
from simulator.routes_common import not_found
from simulator.routes_dashscope import DashScopeApi
from simulator.routes_kling import KlingApi
from simulator.routes_openai import OpenAIApi
from simulator.routes_upload import UploadApi
from simulator.routes_videos import VideosApi

if set(OPERATIONS) & set(MEDIA_OPERATIONS):
    raise RuntimeError(f"operation names used twice: {sorted(set(OPERATIONS) & set(MEDIA_OPERATIONS))}")
ALL_OPERATIONS = {**OPERATIONS, **MEDIA_OPERATIONS}  # what the renderer (and a resume) can run


@dataclass
class Simulator:
    """The running parts of one simulator instance."""

    config: SimConfig
    clock: SimClock
    faults: FaultState
    store: MediaStore
    sender: CallbackSender
    engine: Engine
    renderer: Renderer
    persistence: Persistence | None = None
    restored: int = 0  # jobs restored from the data dir
    resumed: int = 0  # of which rendered again

    def close(self) -> None:
        """Stop threads, save the state (with a data dir) and remove the temporary media dir."""
        self.engine.close()
        if self.persistence is not None:
            self.persistence.close()
        self.sender.close()
        self.renderer.close()
        self.store.close()


def media_root(config: SimConfig) -> Path | None:
    """The media dir: `media_dir`, else `<data_dir>/media`, else None (a temporary dir)."""
    if config.media_dir is not None or config.data_dir is None:
        return config.media_dir
    return Path(config.data_dir) / "media"


def build(config: SimConfig) -> Simulator:
    """Create the parts (threads start here); with a data dir, restore and resume its state."""
    clock = SimClock()
    faults = FaultState(config.faults, seed=config.seed)
    store = MediaStore(media_root(config), clock, config.retention_days, config.upload_retention_days)
    store.set_kind("dashscope", config.media_retention_hours * 3600)  # contract-media 2.7
    store.set_kind("kling", config.kling_retention_days * 86400)
    sender = CallbackSender(config, faults, clock)
    engine = Engine(config, clock, faults, sender)
    renderer = Renderer(engine, store, ALL_OPERATIONS)
    engine.renderer = renderer
    sim = Simulator(config, clock, faults, store, sender, engine, renderer)
    if config.data_dir is not None:
        try:
            sim.persistence = Persistence(Path(config.data_dir), engine, store, sender, clock)
            sim.restored = sim.persistence.restore()
        except BaseException:
            sim.close()
            raise
        engine.persistence = sim.persistence
        sim.resumed = sim.persistence.resume()
        sim.persistence.flush()
    return sim


class SaveBeforeAnswer:
    """ASGI middleware: with a data dir, a POST's changes are saved before its answer starts
    (an accepted task is on disk before its taskId is sent)."""

    def __init__(self, app: Any, sim: Simulator) -> None:
        self.app, self.sim = app, sim

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD") or self.sim.persistence is None:
            await self.app(scope, receive, send)
            return

        async def save_then_send(message: Any) -> None:
            if message["type"] == "http.response.start":
                await run_in_threadpool(self.sim.engine.commit)
            await send(message)

        await self.app(scope, receive, save_then_send)


def create_app(config: SimConfig | None = None, *, close_on_shutdown: bool = True) -> Starlette:
    """The Starlette app of a fresh simulator (its parts are closed when the app shuts down)."""
    sim = build(config or SimConfig())

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        yield
        if close_on_shutdown:
            sim.close()

    routes = [*Api(sim.engine).routes(), *UploadApi(sim.engine, sim.store).routes(),
              *OpenAIApi(sim.engine).routes(), *DashScopeApi(sim.engine, sim.renderer).routes(),
              *KlingApi(sim.engine).routes(), *VideosApi(sim.engine, sim.store).routes(),
              *AdminApi(sim.engine, sim.store).routes(),
              Route("/files/{rel:path}", sim.store.serve, methods=["GET", "HEAD"])]
    app = Starlette(routes=routes, lifespan=lifespan, middleware=[Middleware(SaveBeforeAnswer, sim=sim)],
                    exception_handlers={404: not_found, 405: not_found, HTTPException: not_found})
    app.state.sim = sim
    return app


@dataclass
class RunningSimulator:
    """A simulator served by uvicorn in a background thread."""

    base_url: str
    app: Starlette
    stop: Callable[[], None]

    @property
    def sim(self) -> Simulator:
        return self.app.state.sim


def _port_free(host: str, port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def remembered_port(sim: Simulator, host: str) -> int:
    """The port the data dir was last served on, when it is free (else 0: any free port)."""
    address = sim.persistence.address if sim.persistence is not None else None
    if not address:
        return 0
    port = int(address["port"])
    if _port_free(host, port):
        return port
    logging.getLogger("simulator.persist").warning(
        "port %d (last used with data dir %s) is taken: serving on another port, so media URLs "
        "handed out before will not resolve", port, sim.persistence.dir)
    return 0


def run_in_thread(config: SimConfig | None = None, host: str = "127.0.0.1", port: int = 0) -> RunningSimulator:
    """Start the simulator on `host:port` and return once it accepts requests. Port 0: the port
    its data dir was last served on if free, else any free port."""
    app = create_app(config, close_on_shutdown=False)
    if port == 0:
        port = remembered_port(app.state.sim, host)
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, name="sim-uvicorn", daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            app.state.sim.close()
            raise RuntimeError(f"simulator failed to start on {host}:{port}")
        threading.Event().wait(0.01)
    bound = server.servers[0].sockets[0].getsockname()[1]
    if app.state.sim.persistence is not None:
        app.state.sim.persistence.remember_address(host, bound)

    def stop() -> None:
        server.should_exit = True
        thread.join(timeout=10)
        app.state.sim.close()

    return RunningSimulator(f"http://{host}:{bound}", app, stop)
