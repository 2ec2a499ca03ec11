"""AppTest of the sidebar status panel and the Settings page (simulator and real-provider modes)."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib.app import runtime
from lib.provider.credits import CREDITS
from lib.provider.redaction import MASK

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = str(ROOT / "pages" / "settings.py")
SECRET_KEY = "sk-test-SECRET-do-not-show-4711"


def _sidebar_script():
    from pages.components.sidebar import render_sidebar

    render_sidebar()


def _all_text(at: AppTest) -> str:
    """Every element's protobuf, as text (catches values hidden in help texts too)."""
    return "\n".join(str(node.proto) for node in _walk(at._tree) if hasattr(node, "proto"))


def _walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


@pytest.fixture
def real_provider(tmp_path, monkeypatch):
    """A configured (but unreachable) real provider: key set, no simulator."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = s.getsockname()[1]
    for name in ("SONGBENCH_PUBLIC_URL", "SONGBENCH_UPLOAD_BASE_URL", "SONGBENCH_API_DIALECT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SONGBENCH_API_KEY", SECRET_KEY)
    monkeypatch.setenv("SONGBENCH_API_BASE_URL", f"http://127.0.0.1:{dead}")
    monkeypatch.setenv("SONGBENCH_DB", str(tmp_path / "songbench.db"))
    monkeypatch.setenv("SONGBENCH_ASSETS_DIR", str(tmp_path / "assets"))
    runtime.reset_runtime()
    CREDITS.invalidate()
    rt = runtime.get_runtime()
    assert rt.simulator is None
    yield rt
    runtime.reset_runtime()
    CREDITS.invalidate()


@pytest.fixture
def navigation_mode(monkeypatch):
    """AppTest re-detects the `pages/` folder on every run and would run a page file alone
    (multipage v1); `app.py` uses `st.navigation`, as the real server does (lib.app.http_routes)."""
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


@pytest.mark.parametrize("page,title", [("pages/generate.py", "Generate"),
                                        ("pages/transform.py", "Transform"),
                                        ("pages/tasks.py", "Tasks"),
                                        ("pages/library.py", "Library"),
                                        ("pages/voices.py", "Voices"),
                                        ("pages/demo.py", "Demo"),
                                        ("pages/checklist.py", "Launch checklist"),
                                        ("pages/settings.py", "Settings")])
def test_app_shows_the_sidebar_on_every_page(app_runtime, navigation_mode, page, title):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    if page != "pages/generate.py":
        at.switch_page(page).run()
    assert not at.exception, at.exception
    assert at.title[0].value == title
    text = " ".join(m.value for m in at.sidebar.markdown)
    assert "Embedded simulator" in text and "Running tasks" in text
    assert "stopped" in text  # AppTest has no lifespan, so no tracker loop


def _running(at: AppTest) -> str:
    text = " ".join(m.value for m in at.sidebar.markdown)
    return text.split("Running tasks: ", 1)[1].split()[0]


def test_sidebar_counts_what_the_page_just_did(app_runtime, navigation_mode):
    """The panel is drawn after the page, so the very run that submits a song counts it (it
    used to show the count from before the submit until its next tick); a task finishing
    elsewhere shows on the next run of the panel."""
    from lib.views import board
    from pages.components import sidebar

    assert sidebar.REFRESH_S <= board.REFRESH_SECONDS  # never staler than the board
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception, at.exception
    assert _running(at) == "**0**"
    at.text_area(key="generate.prompt").input("a calm piano song about rain").run()
    at.button(key="generate.submit").click().run()
    assert not at.exception, at.exception
    [task] = app_runtime.log.list_tasks()
    assert task["state"] in ("pending", "processing")  # AppTest runs no tracker loop
    assert _running(at) == "**1**"
    app_runtime.log.mark_failed(task["id"], 500, "gone")
    at.run()
    assert _running(at) == "**0**"


def _balances(at: AppTest) -> tuple[str, str]:
    """(the sidebar's "Credits left", the page's "balance") as shown."""
    side = " ".join(m.value for m in at.sidebar.markdown).split("Credits left: **", 1)[1]
    main = " ".join(m.value for m in at.main.markdown).split("balance **", 1)[1]
    return side.split("**", 1)[0], main.split("**", 1)[0]


def test_the_cost_line_and_the_sidebar_show_one_balance_after_a_submit(app_runtime,
                                                                        navigation_mode):
    """The cost line used to be read before the submit (500) while the sidebar, drawn after
    the page, showed 488."""
    CREDITS.invalidate()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert _balances(at) == ("500", "500")
    at.text_area(key="generate.prompt").input("a calm piano song about rain").run()
    at.button(key="generate.submit").click().run()
    assert not at.exception, at.exception
    assert app_runtime.simulator.sim.engine.credits == 488
    assert _balances(at) == ("488", "488")


def test_the_checklist_and_the_sidebar_show_one_balance_after_a_run(app_runtime,
                                                                     navigation_mode):
    """After a checklist run its cost line kept the balance from before the run."""
    CREDITS.invalidate()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page("pages/checklist.py").run()
    assert _balances(at) == ("500", "500")
    at.multiselect(key="checks-chosen").set_value(["creation"]).run()
    at.button(key="checks-run").click().run()
    assert not at.exception, at.exception
    spent = str(app_runtime.simulator.sim.engine.credits)
    assert spent != "500" and _balances(at) == (spent, spent)


def test_sidebar_with_simulator(app_runtime):
    CREDITS.invalidate()
    app_runtime.log.create_task("generate", "music", {"prompt": "x"})
    at = AppTest.from_function(_sidebar_script, default_timeout=30).run()
    assert not at.exception
    text = " ".join(m.value for m in at.sidebar.markdown)
    assert "Embedded simulator" in text and "`sunoapi` dialect" in text
    assert "not set (not needed)" in text
    assert "Running tasks: **1**" in text
    assert "Tracker:" in text and "Callbacks:" in text
    assert f"Credits left: **{app_runtime.simulator.sim.engine.credits:,}**" in text
    assert not at.sidebar.metric  # Markdown only: no extra JS chunks on a first visit


def test_sidebar_real_provider_dead_is_fast_and_hides_key(real_provider):
    started = time.monotonic()
    at = AppTest.from_function(_sidebar_script, default_timeout=30).run()
    assert time.monotonic() - started < 10
    assert not at.exception
    text = " ".join(m.value for m in at.sidebar.markdown)
    assert "127.0.0.1" in text and ":green[configured]" in text
    assert "Credits left: **unavailable**" in text
    assert SECRET_KEY not in _all_text(at) and "SECRET" not in _all_text(at)


def test_settings_page_simulator_read_and_apply(app_runtime):
    at = AppTest.from_file(SETTINGS, default_timeout=30).run()
    assert not at.exception
    assert [m.value for m in at.metric] == ["Simulator", "sunoapi", "not set"]
    assert [s.value for s in at.subheader] == ["Provider", "Callbacks", "QA thresholds", "Simulator"]
    sim = app_runtime.simulator.sim
    assert at.number_input(key="sim-speed").value == sim.config.speed
    assert at.number_input(key="sim-track_seconds").value == sim.config.track_seconds
    for name in sim.faults.get().to_dict():  # every fault has a widget
        assert at.session_state[f"sim-{name}"] is not None
    at.number_input(key="sim-speed").set_value(33.0)
    at.number_input(key="sim-track_seconds").set_value(9.0)
    at.number_input(key="sim-rate_430").set_value(0.2)
    at.number_input(key="sim-latency_ms").set_value(50)
    at.text_input(key="sim-sensitive_words").set_value("forbidden, banana")
    at.checkbox(key="sim-out_of_order_callbacks").check()
    at.button(key="sim-apply").click().run()
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == ["Applied to the simulator."]
    faults = sim.faults.get()
    assert (sim.config.speed, sim.config.track_seconds) == (33.0, 9.0)
    assert faults.rate_430 == 0.2 and faults.latency_ms == 50 and faults.out_of_order_callbacks
    assert faults.sensitive_words == ["forbidden", "banana"]
    # an outside change (admin API) shows up on the next run
    sim.faults.merge({"fail_rate": 0.5})
    at.run()
    assert at.number_input(key="sim-fail_rate").value == 0.5
    at.button(key="sim-reset").click().run()
    assert sim.faults.get().rate_430 == 0.0
    assert at.number_input(key="sim-rate_430").value == 0.0
    sim.faults.merge({"latency_ms": 0})


def test_settings_page_groups_the_media_and_text_faults_and_applies_them(app_runtime):
    """Each fault is worded and shown in its family's group; the media and text ones apply
    like the music ones."""
    at = AppTest.from_file(SETTINGS, default_timeout=30).run()
    assert not at.exception
    shown = [m.value for m in at.markdown if m.value.startswith("*") and not m.value.startswith("**")]
    assert shown == ["*Every provider*", "*Music (AI Music API)*", "*Music callbacks*",
                     "*Media (DashScope, Kling)*", "*Text (OpenAI-compatible)*"]
    labels = {w.label for w in [*at.number_input, *at.checkbox, *at.text_input]}
    assert {"Rate limited (HTTP 429) rate, media create", "Unavailable (HTTP 503) rate, media create",
            "Errors in the gateway's shape", "Rate limited (HTTP 429) rate, text",
            "Unavailable (HTTP 503) rate, text"} <= labels
    assert not any("_" in label for label in labels)  # no raw knob names
    at.number_input(key="sim-rate_429_media").set_value(0.25)
    at.number_input(key="sim-rate_503_text").set_value(0.5)
    at.checkbox(key="sim-gateway_errors").check()
    at.button(key="sim-apply").click().run()
    assert [s.value for s in at.success] == ["Applied to the simulator."]
    faults = app_runtime.simulator.sim.faults.get()
    assert (faults.rate_429_media, faults.rate_503_text, faults.gateway_errors) == (0.25, 0.5, True)
    at.button(key="sim-reset").click().run()
    assert app_runtime.simulator.sim.faults.get().gateway_errors is False


def test_settings_credits_only_written_when_changed(app_runtime):
    at = AppTest.from_file(SETTINGS, default_timeout=30).run()
    engine = app_runtime.simulator.sim.engine
    engine.set_credits(321)  # spent meanwhile; the form still shows the old balance
    at.button(key="sim-apply").click().run()
    assert engine.credits == 321
    at.number_input(key="sim-credits").set_value(1000)
    at.button(key="sim-apply").click().run()
    assert engine.credits == 1000


def test_settings_page_real_provider(real_provider):
    at = AppTest.from_file(SETTINGS, default_timeout=30).run()
    assert not at.exception
    assert [s.value for s in at.subheader] == ["Provider", "Callbacks", "QA thresholds"]  # no simulator section
    assert at.metric[2].value == "set"
    text = _all_text(at)
    assert SECRET_KEY not in text and "SECRET" not in text
    assert "secrets.toml" in text and "SONGBENCH_API_KEY" in text
    assert any("polling only" in m.value for m in at.markdown)


def test_settings_page_masks_callback_secret(real_provider, monkeypatch):
    monkeypatch.setenv("SONGBENCH_PUBLIC_URL", "https://bench.example.com")
    runtime.reset_runtime()
    rt = runtime.get_runtime()
    at = AppTest.from_file(SETTINGS, default_timeout=30).run()
    codes = [c.value for c in at.code]
    assert f"https://bench.example.com/api/callbacks/{MASK}" in codes
    assert rt.callback_secret not in _all_text(at)
