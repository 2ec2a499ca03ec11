"""The soak's scenarios (see `tests.soak.__main__`); each prints its figures and returns whether
its targets were met."""

from __future__ import annotations

import multiprocessing
import os
import random
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

from lib.log.sqlite import SqliteLog
from tests.soak import procs
from tests.soak.callback_rates import rates
from tests.soak.proxy import FaultyProxy, MediaProxy

FINAL = ("succeeded", "failed")


def _sim_jobs(sim: str) -> dict[str, dict]:
    ids = httpx.get(f"{sim}/_sim/tasks", timeout=10).json()["tasks"]
    return {i: httpx.get(f"{sim}/_sim/tasks/{i}", timeout=10).json() for i in ids}


def _wait(pred, timeout: float, step: float = 0.5) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(step)
    return pred()


def kill9(work: Path) -> bool:
    """kill -9 of the app while its creates are in flight; then a restart."""
    work.mkdir(parents=True)
    sim_port, app_port = procs.free_port(), procs.free_port()
    sim_url = f"http://127.0.0.1:{sim_port}"
    sim = procs.simulator(work, sim_port, "--speed", "10", "--track-seconds", "3",
                          "--credits", "1000000")
    rng = random.Random(7)
    rounds = 6
    try:
        httpx.post(f"{sim_url}/_sim/faults", json={"create_timeout": 4}, timeout=5)
        for i in range(rounds):
            app = procs.app(work, app_port, sim_url, submit=1, first=i)
            time.sleep(rng.uniform(0.3, 5.0))  # the create answer comes after 4 s
            app.kill9()
        httpx.post(f"{sim_url}/_sim/faults", json={"create_timeout": 0}, timeout=5)
        app = procs.app(work, app_port, sim_url)
        log = SqliteLog(work / "app" / "songbench.db")

        def settled() -> bool:
            linked = {t["provider_task_id"] for t in log.list_tasks(limit=1000)
                      if t["state"] in FINAL}
            return set(_sim_jobs(sim_url)) <= linked

        settled_ok = _wait(settled, 90)
        jobs = _sim_jobs(sim_url)
        tasks = log.list_tasks(limit=1000)
        by_provider = Counter(t["provider_task_id"] for t in tasks if t["provider_task_id"])
        lost = [j for j in jobs if by_provider.get(j, 0) == 0]
        final = [t for t in tasks if t["provider_task_id"] in jobs and t["state"] in FINAL]
        duplicated = sum(n - 1 for n in by_provider.values() if n > 1)
        prompts = Counter(j["body"].get("prompt") for j in jobs.values())
        duplicated += sum(n - 1 for n in prompts.values() if n > 1)
        with log.raw_connection() as db:
            linked = db.execute("SELECT COUNT(DISTINCT task_id) FROM events WHERE note LIKE "
                                "'%(linked)%'").fetchone()[0]
            went_unknown = db.execute("SELECT COUNT(DISTINCT task_id) FROM events WHERE note = "
                                      "'pending -> unknown' OR note LIKE 'UnknownOutcome%'"
                                      ).fetchone()[0]
        app.stop()
    finally:
        sim.stop()
    print(f"   rounds: {rounds} kill -9 at random moments of a create (answer delayed 4 s)")
    print(f"   paid jobs at the simulator: {len(jobs)}; in the log and final: {len(final)}")
    print(f"   tasks lost: {len(lost)} (target 0); duplicated: {duplicated} (target 0)")
    print(f"   tasks whose create outcome was lost and that a callback linked: {linked} "
          f"(became unknown first: {went_unknown})")
    return settled_ok and not lost and duplicated == 0 and len(final) == len(jobs)


