"""Tests that read ../shared skip on a user's clone and fail under CI (`tests.shared_contract`)."""

import pytest
from _pytest.outcomes import Failed, Skipped

from tests.shared_contract import in_ci, shared_file


def test_missing_file_skips_outside_ci(monkeypatch, tmp_path):
    monkeypatch.setenv("SONGBENCH_SHARED_DIR", str(tmp_path))
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(Skipped, match="is not there"):
        shared_file("contract/x.yaml")


@pytest.mark.parametrize("value", ["true", "1", "yes"])
def test_missing_file_fails_under_ci(monkeypatch, tmp_path, value):
    monkeypatch.setenv("SONGBENCH_SHARED_DIR", str(tmp_path))
    monkeypatch.setenv("CI", value)
    assert in_ci()
    with pytest.raises(Failed, match="CI needs the published contract"):
        shared_file("contract/x.yaml")


def test_present_file_is_returned(monkeypatch, tmp_path):
    (tmp_path / "contract").mkdir()
    (tmp_path / "contract" / "x.yaml").write_text("a: 1")
    monkeypatch.setenv("SONGBENCH_SHARED_DIR", str(tmp_path))
    assert shared_file("contract/x.yaml").read_text() == "a: 1"
    monkeypatch.setenv("CI", "false")
    assert not in_ci()
