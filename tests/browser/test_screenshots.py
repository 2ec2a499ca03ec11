"""Visit every page (and one task's detail view), save full-page screenshots, and check that no
page shows a Streamlit exception and that the sidebar status panel is on each of them."""

from __future__ import annotations

from tests.browser.harness import goto, screenshot, streamlit_exceptions

PAGES = [("generate", "/", "Generate"), ("transform", "/transform", "Transform"),
         ("voices", "/voices", "Voices"), ("media", "/media", "Media"), ("text", "/text", "Text"),
         ("tasks", "/tasks", "Tasks"),
         ("library", "/library", "Library"), ("demo", "/demo", "Demo"),
         ("checklist", "/checklist", "Launch checklist"),
         ("settings", "/settings", "Settings")]


def _check(page, name: str, title: str | None) -> None:
    page.wait_for_timeout(800)  # lazy widgets (selects, players) replace their skeletons
    assert not streamlit_exceptions(page), f"{name}: {streamlit_exceptions(page)}"
    panel = page.locator(".st-key-sidebar-status")
    panel.wait_for(timeout=15_000)
    # the balance is read in the background: wait for a number, never a blank (the panel
    # refreshes every 5 s and keeps the last known balance while a read is slow)
    page.wait_for_function(
        r"""() => /Credits left:?\s*[\d,]+/.test(
             document.querySelector('.st-key-sidebar-status')?.innerText || '')""",
        timeout=20_000)
    text = panel.inner_text()
    assert "Running tasks" in text and "Tracker" in text and "Credits left" in text, text
    if title:
        assert page.locator("h1").first.inner_text().strip() == title
    screenshot(page, f"page-{name}")


def test_every_page_renders(page, app_server, a_task_id):
    for name, path, title in PAGES:
        goto(page, f"{app_server.url}{path}")
        _check(page, name, title)
    goto(page, f"{app_server.url}/tasks?task={a_task_id}")
    page.locator(f"text={a_task_id[:8]}").first.wait_for(timeout=15_000)
    _check(page, "task-detail", None)


def test_settings_apply_in_browser(page, app_server):
    """The simulator form round-trips through the real server."""
    import httpx

    goto(page, f"{app_server.url}/settings")
    box = page.locator(".st-key-sim-latency_ms input")
    box.fill("25")
    box.press("Tab")
    page.locator(".st-key-sim-apply button").click()
    page.get_by_text("Applied to the simulator.").wait_for(timeout=15_000)
    screenshot(page, "page-settings-applied")
    faults = httpx.get(f"{app_server.sim_url}/_sim/faults", timeout=5).json()  # admin API
    assert faults["latency_ms"] == 25, faults
    httpx.post(f"{app_server.sim_url}/_sim/faults", json={"latency_ms": 0}, timeout=5)
    goto(page, f"{app_server.url}/settings")  # read back after an outside change
    assert page.locator(".st-key-sim-latency_ms input").input_value() == "0"
