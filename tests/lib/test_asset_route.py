"""`GET /api/assets/...`: archived files with Range support, a private cache lifetime and ETag
revalidation (a second visit to the board reuses covers and audio), and no way out of the
assets folder."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from lib.app import http_routes
from tests.lib.routes_support import route_runtime


@pytest.fixture
def served(tmp_path, monkeypatch):
    rt = route_runtime(tmp_path, monkeypatch)
    folder = rt.assets_dir / "task1"
    folder.mkdir(parents=True)
    (folder / "trk-0-mp3.mp3").write_bytes(bytes(range(256)) * 40)
    (tmp_path / "secret.txt").write_text("no")
    return TestClient(Starlette(routes=http_routes.routes()))


def test_assets_are_cached_privately_and_revalidate(served):
    first = served.get("/api/assets/task1/trk-0-mp3.mp3")
    assert first.status_code == 200 and len(first.content) == 10240
    assert first.headers["cache-control"] == "private, max-age=3600"
    etag = first.headers["etag"]
    again = served.get("/api/assets/task1/trk-0-mp3.mp3", headers={"If-None-Match": etag})
    assert again.status_code == 304


def test_ranges_are_served_with_the_same_cache_header(served):
    part = served.get("/api/assets/task1/trk-0-mp3.mp3", headers={"Range": "bytes=0-99"})
    assert part.status_code == 206 and len(part.content) == 100
    assert part.headers["content-range"] == "bytes 0-99/10240"
    assert part.headers["cache-control"] == "private, max-age=3600"


def test_nothing_outside_the_assets_folder(served):
    assert served.get("/api/assets/../secret.txt").status_code == 404
    assert served.get("/api/assets/task1/missing.mp3").status_code == 404
