"""The app's runtime and the board's modules import without numpy, scipy or pyloudnorm (the QA
measures load them on first use): a quicker start, and a smaller heap for the collector to walk
while pages draw."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("numpy", "scipy", "pyloudnorm", "pandas", "choix", "krippendorff")


def test_runtime_and_board_import_light():
    code = ("import sys; import lib.app.runtime, lib.app.http_routes, lib.views.board, "
            "lib.views.board_live, lib.views.sidebar, lib.qa, lib.qa.tracks, lib.qa.flags; "
            f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         timeout=120, check=True).stdout.strip()
    assert out == "[]"


def test_lazy_names_still_import():
    from lib.qa import Asked, Scorecard, measure_file, scorecard_for_file

    assert callable(measure_file) and callable(scorecard_for_file)
    assert Asked.__name__ == "Asked" and Scorecard.__name__ == "Scorecard"
