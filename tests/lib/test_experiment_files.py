"""`GET /api/experiments/{id}/{file}` (`lib.app.experiment_files`): the results page's exports
and reports, made from fresh results when asked and sent as named attachments."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from lib.app import experiment_files, http_routes
from tests.bench.seed import seed_small_experiment
from tests.lib.routes_support import route_runtime


@pytest.fixture
def served(tmp_path, monkeypatch):
    rt = route_runtime(tmp_path, monkeypatch)
    seeded = seed_small_experiment(rt.log, repeats=2)
    return TestClient(Starlette(routes=http_routes.routes())), rt, seeded["experiment"]


def test_each_file_is_a_named_attachment_of_fresh_results(served):
    client, rt, exp = served
    stem = f"experiment-{exp[:8]}"
    answer = client.get(experiment_files.url(exp, "results.csv"))
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    assert answer.headers["content-disposition"] == f'attachment; filename="{stem}.csv"'
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert len(rows) == 4 and {r["experiment_id"] for r in rows} == {exp}   # 2 cells x 2 takes
    doc = json.loads(client.get(experiment_files.url(exp, "results.json")).content)
    assert doc["experiment"]["id"] == exp
    html = client.get(experiment_files.url(exp, "report.html"))
    assert html.headers["content-disposition"] == f'attachment; filename="{stem}-report.html"'
    assert "<html" in html.text and "Songbench report" in html.text
    packed = client.get(experiment_files.url(exp, "report.zip"))
    assert "report.html" in zipfile.ZipFile(io.BytesIO(packed.content)).namelist()
    # fresh: a rating given after the page was drawn is in the next export
    track = rows[0]["track_id"]
    rt.log.set_rating(track, 5)
    again = list(csv.DictReader(io.StringIO(client.get(
        experiment_files.url(exp, "results.csv")).text)))
    assert next(r for r in again if r["track_id"] == track)["rating"] == "5"


def test_unknown_experiments_and_files_are_404(served):
    client, _, exp = served
    assert client.get("/api/experiments/nope/results.csv").status_code == 404
    assert client.get(f"/api/experiments/{exp}/secrets.txt").status_code == 404
    with pytest.raises(ValueError):
        experiment_files.url(exp, "secrets.txt")
