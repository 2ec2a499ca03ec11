"""The launch checklist end to end, against the embedded simulator with the app's HTTP routes
served (so callbacks really arrive), and against a provider that is down."""

from __future__ import annotations

import threading

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette

from lib import checklist
from lib.checklist import checks
from lib.app import http_routes, runtime
from tests.soak.procs import free_port

ENV = ("SONGBENCH_API_KEY", "SONGBENCH_API_BASE_URL", "SONGBENCH_API_DIALECT",
       "SONGBENCH_PUBLIC_URL", "SONGBENCH_UPLOAD_BASE_URL", "SONGBENCH_SIM_PORT")


@pytest.fixture
def served(tmp_path, monkeypatch):
    """A runtime with the embedded simulator whose callback routes are served on loopback."""
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    port = free_port()
    monkeypatch.setenv("SONGBENCH_DB", str(tmp_path / "songbench.db"))
    monkeypatch.setenv("SONGBENCH_ASSETS_DIR", str(tmp_path / "assets"))
    monkeypatch.setenv("SONGBENCH_PUBLIC_URL", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("SONGBENCH_SIM_SPEED", "300")
    monkeypatch.setenv("SONGBENCH_SIM_TRACK_SECONDS", "3")
    runtime.reset_runtime()
    rt = runtime.get_runtime()
    server = uvicorn.Server(uvicorn.Config(Starlette(routes=http_routes.routes()),
                                           host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        threading.Event().wait(0.02)
    yield rt
    server.should_exit = True
    runtime.reset_runtime()


def test_every_check_passes_against_the_simulator(served):
    seen = []
    run_id = checklist.run(served, timeout_s=60, on_result=lambda c, o: seen.append(c.key))
    results = checklist.latest(served.log)
    assert seen == [c.key for c in checklist.CHECKS]
    failing = {k: (r["status"], r["detail"]) for k, r in results.items() if r["status"] != "pass"}
    assert not failing, failing
    assert all(r["run_id"] == run_id for r in results.values())
    storage = results["storage"]["evidence"]
    assert storage["provider_url_status"] == 404 and storage["archived_bytes"] > 1000
    assert "out of credits" in results["policy"]["detail"].lower() or "429" in \
        results["policy"]["detail"]
    # the media and text families: 429 there is a rate limit, both error shapes read alike,
    # a Kling id it no longer knows fails instead of being polled forever
    assert "out of credits" not in results["media_limits"]["detail"].lower()
    assert results["media_limits"]["detail"].count("Too many requests") == 3
    assert "Kling text to video (404): The provider no longer knows" in results["expired"]["detail"]
    assert results["error_shapes"]["detail"].count("Too many requests") == 2
    assert not [t for t in results["media_limits"]["evidence"]["tasks"]
                if served.log.get_task(t)["state"] == "unknown"]  # none left to resolve
    assert results["image"]["evidence"]["qa"] == ["1328×1328 PNG (asked 1328*1328) ✓"]
    assert served.simulator.sim.faults.get() == type(served.simulator.sim.faults.get())()  # put back
    csv = checklist.export_csv(served.log.check_results()).decode("utf-8-sig")
    assert all(c.key in csv for c in checklist.CHECKS)
    assert "songbench-local" not in csv  # no key in the export


def test_the_storage_check_expires_only_its_own_song(served):
    """It used to move the simulator's one clock 16 days: every earlier task's provider links
    answered 404 afterwards (extend, WAV or stems on an older track failed)."""
    from lib import ops
    from lib.contract.prepare import prepare

    prepared = prepare(ops.get("generate"), {"customMode": False, "instrumental": True,
                                             "model": "V5", "prompt": "made before the checklist"},
                       served.callback_url)
    earlier = served.tracker.submit("generate", prepared.body)
    ctx = checks.Context(served, timeout_s=60)
    assert ctx.wait_final(earlier)["state"] == "succeeded"
    links = [u for t in served.log.tracks_for(earlier) for u in (t["audio_url"], t["stream_audio_url"])
             if u]
    assert len(links) >= 2 and all(httpx.get(u).status_code == 200 for u in links)

    checklist.run(served, ["storage"], timeout_s=60)
    storage = checklist.latest(served.log)["storage"]
    assert storage["status"] == "pass", storage["detail"]
    assert storage["evidence"]["provider_url_status"] == 404  # the check's own song expired
    assert {u: httpx.get(u).status_code for u in links} == dict.fromkeys(links, 200)


def test_a_provider_that_is_down_fails_without_raising(tmp_path, monkeypatch):
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SONGBENCH_API_KEY", "sk-launch-SECRET")
    monkeypatch.setenv("SONGBENCH_API_BASE_URL", f"http://127.0.0.1:{free_port()}")
    monkeypatch.setenv("SONGBENCH_DB", str(tmp_path / "songbench.db"))
    runtime.reset_runtime()
    rt = runtime.get_runtime()
    try:
        checklist.run(rt, ["creation", "polling", "callbacks", "policy"], timeout_s=5)
        results = checklist.latest(rt.log)
        assert results["creation"]["status"] == "fail"
        assert "reach the provider" in results["creation"]["detail"]
        assert results["polling"]["status"] == "fail"  # the task never reached the provider
        assert results["callbacks"]["status"] == "not run"  # no public URL
        assert results["policy"]["status"] == "not run"
        assert "SECRET" not in checklist.export_json(rt.log.check_results()).decode()
    finally:
        runtime.reset_runtime()


def test_the_media_refusal_checks_do_not_run_against_real_providers(tmp_path, monkeypatch):
    """With keys for every provider nothing can be made to refuse on purpose: the checks say
    so and show our words (429: a rate limit on these APIs), without sending anything."""
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    down = f"http://127.0.0.1:{free_port()}"
    for prefix in ("API", "MEDIA_API", "TEXT_API"):
        monkeypatch.setenv(f"SONGBENCH_{prefix}_KEY", "sk-launch-SECRET")
    monkeypatch.setenv("SONGBENCH_API_BASE_URL", down)
    monkeypatch.setenv("SONGBENCH_MEDIA_BASE_URL", down)
    monkeypatch.setenv("SONGBENCH_TEXT_BASE_URL", down)
    monkeypatch.setenv("SONGBENCH_DB", str(tmp_path / "songbench.db"))
    runtime.reset_runtime()
    rt = runtime.get_runtime()
    try:
        assert rt.embedded is None
        checklist.run(rt, ["error_shapes", "media_limits", "media_policy"], timeout_s=5)
        results = checklist.latest(rt.log)
        assert {k: r["status"] for k, r in results.items()} == dict.fromkeys(
            ("error_shapes", "media_limits", "media_policy"), "not run")
        assert "text 429 -> Too many requests" in results["media_limits"]["detail"]
        assert "Rejected for content" in results["media_policy"]["detail"]
    finally:
        runtime.reset_runtime()