def faults(work: Path) -> bool:
    """40 submissions through a gateway that answers 20 % of the creates with a fault."""
    work.mkdir(parents=True)
    sim_port, proxy_port, app_port = procs.free_port(), procs.free_port(), procs.free_port()
    sim_url = f"http://127.0.0.1:{sim_port}"
    sim = procs.simulator(work, sim_port, "--speed", "20", "--track-seconds", "3",
                          "--credits", "1000000")
    proxy = FaultyProxy(sim_url, rate=0.2)
    server = proxy.serve(proxy_port)
    submissions = 40
    try:
        app = procs.app(work, app_port, f"http://127.0.0.1:{proxy_port}", submit=submissions)
        log = SqliteLog(work / "app" / "songbench.db")

        def settled() -> bool:
            tasks = log.list_tasks(limit=1000)
            return len(tasks) == submissions and all(
                t["state"] in (*FINAL, "unknown") for t in tasks)

        settled_ok = _wait(settled, 240, step=1.0)
        _wait(lambda: all(t["state"] != "unknown" or t["provider_task_id"] is None
                          for t in log.list_tasks(limit=1000)), 30)
        tasks = log.list_tasks(limit=1000)
        jobs = _sim_jobs(sim_url)
        app.stop()
    finally:
        server.should_exit = True
        sim.stop()
    outcomes = Counter(t["state"] for t in tasks)
    reasons = Counter((t["error_message"] or "")[:60] for t in tasks if t["state"] == "failed")
    unexplained = [t for t in tasks if t["state"] == "failed" and not t["error_message"]]
    per_prompt = Counter(j["body"].get("prompt") for j in jobs.values())
    extra = {p: n for p, n in per_prompt.items() if n > 1}
    untracked = [j for j in jobs if j not in {t["provider_task_id"] for t in tasks}]
    print(f"   submissions: {submissions}; injected faults: {dict(proxy.injected)}")
    print(f"   outcomes: {dict(outcomes)}")
    for reason, n in reasons.most_common():
        print(f"     failed x{n}: {reason}")
    print(f"   creates accepted by the simulator: {len(jobs)} for {len(per_prompt)} submissions;"
          f" more than one for a submission: {len(extra)} (target 0)")
    print(f"   paid jobs not tracked: {len(untracked)} (target 0); failures without a reason: "
          f"{len(unexplained)} (target 0)")
    return settled_ok and not extra and not untracked and not unexplained


def _writer_process(db: str, task_id: str, n: int, queue) -> None:
    log = SqliteLog(db)
    errors = 0
    for i in range(n):
        try:
            log.log_event(task_id, "poll", body={"p": 2, "i": i})
            log.mark_due(task_id, now=1.0)
        except Exception:
            errors += 1
    queue.put((errors, log.write_stats.worst_s, log.write_stats.writes))


def writes(work: Path) -> bool:
    """Writes from the tracker, 6 threads and 2 processes at once: errors, worst latency."""
    work.mkdir(parents=True)
    db = str(work / "contention.db")
    log = SqliteLog(db)
    task_id = log.create_task("generate", "music", {"prompt": "x"})
    log.mark_submitted(task_id, "p", next_poll_at=0, now=1.0)
    errors: list[BaseException] = []
    per_thread = 500

    def thread_writer(n: int) -> None:
        for i in range(per_thread):
            try:
                log.create_task("generate", "music", {"prompt": f"{n}-{i}"})
                log.log_event(task_id, "poll", body={"n": n, "i": i})
                log.record_poll_error(task_id, next_poll_at=1.0, now=1.0)
            except BaseException as exc:
                errors.append(exc)

    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    others = [ctx.Process(target=_writer_process, args=(db, task_id, 800, queue))
              for _ in range(2)]
    for p in others:
        p.start()
    threads = [threading.Thread(target=thread_writer, args=(n,)) for n in range(7)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    results = [queue.get(timeout=300) for _ in others]
    for p in others:
        p.join()
    elapsed = time.monotonic() - started
    total = log.write_stats.writes + sum(r[2] for r in results)
    worst = max([log.write_stats.worst_s, *(r[1] for r in results)])
    lock_errors = len(errors) + sum(r[0] for r in results)
    print(f"   writes: {total} in {elapsed:.1f} s (7 threads x {per_thread * 3}, 2 processes x "
          f"1600); retried after a lock: {log.write_stats.retries} in this process")
    print(f"   'database is locked' errors: {lock_errors} (target 0); worst write "
          f"{worst * 1000:.0f} ms")
    return lock_errors == 0


def fuzz(work: Path) -> bool:
    """Hypothesis cases (`tests.lib.extremes`: huge and negative integers, 1e400-sized floats
    and NaN, lists and objects where scalars belong) through every operation's validate,
    prepare and prefill and every family's status mapper, parser and callback readers."""
    cases = int(os.environ.get("SONGBENCH_FUZZ_CASES", "1000"))
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "tests/lib/test_fuzz_forms.py", "tests/lib/test_fuzz_families.py",
         "-k", "never_raise"],
        cwd=procs.ROOT, env={**os.environ, "SONGBENCH_FUZZ_CASES": str(cases)},
        capture_output=True, text=True)
    from lib import families, ops

    n_ops, n_fams = len(ops.OPERATIONS), len(families.FAMILIES)
    total = cases * (n_ops * 2 + len(ops.from_track()) + n_fams * 3)
    tail = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else proc.stderr[-300:]
    print(f"   {cases} cases x ({n_ops} operations x (validate, prepare) + prefill of "
          f"{len(ops.from_track())} + {n_fams} families x (status, parse, callbacks)) = "
          f"{total} cases in {time.monotonic() - started:.0f} s")
    print(f"   exceptions: {0 if proc.returncode == 0 else 'see below'} (target 0); pytest: "
          f"{tail}")
    for line in proc.stdout.splitlines():  # which case failed, and how
        if line.startswith(("FAILED", "E   ")):
            print(f"     {line}")
    return proc.returncode == 0


