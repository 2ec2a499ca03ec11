"""Assemble the simulator: `create_app(config)` and `run_in_thread(config, host, port)`.

The app serves the provider API in both path styles (`routes`), the upload API
(`routes_upload`), generated/uploaded media at `/files/...` (`media_store`, no auth, Range
support) and the admin API (`routes_admin`). `app.state.sim` holds the parts (`Simulator`).
"""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass
from typing import Callable

import uvicorn
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.routing import Route

from simulator.callbacks import CallbackSender
from simulator.clock import SimClock
from simulator.config import SimConfig
from simulator.engine import Engine
from simulator.faults import FaultState
from simulator.media_store import MediaStore
from simulator.render import Renderer
from simulator.routes import Api
from simulator.routes_admin import AdminApi
from simulator.routes_common import not_found
from simulator.routes_upload import UploadApi


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

    def close(self) -> None:
        """Stop threads and remove the temporary media dir."""
        self.engine.close()
        self.sender.close()
        self.renderer.close()
        self.store.close()


def build(config: SimConfig) -> Simulator:
    """Create the parts (threads start here)."""
    clock = SimClock()
    faults = FaultState(config.faults, seed=config.seed)
    store = MediaStore(config.media_dir, clock, config.retention_days, config.upload_retention_days)
    sender = CallbackSender(config, faults, clock)
    engine = Engine(config, clock, faults, sender)
    renderer = Renderer(engine, store)
    engine.renderer = renderer
    return Simulator(config, clock, faults, store, sender, engine, renderer)


def create_app(config: SimConfig | None = None, *, close_on_shutdown: bool = True) -> Starlette:
    """The Starlette app of a fresh simulator (its parts are closed when the app shuts down)."""
    sim = build(config or SimConfig())

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        yield
        if close_on_shutdown:
            sim.close()

    routes = [*Api(sim.engine).routes(), *UploadApi(sim.engine, sim.store).routes(),
              *AdminApi(sim.engine, sim.store).routes(),
              Route("/files/{rel:path}", sim.store.serve, methods=["GET", "HEAD"])]
    app = Starlette(routes=routes, lifespan=lifespan,
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


def run_in_thread(config: SimConfig | None = None, host: str = "127.0.0.1", port: int = 0) -> RunningSimulator:
    """Start the simulator on `host:port` (0 = a free port) and return once it accepts requests."""
    app = create_app(config, close_on_shutdown=False)
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, name="sim-uvicorn", daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            app.state.sim.close()
            raise RuntimeError(f"simulator failed to start on {host}:{port}")
        threading.Event().wait(0.01)
    bound = server.servers[0].sockets[0].getsockname()[1]

    def stop() -> None:
        server.should_exit = True
        thread.join(timeout=10)
        app.state.sim.close()

    return RunningSimulator(f"http://{host}:{bound}", app, stop)
