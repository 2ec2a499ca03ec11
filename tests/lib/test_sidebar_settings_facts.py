"""The sidebar and Settings facts (`lib.views.sidebar`, `lib.views.settings`), the credit cache
(`lib.provider.credits`) and the simulator controls over the admin API (`lib.app.sim_admin`)."""

from __future__ import annotations

import socket
import threading
import time
from types import SimpleNamespace

import pytest

from lib.app import sim_admin
from lib.settings import Settings
from lib.log.sqlite import SqliteLog
from lib.provider import credits as credits_mod
from lib.provider.redaction import MASK
from lib.provider.reachability import Reachability
from lib.views import settings as settings_view
from lib.views import sidebar
from tests.simulator.simclient import SimClient


class FakeRuntime:
    def __init__(self, tmp_path, *, settings=None, simulator=None, health=None):
        self.settings = settings or Settings(base_url="http://127.0.0.1:9", api_key="sk-SECRET-123")
        self.simulator = simulator
        self.log = SqliteLog(tmp_path / "s.db")
        self.callback_secret = "topsecretpath"
        self._health = health or {"tracker_running": True, "last_tick_age_s": 0.2, "last_error": None}
        self.tracker = SimpleNamespace(reachability=Reachability())

    @property
    def callback_url(self):
        base = self.settings.public_url
        return f"{base}/api/callbacks/{self.callback_secret}" if base else "https://callback.invalid/x"

    def health(self):
        return self._health


class StubCache:
    def __init__(self, value=42):
        self.value = value

    def get(self, settings, stamp=None, provider="music"):
        return credits_mod.Credits(self.value, None, 0.0)


def test_sidebar_facts_never_contain_the_key(tmp_path):
    rt = FakeRuntime(tmp_path)
    facts = sidebar.sidebar_facts(rt, credits=StubCache())
    assert facts.key_present is True
    assert "SECRET" not in repr(facts)
    assert facts.provider == "127.0.0.1"
    assert facts.dialect == "sunoapi"
    assert facts.credits.value == 42
    rows = settings_view.settings_rows(rt, env={}, secrets={})
    assert "SECRET" not in repr(rows)
    assert {r["Variable"]: r["Value"] for r in rows}["SONGBENCH_API_KEY"] == "set (hidden)"


def test_running_count_counts_pending_and_processing(tmp_path):
    rt = FakeRuntime(tmp_path)
    ids = [rt.log.create_task("generate", "music", {"prompt": f"p{i}"}) for i in range(4)]
    rt.log.mark_submitted(ids[1], "prov-1", next_poll_at=None)
    rt.log.mark_failed(ids[2], 400, "bad")
    rt.log.mark_unknown(ids[3], "timeout")
    facts = sidebar.sidebar_facts(rt, credits=StubCache())
    assert facts.running == 2
    assert facts.unknown == 1


@pytest.mark.parametrize("health,level,label", [
    ({"tracker_running": False, "last_tick_age_s": None, "last_error": None}, "down", "stopped"),
    ({"tracker_running": True, "last_tick_age_s": 60.0, "last_error": None}, "warn", "stalled"),
    ({"tracker_running": True, "last_tick_age_s": 0.1, "last_error": "Boom"}, "warn", "degraded"),
    ({"tracker_running": True, "last_tick_age_s": 0.1, "last_error": None}, "ok", "running"),
])
def test_tracker_health(tmp_path, health, level, label):
    h = sidebar.tracker_health(FakeRuntime(tmp_path, health=health))
    assert (h.level, h.label) == (level, label)


def _dead_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_credit_cache_dead_provider_is_fast_and_cached():
    settings = Settings(base_url=f"http://127.0.0.1:{_dead_port()}", api_key="k")
    cache = credits_mod.CreditCache(timeout=0.5)
    started = time.monotonic()
    first = cache.get(settings)
    assert time.monotonic() - started < 2.0
    assert first.value is None and first.error
    started = time.monotonic()
    assert cache.get(settings) is first  # cached failure, no second attempt
    assert time.monotonic() - started < 0.05


def test_a_balance_read_tells_reachability_both_ways(simulator):
    """Nothing polled (an unknown-outcome create leaves no task to poll): the balance read alone
    marks the provider down and, once it answers again, clears the notice."""
    reach = Reachability()
    dead = Settings(base_url=f"http://127.0.0.1:{_dead_port()}", api_key="k")
    credits_mod.CreditCache(timeout=0.5, reachability=reach).get(dead)
    assert reach.get(dead.base_url).failing and reach.get(dead.base_url).failures == 1
    live = Settings(base_url=simulator.base_url, api_key="k")
    reach.failed(live.base_url, RuntimeError("ConnectError"), time.time(), time.time() + 30)
    credits_mod.CreditCache(reachability=reach).get(live)
    assert not reach.get(live.base_url).failing and reach.get(live.base_url).last_good
    assert credits_mod.CREDITS.reachability is not None  # the app's cache feeds the app's


