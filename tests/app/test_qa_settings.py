"""QA thresholds on the Settings page (AppTest): every threshold is a field, bad values are
refused with the field and its limit, and saving judges the stored scorecards again so the
board and the Library show the new flags (no audio decoded)."""

from __future__ import annotations

import dataclasses

import pytest
from streamlit.testing.v1 import AppTest

from lib.qa import thresholds
from lib.qa.thresholds import Thresholds
from lib.views import qa_settings
from tests.app.test_qa_flags import run
from tests.app.pages import texts
from tests.bench.seed import seed_states
from tests.lib.qa import cards


@pytest.fixture
def scored(app_runtime):
    log = app_runtime.log
    ids = seed_states(log, app_runtime.assets_dir)
    cards.store(log, "trk-ok-1", cards.measures(clipped=50))   # a warning under the defaults
    cards.store(log, "trk-ok-2")
    return ids


def settings() -> AppTest:
    return run("settings")


def test_every_threshold_has_a_field_with_the_saved_value(app_runtime):
    thresholds.save(app_runtime.log, Thresholds(gap_fail_seconds=7.5))
    at = settings()
    for f in dataclasses.fields(Thresholds):
        assert at.number_input(key=f"qa-{f.name}").value is not None
    assert at.number_input(key="qa-gap_fail_seconds").value == 7.5
    assert at.number_input(key="qa-clipped_fail").value == 100


def test_saving_rejudges_and_the_board_and_library_follow(scored, app_runtime):
    assert f":orange[⚠ {cards.CLIPPED_50}]" in texts(run("tasks"))
    at = settings()
    at.number_input(key="qa-clipped_fail").set_value(10)
    at.button(key="qa-save").click().run()
    assert not at.exception and not at.error
    assert at.success[0].value.startswith("Saved. 2 scorecards judged again")
    assert thresholds.load(app_runtime.log).clipped_fail == 10
    assert f":red[✖ {cards.CLIPPED_50}]" in texts(run("tasks"))
    library = run("library").dataframe[0].value
    assert f"✖ {cards.CLIPPED_50}" in set(library["QA"])
    # and back to the defaults
    at.button(key="qa-reset").click().run()
    assert at.number_input(key="qa-clipped_fail").value == 100
    assert f":orange[⚠ {cards.CLIPPED_50}]" in texts(run("tasks"))


def test_bad_values_are_refused_with_field_and_limit(scored, app_runtime):
    at = settings()
    at.number_input(key="qa-clipped_warn").set_value(0)
    at.number_input(key="qa-lufs_min_ok").set_value(-5.0)
    at.button(key="qa-save").click().run()
    assert not at.exception
    message = at.error[0].value
    assert "Clipped samples: warn from: 0 is out of range; allowed from 1 to 10,000,000." \
        in message
    assert "Loudness: ok from (LUFS) (-5) must not be above Loudness: ok up to (LUFS) (-8)." \
        in message
    assert thresholds.load(app_runtime.log) == Thresholds()  # nothing saved
    assert f":orange[⚠ {cards.CLIPPED_50}]" in texts(run("tasks"))


def test_validate_in_lib():
    good, errors = qa_settings.validate(Thresholds().to_dict())
    assert good == Thresholds() and not errors
    bad, errors = qa_settings.validate({**Thresholds().to_dict(), "retention_days": "x",
                                        "clipped_fail": 2.5, "days_left_warn": 400})
    assert bad is None
    assert errors == ["Clipped samples: problem from: 2.5 must be a whole number.",
                      "Provider keeps files (days): enter a number from 1 to 365.",
                      "Warn when days left are at most: 400 is out of range; allowed from 0 "
                      "to 365."]


def test_a_visit_logs_no_number_format_warning(app_runtime):
    """Each visit logged four copies of "st.number_input value has type int ... format string
    %.2f" with a stack trace: every float threshold reached its widget as an int."""
    import logging

    caught: list[str] = []

    class Catch(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            caught.append(record.getMessage())

    widget_log = logging.getLogger("streamlit.elements.widgets.number_input")
    handler = Catch(level=logging.WARNING)
    widget_log.addHandler(handler)
    try:
        at = settings()
    finally:
        widget_log.removeHandler(handler)
    assert not at.exception
    assert not [m for m in caught if "format string" in m], caught
