"""``python -m lib qa FILE``: the same scorecard as a table or one JSON object."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from lib.cli import main
from lib.log.sqlite import SqliteLog
from lib.qa import Thresholds
from lib.qa import thresholds as qa_thresholds
from tests.lib.qa import signals as s

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def song(tmp_path, monkeypatch):
    monkeypatch.setenv("SONGBENCH_DB", str(tmp_path / "none" / "songbench.db"))
    samples = s.clicks(120, 10) + s.chords(
        [[52, 55, 59, 64], [45, 57, 60, 64], [47, 54, 59, 63], [52, 55, 59, 64]] * 2, 1.25)
    return s.write(tmp_path / "song.mp3", samples)


def test_the_table(song, capsys):
    assert main(["qa", str(song), "--style", "120 bpm, E minor", "--expected-seconds", "10",
                 "--instrumental"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{song}: 10.0 s, 44100 Hz, 2 channel(s)")
    lines = {line.split()[0]: line for line in out.splitlines()[2:] if line.strip()}
    assert "OK" in lines["tempo"] and "120" in lines["tempo"]
    assert "OK" in lines["key"] and "E minor" in lines["key"]
    assert "OK" in lines["duration"]
    assert "LUFS" in lines["loudness"] and "dBTP" in lines["true_peak"]
    assert not (Path(song).parent / "none").exists()   # no log is created to read thresholds


def test_one_json_object(song, tmp_path):
    lyrics = tmp_path / "lyrics.txt"
    lyrics.write_text("[Verse]\nhello there\n")
    aligned = tmp_path / "aligned.json"
    aligned.write_text(json.dumps({"code": 200, "msg": "success", "data": {"alignedWords": [
        {"word": "[Verse]\nhello", "success": True, "startS": 1, "endS": 1.4, "palign": 0}]}}))
    proc = subprocess.run([sys.executable, "-m", "lib", "qa", str(song), "--json", "--lyrics",
                           str(lyrics), "--alignment", str(aligned)],
                          capture_output=True, text=True, cwd=ROOT, check=True)
    card = json.loads(proc.stdout)
    assert card["measures"]["duration"] == pytest.approx(10.0, abs=0.01)
    assert card["checks"]["lyrics"]["value"] == 0.5
    assert card["checks"]["vocals"]["flag"] == "skip"
    assert card["worst"] in ("ok", "warn", "fail") and card["summary"]
    assert set(card["checks"]) >= {"loudness", "true_peak", "clipping", "gaps", "tempo"}


def test_the_thresholds_saved_in_the_log_are_used(song, tmp_path, monkeypatch, capsys):
    db = tmp_path / "songbench.db"
    qa_thresholds.save(SqliteLog(db), Thresholds(lufs_min_ok=-1.0, lufs_max_ok=0.0,
                                                 lufs_min_warn=-1.0, lufs_max_warn=0.0))
    monkeypatch.setenv("SONGBENCH_DB", str(db))
    assert main(["qa", str(song), "--json"]) == 0
    card = json.loads(capsys.readouterr().out)
    assert card["checks"]["loudness"]["flag"] == "fail"
    assert card["thresholds_version"] == qa_thresholds.load(SqliteLog(db)).version


def test_not_audio_is_refused(tmp_path, capsys):
    bad = tmp_path / "notes.mp3"
    bad.write_text("hello")
    assert main(["qa", str(bad)]) == 2
    assert "could not decode" in capsys.readouterr().err
    assert main(["qa", str(tmp_path / "missing.mp3")]) == 2
