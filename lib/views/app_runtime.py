"""What pages, routes and view models need from the process runtime (`lib.app.runtime.Runtime`
is the one implementation; tests pass small fakes with these members)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from lib.settings import Settings
from lib.log import TaskLog
from lib.provider.adapters.music import MusicAdapter
from lib.tracking.tracker import Tracker


class AppRuntime(Protocol):
    """Settings, the task log, the client, the tracker and the embedded simulator (if any)."""

    settings: Settings
    log: TaskLog
    #: the music provider's adapter (uploads); every provider's: ``tracker.providers``
    client: MusicAdapter
    tracker: Tracker
    #: The embedded simulator's handle (``.base_url``), or None with a real provider.
    simulator: Any
    assets_dir: Path
    uploads_dir: Path

    @property
    def callback_url(self) -> str:
        """Where the provider POSTs callbacks (a placeholder when polling only)."""
        ...

    def health(self) -> dict[str, Any]:
        """Tracker liveness and the provider configuration (never the key)."""
        ...