# -- the media routes (DashScope video, sync Qwen-Image, Kling video) -----------------------
MEDIA_HOLD_S = 4.0  # a media create's answer is held this long after the simulator made the job
#: (operation, seconds after the app serves): a kill while the create is at the simulator or
#: its answer is held, and one after the answer came (that task is followed to its end)
MEDIA_KILLS = (("video_t2v", 1.0), ("qwen_image", 1.0), ("video_t2v", 3.0),
               ("qwen_image", 3.0), ("video_t2v", MEDIA_HOLD_S + 3), ("qwen_image",
                                                                     MEDIA_HOLD_S + 3))
#: about 20 % of the creates (429 and 503 refusals in the gateway's shape, a 502 page after
#: the job was made: `MediaProxy.lose_every`) and 20 % of the polls (HTTP 500)
MEDIA_FAULTS = {"gateway_errors": True, "rate_429_media": 0.1, "rate_503_media": 0.05,
                "rate_500_poll": 0.2}
MEDIA_LOSE_EVERY = 20
MEDIA_FAULT_OPS = "video_t2v,kling_t2v,qwen_image"
MEDIA_FAULT_CREATES = 45
SETTLED = (*FINAL, "unknown")


def _by_prompt(tasks: list) -> dict[str, list]:
    rows: dict[str, list] = {}
    for t in tasks:
        rows.setdefault(t["prompt"] or "", []).append(t)
    return rows


def _media_jobs(sim: str) -> set[str]:
    """The simulator's media task jobs (DashScope and Kling; a sync answer makes none)."""
    return {i for i, j in _sim_jobs(sim).items()
            if str(j.get("family", "")).startswith(("dashscope", "kling"))}


def _paid_jobs_check(proxy: MediaProxy, tasks: list) -> tuple[list, int, Counter]:
    """(lost, sent twice, how each accepted create ended): a create the simulator accepted is
    lost when no row of ours has its prompt, or its row is neither following that very job to
    a final state nor ``unknown``; sent twice: more than one accepted create, or more than one
    row, for one prompt."""
    rows = _by_prompt(tasks)
    lost, ends = [], Counter()
    twice = sum(len(ids) - 1 for ids in proxy.accepted.values() if len(ids) > 1)
    twice += sum(len(r) - 1 for r in rows.values() if len(r) > 1)
    for prompt, ids in proxy.accepted.items():
        mine = rows.get(prompt, [])
        for job in ids:
            tracked = [t for t in mine if t["state"] in FINAL
                       and (t["provider_task_id"] == job or job == "sync")]
            unknown = [t for t in mine if t["state"] == "unknown" and t["error_message"]]
            if tracked:
                ends[f"tracked to {tracked[0]['state']}"] += 1
            elif unknown:
                ends["marked unknown"] += 1
            else:
                lost.append((prompt, job, [t["state"] for t in mine]))
    return lost, twice, ends


