"""Settings: where the provider is, how to talk to it, where our data lives.

Sources, highest priority first: environment variables, then Streamlit secrets
(``.streamlit/secrets.toml``, same key names), then defaults. Env wins so that a shell or CI can
override a checked-in secrets file for one run without editing it.

No API key means no real provider: ``use_simulator`` is True and the app starts the embedded
simulator, then points ``base_url`` at it with :meth:`Settings.with_base_url`.

The AI Music provider's settings are fields here (their names are the app's oldest). Every other
provider's adapter (`lib.provider.adapters`) owns its own variables (``SONGBENCH_MEDIA_*``,
``SONGBENCH_TEXT_*``) and reads them with :meth:`Settings.setting`: every ``SONGBENCH_*`` value
is kept (env over secrets), and ``simulator_url`` says where the embedded simulator serves for
a provider without a key.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlparse

DEFAULT_SUNOAPI_URL = "https://api.sunoapi.org"
DEFAULT_UPLOAD_URL = "https://sunoapiorg.redpandaai.co"
DEFAULT_DB = "data/songbench.db"
DEFAULT_ASSETS_DIR = "data/assets"
DIALECTS = ("anyint", "sunoapi")

ENV_KEYS = {
    "base_url": "SONGBENCH_API_BASE_URL",
    "api_key": "SONGBENCH_API_KEY",
    "dialect": "SONGBENCH_API_DIALECT",
    "db_path": "SONGBENCH_DB",
    "public_url": "SONGBENCH_PUBLIC_URL",
    "upload_base_url": "SONGBENCH_UPLOAD_BASE_URL",
    "assets_dir": "SONGBENCH_ASSETS_DIR",
}


@dataclass(frozen=True)
class Settings:
    """Resolved configuration. ``api_key`` never appears in ``repr``."""

    base_url: str
    api_key: str | None = field(default=None, repr=False)
    dialect: str = "sunoapi"
    db_path: str = DEFAULT_DB
    public_url: str | None = None
    upload_base_url: str = DEFAULT_UPLOAD_URL
    use_simulator: bool = False
    assets_dir: str = DEFAULT_ASSETS_DIR
    #: every ``SONGBENCH_*`` value set (env over secrets), for the adapters' own variables
    values: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)
    #: where the embedded simulator serves (None: not started), for providers without a key
    simulator_url: str | None = None

    def with_base_url(self, url: str) -> Settings:
        """A copy pointing at ``url`` for both the music and upload APIs (embedded simulator)."""
        url = url.rstrip("/")
        return dataclasses.replace(self, base_url=url, upload_base_url=url, simulator_url=url)

    def with_simulator(self, url: str) -> Settings:
        """The embedded simulator serves at ``url``: music goes there when it has no key
        (`with_base_url`), any other provider without a key too (its adapter reads
        ``simulator_url``)."""
        if self.use_simulator:
            return self.with_base_url(url)
        return dataclasses.replace(self, simulator_url=url.rstrip("/"))

    def setting(self, name: str) -> str | None:
        """The value of the variable ``name`` (env, then secrets; None when unset or empty)."""
        value = self.values.get(name)
        return value if value else None

    def flag(self, name: str, default: bool = False) -> bool:
        """Whether the switch ``name`` is on: ``1``, ``true``, ``yes`` or ``on`` (``0``,
        ``false``, ``no``, ``off``: off); ``default`` when unset or anything else."""
        word = (self.setting(name) or "").strip().lower()
        if word in ("1", "true", "yes", "on"):
            return True
        return False if word in ("0", "false", "no", "off") else default


def guess_dialect(base_url: str) -> str:
    """``anyint`` when the host names AnyInt, else ``sunoapi``."""
    host = urlparse(base_url).hostname or ""
    return "anyint" if "anyint" in host else "sunoapi"


def streamlit_secrets() -> Mapping[str, object]:
    """``st.secrets`` as a plain mapping, or ``{}`` (no Streamlit, or no secrets file)."""
    try:
        import streamlit as st

        return {k: st.secrets[k] for k in st.secrets}
    except Exception:  # st.secrets raises (FileNotFoundError, StreamlitSecretNotFoundError, ...)
        return {}


#: What ``SONGBENCH_DB`` may name: a file path, or a ``sqlite:///`` URL of one.
DB_SCHEMES = ("sqlite",)


def db_file(value: str) -> str:
    """The SQLite file ``SONGBENCH_DB`` names: a path as it is, or the path of a ``sqlite:///``
    URL. Any other URL (``postgresql://...``) is refused: taken as a file name it would make a
    folder called ``postgresql:`` and run on a SQLite file nobody asked for. The message names
    the scheme only (a URL may carry a password)."""
    scheme, sep, rest = value.partition("://")
    if not sep:
        return value
    if scheme.lower() == "sqlite":
        path = rest[1:] if rest.startswith("/") else rest  # sqlite:///rel, sqlite:////abs
        if not path:
            raise ValueError(f"{ENV_KEYS['db_path']}: a sqlite:/// URL needs a file path, e.g. "
                             "sqlite:///data/songbench.db")
        return path
    raise ValueError(
        f"{ENV_KEYS['db_path']} is a {scheme}:// URL; this Songbench keeps its task log in a "
        f"SQLite file only (supported: a file path such as {DEFAULT_DB}, or sqlite:///PATH). "
        "Unset it or give a file path, then start again.")


def http_url(name: str, value: str) -> str:
    """``value`` when it is an http(s) URL with a host, else a ValueError naming the setting
    (``name``: a field of `Settings`, or a variable's own name)."""
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        got = parsed.scheme + "://..." if parsed.scheme else "no scheme"
        raise ValueError(f"{ENV_KEYS.get(name, name)} must be an http:// or https:// URL with "
                         f"a host (got {got})")
    return value


def load_settings(
    env: Mapping[str, str] | None = None, secrets: Mapping[str, object] | None = None
) -> Settings:
    """Build :class:`Settings` from ``env`` (default ``os.environ``) over ``secrets``.

    ``secrets=None`` reads Streamlit secrets when available; pass ``{}`` to ignore them.
    Empty strings count as unset. Raises ``ValueError`` naming the setting for one that cannot
    be honoured: an unknown dialect, a database URL that is not SQLite, a URL that is not http(s).
    """
    env = os.environ if env is None else env
    secrets = streamlit_secrets() if secrets is None else secrets

    def get(name: str) -> str | None:
        key = ENV_KEYS[name]
        for source in (env, secrets):
            value = source.get(key)
            if value is not None and str(value).strip():
                return str(value).strip()
        return None

    api_key = get("api_key")
    base_url = (get("base_url") or DEFAULT_SUNOAPI_URL).rstrip("/")
    dialect = (get("dialect") or guess_dialect(base_url)).lower()
    if dialect not in DIALECTS:
        raise ValueError(f"{ENV_KEYS['dialect']} must be one of {DIALECTS}, got {dialect!r}")
    public_url = (get("public_url") or "").rstrip("/") or None
    upload_base_url = (get("upload_base_url") or DEFAULT_UPLOAD_URL).rstrip("/")
    for name, url in (("base_url", base_url), ("public_url", public_url),
                      ("upload_base_url", upload_base_url)):
        if url is not None:
            http_url(name, url)
    values = {str(k): str(v).strip() for source in (secrets, env) for k, v in source.items()
              if str(k).startswith("SONGBENCH_") and v is not None and str(v).strip()}
    return Settings(
        values=values,
        base_url=base_url,
        api_key=api_key,
        dialect=dialect,
        db_path=db_file(get("db_path") or DEFAULT_DB),
        public_url=public_url,
        upload_base_url=upload_base_url,
        use_simulator=api_key is None,
        assets_dir=get("assets_dir") or DEFAULT_ASSETS_DIR,
    )
