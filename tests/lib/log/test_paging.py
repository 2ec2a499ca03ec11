"""Paging: newest first, and the planned pages (`page_tasks`, `library_tracks`) agree with
the plain listings at any depth, whichever plan `lib.log.sqlite.plans` picks."""

import pytest

from lib.log import TaskFilters, TrackFilters
from lib.log.sqlite import plans
from tests.bench.seed import seed
from tests.lib.log.support import seed_library


def test_list_tasks_paginates_newest_first_in_sql(log):
    ids = seed_library(log)
    assert log.count_tasks() == 25
    page1 = log.list_tasks(limit=10, offset=0)
    page3 = log.list_tasks(limit=10, offset=20)
    assert [t["id"] for t in page1] == ids[::-1][:10]
    assert [t["id"] for t in page3] == ids[::-1][20:]


@pytest.mark.parametrize("filters", [{}, {"op": ["generate"]}, {"op": ["wav", "mp4"]},
                                     {"state": ["failed"]}, {"state": ["pending"]},
                                     {"text": "neon"}])
@pytest.mark.parametrize("offset", [0, 7, 300])
def test_paged_plans_agree_with_the_log(log, filters, offset):
    seed(log, 400, now=2_000_000.0)
    expected = [t["id"] for t in log.list_tasks(limit=9, offset=offset, **filters)]
    assert [t["id"] for t in log.page_tasks(TaskFilters(**filters), limit=9,
                                            offset=offset)] == expected
    matches = log.count_tasks(**filters)
    assert [t["id"] for t in log.page_tasks(TaskFilters(**filters), limit=9, offset=offset,
                                            matches=matches)] == expected


@pytest.mark.parametrize("filters", [{}, {"model": ["V5"]}, {"text": "neon"},
                                     {"min_rating": 3}, {"state": ["processing"]}])
@pytest.mark.parametrize("offset", [0, 30])
def test_library_tracks_agree_with_list_tracks(log, filters, offset):
    """Same rows as `list_tracks`; ties on ``created_at`` never happen in the seeded log."""
    seed(log, 300, now=2_000_000.0)
    expected = [t["id"] for t in log.list_tracks(limit=10, offset=offset, **filters)]
    got = log.library_tracks(TrackFilters(**filters), limit=10, offset=offset)
    assert [t["id"] for t in got] == expected
    assert all({"task_op", "task_model", "task_state", "task_created_at"} <= set(t) for t in got)


def test_scan_in_order_prefers_the_cheaper_plan():
    assert plans.scan_in_order(100_000, 90_000, 10, 0)      # common: walk and stop early
    assert not plans.scan_in_order(100_000, 5, 10, 0)       # rare: seek and sort
    assert not plans.scan_in_order(100_000, 0, 10, 0)
