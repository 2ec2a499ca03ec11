"""Finding a task again in a real browser: the board's *Details* puts the task in the address
(a reload keeps the detail), *Tasks* in the sidebar leads back to the board, and the short id
of the app's messages opens the task from the address bar."""

from __future__ import annotations

import re

from tests.browser import flows
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


def test_a_cold_deep_link_finds_the_server_at_once_and_lays_out_cards(browser, app_server):
    """The page shell (`lib.app.page_shell`): at ``/tasks`` the frontend does not probe
    ``/tasks/_stcore/health`` first (it is told where the server is), the players' code is
    preloaded with the shell, and the app's stylesheet lays a card out: *Details* at the
    card's top right, each track's cover at the left of its text and player."""
    setup = browser.new_page()
    song = flows.submit_song(setup, app_server.url, "a slow piano ballad for the card layout")
    goto(setup, f"{app_server.url}/tasks")
    flows.wait_for_audio(setup, song, timeout=60)
    setup.context.close()
    context = browser.new_context(viewport={"width": 1400, "height": 900})  # a cold visit
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url.replace(app_server.url, "")))
    goto(page, f"{app_server.url}/tasks")
    card = page.locator(f".st-key-task-{song}")
    card.wait_for(timeout=15_000)
    card.locator("audio").first.wait_for(timeout=15_000)
    assert not [u for u in requests if u.startswith("/tasks/_stcore/")], requests
    audio_js = [i for i, u in enumerate(requests) if re.match(r"/static/js/Audio\.", u)]
    health = [i for i, u in enumerate(requests) if u.startswith("/_stcore/health")]
    assert audio_js and health and audio_js[0] < health[0], requests[:90]
    box = card.bounding_box()
    link = card.get_by_role("link", name="Details").bounding_box()
    assert link["x"] + link["width"] > box["x"] + box["width"] * 0.8        # at the right...
    assert link["y"] < box["y"] + 60                                         # ...at the top
    track = card.locator("[class*=st-key-track-]").first
    cover = track.locator("img[alt^='Cover of']").bounding_box()
    player = track.locator("audio").bounding_box()
    title = track.locator("strong").first.bounding_box()
    assert cover["width"] == 96 and cover["x"] + cover["width"] <= player["x"]
    assert cover["x"] + cover["width"] <= title["x"] and abs(cover["y"] - title["y"]) < 30
    screenshot(page, "board-card-layout")
    context.close()
