"""`GET /play/<slug>/<n>/<audio|cover>` serves the n-th take a playlist shows now, from the
archive; anything else (an unapproved take, a number past the end, another kind) is a 404."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from lib import demo
from lib.app import http_routes
from lib.demo.present import file_url
from lib.review.decisions import decide
from tests.lib.review.support import finished_experiment
from tests.lib.routes_support import route_runtime


@pytest.fixture
def app(tmp_path, monkeypatch):
    rt = route_runtime(tmp_path, monkeypatch)
    finished_experiment(rt.log, rt.assets_dir, repeats=1)
    return rt, TestClient(Starlette(routes=http_routes.routes()), raise_server_exceptions=False)


def test_serves_only_what_the_playlist_shows(app):
    rt, client = app
    for tid in ("warm-1-0", "bright-1-0"):
        decide(rt.log, tid, "approve", reviewer="ana")
    slug = demo.create(rt.log, "P", track_ids=["warm-1-0", "bright-1-0"],
                       assets_dir=rt.assets_dir)["slug"]
    first = client.get(file_url(slug, 1, "audio"))
    assert first.status_code == 200
    assert first.content == (rt.assets_dir / "warm-1-0.wav").read_bytes()
    assert client.get(file_url("all", 1, "audio")).status_code == 200
    part = client.get(file_url(slug, 2, "audio"), headers={"Range": "bytes=0-99"})
    assert part.status_code == 206 and len(part.content) == 100  # players can seek
    for url in (file_url(slug, 3, "audio"), file_url(slug, 1, "cover"),
                file_url(slug, 1, "lyrics"), file_url("nope", 1, "audio"),
                f"/play/{slug}/0/audio"):
        assert client.get(url).status_code == 404, url
    decide(rt.log, "warm-1-0", "reject", reviewer="ana", reason="noise")
    assert client.get(file_url(slug, 1, "audio")).content == (
        rt.assets_dir / "bright-1-0.wav").read_bytes()  # the rejected take is gone
    assert client.get(file_url(slug, 2, "audio")).status_code == 404