def _media_faults(work: Path) -> tuple[bool, list[str]]:
    """(b): 20 % faulty answers of the simulator's media routes over creates and polls."""
    work.mkdir(parents=True)
    sim_port, proxy_port, app_port = procs.free_port(), procs.free_port(), procs.free_port()
    sim_url = f"http://127.0.0.1:{sim_port}"
    sim = procs.simulator(work, sim_port, "--speed", "40", "--credits", "1000000")
    proxy = MediaProxy(sim_url, lose_every=MEDIA_LOSE_EVERY)
    server = proxy.serve(proxy_port)
    try:
        httpx.post(f"{sim_url}/_sim/faults", json=MEDIA_FAULTS, timeout=5).raise_for_status()
        app = procs.app(work, app_port, sim_url, submit=MEDIA_FAULT_CREATES, op=MEDIA_FAULT_OPS,
                        media=f"http://127.0.0.1:{proxy_port}")
        log = SqliteLog(work / "app" / "songbench.db")

        def settled() -> bool:
            tasks = log.list_tasks(limit=1000)
            return len(tasks) == MEDIA_FAULT_CREATES and all(t["state"] in SETTLED
                                                               for t in tasks)

        settled_ok = _wait(settled, 120, step=1.0)
        tasks = log.list_tasks(limit=1000)
        jobs = _media_jobs(sim_url)
        app.stop()
    finally:
        server.should_exit = True
        sim.stop()
    lost, twice, ends = _paid_jobs_check(proxy, tasks)
    # every job the simulator made went through the proxy's count (so the check above saw it)
    untracked = sorted(jobs - {j for ids in proxy.accepted.values() for j in ids})
    outcomes = Counter(t["state"] for t in tasks)
    why = Counter(f"{t['state']}: {(t['error_message'] or '')[:110]}" for t in tasks
                  if t["state"] in ("failed", "unknown"))
    unexplained = [t["id"] for t in tasks if t["state"] in ("failed", "unknown")
                   and not (t["error_message"] or "").strip()]
    met = {f"{kind} HTTP {status}": n for (kind, status), n in sorted(proxy.statuses.items())}
    met["create HTTP 502 page after the job was made"] = proxy.lost_answers
    creates, polls = proxy.seen.get("create", 0), proxy.seen.get("poll", 0)
    faulty_creates = proxy.lost_answers + sum(n for (kind, _), n in proxy.statuses.items()
                                              if kind == "create")
    faulty_polls = sum(n for (kind, _), n in proxy.statuses.items() if kind == "poll")
    pending = [t["id"] for t in tasks if t["state"] not in SETTLED]
    lines = [
        f"(b) {len(tasks)} media creates ({MEDIA_FAULT_OPS.replace(',', ', ')} in turn), the "
        f"simulator's faults {MEDIA_FAULTS}, every {MEDIA_LOSE_EVERY}th accepted create's "
        "answer lost",
        f"    faulty answers met: {met}: {faulty_creates} of {creates} create requests "
        f"({100 * faulty_creates / max(creates, 1):.0f} %), {faulty_polls} of {polls} polls "
        f"({100 * faulty_polls / max(polls, 1):.0f} %)",
        f"    outcomes: {dict(outcomes)}; accepted creates: "
        f"{sum(len(v) for v in proxy.accepted.values())} ({dict(ends)})",
        *(f"      x{n} {reason}" for reason, n in why.most_common()),
        "    (a 429 is retried after the adapter's wait: no job exists; a 503 or 502 page may "
        "come after forwarding, so that task is unknown, never resent)",
        f"    tasks lost: {len(lost) + len(untracked)} (target 0); sent twice: {twice} (target 0);"
        f" never settled: {len(pending)} (target 0); failures without words: "
        f"{len(unexplained)} (target 0)",
    ]
    lines += [f"      lost: {x}" for x in [*lost, *untracked]]
    ok = settled_ok and not lost and not untracked and twice == 0 and not pending \
        and not unexplained
    return ok, lines


