"""The callback route on the server users run (`make soak rates`, ``python -m tests.soak rates``).

The app starts as ``streamlit run app.py`` on a free port with the embedded simulator at the
docs' pace (text after 20 s, first audio after 40 s, complete after 150 s); songs are queued
through the command line (``python -m lib experiment run``) and sent by the app's own queue, so
the tasks are really in flight, each with its callback URL. Then, on that server:

1. **deliveries**: 400 callbacks for 12 in-flight tasks (text, first and complete for each
   task in turn, a third of them exact re-sends of an earlier one) alternating one for one with
   400 ``GET /api/health``, 8 requests in flight throughout, in 8 rounds (`with_and_without`):
   each round measures 50 /api/health alone and 50 callbacks alternating with 50 /api/health
   (in turn first and second; the 1.5 s after the callbacks, while the work they caused
   finishes, is counted in neither). Target: /api/health's mean latency without callbacks / with them >= 0.8x
   (with callbacks, health is at most 1/0.8 = 1.25 times slower; with the same number of
   requests in flight, the mean latency is what the server's rate follows; the medians are
   printed too).
2. **storm**: 1,000 such callbacks for 40 in-flight tasks, 8 at a time, while 20 more songs are
   being submitted by the app's queue (and the first 12 finish and are archived). Target:
   p99 <= 1 s.

Every answer must be 200. Prints requests/s, p50/p99, the ratio, the re-reads (polls) the
callbacks caused and whether each target is met.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from lib.log.sqlite import SqliteLog
from tests.soak import procs

STAGES = ("text", "first", "complete")
BASE = json.dumps({"customMode": False, "instrumental": True, "model": "V5"})
RATIO_TARGET = 0.8
#: Past the re-read gap (`lib.tracking.tracker.REREAD_GAP_S`): the work callbacks caused is done.
SETTLE_S = 1.5
STORM_P99_TARGET_S = 1.0
HEALTH = "/api/health"


@dataclass
class Run:
    """One workload's figures; ``paths`` (when kept) is each latency's request path."""

    count: int
    seconds: float
    latencies: list[float]
    paths: list[str] = field(default_factory=list)

    def only(self, health: bool) -> Run:
        """The health requests' figures (or every other one's), over the whole run's time."""
        picked = [x for x, p in zip(self.latencies, self.paths, strict=True)
                  if p.endswith(HEALTH) == health]
        return Run(len(picked), self.seconds, picked)

    @property
    def rate(self) -> float:
        return self.count / self.seconds

    def pct(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    def line(self, rate: bool = True) -> str:
        speed = (f"{self.count} in {self.seconds:.1f} s = {self.rate:.0f} requests/s, " if rate
                 else f"{self.count}, ")
        return (f"{speed}p50 {self.pct(0.5) * 1000:.1f} ms, mean {self.mean() * 1000:.1f} ms, "
                f"p99 {self.pct(0.99) * 1000:.0f} ms")

    def mean(self) -> float:
        return sum(self.latencies) / len(self.latencies)


async def _fire(requests: list[tuple[str, str, bytes | None]], connections: int) -> Run:
    """Send every request (method, url, body), ``connections`` at a time; all must be 200."""
    async with _client(connections) as client:
        return await _phase(client, requests, connections)


def _client(connections: int) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    return httpx.AsyncClient(limits=limits, timeout=60)


async def _phase(client: httpx.AsyncClient, requests: list[tuple[str, str, bytes | None]],
                 connections: int, until: float | None = None) -> Run:
    """`_fire` on an open client; with ``until``: the first request again and again for that
    many seconds."""
    latencies: list[float] = []
    paths: list[str] = []
    queue = list(reversed(requests))
    stop = None if until is None else time.perf_counter() + until

    async def worker() -> None:
        while queue if stop is None else time.perf_counter() < stop:
            method, url, body = queue.pop() if stop is None else requests[0]
            sent = time.perf_counter()
            answer = await client.request(method, url, content=body,
                                          headers={"content-type": "application/json"})
            latencies.append(time.perf_counter() - sent)
            paths.append(url)
            assert answer.status_code == 200, (url, answer.status_code, answer.text[:200])

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(connections)))
    return Run(len(latencies), time.perf_counter() - started, latencies, paths)


