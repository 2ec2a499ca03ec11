"""The blind audio route and the player: each side's archived file behind random tokens, with
no name in the URL or headers; the player's volumes level both sides to the same loudness;
the results in words."""

from __future__ import annotations

import io
import re
import wave

import numpy as np
import pyloudnorm
import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from lib.app import http_routes, runtime
from lib.settings import Settings
from lib.review import player, sessions, stats, view
from tests.lib.review.support import finished_experiment


@pytest.fixture
def served(tmp_path, monkeypatch):
    settings = Settings(base_url="http://127.0.0.1:9", api_key="k",
                        db_path=str(tmp_path / "s.db"), assets_dir=str(tmp_path / "assets"))
    rt = runtime.Runtime(settings)
    monkeypatch.setattr(runtime, "get_runtime", lambda **kw: rt)
    exp = finished_experiment(rt.log, tmp_path / "takes", repeats=2)
    sets = sessions.experiment_sets(rt.log, exp)
    sid = sessions.create(rt.log, name="Blind", x_label="warm", xs=sets["warm"],
                          y_label="bright", ys=sets["bright"], seed=3,
                          source={"kind": "experiment", "experiment_id": exp})
    sessions.join(rt.log, sid, "Ana")
    client = TestClient(Starlette(routes=http_routes.routes()), raise_server_exceptions=False)
    yield rt, client, sid
    rt.close()


def _decode(data: bytes) -> tuple[np.ndarray, int]:
    with wave.open(io.BytesIO(data)) as w:
        pcm = np.frombuffer(w.readframes(w.getnframes()), "<i2").astype(float) / 32768
        return pcm, w.getframerate()


def test_each_side_serves_its_archived_file_and_names_nothing(served):
    rt, client, sid = served
    session = rt.log.get_ab_session(sid)
    for trial in rt.log.ab_trials(sid, "Ana"):
        for side in ("a", "b"):
            url = sessions.audio_path(session["token"], trial["token"], side)
            track = rt.log.get_track(trial[f"{side}_track_id"])
            assert track["id"] not in url and "warm" not in url and "bright" not in url
            assert re.fullmatch(r"/api/blind/[\w-]+/[\w-]+/[ab]", url)
            got = client.get(url)
            assert got.status_code == 200
            with open(track["local_audio_path"], "rb") as f:
                assert got.content == f.read()
            headers = " ".join(f"{k}: {v}" for k, v in got.headers.items()).lower()
            for word in ("content-disposition", "etag", "last-modified", "warm", "bright",
                         track["id"].lower(), "song"):
                assert word not in headers, (word, headers)
            assert got.headers["content-type"] == "audio/wav"
        # seeking works: a range request gets the part asked for
        part = client.get(url, headers={"Range": "bytes=0-99"})
        assert part.status_code == 206 and len(part.content) == 100


def test_unknown_tokens_or_sides_are_404(served):
    rt, client, sid = served
    session = rt.log.get_ab_session(sid)
    trial = rt.log.ab_trials(sid, "Ana")[0]
    assert client.get(f"/api/blind/{session['token']}/{trial['token']}/c").status_code == 404
    assert client.get(f"/api/blind/nope/{trial['token']}/a").status_code == 404
    assert client.get(f"/api/blind/{session['token']}/nope/a").status_code == 404


def test_the_players_volumes_level_both_sides_within_half_a_lu(served):
    rt, client, sid = served
    session = rt.log.get_ab_session(sid)
    for trial in rt.log.ab_trials(sid, "Ana"):
        page = player.player_html(
            sessions.audio_path(session["token"], trial["token"], "a"),
            sessions.audio_path(session["token"], trial["token"], "b"),
            trial["a_gain_db"], trial["b_gain_db"])
        volume = {s: float(re.search(rf'data-volume-{s}="([\d.]+)"', page).group(1))
                  for s in "ab"}
        assert volume == player.volumes(trial["a_gain_db"], trial["b_gain_db"])
        assert max(volume.values()) == 1.0 and min(volume.values()) < 0.6  # 6 dB apart
        loud = {}
        for side in "ab":
            pcm, rate = _decode(client.get(
                sessions.audio_path(session["token"], trial["token"], side)).content)
            loud[side] = pyloudnorm.Meter(rate).integrated_loudness(pcm * volume[side])
        assert abs(loud["a"] - loud["b"]) < 0.5, loud


