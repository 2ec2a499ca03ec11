"""AppTest of the Launch checklist page: cost shown before running, a run kept and shown with
its evidence, exports offered."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from lib import checklist

PAGE = "../../pages/checklist.py"


def test_cost_first_then_results_and_exports(app_runtime):
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value == "Launch checklist"
    text = " ".join(m.value for m in at.markdown)
    # lyrics 2 + wav 2 + song 12 + lyrics 2 (the media and text requests cost no credits)
    assert "Cost of this run: about **18** credits" in text
    for title in ("Image creation", "Video task creation", "Video polling to a final state",
                  "Expired or invalid task ids", "Both error shapes",
                  "Rate-limit messages (media, text)", "Content refusals (images, video, text)",
                  "Text: models and a chat completion"):
        assert f"**{title}**" in text
    assert text.count("never run") == len(checklist.CHECKS) == 15
    at.multiselect(key="checks-chosen").set_value(["failure"]).run()
    assert "about **2** credits" in " ".join(m.value for m in at.markdown)
    at.button(key="checks-run").click().run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert ":green-badge[pass] **Failed-task display**" in text
    assert text.count("never run") == 14
    rows = app_runtime.log.check_results()
    assert [r["check_key"] for r in rows] == ["failure"] and rows[0]["status"] == "pass"
    assert {b.label for b in at.get("download_button")} == {"Export results (CSV)",
                                                             "Export results (JSON)"}
