"""Finding a task again in a real browser: the board's *Details* puts the task in the address
(a reload keeps the detail), *Tasks* in the sidebar leads back to the board, and the short id
of the app's messages opens the task from the address bar."""

from __future__ import annotations

import re

from tests.browser.harness import goto, screenshot, streamlit_exceptions, wait_ready


def _shows_detail(page, task_id: str) -> None:
    page.get_by_text(f"Local id {task_id}").wait_for(timeout=15_000)
    assert page.locator("h1", has_text="Tasks").count() == 0, "the board is drawn too"
    assert not streamlit_exceptions(page), streamlit_exceptions(page)


def _shows_board(page, task_id: str) -> None:
    page.locator(f".st-key-task-{task_id}").wait_for(timeout=15_000)
    assert page.locator("h1").first.inner_text().strip() == "Tasks"
    assert page.get_by_text(f"Local id {task_id}").count() == 0, "still on the detail"
    assert "task=" not in page.url, page.url


def _sidebar_tasks(page) -> None:
    page.locator("[data-testid=stSidebarNav] a[href$='/tasks']").click()
    page.wait_for_url(re.compile(r"/tasks$"), timeout=15_000)
    wait_ready(page)


def test_details_reload_and_back_to_the_board(page, app_server, a_task_id):
    goto(page, f"{app_server.url}/tasks")
    card = page.locator(f".st-key-task-{a_task_id}")
    card.wait_for(timeout=15_000)
    card.get_by_role("link", name="Details").click()
    page.wait_for_url(re.compile(rf"\?task={a_task_id}$"), timeout=15_000)
    wait_ready(page)
    _shows_detail(page, a_task_id)
    screenshot(page, "task-detail-from-details")

    page.reload(wait_until="domcontentloaded")
    wait_ready(page)
    assert f"?task={a_task_id}" in page.url, page.url
    _shows_detail(page, a_task_id)

    _sidebar_tasks(page)
    _shows_board(page, a_task_id)


def test_the_short_id_of_the_messages_opens_the_task(page, app_server, a_task_id):
    goto(page, f"{app_server.url}/tasks?task={a_task_id[:8]}")
    page.wait_for_url(re.compile(rf"\?task={a_task_id}$"), timeout=15_000)  # named in full
    wait_ready(page)
    _shows_detail(page, a_task_id)
    _sidebar_tasks(page)
    _shows_board(page, a_task_id)
    goto(page, f"{app_server.url}/tasks?task=zz-no-such-task")
    page.get_by_text("No task has the id “zz-no-such-task”").wait_for(timeout=15_000)
