"""The archiver scores every track MP3 it stores (`lib.qa.tracks.TrackScorer`), from what the
task asked, and keeps the scorecard in the log; a failing score never breaks the archive."""

import copy
import json

import httpx
import pytest

from lib.contract.family import PollResult
from lib.contract.states import State
from lib.families import parse_poll
from lib.log.sqlite import SqliteLog
from lib.qa import tracks
from lib.qa.flags import Flag
from lib.qa.tracks import TrackScorer
from lib.tracking.assets import AssetArchiver
from simulator import audio_io, synth
from tests.lib import contract_examples as ex
from tests.lib.qa import signals as s


@pytest.fixture(scope="module")
def song_mp3(tmp_path_factory):
    spec = synth.SongSpec(seed=3, tempo_bpm=120.0, key=4, scale="minor",
                          instruments=("drums", "bass", "guitar"), vocal=False, seconds=12.0)
    path = tmp_path_factory.mktemp("hook") / "song.mp3"
    return audio_io.encode_mp3(synth.render(spec).mix(), path).read_bytes()


@pytest.fixture
def env(tmp_path):
    log = SqliteLog(tmp_path / "log.db")
    files = {}

    def cdn(request):
        if request.url.path not in files:
            return httpx.Response(404)
        return httpx.Response(200, content=files[request.url.path],
                              headers={"content-type": "audio/mpeg"})

    scorer = TrackScorer(log)
    archiver = AssetArchiver(log, tmp_path / "assets",
                             httpx.Client(transport=httpx.MockTransport(cdn)), on_audio=scorer)
    return log, files, archiver, scorer


def _task(log, request, *, duration=12.0, finished=2.0, lyrics=None):
    data = copy.deepcopy(ex.MUSIC_RECORD_INFO_OPENAPI["data"])
    track = data["response"]["sunoData"][0]
    track.update(id="trk1", audioUrl="http://cdn.test/a/trk1", imageUrl=None,
                 duration=duration, prompt=lyrics)
    data["response"]["sunoData"] = [track]
    task_id = log.create_task("generate", "music", request, now=1.0)
    log.mark_submitted(task_id, "p", next_poll_at=0, now=1.0)
    log.apply_poll(task_id, parse_poll("music", data), next_poll_at=None, now=finished)
    return task_id


def test_an_archived_mp3_gets_its_scorecard(env, song_mp3):
    log, files, archiver, scorer = env
    files["/a/trk1"] = song_mp3
    task_id = _task(log, {"customMode": True, "instrumental": True,
                          "style": "dark rock, 120 bpm, E minor", "title": "x"})
    archiver.archive_due(now=10.0)
    assert scorer.count == 1
    row = log.scorecard("trk1")
    assert row is not None and row["task_id"] == task_id
    assert row["source"].endswith("trk1-mp3.mp3")
    card = tracks.load(log, "trk1")
    assert card.asked.instrumental is True and card.asked.expected_seconds == 12.0
    checks = card.checks
    assert checks["duration"].flag is Flag.OK
    assert checks["tempo"].flag is Flag.OK and checks["tempo"].extra["asked"] == 120.0
    assert checks["links"].flag is Flag.OK    # the download itself was the answer
    assert checks["retention"].flag is Flag.FAIL   # finished at t=2 s: long expired by now
    assert log.flags_for(["trk1"])["trk1"]["flags"] == card.flags()
    assert json.loads(row["flags_json"]) == card.flags()


def test_the_request_duration_wins_over_the_reported_one(env, song_mp3):
    log, files, archiver, _ = env
    files["/a/trk1"] = song_mp3
    _task(log, {"customMode": True, "style": "pop", "duration": 60, "model": "V5_5"})
    archiver.archive_due(now=10.0)
    check = tracks.load(log, "trk1").checks["duration"]
    assert check.extra["expected"] == 60.0 and check.flag is Flag.FAIL


def test_the_alignment_of_the_track_is_used(env, song_mp3):
    log, files, archiver, _ = env
    files["/a/trk1"] = song_mp3
    _task(log, {"customMode": True, "style": "pop"}, lyrics="[Verse]\nhello there world")
    aligned = log.create_task("timestamped_lyrics", "sync", {}, source_audio_id="trk1", now=3.0)
    words = [{"word": w, "success": True, "startS": i, "endS": i + 0.5, "palign": 0}
             for i, w in enumerate(("hello", "there"))]
    log.apply_poll(aligned, PollResult(None, State.SUCCEEDED, None,
                                       result={"alignedWords": words}), next_poll_at=None)
    archiver.archive_due(now=10.0)
    lyrics = tracks.load(log, "trk1").checks["lyrics"]
    assert lyrics.value == pytest.approx(2 / 3, abs=0.001)


def test_a_file_that_cannot_be_scored_is_still_archived(env):
    log, files, archiver, scorer = env
    files["/a/trk1"] = b"ID3 but not really an mp3"
    task_id = _task(log, {})
    assert archiver.archive_due(now=10.0) == 1
    assert log.get_track("trk1")["local_audio_path"]
    assert log.scorecard("trk1") is None and scorer.count == 1
    errors = [e for e in log.events_for(task_id) if e["kind"] == "error"]
    assert len(errors) == 1 and errors[0]["note"].startswith("qa of trk1-mp3.mp3: DecodeError")


def test_a_vocal_stem_of_the_track_is_measured(env, tmp_path):
    log, files, archiver, _ = env
    files["/a/trk1"] = s.write(tmp_path / "mix.mp3", s.band_instrumental(6) * 0.5
                               + s.vocal_like(6) * 0.5).read_bytes()
    _task(log, {"instrumental": True}, duration=6.0)
    stem = s.write(tmp_path / "vocals.mp3", s.vocal_like(6) * 0.5)
    separation = log.create_task("vocal_removal", "stems", {}, source_audio_id="trk1", now=3.0)
    log.apply_poll(separation, PollResult(None, State.SUCCEEDED, None), next_poll_at=None)
    with log.raw_connection() as db:   # a finished separation's archived vocal stem
        db.execute("INSERT INTO assets (task_id, track_id, kind, url, local_path, status, "
                   "attempts, created_at) VALUES (?, 'trk1', 'stem:vocals', 'u', ?, 'done', 1, 0)",
                   [separation, str(stem)])
        db.conn.commit()
    archiver.archive_due(now=10.0)
    vocals = tracks.load(log, "trk1").checks["vocals"]
    assert vocals.extra["method"] == "stem" and vocals.flag is Flag.FAIL
