"""`POST /api/session/reviewer` keeps the reviewer's name in a session cookie (HttpOnly,
SameSite=Lax, Path=/, no expiry), `DELETE` forgets it; a name it refuses gets 400 with the
reason, another site's request 403, a body that is not JSON 415, an oversized one 413."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from lib.app import http_routes
from lib.review import reviewer

ROUTE = reviewer.ROUTE


@pytest.fixture
def client():
    return TestClient(Starlette(routes=http_routes.routes()), raise_server_exceptions=False)


def _attrs(header: str) -> dict[str, str]:
    return {a.strip().split("=", 1)[0].lower(): (a.strip().split("=", 1) + [""])[1]
            for a in header.split(";")[1:]}


def test_post_sets_a_session_cookie_and_delete_forgets_it(client):
    got = client.post(ROUTE, json={"name": "  Ana   Lía "})
    assert got.status_code == 200, got.text
    assert got.json() == {"ok": True, "name": "Ana Lía"}
    assert got.headers["cache-control"] == "no-store"
    [header] = got.headers.get_list("set-cookie")
    assert header.startswith(f"{reviewer.COOKIE}=Ana%20L%C3%ADa;")
    attrs = _attrs(header)
    assert attrs == {"path": "/", "httponly": "", "samesite": "Lax"}  # no Expires / Max-Age
    assert reviewer.from_cookies(client.cookies) == "Ana Lía"

    gone = client.delete(ROUTE)
    assert gone.status_code == 200 and gone.json() == {"ok": True, "name": None}
    [header] = gone.headers.get_list("set-cookie")
    assert _attrs(header)["max-age"] == "0"
    assert reviewer.from_cookies(client.cookies) is None


def test_over_https_the_cookie_is_secure():
    secure = TestClient(Starlette(routes=http_routes.routes()), base_url="https://testserver")
    got = secure.post(ROUTE, json={"name": "Ana"})
    assert "secure" in _attrs(got.headers["set-cookie"])


@pytest.mark.parametrize("body, words", [
    ({"name": ""}, "Enter your name"),
    ({"name": "   "}, "Enter your name"),
    ({}, "must be text"),
    ({"name": 7}, "must be text"),
    ({"name": "x" * 61}, "at most 60"),
    ({"name": "Ana\r\nSet-Cookie: x=1"}, "control characters (U+000D)"),
    ({"name": "Ana\u202e"}, "control characters (U+202E)"),
])
def test_a_name_refused_gets_400_and_no_cookie(client, body, words):
    got = client.post(ROUTE, json=body)
    assert got.status_code == 400
    assert got.json()["ok"] is False and words in got.json()["error"]
    assert "set-cookie" not in got.headers


def test_bodies_that_are_not_a_json_object(client):
    form = client.post(ROUTE, data={"name": "Ana"})  # a plain HTML form cannot send JSON
    assert form.status_code == 415 and "set-cookie" not in form.headers
    for raw in (b"not json", b"[1]", b'"Ana"'):
        got = client.post(ROUTE, content=raw, headers={"content-type": "application/json"})
        assert got.status_code == 400 and "set-cookie" not in got.headers, raw
    big = client.post(ROUTE, content=b'{"name": "' + b"x" * 5000 + b'"}',
                      headers={"content-type": "application/json"})
    assert big.status_code == 413


@pytest.mark.parametrize("headers", [
    {"sec-fetch-site": "cross-site"},
    {"sec-fetch-site": "same-site"},
    {"origin": "https://elsewhere.example"},
    {"origin": "null"},
])
def test_another_sites_request_is_refused(client, headers):
    for method in ("post", "delete"):
        got = getattr(client, method)(ROUTE, headers=headers,
                                      **({"json": {"name": "Mallory"}} if method == "post"
                                         else {}))
        assert got.status_code == 403, (method, headers)
        assert "set-cookie" not in got.headers


def test_our_own_pages_requests_pass(client):
    for headers in ({"sec-fetch-site": "same-origin", "origin": "http://testserver"},
                    {"origin": "http://testserver"}):
        assert client.post(ROUTE, json={"name": "Ana"}, headers=headers).status_code == 200


def test_other_methods_are_not_allowed(client):
    assert client.get(ROUTE).status_code == 405
