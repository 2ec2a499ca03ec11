"""``SunoClient``: the AI Music provider's adapter under its historic name.

The music adapter lives in `lib.provider.adapters.music` (`MusicAdapter`), beside the other
providers' adapters; the shared HTTP exchange (events, retries that never pay twice, the create
limit) in `lib.provider.adapters.base`. This module keeps the names older code and tests import.
"""

from __future__ import annotations

from lib.provider.adapters.base import ATTEMPTS, CREATE_TIMEOUT, POLL_TIMEOUT, SubmitResult
from lib.provider.adapters.connection import LOCAL_SIMULATOR_KEY
from lib.provider.adapters.music import CREDIT_PATH, UPLOAD_PATHS, UPLOAD_TIMEOUT, MusicAdapter
from lib.provider.errors import ApiError, TransportError, UnknownOutcome

SunoClient = MusicAdapter

__all__ = ["SunoClient", "MusicAdapter", "SubmitResult", "ApiError", "UnknownOutcome",
           "TransportError", "ATTEMPTS", "CREATE_TIMEOUT", "POLL_TIMEOUT", "UPLOAD_TIMEOUT",
           "CREDIT_PATH", "UPLOAD_PATHS", "LOCAL_SIMULATOR_KEY"]
