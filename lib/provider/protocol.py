"""What the rest of Songbench needs from a provider client (`lib.provider.client.SunoClient`
is the one implementation; tests may pass any object with these members)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from lib.settings import Settings


class ProviderClient(Protocol):
    """Create, poll, credits and uploads against one provider (see `SunoClient`)."""

    settings: Settings

    def submit(self, op: str, body: Mapping[str, Any], *, slot_taken: bool = False) -> Any:
        """POST a create call; returns a `SubmitResult` or raises `lib.provider.errors`.
        ``slot_taken``: the caller took the first attempt's slot of the create limit."""
        ...

    def query(self, family: str, task_id: str) -> dict:
        """GET a task's record (the family's record-info)."""
        ...

    def credits(self) -> int:
        """The remaining credit balance."""
        ...

    def upload_bytes(self, data: bytes, filename: str, upload_path: str = "songbench") -> dict:
        """Upload a file; returns the upload host's ``data`` (with ``downloadUrl``)."""
        ...
