"""UI-free facts for the Settings page: every `SONGBENCH_*` setting with where it came from
(the key only as set / not set), the music provider's and each other provider adapter's (their
own variables, `lib.provider.adapters`), and the callback mode with the URL's secret masked."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from lib.provider import adapters
from lib.settings import ENV_KEYS, streamlit_secrets
from lib.views.app_runtime import AppRuntime
from lib.provider.redaction import mask_callback_secret


@dataclass(frozen=True)
class CallbackInfo:
    url: str | None  # masked; None when polling only
    live: bool
    mode: str
    warning: str | None


def _is_local(host: str) -> bool:
    if host in ("localhost", "") or host.endswith(".local") or host.endswith(".invalid"):
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    return ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_unspecified


def callback_info(rt: AppRuntime) -> CallbackInfo:
    public = rt.settings.public_url
    if not public:
        return CallbackInfo(None, False, "polling only", None)
    url = mask_callback_secret(rt.callback_url)
    warning = None
    if rt.simulator is None and _is_local(urlparse(public).hostname or ""):
        warning = ("The public URL points at this machine or a private network; a hosted provider "
                   "cannot reach it, so tasks will progress by polling.")
    return CallbackInfo(url, True, "callbacks + polling", warning)


_LABELS = {"base_url": "Provider base URL", "api_key": "API key", "dialect": "Dialect",
           "public_url": "Public URL (callbacks)", "upload_base_url": "Upload base URL",
           "db_path": "Task log (SQLite)", "assets_dir": "Archived assets"}


def settings_rows(rt: AppRuntime, env: Mapping[str, Any] | None = None,
                  secrets: Mapping[str, Any] | None = None) -> list[dict[str, str]]:
    """One row per `SONGBENCH_*` setting: effective value (the key only as set/not set) and
    where it came from (environment, secrets.toml, default, or the embedded simulator)."""
    env = os.environ if env is None else env
    secrets = streamlit_secrets() if secrets is None else secrets
    rows = []
    for name, var in ENV_KEYS.items():
        if str(env.get(var) or "").strip():
            source = "environment"
        elif str(secrets.get(var) or "").strip():
            source = "secrets.toml"
        else:
            source = "default"
        value = getattr(rt.settings, name)
        if name == "api_key":
            value = "set (hidden)" if value else "not set"
        elif name in ("base_url", "upload_base_url") and rt.simulator is not None:
            source = "embedded simulator"
        elif name == "public_url" and value and source == "default":
            source = "this server (loopback)"
        rows.append({"Setting": _LABELS.get(name, name), "Variable": var,
                     "Value": "—" if value in (None, "") else str(value), "Source": source})
    return rows + provider_rows(rt, env, secrets)


def provider_rows(rt: AppRuntime, env: Mapping[str, Any], secrets: Mapping[str, Any]
                  ) -> list[dict[str, str]]:
    """The other providers' own settings (each variable once: DashScope and Kling share
    theirs): the base URL they use and whether their key is set."""
    rows, seen = [], set(ENV_KEYS.values())
    for kind in adapters.ADAPTERS.values():
        connection = kind.connect(rt.settings)
        for what, var in kind.variables:
            if var in seen:
                continue
            seen.add(var)
            source = ("environment" if str(env.get(var) or "").strip() else
                      "secrets.toml" if str(secrets.get(var) or "").strip() else "default")
            if what == "api_key":
                value = "set (hidden)" if connection.api_key else "not set"
            else:
                value = connection.base_url
                if connection.simulated and rt.settings.simulator_url:
                    source = "embedded simulator"
            label = "API key" if what == "api_key" else "base URL"
            rows.append({"Setting": f"{kind.label} {label}", "Variable": var, "Value": value,
                         "Source": source})
    return rows
