"""``python -m lib text``: the models of the text server, and drafts streamed to the terminal
as they arrive, each a ``text`` task in the log (the embedded simulator: no keys set)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from lib.cli import main

ROOT = Path(__file__).resolve().parents[2]
PROVIDER_ENV = ("SONGBENCH_API_KEY", "SONGBENCH_API_BASE_URL", "SONGBENCH_API_DIALECT",
                "SONGBENCH_PUBLIC_URL", "SONGBENCH_UPLOAD_BASE_URL", "SONGBENCH_SIM_PORT",
                "SONGBENCH_TEXT_API_KEY", "SONGBENCH_TEXT_BASE_URL", "SONGBENCH_MEDIA_API_KEY",
                "SONGBENCH_MEDIA_BASE_URL")


class Cli:
    def __init__(self, data: Path) -> None:
        self.data = data
        self.env = {k: v for k, v in os.environ.items() if k not in PROVIDER_ENV}
        self.env.update(SONGBENCH_DB=str(data / "songbench.db"),
                        SONGBENCH_ASSETS_DIR=str(data / "assets"), PYTHONUNBUFFERED="1")

    def __call__(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "lib", "text", *args], cwd=ROOT,
                              env=self.env, capture_output=True, text=True, timeout=90)

    def tasks(self) -> list[dict]:
        conn = sqlite3.connect(self.data / "songbench.db")
        conn.row_factory = sqlite3.Row
        try:
            return [dict(r) for r in conn.execute("SELECT * FROM tasks ORDER BY created_at")]
        finally:
            conn.close()


@pytest.fixture(scope="module")
def cli(tmp_path_factory) -> Cli:
    return Cli(tmp_path_factory.mktemp("text-cli"))


def test_models_come_from_the_server(cli):
    done = cli("models", "--json")
    assert done.returncode == 0, done.stderr
    ids = json.loads(done.stdout)
    assert ids and all(isinstance(i, str) for i in ids)
    plain = cli("models")
    assert plain.stdout.split() == ids


def test_a_song_draft_as_json_is_logged_as_a_text_task(cli):
    done = cli("draft", "--kind", "song", "--brief", "a sea shanty about debugging",
               "--music-model", "V4", "--json")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)   # stdout is one JSON object; the stream went to stderr
    assert doc["ok"] and doc["problems"] == [] and doc["kind"] == "song"
    assert set(doc["fields"]) == {"title", "style", "lyrics"}
    assert doc["text"] in done.stderr and doc["first_token_s"] > 0
    row = next(t for t in cli.tasks() if t["id"] == doc["task_id"])
    assert row["family"] == "text" and row["op"] == "text_chat" and row["state"] == "succeeded"
    assert json.loads(row["result_json"])["answer"] == doc["text"]


def test_the_draft_prints_while_it_streams(cli):
    proc = subprocess.Popen([sys.executable, "-m", "lib", "text", "draft", "--kind",
                             "video_prompt", "--brief", "a lighthouse in a storm at night"],
                            cwd=ROOT, env=cli.env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        first = proc.stdout.read(1)   # the first character, while the answer is written
        states = [t["state"] for t in cli.tasks() if t["prompt"] ==
                  "a lighthouse in a storm at night"]
        rest = proc.stdout.read()
        assert proc.wait(timeout=60) == 0, proc.stderr.read() if proc.stderr else ""
    finally:
        proc.kill()
    assert first and states == ["pending"]   # printed before the answer was complete
    assert len(first + rest) > 20
    (row,) = [t for t in cli.tasks() if t["prompt"] == "a lighthouse in a storm at night"]
    assert row["state"] == "succeeded"
    assert json.loads(row["result_json"])["answer"].strip() == (first + rest).strip()


def test_an_unknown_model_is_refused(cli):
    done = cli("draft", "--kind", "image_prompt", "--brief", "x", "--model", "no-such-model")
    assert done.returncode == 2 and "no-such-model" in done.stderr


def test_an_empty_brief_is_refused_before_anything_starts(capsys):
    assert main(["text", "draft", "--kind", "song", "--brief", "  "]) == 2
    assert "brief is empty" in capsys.readouterr().err