def _track(provider_id: str, n: int, stage: str) -> dict:
    """A contract §6.1 track as the callback of ``stage`` carries it (snake_case)."""
    cdn = f"https://cdn.example/{provider_id}-{n}"
    return {"id": f"{provider_id[:8]}-{n:04d}-4000-8000-{provider_id[-12:]}",
            "audio_url": f"{cdn}.mp3" if stage == "complete" else "",
            "source_audio_url": f"{cdn}.mp3" if stage == "complete" else "",
            "stream_audio_url": f"{cdn}/stream" if stage != "text" else "",
            "source_stream_audio_url": f"{cdn}/stream" if stage != "text" else "",
            "image_url": f"{cdn}.jpeg", "source_image_url": f"{cdn}.jpeg",
            "prompt": "[Verse] a calm piano piece", "model_name": "chirp-v5",
            "title": f"Soak {n}", "tags": "piano, calm", "createTime": "2025-01-01 00:00:00",
            "duration": 4.0 if stage == "complete" else None}


def deliveries(base: str, tasks: list[dict], count: int, seed: int) -> list[tuple]:
    """``count`` callback POSTs: text, first, complete for each task in turn (round-robin,
    again from the start when every task had all three), a third of them exact re-sends of
    one of the last 20 deliveries."""
    rng = random.Random(seed)
    cycle = [(t, stage) for stage in STAGES for t in tasks]
    out: list[tuple] = []
    fresh = 0
    while len(out) < count:
        if out and rng.random() < 1 / 3:
            out.append(rng.choice(out[-20:]))
            continue
        task, stage = cycle[fresh % len(cycle)]
        fresh += 1
        body = {"code": 200, "msg": "All generated successfully." if stage == "complete"
                else "Text generation completed successfully.",
                "data": {"callbackType": stage, "task_id": task["provider_task_id"],
                         "data": [_track(task["provider_task_id"], n, stage) for n in (1, 2)]}}
        out.append(("POST", f"{base}/{task['id']}", json.dumps(body).encode()))
    return out


