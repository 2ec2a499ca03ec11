"""Simulator configuration (`SimConfig`), its command-line form, and the settings that may change
while it runs (`RUNTIME_SETTINGS`, `check_runtime`; served by `GET/POST /_sim/config`)."""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from simulator.faults import Faults

# Real-service stage times in seconds (divided by `speed`).
REAL_TEXT_S = 20.0
REAL_FIRST_S = 40.0
REAL_COMPLETE_S = 150.0


@dataclass
class SimConfig:
    """Everything the simulator needs to run; see docs/architecture.md."""

    api_key: str | None = None
    speed: float = 10.0
    track_seconds: float = 20.0
    credits: int = 500
    retention_days: float = 15.0
    upload_retention_days: float = 3.0
    public_url: str | None = None
    media_dir: Path | None = None
    data_dir: Path | None = None  # keep the state here across restarts (simulator.persistence)
    callback_shape: Literal["wrapped", "flat"] = "wrapped"
    seed: int = 0
    faults: Faults = field(default_factory=Faults)
    callback_timeout: float = 15.0
    callback_retries: int = 3
    rate_limit_calls: int = 20
    rate_limit_window: float = 10.0
    workers: int = 2
    text_first_token_ms: float = 300.0  # chat completions: time to the first token
    text_chunk_ms: float = 15.0  # chat completions: pause between streamed tokens
    media_retention_hours: float = 24.0  # DashScope result URLs and task ids (contract-media 2.7)
    kling_retention_days: float = 30.0  # Kling result URLs

    def stage_delay(self, real_seconds: float) -> float:
        """Real-service seconds scaled by `speed`."""
        return real_seconds / max(self.speed, 1e-6)


FAULT_HELP = {  # numeric fault flags (see simulator/faults.py)
    "latency_ms": "extra delay in milliseconds before every API answer",
    "rate_429": "probability (0..1) that a create answers 429",
    "rate_430": "probability (0..1) that a create answers 430",
    "rate_455": "probability (0..1) that a create answers 455",
    "rate_500": "probability (0..1) that a create answers 500",
    "rate_500_poll": "probability (0..1) that a poll answers 500",
    "create_timeout": "delay in seconds: a create makes the task, then answers this much later",
    "fail_rate": "probability (0..1) that an accepted task fails during generation (credits refunded)",
    "late_callbacks": "delay in seconds before each callback delivery",
    "rate_429_text": "probability (0..1) that a chat completion answers HTTP 429",
    "rate_503_text": "probability (0..1) that a chat completion answers HTTP 503",
    "rate_429_media": "probability (0..1) that a DashScope or Kling create answers HTTP 429",
    "rate_503_media": "probability (0..1) that a DashScope or Kling create answers HTTP 503",
}


RUNTIME_SETTINGS = ("speed", "track_seconds", "credits", "retention_days", "upload_retention_days",
                    "callback_shape")


def _number(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        raise ValueError(f"{name}: must be a number")
    return float(value)


def check_runtime(changes: Any) -> dict[str, Any]:
    """Validate every run-time setting in `changes` (all or nothing); returns them typed.
    Raises ValueError("<field>: <reason>")."""
    if not isinstance(changes, dict):
        raise ValueError("body: must be a JSON object")
    out: dict[str, Any] = {}
    for name, value in changes.items():
        if name not in RUNTIME_SETTINGS:
            raise ValueError(f"{name}: unknown setting (known: {', '.join(RUNTIME_SETTINGS)})")
        if name == "callback_shape":
            if value not in ("wrapped", "flat"):
                raise ValueError(f"callback_shape: must be 'wrapped' or 'flat' (got {value!r})")
        elif name == "credits":
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"credits: must be an integer >= 0 (got {value!r})")
        else:
            value = _number(name, value)
            if name == "speed" and not 0 < value <= 10000:
                raise ValueError(f"speed: must be > 0 and <= 10000 (got {value:g})")
            if name == "track_seconds" and not 1 <= value <= 480:
                raise ValueError(f"track_seconds: must be between 1 and 480 (got {value:g})")
            if name.endswith("retention_days") and value <= 0:
                raise ValueError(f"{name}: must be > 0 (got {value:g})")
        out[name] = value
    return out


