"""Whether each provider URL of a track still answers, and the days left before the provider
deletes its files.

A URL is asked with ``HEAD``; a server that refuses ``HEAD`` (405, 501, 403) is asked ``GET``
with ``Range: bytes=0-0`` (one byte, the body is not read). 2xx answers are alive; 404 and 410
mean the file is gone. The client is injectable (an `httpx.Client`, e.g. over
`httpx.MockTransport` in tests). Retention: the contract gives 15 days for generated music (14
on some routes; `Thresholds.retention_days`), counted from when the task finished.
"""

from __future__ import annotations

import time
from typing import Any

import httpx

from lib.qa.flags import Check, Flag, skipped
from lib.qa.thresholds import Thresholds
from lib.qa.words import number, plain, wording

DAY = 86400.0
_HEAD_REFUSED = (403, 405, 501)
_GONE = (404, 410)


def probe(client: httpx.Client, url: str) -> dict[str, Any]:
    """``{url, status, alive, gone, error}`` for one URL."""
    try:
        response = client.head(url, follow_redirects=True)
        if response.status_code in _HEAD_REFUSED:
            with client.stream("GET", url, headers={"Range": "bytes=0-0"},
                               follow_redirects=True) as streamed:
                response = streamed
        status = response.status_code
        return {"url": url, "status": status, "alive": 200 <= status < 300,
                "gone": status in _GONE, "error": None}
    except httpx.HTTPError as exc:
        return {"url": url, "status": None, "alive": False, "gone": False,
                "error": f"{type(exc).__name__}: {exc}"}


def check_urls(urls: dict[str, str], client: httpx.Client | None = None,
               timeout: float = 10.0) -> dict[str, dict[str, Any]]:
    """Probe each named URL (``{"audio_url": ..., "image_url": ...}``; empty ones skipped)."""
    own = client is None
    client = client or httpx.Client(timeout=timeout)
    try:
        return {name: probe(client, url) for name, url in urls.items() if url}
    finally:
        if own:
            client.close()


def days_left(finished_at: float | None, retention_days: float,
              now: float | None = None) -> float | None:
    """Days until the provider deletes files made at ``finished_at`` (negative: deleted)."""
    if finished_at is None:
        return None
    now = time.time() if now is None else now
    return retention_days - (now - finished_at) / DAY


def judge_urls(answers: dict[str, dict[str, Any]] | None) -> Check:
    if not answers:
        return skipped("no provider URL checked")
    gone = [n for n, a in answers.items() if a["gone"]]
    down = [n for n, a in answers.items() if not a["alive"] and not a["gone"]]
    alive = len(answers) - len(gone) - len(down)
    if gone:
        flag, words = Flag.FAIL, "gone: " + ", ".join(gone)
    elif down:
        flag, words = Flag.WARN, "not answering: " + ", ".join(down)
    else:
        flag, words = Flag.OK, "all answer"
    return Check(alive, flag, f"{alive} of {len(answers)} provider URL(s) answer; {words}",
                 "urls", {"answers": answers})


def judge_retention(left: float | None, archived: bool, t: Thresholds) -> Check:
    if left is None:
        return skipped("unknown age: no provider file to expire")
    value = round(left, 2)
    extra = {"retention_days": t.retention_days, "archived": archived}
    local = " (a local copy is kept)" if archived else ""
    if left <= 0:
        return Check(value, Flag.FAIL, f"the provider deleted its files {-left:.1f} day(s) "
                     f"ago{local}", "days", extra)
    flag = Flag.WARN if left <= t.days_left_warn else Flag.OK
    return Check(value, flag, f"{left:.1f} day(s) left before the provider deletes its "
                 f"files{local}", "days", extra)


@wording("links")
def links_words(name: str, check: Check) -> str:
    return "provider link gone" if check.flag is Flag.FAIL else "provider link not answering"


@wording("retention")
def retention_words(name: str, check: Check) -> str:
    value = number(check.value)
    if value is None:
        return plain(name, check)
    return "deleted by the provider" if value <= 0 \
        else f"{value:.1f} days left at the provider"