def test_a_failure_without_a_next_try_keeps_the_polls_next_try():
    reach = Reachability()
    reach.failed("u", RuntimeError("x"), 100.0, 110.0)
    reach.failed("u", RuntimeError("x"), 101.0, None)  # a balance read in between
    assert reach.get("u").next_try == 110.0 and reach.get("u").failures == 2
    reach.failed("u", RuntimeError("x"), 120.0, None)  # that try is past: no stale "next try"
    assert reach.get("u").next_try is None


def test_credit_cache_hanging_provider_times_out():
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(5)  # accepts connections, never answers
    try:
        settings = Settings(base_url=f"http://127.0.0.1:{srv.getsockname()[1]}", api_key="k")
        started = time.monotonic()
        reading = credits_mod.CreditCache(timeout=0.5).get(settings)
        assert time.monotonic() - started < 2.5
        assert reading.value is None
    finally:
        srv.close()


def test_credit_cache_reads_simulator_and_expires(simulator):
    settings = Settings(base_url=simulator.base_url, api_key="k")
    now = [100.0]
    cache = credits_mod.CreditCache(ttl=10, clock=lambda: now[0])
    assert cache.get(settings).value == simulator.sim.engine.credits
    simulator.sim.engine.set_credits(77)
    try:
        assert cache.get(settings).value != 77  # still cached
        now[0] += 11
        assert cache.get(settings).value == 77
    finally:
        simulator.sim.engine.set_credits(10**6)


def test_credit_cache_new_stamp_refreshes(simulator):
    settings = Settings(base_url=simulator.base_url, api_key="k")
    cache = credits_mod.CreditCache(ttl=1000)
    first = cache.get(settings, stamp=(1, 0))
    simulator.sim.engine.set_credits(55)
    try:
        assert cache.get(settings, stamp=(1, 0)) is first
        assert cache.get(settings, stamp=(2, 1)).value == 55
    finally:
        simulator.sim.engine.set_credits(10**6)


def test_credit_cache_concurrent_callers_do_not_wait(simulator):
    settings = Settings(base_url=simulator.base_url, api_key="k")
    cache = credits_mod.CreditCache()
    gate = threading.Event()
    real = cache._client(settings).credits
    cache._client(settings).credits = lambda: (gate.wait(2), real())[1]
    t = threading.Thread(target=cache.get, args=(settings,))
    t.start()
    time.sleep(0.1)
    started = time.monotonic()
    assert cache.get(settings) is None  # a fetch is in flight: no blocking
    assert time.monotonic() - started < 0.1
    gate.set()
    t.join()
    assert cache.get(settings).value is not None


def test_callback_masking(tmp_path):
    rt = FakeRuntime(tmp_path, settings=Settings(base_url="https://api.sunoapi.org", api_key="k",
                                                 public_url="https://bench.example.com"))
    info = settings_view.callback_info(rt)
    assert info.live and info.warning is None
    assert info.url == f"https://bench.example.com/api/callbacks/{MASK}"
    assert "topsecretpath" not in info.url


def test_callback_polling_only_and_loopback_warning(tmp_path):
    rt = FakeRuntime(tmp_path, settings=Settings(base_url="https://api.sunoapi.org", api_key="k"))
    assert settings_view.callback_info(rt) == settings_view.CallbackInfo(None, False, "polling only", None)
    rt.settings = Settings(base_url="https://api.sunoapi.org", api_key="k",
                           public_url="http://127.0.0.1:8501")
    assert settings_view.callback_info(rt).warning  # a hosted provider cannot reach loopback
    rt.simulator = object()  # the embedded simulator can
    assert settings_view.callback_info(rt).warning is None


def test_sim_controls_read_apply_validate(make_simulator):
    running = make_simulator()
    controls = sim_admin.sim_controls(SimpleNamespace(simulator=running))
    state = controls.read()
    assert state.speed == running.sim.config.speed and "rate_429" in state.faults
    names = set(controls.fault_names())
    assert {"latency_ms", "rate_429", "rate_430", "rate_455", "rate_500", "create_timeout",
            "fail_rate", "sensitive_words", "duplicate_callbacks", "late_callbacks",
            "out_of_order_callbacks"} <= names
    new = controls.apply(speed=55, track_seconds=7, credits=123,
                         faults={"rate_429": 0.5, "sensitive_words": ["x"], "duplicate_callbacks": True})
    assert (new.speed, new.track_seconds, new.credits) == (55.0, 7.0, 123)
    assert new.faults["rate_429"] == 0.5 and new.faults["sensitive_words"] == ["x"]
    with pytest.raises(ValueError, match="rate_430"):
        controls.apply(speed=1, faults={"rate_430": 2.0})
    assert controls.read().speed == 55.0  # nothing applied when validation fails
    with pytest.raises(ValueError, match="speed"):
        controls.apply(speed=0)
    with pytest.raises(ValueError, match="unknown"):
        controls.apply(faults={"nope": 1})
    assert controls.reset_faults().faults["rate_429"] == 0.0


