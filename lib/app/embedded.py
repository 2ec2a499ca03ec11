"""Start the local simulator inside the app's process when no provider key is configured.

The simulator runs on its own loopback port (a uvicorn server in a thread) and keeps its state
in `data/simulator/` (next to the task log): its jobs, tracks, personas, uploads, media and
credits survive a restart of the app, and it serves again on the port it used last (unless
`SONGBENCH_SIM_PORT` names one), so the URLs in the log keep working - earlier tracks can be
extended, converted or made into personas after a restart. `SONGBENCH_SIM_CREDITS` only sets
the balance of a new data folder.

Only one simulator may use a data folder at a time (it holds a lock there). The command line
(`python -m lib`) therefore calls `attach_or_start`: when the app is running, it talks to the
app's simulator (its address is saved in the folder) instead of starting its own.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lib.settings import Settings

#: How long to wait for the address of a simulator another process is starting right now.
ATTACH_WAIT_S = 10.0


@dataclass
class AttachedSimulator:
    """The simulator another process (the app) serves on our data folder: we only talk to it."""

    base_url: str
    attached: bool = True

    def stop(self) -> None:
        """Nothing to stop: it belongs to the other process."""


def simulator_dir(settings: Settings) -> Path:
    """The embedded simulator's data folder (``simulator/`` beside the task log)."""
    return Path(settings.db_path).resolve().parent / "simulator"


def simulator_config(settings: Settings):
    """SimConfig for the embedded simulator; `SONGBENCH_SIM_*` env vars tune it."""
    from simulator.config import SimConfig

    return SimConfig(
        speed=sim_number("SONGBENCH_SIM_SPEED", "10", float, low=0.01),
        track_seconds=sim_number("SONGBENCH_SIM_TRACK_SECONDS", "20", float, low=1),
        credits=sim_number("SONGBENCH_SIM_CREDITS", "500", int, low=0),
        data_dir=simulator_dir(settings),
    )


def sim_number(name: str, default: str, kind: type, *, low: float,
               high: float = 1e9) -> Any:
    """The ``SONGBENCH_SIM_*`` setting ``name`` as a number from ``low`` to ``high``; anything
    else stops the start with the setting, what it must be, and what it was."""
    raw = os.environ.get(name, "").strip() or default
    try:
        value = kind(raw)
    except ValueError:
        value = None
    if value is None or value != value or not low <= value <= high:
        what = "a whole number" if kind is int else "a number"
        raise ValueError(f"{name} must be {what} from {low:g} to {high:g} (got {raw[:20]!r})")
    return value


def start_embedded_simulator(settings: Settings):
    """Run the simulator on 127.0.0.1: on `SONGBENCH_SIM_PORT` when set, else on the port its
    data folder used last (if free), else on any free port."""
    from simulator.server import run_in_thread

    port = sim_number("SONGBENCH_SIM_PORT", "0", int, low=0, high=65535)
    return run_in_thread(simulator_config(settings), host="127.0.0.1", port=port)


def attach_or_start(settings: Settings, *, wait: float = ATTACH_WAIT_S):
    """The simulator serving our data folder if one runs (an `AttachedSimulator`), else a new
    embedded one (`start_embedded_simulator`, stopped by its owner)."""
    from simulator.persistence import served_url

    folder = simulator_dir(settings)
    url = served_url(folder)
    if url:
        return AttachedSimulator(url)
    try:
        return start_embedded_simulator(settings)
    except RuntimeError as exc:
        if "in use by another simulator" not in str(exc):
            raise
    # another process took the folder meanwhile: wait for it to say where it serves
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        url = served_url(folder)
        if url:
            return AttachedSimulator(url)
        time.sleep(0.1)
    raise RuntimeError(f"the simulator data folder {folder} is in use by another process that "
                       f"did not say where it serves within {wait:g} s")
