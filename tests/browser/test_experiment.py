"""A 2 x 2 experiment in the browser: typed axes, the confirmation, the queue and tracker run
it against the simulator to completion, a cell plays, and the results download as CSV."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from tests.browser import flows
from tests.browser.harness import goto, screenshot, streamlit_exceptions, wait_ready

PLAY_FIRST = """async () => {
  const a = [...document.querySelectorAll('.st-key-cell-0-1 audio')].find(e => e.getAttribute('src'));
  if (!a) return false;
  a.loop = true;
  await a.play();
  window.__expAudio = a;
  return true;
}"""


def fetch_link(page, label: str, timeout: float = 90_000) -> tuple[str, bytes]:
    """Follow one of the results page's file links as the browser would (its cookies, its
    URL): the name the answer gives the file and its bytes."""
    href = page.get_by_role("link", name=label).get_attribute("href")
    answer = page.request.get(href, timeout=timeout)
    assert answer.ok, (href, answer.status)
    disposition = answer.headers.get("content-disposition", "")
    found = re.search(r'attachment; filename="([^"]+)"', disposition)
    assert found, disposition
    return found.group(1), answer.body()


def export_csv(page) -> list[dict]:
    name, body = fetch_link(page, "Export CSV")
    assert name.endswith(".csv"), name
    return list(csv.DictReader(io.StringIO(body.decode())))


def offline_report_plays(page, report: Path) -> None:
    """Open the downloaded report with the network off: its 8 players play, covers show."""
    context = page.context.browser.new_context(offline=True)
    try:
        view = context.new_page()
        view.goto(report.resolve().as_uri())
        assert view.title() == "Browser grid · Songbench report"
        assert view.locator("audio").count() == 8
        assert view.locator("text=needs the provider's link").count() == 0
        played = view.evaluate("""async () => {
            const out = [];
            for (const a of document.querySelectorAll('audio')) {
                a.muted = true;
                await a.play();
                await new Promise(r => setTimeout(r, 300));
                out.push(a.currentTime > 0 && !a.error);
                a.pause();
            }
            return out; }""")
        assert played == [True] * 8, played
        covers = view.evaluate("() => [...document.querySelectorAll('.take img')]"
                               ".map(i => i.complete && i.naturalWidth > 0)")
        assert covers and all(covers), covers
        screenshot(view, "flow-experiment-report")
    finally:
        context.close()


def test_a_two_by_two_grid_runs_plays_and_exports(page, app_server, tmp_path):
    flows.new_experiment(page, app_server.url, "Browser grid")
    flows.custom_mode(page, "Piano sketch")
    flows.commit_text(page, ".st-key-field-generate-prompt textarea", "a short piano sketch")
    flows.commit_text(page, ".st-key-exp-axis0 textarea", "warm\nbright")
    page.get_by_role("button", name="Add an axis").click()
    wait_ready(page)
    flows.pick_option(page, ".st-key-exp-axis1", r"^Model \(model\)$", search="Model")
    flows.commit_text(page, ".st-key-exp-axis1 textarea", "V5\nV4_5")
    page.get_by_role("button", name=re.compile(r"^Run 4 calls")).click()
    wait_ready(page)
    screenshot(page, "flow-experiment-confirm")
    page.get_by_role("button", name="Confirm and queue").click()
    page.wait_for_url(re.compile(r"/experiments\?id=[0-9a-f]{32}"), timeout=30_000)
    experiment_id = re.search(r"id=([0-9a-f]{32})", page.url).group(1)

    # the queue sends, the tracker follows: four cells succeed without a reload
    page.wait_for_function(
        "() => [...document.querySelectorAll('[class*=\"st-key-cell-\"]')]"
        ".filter(e => e.innerText.includes('Succeeded')).length === 4", timeout=120_000)
    assert page.locator(".st-key-variant-0").inner_text().startswith("warm · V5")
    assert page.evaluate(PLAY_FIRST)
    page.wait_for_function("() => window.__expAudio && window.__expAudio.currentTime > 0.3",
                           timeout=15_000)
    screenshot(page, "flow-experiment-grid")

    rows = export_csv(page)
    for _ in range(60):  # the archiver copies the takes in the background
        if all(r["local_audio"] for r in rows):
            break
        page.wait_for_timeout(500)
        rows = export_csv(page)
    assert len(rows) == 8  # 4 cells x 2 takes
    assert {r["experiment_id"] for r in rows} == {experiment_id}
    assert {(r["variant"], r["state"]) for r in rows} == {
        ("warm · V5", "succeeded"), ("warm · V4_5", "succeeded"),
        ("bright · V5", "succeeded"), ("bright · V4_5", "succeeded")}
    assert all(r["request.prompt"] == "a short piano sketch" and r["s_to_complete"]
               for r in rows)

    assert all(r["local_audio"] for r in rows), "the takes were not archived"
    # the report (8 takes' audio inside) is made when its link is followed: a click opens
    # a tab that downloads it under its name
    downloads: list = []
    page.on("download", lambda d: downloads.append(d))  # Chromium may give it to the opener
    page.context.on("page", lambda tab: tab.on("download", lambda d: downloads.append(d)))
    page.get_by_role("link", name="Report (HTML)").click()
    for _ in range(180):
        if downloads:
            break
        page.wait_for_timeout(500)
    assert downloads, "following the report link downloaded nothing"
    assert downloads[0].suggested_filename.endswith("-report.html")
    report = tmp_path / downloads[0].suggested_filename
    downloads[0].save_as(report)
    offline_report_plays(page, report)

    goto(page, f"{app_server.url}/experiments?id={experiment_id}&view=summary")
    page.get_by_text("Per variant").wait_for(timeout=30_000)
    screenshot(page, "flow-experiment-summary")
    assert not streamlit_exceptions(page)