def media(work: Path) -> bool:
    """Media routes: kill -9 mid-create (a DashScope video, a sync Qwen-Image), 20 % faults."""
    kill_dir = work / "kill"
    kill_dir.mkdir(parents=True)
    sim_port, proxy_port, app_port = procs.free_port(), procs.free_port(), procs.free_port()
    sim_url, proxy_url = f"http://127.0.0.1:{sim_port}", f"http://127.0.0.1:{proxy_port}"
    sim = procs.simulator(kill_dir, sim_port, "--speed", "40", "--credits", "1000000")
    proxy = MediaProxy(sim_url, hold_s=MEDIA_HOLD_S)
    server = proxy.serve(proxy_port)
    try:
        for i, (op, after) in enumerate(MEDIA_KILLS):
            app = procs.app(kill_dir, app_port, sim_url, submit=1, first=i, op=op,
                            media=proxy_url)
            time.sleep(after)
            app.kill9()
        proxy.hold_s = 0.0
        app = procs.app(kill_dir, app_port, sim_url, media=proxy_url)
        restarted = time.monotonic()
        # (b) runs while the restarted app settles what the kills left
        faults_ok, fault_lines = _media_faults(work / "faults")
        log = SqliteLog(kill_dir / "app" / "songbench.db")
        # a create cut off by the kill becomes unknown once it cannot be in flight any more
        # (lib.tracking.unknown.STALE_SEND_S after its row was written)
        settled_ok = _wait(lambda: all(t["state"] in SETTLED for t in log.list_tasks(limit=100)),
                           150)
        _wait(lambda: not [t for t in log.list_tasks(limit=100) if t["provider_task_id"]
                           and t["state"] not in FINAL], 30)
        tasks = log.list_tasks(limit=100)
        jobs = _media_jobs(sim_url)
        app.stop()
    finally:
        server.should_exit = True
        sim.stop()
    lost, twice, ends = _paid_jobs_check(proxy, tasks)
    untracked = sorted(jobs - {j for ids in proxy.accepted.values() for j in ids})
    pending = [t["id"] for t in tasks if t["state"] not in SETTLED]
    unexplained = [t["id"] for t in tasks if t["state"] == "unknown" and not t["error_message"]]
    print(f"   (a) {len(MEDIA_KILLS)} kill -9 of the app during a create (its answer held "
          f"{MEDIA_HOLD_S:g} s after the simulator made the job), then a restart "
          f"({time.monotonic() - restarted:.0f} s to settle); video jobs at the simulator: "
          f"{len(jobs)}")
    rows = _by_prompt(tasks)
    for i, (op, after) in enumerate(MEDIA_KILLS):
        prompt = procs.body_for(op, i, "")["prompt"]
        made = len(proxy.accepted.get(prompt, []))
        ours = [f"{t['state']}" + (f" ({(t['error_message'] or '')[:60]}...)"
                                   if t["state"] == "unknown" else "")
                for t in rows.get(prompt, [])]
        print(f"    {op:10s} killed {after:3.1f} s after start: accepted by the simulator "
              f"{made}x; our rows: {ours or 'none (killed before the row was written)'}")
    print(f"    the accepted creates: {dict(ends)}")
    print(f"    paid jobs lost: {len(lost) + len(untracked)} (target 0); sent twice: {twice} "
          f"(target 0); pending forever: {len(pending)} (target 0); unknown without words: "
          f"{len(unexplained)} (target 0)")
    for x in [*lost, *untracked]:
        print(f"      lost: {x}")
    for line in fault_lines:
        print(f"   {line}")
    kill_ok = settled_ok and not lost and not untracked and twice == 0 and not pending \
        and not unexplained
    return kill_ok and faults_ok


ALL = {"kill9": kill9, "faults": faults, "rates": rates, "writes": writes, "fuzz": fuzz,
       "media": media}
