"""The AnyInt gateway's media settings, shared by the DashScope and Kling adapters (the
gateway serves both families behind one base URL and one key; contract-media 1.1), and
`GatewayAdapter`, what both adapters are alike in: the dialect, the connection, our own limit of
10 creates per 10 s, no balance route."""

from __future__ import annotations

from lib.provider.adapters.base import HttpAdapter
from lib.provider.adapters.connection import Connection, connect_from
from lib.settings import Settings

BASE_ENV, KEY_ENV = "SONGBENCH_MEDIA_BASE_URL", "SONGBENCH_MEDIA_API_KEY"
DEFAULT_URL = "https://gateway.api.anyint.ai"
#: The gateway's media routes in words, and their variables (Settings page).
LABEL = "Media API (DashScope, Kling)"
VARIABLES = (("base_url", BASE_ENV), ("api_key", KEY_ENV))


class GatewayAdapter(HttpAdapter):
    """A media family on the AnyInt gateway; a subclass names itself (``name``, ``words``)."""

    dialects = ("anyint",)
    limit = (10, 10.0)
    balance_source = None
    label = LABEL
    variables = VARIABLES
    api_family = "media"

    @classmethod
    def connect(cls, settings: Settings) -> Connection:
        return connect_from(settings, cls.name, base_env=BASE_ENV, key_env=KEY_ENV,
                            default_url=DEFAULT_URL, dialect=cls.dialects[0],
                            family=cls.api_family, what="media (DashScope, Kling)")
