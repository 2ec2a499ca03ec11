"""The user's ratings (1-5 or none) and free-text notes on tracks."""

import pytest

from tests.lib import contract_examples as ex
from tests.lib.log.support import new_task, poll


def test_rating_and_notes(log):
    task_id = new_task(log)
    log.mark_submitted(task_id, "p", next_poll_at=0, now=100.0)
    log.apply_poll(task_id, poll("music", ex.MUSIC_RECORD_INFO), next_poll_at=1, now=101.0)
    log.set_rating("8551****662c", 4)
    log.set_notes("8551****662c", "great hook")
    track = log.get_track("8551****662c")
    assert (track["rating"], track["notes"]) == (4, "great hook")
    log.set_rating("8551****662c", None)
    assert log.get_track("8551****662c")["rating"] is None
    for bad in (0, 6, 3.5, "5"):
        with pytest.raises(ValueError):
            log.set_rating("8551****662c", bad)
