"""`python -m lib experiment ...` run for real: a subprocess per command, on a temp data dir, with
the embedded simulator (fast) started by the command itself, or the "app's" simulator already
serving the data dir (the command attaches to it)."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from lib.experiments import grid
from lib.log.sqlite import SqliteLog
from simulator.config import SimConfig
from simulator.server import run_in_thread
from tests.conftest import FAST

ROOT = Path(__file__).resolve().parents[2]
PROVIDER_ENV = ("SONGBENCH_API_KEY", "SONGBENCH_API_BASE_URL", "SONGBENCH_API_DIALECT",
                "SONGBENCH_PUBLIC_URL", "SONGBENCH_UPLOAD_BASE_URL", "SONGBENCH_SIM_PORT")
SHEET = ("variant,style,model,prompt,customMode,instrumental,title\n"
         "rock,rock,V5,a song about the sea,true,false,Sea\n"
         "jazz,jazz,V4_5,a song about the sea,true,false,Sea\n")
BAD_SHEET = ("variant,style,colour,instrumental\n"
             "a,rock,red,maybe\n"
             "b,jazz,blue,no\n")
BASE = '{"customMode": false, "prompt": "a song about the sea", "model": "V5"}'
HEX32 = re.compile(r"^[0-9a-f]{32}$")


class Cli:
    """Runs `python -m lib` with its own data dir (log, assets, simulator folder)."""

    def __init__(self, data: Path) -> None:
        self.data = data
        data.mkdir(parents=True, exist_ok=True)
        (data / "grid.csv").write_text(SHEET)
        (data / "bad.csv").write_text(BAD_SHEET)
        self.env = {k: v for k, v in os.environ.items() if k not in PROVIDER_ENV}
        self.env.update(SONGBENCH_DB=str(data / "songbench.db"),
                        SONGBENCH_ASSETS_DIR=str(data / "assets"), SONGBENCH_SIM_SPEED="200",
                        SONGBENCH_SIM_TRACK_SECONDS="4", SONGBENCH_SIM_CREDITS="5000",
                        PYTHONUNBUFFERED="1")

    def __call__(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "lib", *args], cwd=ROOT, env=self.env,
                              capture_output=True, text=True, timeout=timeout)

    @property
    def log(self) -> SqliteLog:
        return SqliteLog(self.data / "songbench.db")


@pytest.fixture(scope="module")
def cli(tmp_path_factory) -> Cli:
    return Cli(tmp_path_factory.mktemp("cli"))


@pytest.fixture(scope="module")
def ran(cli):
    """A 2 x 2 grid (two variant rows, two repeats) sent and followed by the CLI."""
    done = cli("experiment", "run", str(cli.data / "grid.csv"), "--repeats", "2", "--wait",
               "--json", "--name", "Sea 2x2", "--timeout", "45")
    assert done.returncode == 0, done.stderr
    return done


def test_run_wait_json_sends_every_cell_and_prints_one_object(cli, ran):
    doc = json.loads(ran.stdout)  # the whole of stdout is one JSON object
    assert doc["name"] == "Sea 2x2" and doc["op"] == "generate" and HEX32.match(doc["experiment_id"])
    assert doc["status"] == "done" and doc["finished"] is True and doc["unsent"] == []
    tasks = doc["tasks"]
    assert sorted((t["variant"], t["repeat"]) for t in tasks) == [
        ("jazz", 1), ("jazz", 2), ("rock", 1), ("rock", 2)]
    assert {t["state"] for t in tasks} == {"succeeded"}
    for t in tasks:
        assert HEX32.match(t["task_id"]) and t["provider_task_id"]
        assert 0 <= t["s_to_text"] <= t["s_to_first"] <= t["s_to_complete"] < 30
        assert t["credits"] == 12 and t["error"] is None
        assert len(t["tracks"]) == 2
        for track in t["tracks"]:
            assert track["audio_url"].startswith("http://127.0.0.1:")
            assert Path(track["local_audio"]).is_file()  # archived before the CLI printed
    # the provider got each variant's own body, once per cell
    sent = {t["id"]: t for t in cli.log.experiment_tasks(doc["experiment_id"])}
    assert len(sent) == 4
    for t in tasks:
        body = json.loads(sent[t["task_id"]]["request_json"])
        assert body["style"] == t["variant"]
        assert body["model"] == {"rock": "V5", "jazz": "V4_5"}[t["variant"]]
    # the plan came first, progress per variant on stderr
    assert "2 variants, 4 calls to Generate music" in ran.stderr
    assert "Credits: 48 (12 per call); the balance is 5000." in ran.stderr
    assert "Sending takes under a second" in ran.stderr
    assert re.search(r"\] rock: 2 succeeded", ran.stderr)
    assert re.search(r"\] jazz: 2 succeeded", ran.stderr)


def test_export_csv_and_json_by_prefix(cli, ran):
    exp_id = json.loads(ran.stdout)["experiment_id"]
    out = cli("experiment", "export", exp_id[:8], "--format", "csv")
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert len(rows) == 8  # one per track: 4 tasks x 2 tracks
    assert {r["experiment_id"] for r in rows} == {exp_id}
    assert {(r["variant"], r["request.style"], r["state"]) for r in rows} == {
        ("rock", "rock", "succeeded"), ("jazz", "jazz", "succeeded")}
    assert all(float(r["s_to_complete"]) >= 0 and r["audio_url"] for r in rows)
    out = cli("experiment", "export", exp_id[:6], "--format", "json")
    doc = json.loads(out.stdout)
    assert doc["experiment"]["id"] == exp_id and doc["experiment"]["name"] == "Sea 2x2"
    assert len(doc["rows"]) == 8
    target = cli.data / "export.csv"
    out = cli("experiment", "export", exp_id, "-o", str(target))
    assert out.returncode == 0 and target.read_text().count("\n") == 9


def test_report_to_html_and_zip(cli, ran):
    exp_id = json.loads(ran.stdout)["experiment_id"]
    page = cli.data / "report.html"
    out = cli("experiment", "report", exp_id[:8], "--out", str(page))
    assert out.returncode == 0, out.stderr
    assert "Wrote the report of “Sea 2x2”" in out.stderr
    text = page.read_text()
    assert "<title>Sea 2x2 · Songbench report</title>" in text
    assert text.count("<audio controls") == 8
    assert "<h2>QA scorecards</h2>" in text  # the default sections ride along
    packed = cli.data / "report.zip"
    assert cli("experiment", "report", exp_id, "-o", str(packed)).returncode == 0
    with zipfile.ZipFile(packed) as z:
        assert "report.html" in z.namelist()
    out = cli("experiment", "report", "nope-nope", "--out", str(page))
    assert out.returncode == 2 and "nope-nope" in out.stderr


def test_list_and_status(cli, ran):
    exp_id = json.loads(ran.stdout)["experiment_id"]
    listed = json.loads(cli("experiment", "list", "--json").stdout)["experiments"]
    mine = next(e for e in listed if e["id"] == exp_id)
    assert (mine["name"], mine["status"], mine["cells"], mine["sent"], mine["queued"]) == (
        "Sea 2x2", "done", 4, 4, 0)
    status = json.loads(cli("experiment", "status", exp_id[:10], "--json").stdout)
    assert status["progress"]["rock"]["succeeded"] == 2
    assert [s["variant"] for s in status["summary"]] == ["rock", "jazz"]
    assert all(s["calls"] == 2 and s["success rate"] == 1.0 for s in status["summary"])
    text = cli("experiment", "status", exp_id[:10]).stdout
    assert "Sea 2x2" in text and "done" in text


def test_a_refused_sheet_exits_2_naming_row_column_and_reason_and_queues_nothing(cli, ran):
    before = len(cli.log.list_experiments())
    out = cli("experiment", "run", str(cli.data / "bad.csv"), "--base", BASE, "--wait")
    assert out.returncode == 2 and out.stdout == ""
    lines = out.stderr.splitlines()
    assert any(line.startswith("Row 1, column colour: not a field of Generate music")
               for line in lines)
    assert "Row 2, column instrumental: “maybe” is not true or false" in lines
    assert lines[-1].startswith("Nothing was queued")
    assert len(cli.log.list_experiments()) == before and cli.log.queued_count() == 0


def test_bad_arguments_are_refused_in_words(cli):
    out = cli("experiment", "run", str(cli.data / "grid.csv"), "--base", '{"colour": 1}')
    assert out.returncode == 2 and "--base, field colour: not a field of Generate music" in out.stderr
    out = cli("experiment", "run", str(cli.data / "missing.csv"))
    assert out.returncode == 2 and "missing.csv: no such file" in out.stderr
    out = cli("experiment", "status", "abc")
    assert out.returncode == 2 and "at least 6 characters" in out.stderr
    out = cli("experiment", "status", "ffffffffff")
    assert out.returncode == 2 and "No experiment has an id starting with “ffffffffff”" in out.stderr


def test_dry_run_plans_and_queues_nothing(cli):
    before = len(cli.log.list_experiments())
    out = cli("experiment", "run", str(cli.data / "grid.csv"), "--repeats", "30", "--dry-run",
              "--json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["dry_run"] is True and doc["calls"] == 60 and doc["credits"] == 720
    assert doc["send_seconds"] == grid.send_seconds(60) == 31.5  # 19 per window, 4 windows
    assert "about 32 s" in out.stderr and "Dry run: nothing was queued." in out.stderr
    assert len(cli.log.list_experiments()) == before


def test_queue_pause_wait_resume_wait_then_cancel_is_refused(cli):
    out = cli("experiment", "run", str(cli.data / "grid.csv"), "--name", "Later")
    assert out.returncode == 0, out.stderr
    exp_id = re.search(r"Queued experiment ([0-9a-f]{32})", out.stdout).group(1)
    assert f"/experiments?id={exp_id}" in out.stdout and "make run" in out.stdout
    log = cli.log
    assert log.experiment_tasks(exp_id) == []  # queued, not sent: the app sends it
    prefix = exp_id[:7]
    assert cli("experiment", "pause", prefix).returncode == 0
    assert log.get_experiment(exp_id)["status"] == "paused"
    # following a paused experiment sends nothing and says how to go on
    out = cli("experiment", "wait", prefix, "--json", "--timeout", "20")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["status"] == "paused" and doc["tasks"] == [] and len(doc["unsent"]) == 2
    assert "paused with 2 cells queued" in out.stderr
    assert log.experiment_tasks(exp_id) == []
    assert cli("experiment", "resume", prefix).returncode == 0
    assert log.get_experiment(exp_id)["status"] == "running"
    out = cli("experiment", "wait", prefix, "--json", "--timeout", "45")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["status"] == "done" and [t["state"] for t in doc["tasks"]] == ["succeeded"] * 2
    out = cli("experiment", "cancel", prefix)
    assert out.returncode == 1 and "is done: it cannot be cancelled" in out.stderr


def test_cancel_drops_the_queued_cells(cli):
    out = cli("experiment", "run", str(cli.data / "grid.csv"), "--repeats", "3", "--json")
    exp_id = json.loads(out.stdout)["experiment_id"]
    out = cli("experiment", "cancel", exp_id[:8])
    assert out.returncode == 0 and "6 cells dropped" in out.stdout
    log = cli.log
    assert {c["status"] for c in log.experiment_cells(exp_id)} == {"cancelled"}
    assert log.get_experiment(exp_id)["status"] == "cancelled" and log.queued_count() == 0
    out = cli("experiment", "resume", exp_id[:8])
    assert out.returncode == 1 and "is cancelled" in out.stderr


def test_attaches_to_the_simulator_the_app_is_running(tmp_path):
    cli = Cli(tmp_path)
    app_sim = run_in_thread(SimConfig(**{**FAST, "data_dir": tmp_path / "simulator"}))
    try:
        out = cli("experiment", "run", str(tmp_path / "grid.csv"), "--wait", "--json",
                  "--timeout", "45")
        assert out.returncode == 0, out.stderr  # no "in use by another simulator"
        doc = json.loads(out.stdout)
        assert [t["state"] for t in doc["tasks"]] == ["succeeded"] * 2
        for t in doc["tasks"]:
            assert app_sim.sim.engine.get(t["provider_task_id"]) is not None
            assert all(tr["audio_url"].startswith(app_sim.base_url) for tr in t["tracks"])
        # the app's simulator spent the credits: it is the one the CLI asked for the balance
        assert f"the balance is {FAST['credits']}." in out.stderr
    finally:
        app_sim.stop()


def test_an_image_grid_runs_with_op_qwen_image(cli):
    """`--op qwen_image`: a sheet of cover prompts, billed by DashScope (no credits counted),
    sent at its own limit and followed to its archived pictures."""
    (cli.data / "covers.csv").write_text("variant,prompt\nneon,Album cover: neon city at night\n"
                                         "dawn,Album cover: misty dawn\n")
    done = cli("experiment", "run", str(cli.data / "covers.csv"), "--op", "qwen_image", "--wait",
               "--json", "--timeout", "45")
    assert done.returncode == 0, done.stderr
    assert "Cost: billed by DashScope (Media API), not in music credits" in done.stderr
    assert "at its own limit of 10 creates per 10 s" in done.stderr
    assert "Credits:" not in done.stderr
    doc = json.loads(done.stdout)
    assert doc["op"] == "qwen_image" and doc["billed_by"] == "DashScope (Media API)"
    assert sorted(t["variant"] for t in doc["tasks"]) == ["dawn", "neon"]
    for t in doc["tasks"]:
        assert t["state"] == "succeeded" and t["tracks"] == [] and t["answer"] is None
        assert t["images"] and Path(t["local_media"][0]).is_file()

