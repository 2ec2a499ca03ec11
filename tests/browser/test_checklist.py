"""Run the whole launch checklist in the real app (its own server: the storage check moves the
simulator's clock 16 days): every check passes, results and exports are shown."""

from __future__ import annotations

from tests.browser.harness import AppServer, goto, screenshot, streamlit_exceptions


def test_run_the_launch_checklist(browser):
    with AppServer() as server:
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        try:
            goto(page, f"{server.url}/checklist")
            page.locator(".st-key-checks-run button").click()
            page.get_by_text("Checks done").wait_for(timeout=180_000)
            page.get_by_text("Export results (CSV)").wait_for(timeout=30_000)
            assert not streamlit_exceptions(page)
            for key in ("creation", "polling", "callbacks", "duplicates", "failure", "storage",
                        "policy", "image", "video_creation", "video_polling", "expired",
                        "error_shapes", "media_limits", "media_policy", "text"):
                card = page.locator(f".st-key-check-{key}")
                assert "pass" in card.inner_text().split("\n")[0], card.inner_text()
            screenshot(page, "flow-launch-checklist")
        finally:
            context.close()