def with_and_without(callbacks: list[tuple], health: list[tuple], rounds: int = 8,
                     connections: int = 8) -> tuple[Run, Run]:
    """/api/health without callbacks and with them on the same server, the same number of
    requests in flight throughout (no idle moment), in ``rounds`` (so that a change in the
    machine's load affects both alike; every other round in the opposite order). A round: its
    share of ``health`` alone, and as many callbacks and health requests one for one, then
    `SETTLE_S` of health requests (not counted) while the work these callbacks caused
    (batches, re-reads) is finished, so that the next "alone" is. Returns (health alone,
    callbacks and health one for one)."""
    size = -(-len(callbacks) // rounds)

    async def measure() -> tuple[Run, Run]:
        alone: list[Run] = []
        mixed: list[Run] = []
        async with _client(connections) as client:
            await _phase(client, health[:1], connections, until=SETTLE_S)  # warm, not counted
            for n, start in enumerate(range(0, len(callbacks), size)):
                both = [r for pair in zip(callbacks[start:start + size],
                                          health[start:start + size], strict=True) for r in pair]
                if n % 2:
                    mixed.append(await _phase(client, both, connections))
                    await _phase(client, health[:1], connections, until=SETTLE_S)
                alone.append(await _phase(client, health[start:start + size], connections))
                if not n % 2:
                    mixed.append(await _phase(client, both, connections))
                    await _phase(client, health[:1], connections, until=SETTLE_S)
        return _joined(alone), _joined(mixed)

    return asyncio.run(measure())


def _joined(runs: list[Run]) -> Run:
    return Run(sum(r.count for r in runs), sum(r.seconds for r in runs),
               [x for r in runs for x in r.latencies], [p for r in runs for p in r.paths])


def queue_songs(env: dict[str, str], sheet: Path, n: int) -> None:
    """Queue ``n`` songs through the command line; the app's queue sends them."""
    done = subprocess.run(
        [sys.executable, "-m", "lib", "experiment", "run", str(sheet), "--repeats", str(n),
         "--base", BASE, "--name", f"soak {n}"],
        cwd=procs.ROOT, env={**{k: v for k, v in os.environ.items()
                                 if k not in procs.PROVIDER_ENV}, **env},
        capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def in_flight(log: SqliteLog, n: int, stage: str | None = None,
              timeout: float = 120) -> list[dict]:
    """Wait until ``n`` tasks were accepted and are still running (at ``stage`` when given);
    returns them."""
    deadline = time.monotonic() + timeout
    while True:
        tasks = [dict(t) for t in log.list_tasks(limit=1000)
                 if t["provider_task_id"] and t["state"] in ("pending", "processing")
                 and stage in (None, t["stage"])]
        if len(tasks) >= n or time.monotonic() > deadline:
            assert len(tasks) >= n, f"only {len(tasks)} of {n} tasks in flight"
            return tasks[:n]
        time.sleep(0.5)


def polls(log: SqliteLog) -> int:
    """Polls (re-reads of the provider's query route) in the log so far."""
    with log.raw_connection() as db:
        return db.execute("SELECT COUNT(*) FROM events WHERE kind = 'poll'").fetchone()[0]


def _met(ok: bool) -> str:
    return "met" if ok else "NOT met"


def rates(work: Path) -> bool:
    """Callbacks for in-flight tasks on the Streamlit server, beside its /api/health."""
    work.mkdir(parents=True)
    data = work / "app"
    # the docs' pace (speed 1): a song's text after 20 s, first audio after 40 s, all of it
    # after 150 s; the first 12 songs finish (and are archived) during the storm
    env = procs.streamlit_env(data, speed="1", track_seconds="10", credits="1000000")
    sheet = work / "songs.csv"
    sheet.write_text("variant,prompt\nsoak,a calm piano piece for the callback soak\n")
    port = procs.free_port()
    started = time.monotonic()
    app = procs.streamlit_app(work, port, env)
    try:
        print(f"   streamlit run app.py on port {port}: serving after "
              f"{time.monotonic() - started:.0f} s", flush=True)
        log = SqliteLog(data / "songbench.db")
        secret = (data / ".callback_secret").read_text().strip()
        url = f"http://127.0.0.1:{port}"
        cb = f"{url}/api/callbacks/{secret}"
        health: list[tuple[str, str, bytes | None]] = [("GET", f"{url}{HEALTH}", None)] * 400
        asyncio.run(_fire(health[:50], 8))  # warm the connections and the code paths

        queue_songs(env, sheet, 12)
        twelve = in_flight(log, 12, stage="first")  # streaming, not complete
        polled = polls(log)
        alone, mixed = with_and_without(deliveries(cb, twelve, 400, seed=1), health)
        burst_polls = polls(log) - polled
        beside, burst = mixed.only(health=True), mixed.only(health=False)
        ratio = alone.mean() / beside.mean()
        medians = alone.pct(0.5) / beside.pct(0.5)
        print(f"   12 songs in flight; /api/health alone, 8 at a time: {alone.line()}")
        print(f"   400 callbacks alternating with 400 /api/health, 8 at a time: {mixed.line()}")
        print(f"     the callbacks: {burst.line(rate=False)}; polls meanwhile: {burst_polls}")
        print(f"     /api/health among them: {beside.line(rate=False)}")
        print(f"   /api/health mean latency without / with callbacks: {ratio:.2f}x (target >= "
              f"{RATIO_TARGET}: {_met(ratio >= RATIO_TARGET)}); medians: {medians:.2f}x",
              flush=True)

        queue_songs(env, sheet, 28)
        forty = in_flight(log, 40)
        queue_songs(env, sheet, 20)  # sent by the app's queue while the storm runs
        polled = polls(log)
        storm = asyncio.run(_fire(deliveries(cb, forty, 1000, seed=2), 8))
        storm_polls = polls(log) - polled
        sent = sum(1 for t in log.list_tasks(limit=1000) if t["provider_task_id"])
        p99 = storm.pct(0.99)
        print(f"   storm, 40 songs in flight and more being sent ({sent} accepted at the "
              f"end): {storm.line()}; polls meanwhile: {storm_polls}")
        print(f"   storm p99 {p99 * 1000:.0f} ms (target <= {STORM_P99_TARGET_S * 1000:.0f} ms:"
              f" {_met(p99 <= STORM_P99_TARGET_S)})")
        early = [t for t in log.list_tasks(limit=1000) if t["state"] == "succeeded"
                 and (t["finished_at"] or 0) - (t["submitted_at"] or 0) < 140]
        print(f"   songs marked finished before the provider finished them: {len(early)} "
              "(target 0: the callbacks were hints)")
    finally:
        app.stop()
    return ratio >= RATIO_TARGET and p99 <= STORM_P99_TARGET_S and not early
