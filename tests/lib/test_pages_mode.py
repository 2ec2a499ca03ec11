"""lib.app.pages_mode against the installed Streamlit: the multipage-v1 flag it clears is still
where, and still does what, the module assumes. When these fail after a Streamlit upgrade, see
the README's "Upgrading Streamlit"."""

from __future__ import annotations

import pytest
from streamlit.runtime.pages_manager import PagesManager

from lib.app import pages_mode


@pytest.fixture
def fresh_flag(tmp_path):
    """The flag unset, as in a new process, beside a main script with a ``pages/`` folder."""
    before = vars(PagesManager).get(pages_mode.FLAG)
    PagesManager.uses_pages_directory = None
    (tmp_path / "pages").mkdir()
    yield str(tmp_path / "app.py")
    PagesManager.uses_pages_directory = before


def test_a_pages_folder_still_makes_the_first_manager_multipage_v1(fresh_flag):
    assert pages_mode.FLAG in vars(PagesManager), "PagesManager.uses_pages_directory is gone"
    PagesManager(fresh_flag)
    # what pages_mode.disable() is for: without it, a deep link runs its page file alone
    assert PagesManager.uses_pages_directory is True


def test_disable_keeps_every_later_manager_out_of_it(fresh_flag):
    pages_mode.disable()
    PagesManager(fresh_flag)
    PagesManager(fresh_flag)
    assert PagesManager.uses_pages_directory is False
