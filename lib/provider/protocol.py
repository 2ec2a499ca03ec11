"""What the rest of Songbench needs from a provider adapter (`lib.provider.adapters.base
.HttpAdapter` is the one implementation, one subclass per provider; tests may pass any object
with these members)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from lib.provider.adapters.connection import Connection
from lib.settings import Settings


class ProviderClient(Protocol):
    """Creates and polls against one provider's connection."""

    settings: Settings
    connection: Connection
    name: str

    def submit(self, op: str, body: Mapping[str, Any], *, slot_taken: bool = False) -> Any:
        """POST a create call; returns a `SubmitResult` or raises `lib.provider.errors`.
        ``slot_taken``: the caller took the first attempt's slot of the create limit."""
        ...

    def query(self, family: str, task_id: str, *, op: str | None = None) -> dict:
        """GET a task's record (the family's poll route; ``op``: the task's operation)."""
        ...

    def poll_url(self, family: str, task_id: str, op: str | None = None) -> str:
        """The poll route of a task as the log shows it."""
        ...

    def balance(self) -> int | None:
        """The remaining balance (None: the provider has no balance route)."""
        ...


class Uploader(Protocol):
    """The upload host of the music provider (`MusicAdapter.upload_bytes`)."""

    def upload_bytes(self, data: bytes, filename: str, upload_path: str = "songbench") -> dict:
        """Upload a file; returns the upload host's ``data`` (with ``downloadUrl``)."""
        ...
