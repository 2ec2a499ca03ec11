"""The reviewer's name for a browser session: which names are kept (and how), the session
cookie's attributes, reading it back, and the script that sets it (no name can break out)."""

from __future__ import annotations

import json
import re
from http.cookies import SimpleCookie

import pytest

from lib.review import reviewer, sessions


@pytest.mark.parametrize("raw, kept", [
    ("Ana", "Ana"),
    ("  Ana   Lía  ", "Ana Lía"),
    ("Ana\tLía", "Ana Lía"),  # a pasted tab is a space
    ("José 🎧 O'Brien-Ñ", "José 🎧 O'Brien-Ñ"),
    ("x" * reviewer.MAX_NAME, "x" * reviewer.MAX_NAME),
    ("<b>*Bo*</b> [x](javascript:1)", "<b>*Bo*</b> [x](javascript:1)"),  # text, shown escaped
])
def test_names_kept(raw, kept):
    assert reviewer.check(raw) == kept


@pytest.mark.parametrize("raw, words", [
    ("", "Enter your name"),
    ("   ", "Enter your name"),
    ("x" * (reviewer.MAX_NAME + 1), f"at most {reviewer.MAX_NAME}"),
    ("Ana\nBen", "control characters (U+000A)"),
    ("Ana\x00", "control characters (U+0000)"),
    ("Ana\x1b[31m", "control characters (U+001B)"),
    ("Ana\u2028", "control characters (U+2028)"),
    ("Ana\u202egnirts", "control characters (U+202E)"),  # right-to-left override
    ("Ana\x7f", "control characters (U+007F)"),
    (None, "must be text"),
    (42, "must be text"),
    (["Ana"], "must be text"),
])
def test_names_refused_with_a_reason(raw, words):
    with pytest.raises(reviewer.BadName, match=re.escape(words)):
        reviewer.check(raw)


def test_the_limit_is_the_blind_sessions_one():
    assert reviewer.MAX_NAME == sessions.MAX_NAME


def _parsed(header: str) -> tuple[str, str, dict[str, str]]:
    name_value, *attrs = [part.strip() for part in header.split(";")]
    name, value = name_value.split("=", 1)
    return name, value, {a.split("=", 1)[0].lower(): (a.split("=", 1) + [""])[1] for a in attrs}


def test_the_cookie_is_a_session_cookie_for_every_page():
    header = reviewer.set_cookie("  Ana  Lía ")
    name, value, attrs = _parsed(header)
    assert name == reviewer.COOKIE
    assert set(attrs) == {"path", "httponly", "samesite"}  # no Expires, no Max-Age, no Domain
    assert attrs["path"] == "/" and attrs["samesite"] == "Lax"
    assert re.fullmatch(r"[A-Za-z0-9%._~-]+", value), value  # a plain cookie value
    jar = SimpleCookie()
    jar.load(header)
    assert reviewer.from_cookies({reviewer.COOKIE: jar[reviewer.COOKIE].value}) == "Ana Lía"
    assert "secure" in _parsed(reviewer.set_cookie("Ana", secure=True))[2]


def test_awkward_names_survive_the_cookie():
    for raw in ('a;b=c, "d" \\e', "José 🎧", "%41 100%", "<script>"):
        _, value, _ = _parsed(reviewer.set_cookie(raw))
        assert ";" not in value and " " not in value and '"' not in value
        assert reviewer.from_cookies({reviewer.COOKIE: value}) == reviewer.check(raw)


def test_a_name_refused_makes_no_cookie():
    with pytest.raises(reviewer.BadName):
        reviewer.set_cookie("Ana\n")


def test_forgetting_expires_the_cookie_at_once():
    name, value, attrs = _parsed(reviewer.clear_cookie())
    assert (name, value) == (reviewer.COOKIE, "")
    assert attrs["max-age"] == "0" and "1970" in attrs["expires"]
    assert attrs["path"] == "/" and "httponly" in attrs and attrs["samesite"] == "Lax"


@pytest.mark.parametrize("cookies", [
    {}, {reviewer.COOKIE: ""}, {reviewer.COOKIE: "%20%20"}, {reviewer.COOKIE: "Ana%0ABen"},
    {reviewer.COOKIE: "x" * 61}, {reviewer.COOKIE: "%FF%FE"}, {"other": "Ana"},
])
def test_no_name_from_a_missing_or_bad_cookie(cookies):
    assert reviewer.from_cookies(cookies) is None


@pytest.mark.parametrize("name", [
    "Ana", "</script><script>alert(1)</script>", "a'b\"c\\d", "x\u2029y &amp; <!--", None])
def test_the_script_carries_the_name_as_data(name):
    script = reviewer.sync_script(name)
    assert script.startswith("<script>") and script.endswith("</script>")
    body = script[len("<script>"):-len("</script>")]
    assert "<" not in body and ">" not in body.replace("=>", "")
    assert "\u2029" not in body and "\u2028" not in body
    [wish] = re.findall(r"const wish = (.*);\n", body)
    assert json.loads(wish) == (None if name is None else {"name": name})
    assert json.dumps(reviewer.ROUTE) in body
    assert ("'DELETE'" in body) and ("'POST'" in body) and "same-origin" in body
