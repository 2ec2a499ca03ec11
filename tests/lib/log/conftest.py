"""Every test here gets a fresh `SqliteLog` on a temp file (`log`)."""

import pytest

from lib.log.sqlite import SqliteLog


@pytest.fixture
def log(tmp_path):
    return SqliteLog(tmp_path / "log.db")