def test_sim_controls_age_one_task_or_all_and_set_faults(make_simulator):
    running = make_simulator()
    controls = sim_admin.sim_controls(SimpleNamespace(simulator=running))
    client = SimClient(running.base_url)
    aged, _ = client.song()
    kept, _ = client.song()
    start = running.sim.clock.now()
    assert controls.advance_clock(86400, task_id=aged) - start >= 86400 - 5
    assert running.sim.clock.now(aged) - running.sim.clock.now(kept) >= 86400 - 5
    assert running.sim.clock.now() - start < 5  # nobody else moved
    with pytest.raises(ValueError, match="task_id"):
        controls.advance_clock(1, task_id="no-such-task")
    assert controls.advance_clock(60) - start >= 60
    assert controls.set_faults({"rate_430": 0.25})["rate_430"] == 0.25
    with pytest.raises(ValueError, match="unknown"):
        controls.set_faults({"nope": 1})


def test_no_controls_for_a_real_provider():
    assert sim_admin.sim_controls(SimpleNamespace(simulator=None)) is None


def test_a_slow_read_shows_the_last_known_balance_with_its_age(simulator):
    """The sidebar never goes blank: while a read hangs, the last balance shows with its age."""
    settings = Settings(base_url=simulator.base_url, api_key="k")
    now = [100.0]
    cache = credits_mod.CreditCache(ttl=10, wait=0.2, clock=lambda: now[0])
    first = cache.get(settings)
    assert first.value is not None and first.read_at == 100.0
    gate = threading.Event()
    real = cache._client(settings).credits
    cache._client(settings).credits = lambda: (gate.wait(5), real())[1]
    now[0] += 30  # stale
    reading = cache.get(settings)  # waits 0.2 s, then gives the old balance
    assert reading.value == first.value and reading.refreshing
    value, help_text = sidebar.credits_text(reading, now=130.0)
    assert value == f"{first.value:,}" and "30 s ago" in help_text
    gate.set()


def test_credits_text_words():
    assert sidebar.credits_text(None) == ("…", "Reading the balance.")
    failed = credits_mod.Credits(None, "refused", 1.0)
    assert sidebar.credits_text(failed)[0] == "unavailable"
    old = credits_mod.Credits(480, "timed out", 200.0, read_at=20.0)
    value, text = sidebar.credits_text(old, now=200.0)
    assert value == "480" and "3 min ago" in text and "timed out" in text


def test_every_display_reads_one_balance_that_follows_spending(tmp_path, simulator):
    """`lib.views.balance.current`: the sidebar and a page's lines read one cached value with
    one stamp; a new task (or `spent`) makes the next read ask the provider."""
    from lib.views import balance

    rt = FakeRuntime(tmp_path, settings=Settings(base_url=simulator.base_url, api_key="k"))
    cache = credits_mod.CreditCache(ttl=3600)
    try:
        _one_balance(rt, cache, simulator, balance)
    finally:  # the session's simulator is shared: give it its balance back
        simulator.sim.engine.set_credits(10**6)


def _one_balance(rt, cache, simulator, balance) -> None:
    first = balance.current(rt, cache=cache)
    assert first is not None and first.value == simulator.sim.engine.credits
    simulator.sim.engine.set_credits(first.value - 12)  # spent elsewhere, nothing new logged
    assert balance.current(rt, cache=cache).value == first.value  # cached (fresh for an hour)
    rt.log.create_task("generate", "music", {"prompt": "p"})  # a new task: the stamp moved
    after = balance.current(rt, cache=cache)
    assert after.value == first.value - 12
    facts = sidebar.sidebar_facts(rt, credits=cache)
    assert facts.credits.value == after.value  # the sidebar's stamp is the same one
    simulator.sim.engine.set_credits(7)
    balance.spent(cache)
    assert balance.current(rt, cache=cache).value == 7
    assert (balance.value_text(credits_mod.Credits(1234, None, 0.0)), balance.value_text(None)) \
        == ("1,234", "unavailable")
    assert balance.too_low(credits_mod.Credits(7, None, 0.0), 12)
    assert not balance.too_low(None, 12)