def build_parser() -> argparse.ArgumentParser:
    """The `python -m simulator` argument parser."""
    p = argparse.ArgumentParser(prog="python -m simulator", description="Local Suno-compatible API simulator")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8787)
    p.add_argument("--speed", type=float, default=10.0, help="divide the real stage timings by this")
    p.add_argument("--track-seconds", type=float, default=20.0)
    p.add_argument("--api-key", default=None, help="accept only this Bearer key (default: any non-empty)")
    p.add_argument("--callback-shape", choices=["wrapped", "flat"], default="wrapped")
    p.add_argument("--public-url", default=None, help="base of absolute URLs (default: request base URL)")
    p.add_argument("--media-dir", type=Path, default=None, help="default: <data dir>/media, else a temp dir")
    p.add_argument("--data-dir", type=Path, default=None,
                   help="keep tasks, media, personas, credits and the clock here and resume them on restart")
    p.add_argument("--credits", type=int, default=500)
    p.add_argument("--retention-days", type=float, default=15.0)
    p.add_argument("--upload-retention-days", type=float, default=3.0)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--workers", type=int, default=2, help="media render threads")
    p.add_argument("--text-first-token-ms", type=float, default=300.0,
                   help="chat completions: milliseconds before the first token")
    p.add_argument("--text-chunk-ms", type=float, default=15.0,
                   help="chat completions: milliseconds between streamed tokens")
    p.add_argument("--media-retention-hours", type=float, default=24.0,
                   help="DashScope result URLs and task ids expire after this")
    p.add_argument("--kling-retention-days", type=float, default=30.0, help="Kling result URLs expire after this")
    f = Faults()
    for name, text in FAULT_HELP.items():
        p.add_argument("--" + name.replace("_", "-"), type=type(getattr(f, name)), default=getattr(f, name), help=text)
    p.add_argument("--sensitive-words", default=",".join(f.sensitive_words), help="comma-separated")
    p.add_argument("--duplicate-callbacks", action="store_true")
    p.add_argument("--out-of-order-callbacks", action="store_true")
    p.add_argument("--gateway-errors", action="store_true",
                   help="media routes answer auth and limit errors in the gateway's {\"error\": ...} shape")
    return p


def config_from_args(args: argparse.Namespace) -> SimConfig:
    """Turn parsed CLI arguments into a `SimConfig`."""
    faults = Faults(
        latency_ms=args.latency_ms, rate_429=args.rate_429, rate_430=args.rate_430,
        rate_455=args.rate_455, rate_500=args.rate_500, rate_500_poll=args.rate_500_poll,
        create_timeout=args.create_timeout, fail_rate=args.fail_rate,
        sensitive_words=[w.strip() for w in args.sensitive_words.split(",") if w.strip()],
        duplicate_callbacks=args.duplicate_callbacks, late_callbacks=args.late_callbacks,
        out_of_order_callbacks=args.out_of_order_callbacks,
        rate_429_text=args.rate_429_text, rate_503_text=args.rate_503_text,
        rate_429_media=args.rate_429_media, rate_503_media=args.rate_503_media,
        gateway_errors=args.gateway_errors,
    )
    return SimConfig(
        api_key=args.api_key, speed=args.speed, track_seconds=args.track_seconds, credits=args.credits,
        retention_days=args.retention_days, upload_retention_days=args.upload_retention_days,
        public_url=args.public_url, media_dir=args.media_dir, data_dir=args.data_dir, callback_shape=args.callback_shape,
        seed=args.seed, faults=faults, workers=args.workers,
        text_first_token_ms=args.text_first_token_ms, text_chunk_ms=args.text_chunk_ms,
        media_retention_hours=args.media_retention_hours, kling_retention_days=args.kling_retention_days,
    )
