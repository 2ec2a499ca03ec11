"""Start the local simulator inside the app's process when no provider key is configured.

The simulator runs on its own loopback port (a uvicorn server in a thread). Its media live under
`data/simulator/`.
"""

from __future__ import annotations

import os
from pathlib import Path

from lib.app.config import Settings


def simulator_config(settings: Settings):
    """SimConfig for the embedded simulator; `SONGBENCH_SIM_*` env vars tune it."""
    from simulator.config import SimConfig

    env = os.environ
    return SimConfig(
        speed=float(env.get("SONGBENCH_SIM_SPEED", "10")),
        track_seconds=float(env.get("SONGBENCH_SIM_TRACK_SECONDS", "20")),
        credits=int(env.get("SONGBENCH_SIM_CREDITS", "500")),
        media_dir=Path(settings.db_path).resolve().parent / "simulator",
    )


def start_embedded_simulator(settings: Settings):
    """Run the simulator on 127.0.0.1 (port from `SONGBENCH_SIM_PORT`, default: any free one)."""
    from simulator.server import run_in_thread

    port = int(os.environ.get("SONGBENCH_SIM_PORT", "0"))
    return run_in_thread(simulator_config(settings), host="127.0.0.1", port=port)
