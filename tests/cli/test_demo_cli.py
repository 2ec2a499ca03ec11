"""``python -m lib demo list | create | show``: the same playlists as the Demo page, with the
path of each share link; refusals in words with exit code 2."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from lib.cli import main
from lib.log.sqlite import SqliteLog
from lib.review.decisions import decide
from tests.lib.review.support import finished_experiment

ROOT = Path(__file__).resolve().parents[2]
LINK = re.compile(r"^/demo\?playlist=([A-Za-z0-9_-]{8})$")


@pytest.fixture
def env(tmp_path, monkeypatch):
    db, assets = tmp_path / "songbench.db", tmp_path / "assets"
    monkeypatch.setenv("SONGBENCH_DB", str(db))
    monkeypatch.setenv("SONGBENCH_ASSETS_DIR", str(assets))
    log = SqliteLog(db)
    finished_experiment(log, assets, repeats=1)
    decide(log, "warm-1-0", "approve", reviewer="ana", now=1.0)
    decide(log, "bright-1-0", "approve", reviewer="ana", now=2.0)
    return log


def test_create_with_tracks_then_show(env, capsys):
    assert main(["demo", "create", "Two moods", "--track", "warm-1-0", "--track", "bright-1-0",
                 "--subtitle", "For Acme"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Created “Two moods” with 2 takes."
    slug = LINK.match(out[1]).group(1)
    assert main(["demo", "show", slug]) == 0
    text = capsys.readouterr().out
    assert text.startswith(f"Two moods\nFor Acme\nLink: /demo?playlist={slug}\n")
    rows = [line.split("  ")[0:2] for line in text.splitlines()[-2:]]
    assert rows == [["1", "Song warm 1.0"], ["2", "Song bright 1.0"]]
    assert main(["demo", "show", slug, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["title"] == "Two moods" and data["share_path"] == f"/demo?playlist={slug}"
    assert [i["title"] for i in data["items"]] == ["Song warm 1.0", "Song bright 1.0"]
    assert data["items"][0]["duration_text"] == "3:18"


def test_create_all_approved_and_list(env, capsys):
    assert main(["demo", "create", "Everything", "--all-approved"]) == 0
    slug = LINK.match(capsys.readouterr().out.splitlines()[1]).group(1)
    decide(env, "bright-1-0", "reject", reviewer="ana", reason="off key", now=3.0)
    assert main(["demo", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["title", "takes", "hidden", "link"]
    assert lines[1].split() == ["All", "approved", "takes", "1", "-", "/demo?playlist=all"]
    assert lines[2].split() == ["Everything", "1", "1", f"/demo?playlist={slug}"]


def test_refusals(env, capsys):
    assert main(["demo", "create", "P", "--track", "bright-1-1"]) == 2
    assert "“Song bright 1.1” is not approved" in capsys.readouterr().err
    assert main(["demo", "create", " "]) == 2
    assert "Title is required." in capsys.readouterr().err
    assert main(["demo", "show", "nope"]) == 2
    assert "No playlist has the link /demo?playlist=nope" in capsys.readouterr().err


def test_runs_as_a_module(env):
    done = subprocess.run([sys.executable, "-m", "lib", "demo", "show", "all"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("All approved takes\n")
