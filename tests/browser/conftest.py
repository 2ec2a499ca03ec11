"""Browser fixtures: the real app in a subprocess, Playwright driving Debian's Chromium.

* `app_server` (session): `streamlit run app.py` on a free port, temp `SONGBENCH_DB` /
  `SONGBENCH_ASSETS_DIR`, fast embedded simulator (`SONGBENCH_SIM_SPEED=40`,
  `SONGBENCH_SIM_TRACK_SECONDS=6`), no key; healthy (`/_stcore/health` == ok) before use.
* `browser` (session): Chromium via `executable_path=/usr/bin/chromium`, autoplay allowed.
* `page` (function): a fresh 1400x900 page; on failure a screenshot `FAILED-<test>.png`.
* `a_task_id` (function): the newest task in the app's log (a song is submitted, and awaited,
  when the log is empty).
* `screenshot(page, name)` / `goto(page, url)`: helpers from `tests.browser.harness`.

Without Chromium (or Playwright) the suite FAILS when `CI` is set and skips otherwise.
"""

from __future__ import annotations

import contextlib
import os

import pytest

from lib.log.sqlite import SqliteLog
from tests.browser import flows, harness
from tests.browser.harness import goto, screenshot  # noqa: F401 - re-exported for tests


def _require_browser() -> None:
    problem = harness.chromium_problem()
    if problem is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"browser tests cannot run in CI: {problem}", pytrace=False)
    print(f"skipping browser tests: {problem}")
    pytest.skip(f"browser tests need Chromium: {problem}")


@pytest.fixture(scope="session")
def app_server():
    _require_browser()
    server = harness.AppServer().start()
    yield server
    if os.environ.get("SONGBENCH_E2E_LOG"):
        print(server.log_tail(200))
    server.stop()


@pytest.fixture(scope="session")
def browser():
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = harness.launch_browser(pw)
        yield chromium
        chromium.close()


_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.stash[_FAILED] = report.failed


@pytest.fixture
def page(browser, app_server, request):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    if request.node.stash.get(_FAILED, False):
        with contextlib.suppress(Exception):
            harness.screenshot(pg, f"FAILED-{request.node.name}")
        print(app_server.log_tail())
    context.close()


@pytest.fixture
def a_task_id(page, app_server) -> str:
    """The newest task in the app's log (a song is submitted when the log is empty)."""
    tasks = SqliteLog(app_server.data_dir / "songbench.db").list_tasks(limit=1)
    if tasks:
        return tasks[0]["id"]
    task_id = flows.submit_song(page, app_server.url, "an upbeat funk tune for a screenshot")
    goto(page, f"{app_server.url}/tasks")
    flows.wait_for_audio(page, task_id, timeout=60)
    return task_id
