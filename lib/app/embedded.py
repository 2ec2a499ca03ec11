"""Start the local simulator inside the app's process when no provider key is configured.

The simulator runs on its own loopback port (a uvicorn server in a thread) and keeps its state
in `data/simulator/` (next to the task log): its jobs, tracks, personas, uploads, media and
credits survive a restart of the app, and it serves again on the port it used last (unless
`SONGBENCH_SIM_PORT` names one), so the URLs in the log keep working - earlier tracks can be
extended, converted or made into personas after a restart. `SONGBENCH_SIM_CREDITS` only sets
the balance of a new data folder.
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
        data_dir=Path(settings.db_path).resolve().parent / "simulator",
    )


def start_embedded_simulator(settings: Settings):
    """Run the simulator on 127.0.0.1: on `SONGBENCH_SIM_PORT` when set, else on the port its
    data folder used last (if free), else on any free port."""
    from simulator.server import run_in_thread

    port = int(os.environ.get("SONGBENCH_SIM_PORT", "0"))
    return run_in_thread(simulator_config(settings), host="127.0.0.1", port=port)