def _visible(page: str) -> str:
    text = re.sub(r"<(script|style)[^>]*>.*?</\1>", "", page, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", text).split())


def test_the_player_shows_only_a_and_b():
    page = player.player_html("/api/blind/s/t/a", "/api/blind/s/t/b", 0.0, -6.0)
    other = player.player_html("/api/blind/x/y/a", "/api/blind/x/y/b", -3.0, 0.0)
    assert _visible(page) == _visible(other)  # nothing of the trial is written on screen
    assert set(re.findall(r"\b[A-Z]\b", _visible(page))) == {"A", "B"}
    assert 'data-volume-b="0.5012"' in page


def test_results_in_words(served):
    rt, _client, sid = served
    sessions.join(rt.log, sid, "Ben")
    for trial in rt.log.ab_trials(sid):
        # everyone prefers warm, whichever side it is on
        sessions.answer(rt.log, trial["id"], "a" if trial["x_is_a"] else "b", "fuller")
    out = sessions.outcome(rt.log, sid, rounds=50,
                           take_labels=view.take_labels(rt.log, rt.log.get_ab_session(sid)))
    rows = view.set_rows(out)
    assert [r["set"] for r in rows] == ["warm", "bright"]
    assert rows[0]["preferred"] == 8 and rows[1]["not preferred"] == 8
    assert view.verdict(out).startswith("warm is preferred: ")
    assert "alpha is undefined" in view.alpha_words(out.agreement)
    assert out.takes[0].label.startswith("warm · repeat")
    people = view.reviewer_rows(rt.log, out)
    assert people[0] == {"reviewer": "Ana", "answered": "4 of 4", "preferred warm": 4,
                         "preferred bright": 0, "no preference": 0,
                         "reasons": "fuller; fuller; fuller; fuller"}


def test_alpha_words():
    assert "too few reviewers" in view.alpha_words(stats.Agreement(None, 1, 0, stats.NOT_ENOUGH))
    assert "agree well" in view.alpha_words(stats.Agreement(0.9, 3, 8))
    assert "tentative" in view.alpha_words(stats.Agreement(0.7, 3, 8))
    assert "mostly disagree" in view.alpha_words(stats.Agreement(0.1, 2, 8))


def test_creating_reuses_the_qa_loudness_and_measures_the_rest(tmp_path):
    from lib.log.sqlite import SqliteLog
    from lib.review import levels

    log = SqliteLog(tmp_path / "log.db")
    exp = finished_experiment(log, tmp_path / "takes", repeats=1)
    sets = sessions.experiment_sets(log, exp)
    scored, other = sets["warm"][0], sets["bright"][0]
    log.save_scorecard(scored.track_id, {"source": scored.path, "measures": {"lufs": -31.5}},
                       worst="ok", flags={}, summary="", thresholds_version="t",
                       computed_at=1.0, task_id=None, source=scored.path)
    measure = view.loudness_from_scorecards(log, [scored, other])
    assert measure(scored.path) == -31.5  # from the scorecard, not decoded again
    assert measure(other.path) == levels.integrated_lufs(other.path)
    sid = sessions.create(log, name="S", x_label="warm", xs=[scored], y_label="bright",
                          ys=[other], seed=1, measure=measure)
    [pair] = log.ab_pairs(sid)
    assert pair["x_lufs"] == -31.5 and pair["y_lufs"] == levels.integrated_lufs(other.path)


def test_no_header_dates_the_take(served):
    """The README said blind audio carries no date: the server's own `Date` header is the time
    of the answer (every HTTP/1.1 server sends one); nothing in the headers dates the file."""
    import email.utils
    import os
    import time

    rt, client, sid = served
    session = rt.log.get_ab_session(sid)
    trial = rt.log.ab_trials(sid, "Ana")[0]
    track = rt.log.get_track(trial["a_track_id"])
    os.utime(track["local_audio_path"], (978_307_200, 978_307_200))       # made in 2001
    got = client.get(sessions.audio_path(session["token"], trial["token"], "a"))
    assert got.status_code == 200 and "last-modified" not in got.headers
    assert "2001" not in " ".join(got.headers.values())
    if "date" in got.headers:
        sent = email.utils.parsedate_to_datetime(got.headers["date"]).timestamp()
        assert abs(sent - time.time()) < 120
