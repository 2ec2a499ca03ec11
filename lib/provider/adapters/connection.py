"""Where a provider is reached (`Connection`), and which key may go where (`with_key_rule`).

Each adapter builds its `Connection` from the settings it owns (`connect_from` for the
providers configured by a base URL and a key variable). A task row keeps the base URL and
dialect it was created on, and is polled there: `with_key_rule` gives the connection for such a
row while another is configured now - the configured key goes only to its own site.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field, replace
from urllib.parse import urlparse

from lib.settings import Settings, http_url

#: The API families (`HttpAdapter.api_family`) a configured music provider offers, by its
#: dialect (issue 16): the AnyInt gateway serves music, media (DashScope, Kling) and text; a
#: ``sunoapi``-dialect provider (api.sunoapi.org, kie.ai, api.box) music only. The embedded
#: simulator (no music key) offers all three. A family with settings of its own (its base URL
#: or its key) is offered whatever the music provider is: the user said where it is.
API_FAMILIES = ("music", "media", "text")
OFFERED_BY_DIALECT: dict[str, tuple[str, ...]] = {
    "anyint": API_FAMILIES,
    "sunoapi": ("music",),
}
#: Where a family is offered, in words (for the "not offered" sentence).
SUGGESTED_URL = "https://gateway.api.anyint.ai"

#: Sent when no key is configured: only the embedded simulator is used then, and it accepts
#: any non-empty Bearer token.
LOCAL_SIMULATOR_KEY = "songbench-local"


@dataclass(frozen=True)
class Connection:
    """Where one provider is reached: base URL, path style (``dialect``) and key. ``simulated``:
    no key is configured, so the embedded simulator stands in. ``withheld``: the configured key
    belongs to another site than ``base_url``, so it is not sent there (a task created on an
    earlier base URL); ``key_site`` names the site it belongs to."""

    provider: str
    base_url: str
    dialect: str
    api_key: str | None = field(default=None, repr=False)
    simulated: bool = False
    withheld: bool = False
    key_site: str | None = None
    #: why the configured provider does not offer this API family (None: it does); nothing
    #: is sent while it is set (`not_offered`)
    not_offered: str | None = None

    @property
    def bearer(self) -> str:
        return self.api_key or LOCAL_SIMULATOR_KEY


def not_offered(settings: Settings, family: str, *, base_env: str, key_env: str,
                what: str) -> str | None:
    """Why the configured provider does not offer API family ``family`` (``what``: it in
    words), or None when it does (`OFFERED_BY_DIALECT`): always with the embedded simulator
    (no music key), with a music provider of a dialect that offers it, or when the family has
    its own base URL or key (``base_env``, ``key_env``)."""
    if settings.use_simulator or family in OFFERED_BY_DIALECT.get(settings.dialect, ()):
        return None
    if settings.setting(base_env) or settings.setting(key_env):
        return None
    host = urlparse(settings.base_url).hostname or settings.base_url
    return (f"The configured provider ({host}, the {settings.dialect} dialect) offers music "
            f"only: it has no {what} routes, so nothing is sent from here. To use them, set "
            f"{base_env} and {key_env} to a server that offers them (the AnyInt gateway, "
            f"{SUGGESTED_URL}, offers music, media and text).")


def connect_from(settings: Settings, provider: str, *, base_env: str, key_env: str,
                 default_url: str, dialect: str, simulator_path: str = "",
                 family: str | None = None, what: str = "") -> Connection:
    """A provider's connection from its own variables: ``key_env`` unset means the embedded
    simulator (``settings.simulator_url`` + ``simulator_path`` once it runs). ``family``: its
    API family, checked against what the configured music provider offers (`not_offered`)."""
    configured = (settings.setting(base_env) or default_url).rstrip("/")
    http_url(base_env, configured)
    key = settings.setting(key_env)
    refused = None if family is None else not_offered(
        settings, family, base_env=base_env, key_env=key_env, what=what or family)
    if key is None:
        url = settings.simulator_url + simulator_path if settings.simulator_url else configured
        return Connection(provider, url, dialect, None, simulated=True, not_offered=refused)
    return Connection(provider, configured, dialect, key, not_offered=refused)


def is_loopback(url: str) -> bool:
    """Whether ``url`` names this machine (where the embedded simulator serves)."""
    host = urlparse(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def site(url: str) -> str:
    """The site a key belongs to: the host's last two labels (``gateway.api.anyint.ai`` ->
    ``anyint.ai``), or the whole host for an IP address or a one-label name."""
    host = (urlparse(url).hostname or "").lower()
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        return ".".join(host.split(".")[-2:])


def with_key_rule(current: Connection, base_url: str, dialect: str) -> Connection:
    """The connection for a task created on ``base_url``/``dialect`` while ``current`` is
    configured: the current one when they match; the simulator running now for a task made
    on an earlier embedded simulator (loopback, whichever port); else that base URL, with the
    current key only when it is the same site (`site`) - a key is never sent to another
    company's host."""
    base_url = base_url.rstrip("/")
    if base_url == current.base_url and dialect == current.dialect:
        return current
    if current.simulated and is_loopback(base_url):
        return replace(current, dialect=dialect)
    if site(base_url) == site(current.base_url) or current.api_key is None:
        return replace(current, base_url=base_url, dialect=dialect)
    return replace(current, base_url=base_url, dialect=dialect, api_key=None, withheld=True,
                   key_site=site(current.base_url))
