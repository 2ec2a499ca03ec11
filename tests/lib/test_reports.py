"""lib.reports.experiment: the offline report (one HTML file, or a zip beside its files)."""

from __future__ import annotations

import base64
import io
import re
import zipfile

from lib.experiments import results
from lib.reports import experiment as report
from tests.lib.experiments.test_results import make

MP3 = b"ID3\x03\x00fake-mp3-bytes"
JPEG = b"\xff\xd8\xff\xe0fake-jpeg"


def archived(tmp_path):
    """The experiment of test_results with every audio and image asset archived."""
    log, exp, sent = make(tmp_path)
    assets = tmp_path / "assets"
    for task_id in sent:
        for asset in log.assets_for(task_id):
            ext = "mp3" if asset["kind"] == "mp3" else "jpeg"
            path = assets / task_id / f"{asset['track_id']}.{ext}"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(MP3 if ext == "mp3" else JPEG)
            log.update_asset(asset["id"], status="done", local_path=str(path))
    log.set_notes("t1a", "<b>loud</b> & proud")
    return log, exp, results.results(log, exp, assets)


def test_the_html_report_carries_everything_and_plays_offline(tmp_path):
    log, exp, res = archived(tmp_path)
    page = report.report_html(res).decode()
    assert "<title>Models · Songbench report</title>" in page
    assert "a calm piano" in page                       # the base request
    assert page.count("<div class='variant'>") == 2     # V5 and V4_5
    # four takes (two tasks x two tracks) with their audio inside the file
    players = re.findall(r"<audio controls preload='none' src='([^']+)'>", page)
    assert len(players) == 4
    assert all(p == "data:audio/mpeg;base64," + base64.b64encode(MP3).decode() for p in players)
    assert "data:image/jpeg;base64," in page
    assert "★★★★★" in page and "★★☆☆☆" in page          # ratings 5 and 2
    assert "&lt;b&gt;loud&lt;/b&gt; &amp; proud" in page  # notes escaped
    assert "<b>loud</b>" not in page
    assert "refunded" in page                            # the failed take's reason
    assert "needs the provider's link" not in page       # everything was archived


def test_takes_not_archived_say_they_need_the_network(tmp_path):
    log, exp, _ = make(tmp_path)
    page = report.report_html(results.results(log, exp, tmp_path / "assets")).decode()
    assert "src='https://cdn.test/t1a.mp3'" in page
    assert page.count("needs the provider's link") == 4


def test_the_zip_holds_the_page_beside_its_files(tmp_path):
    log, exp, res = archived(tmp_path)
    data = report.report_zip(res)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        page = z.read("report.html").decode()
        media = [n for n in names if n.startswith("media/")]
        assert len([n for n in media if n.endswith(".mp3")]) == 4
        for src in re.findall(r"<audio controls preload='none' src='([^']+)'>", page):
            assert src in names and z.read(src) == MP3
    assert "base64" not in page


def test_extra_sections_plug_in(tmp_path):
    _, _, res = archived(tmp_path)
    section = report.Section("Blind A/B", lambda r: f"<p>{len(r.variants)} variants compared</p>")
    page = report.report_html(res, [section]).decode()
    assert "<h2>Blind A/B</h2><p>2 variants compared</p>" in page


def test_default_sections_carry_qa_and_review(tmp_path):
    from lib.review import decisions
    from lib.reports.sections import default_sections

    log, exp, res = archived(tmp_path)
    decisions.decide(log, "t1a", "approve", reviewer="Ana", reason="ready for the demo")
    page = report.report_html(res, default_sections(log)).decode()
    assert page.index("<h2>QA scorecards</h2>") < page.index("<h2>Blind listening and review</h2>")
    assert "ready for the demo" in page and "Ana" in page


def test_write_report_picks_the_format_by_extension(tmp_path):
    _, _, res = archived(tmp_path)
    assert report.write_report(res, tmp_path / "r.zip") > 0
    assert zipfile.is_zipfile(tmp_path / "r.zip")
    report.write_report(res, tmp_path / "r.html")
    assert (tmp_path / "r.html").read_text().startswith("<!doctype html>")


def test_a_calls_credits_are_counted_once_for_its_two_takes(tmp_path):
    _, _, res = archived(tmp_path)
    page = report.report_html(res).decode()
    # two succeeded calls, a refunded failure and a cell never sent: each said once
    assert page.count(" · 12 credits</span>") == 2
    assert page.count(" · 0 credits</span>") == 2


def test_a_base_request_made_wholly_by_the_grid_says_so(tmp_path):
    """Every field from the grid's axes: the report says so, not "Nothing yet." (which read as
    if the experiment had not run)."""
    from lib.experiments import grid, service
    from lib.log.sqlite import SqliteLog

    log = SqliteLog(tmp_path / "log.db")
    axes = [grid.parse_axis("generate", "prompt", "a calm piano\na loud drum")[0],
            grid.parse_axis("generate", "model", "V5")[0]]
    plan = grid.plan("generate", {}, grid.expand(axes), 1)
    exp = service.create(log, service.Setup(name="All grid", op="generate", base={}, axes=axes,
                                            repeats=1), plan, now=100.0)
    page = report.report_html(results.results(log, exp, tmp_path / "assets")).decode()
    base = page.split("<h2>Base request</h2>", 1)[1].split("<h2>", 1)[0]
    assert "Nothing yet" not in base
    assert "every field comes from the grid" in base
