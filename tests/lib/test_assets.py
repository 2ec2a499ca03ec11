"""lib.tracking.assets: archive result files locally; lib.media.audio: decode and measure them."""

import copy
import subprocess
from pathlib import Path

import httpx
import numpy as np
import pytest

from lib.families import parse_poll
from lib.log.sqlite import SqliteLog
from lib.media import audio
from lib.tracking.assets import MAX_ATTEMPTS, AssetArchiver, extension_for
from tests.lib import contract_examples as ex


@pytest.fixture(scope="module")
def mp3_bytes(tmp_path_factory):
    """A real 3 s stereo MP3 (440 Hz sine) made with the pip-shipped ffmpeg."""
    path = tmp_path_factory.mktemp("media") / "tone.mp3"
    subprocess.run([audio.ffmpeg_exe(), "-y", "-loglevel", "error", "-f", "lavfi", "-i",
                    "sine=frequency=440:duration=3", "-ac", "2", "-b:a", "128k", str(path)],
                   check=True)
    return path.read_bytes()


class CDN:
    """Serves files by path; ``expired`` makes every URL 404 (the provider's 15-day retention)."""

    def __init__(self):
        self.files: dict[str, tuple[bytes, str]] = {}
        self.requests = 0
        self.expired = False
        self.fail_next = 0

    def __call__(self, request):
        self.requests += 1
        if self.fail_next:
            self.fail_next -= 1
            return httpx.Response(500)
        if self.expired or request.url.path not in self.files:
            return httpx.Response(404)
        body, content_type = self.files[request.url.path]
        return httpx.Response(200, content=body, headers={"content-type": content_type})


@pytest.fixture
def env(tmp_path):
    log = SqliteLog(tmp_path / "log.db")
    cdn = CDN()
    archiver = AssetArchiver(log, tmp_path / "assets",
                             httpx.Client(transport=httpx.MockTransport(cdn)))
    return log, cdn, archiver, tmp_path / "assets"


def finished_music_task(log, *, succeeded=True):
    """A task with one track whose mp3/image URLs live on the fake CDN."""
    data = copy.deepcopy(ex.MUSIC_RECORD_INFO_OPENAPI["data"])
    track = data["response"]["sunoData"][0]
    track.update(id="trk1", audioUrl="http://cdn.test/a/trk1", imageUrl="http://cdn.test/i.jpeg")
    if not succeeded:
        data["status"] = "FIRST_SUCCESS"
    task_id = log.create_task("generate", "music", {}, now=1.0)
    log.mark_submitted(task_id, "p", next_poll_at=0, now=1.0)
    log.apply_poll(task_id, parse_poll("music", data), next_poll_at=2.0, now=2.0)
    return task_id


def test_archive_writes_files_and_records_them(env, mp3_bytes):
    log, cdn, archiver, root = env
    cdn.files = {"/a/trk1": (mp3_bytes, "audio/mpeg"), "/i.jpeg": (b"\xff\xd8jpeg", "image/jpeg")}
    task_id = finished_music_task(log)
    assert archiver.archive_due(now=10.0) == 2
    assets = {a["kind"]: a for a in log.assets_for(task_id)}
    mp3 = Path(assets["mp3"]["local_path"])
    assert mp3 == root / task_id / "trk1-mp3.mp3"
    assert mp3.read_bytes() == mp3_bytes
    assert (assets["mp3"]["status"], assets["mp3"]["bytes"], assets["mp3"]["downloaded_at"]) == (
        "done", len(mp3_bytes), 10.0)
    assert assets["mp3"]["content_type"] == "audio/mpeg"
    assert Path(assets["image"]["local_path"]).name == "trk1-image.jpeg"
    assert log.get_track("trk1")["local_audio_path"] == str(mp3)
    assert not list((root / task_id).glob("*.part"))  # no temp files left behind
    assert any(e["kind"] == "asset" for e in log.events_for(task_id))


def test_archiving_is_idempotent(env, mp3_bytes):
    log, cdn, archiver, _ = env
    cdn.files = {"/a/trk1": (mp3_bytes, "audio/mpeg"), "/i.jpeg": (b"img", "image/jpeg")}
    task_id = finished_music_task(log)
    archiver.archive_due(now=10.0)
    requests = cdn.requests
    assert archiver.archive_due(now=11.0) == 0
    assert archiver.archive_task(task_id) == 0
    assert cdn.requests == requests


def test_missing_local_file_is_downloaded_again(env, mp3_bytes):
    log, cdn, archiver, _ = env
    cdn.files = {"/a/trk1": (mp3_bytes, "audio/mpeg"), "/i.jpeg": (b"img", "image/jpeg")}
    task_id = finished_music_task(log)
    archiver.archive_due(now=10.0)
    mp3 = Path(next(a for a in log.assets_for(task_id) if a["kind"] == "mp3")["local_path"])
    mp3.unlink()
    assert archiver.archive_task(task_id) == 1
    assert mp3.read_bytes() == mp3_bytes


def test_only_succeeded_tasks_are_archived(env, mp3_bytes):
    log, cdn, archiver, _ = env
    cdn.files = {"/a/trk1": (mp3_bytes, "audio/mpeg"), "/i.jpeg": (b"img", "image/jpeg")}
    finished_music_task(log, succeeded=False)
    assert archiver.archive_due(now=10.0) == 0 and cdn.requests == 0


def test_failures_are_recorded_and_retried_later(env, mp3_bytes):
    log, cdn, archiver, _ = env
    cdn.files = {"/a/trk1": (mp3_bytes, "audio/mpeg"), "/i.jpeg": (b"img", "image/jpeg")}
    cdn.fail_next = 2
    task_id = finished_music_task(log)
    assert archiver.archive_due(now=10.0) == 0
    failed = log.assets_for(task_id)
    assert {a["status"] for a in failed} == {"error"}
    assert all(a["attempts"] == 1 and a["next_try_at"] == 15.0 for a in failed)
    assert "500" in failed[0]["error"]
    assert archiver.archive_due(now=12.0) == 0  # not due yet
    assert archiver.archive_due(now=15.0) == 2
    assert {a["status"] for a in log.assets_for(task_id)} == {"done"}


def test_gives_up_after_max_attempts(env):
    log, cdn, archiver, _ = env
    task_id = finished_music_task(log)  # the CDN has no files: 404 forever
    now = 10.0
    for _ in range(MAX_ATTEMPTS):
        archiver.archive_due(now=now)
        now += 10_000
    assets = log.assets_for(task_id)
    assert {a["status"] for a in assets} == {"failed"}
    assert all(a["attempts"] == MAX_ATTEMPTS and a["next_try_at"] is None for a in assets)
    requests = cdn.requests
    assert archiver.archive_due(now=now) == 0 and cdn.requests == requests


def test_archived_audio_plays_after_the_provider_url_expires(env, mp3_bytes):
    log, cdn, archiver, _ = env
    cdn.files = {"/a/trk1": (mp3_bytes, "audio/mpeg"), "/i.jpeg": (b"img", "image/jpeg")}
    task_id = finished_music_task(log)
    archiver.archive_due(now=10.0)
    cdn.expired = True
    assert archiver.archive_task(task_id) == 0  # nothing to fetch again
    info = audio.probe(log.get_track("trk1")["local_audio_path"])
    assert info.duration == pytest.approx(3.0, abs=0.1)
    assert (info.sample_rate, info.channels) == (44100, 2)


@pytest.mark.parametrize(("content_type", "url", "ext"), [
    ("audio/mpeg", "http://x/y", "mp3"), ("audio/wav; charset=binary", "http://x/y", "wav"),
    ("application/octet-stream", "http://x/y.png", "png"), (None, "http://x/y.MP4", "mp4"),
    ("application/octet-stream", "http://x/y", "bin"), ("image/jpeg", "http://x/y.png", "jpeg"),
])
def test_extension_from_content_type_then_url(content_type, url, ext):
    assert extension_for(content_type, url) == ext


def test_stem_and_cover_file_names(env):
    log, cdn, archiver, root = env
    cdn.files = {"/d.mp3": (b"drums", "audio/mpeg"), "/c1": (b"png", "image/png")}
    stems = copy.deepcopy(ex.STEMS_RECORD_INFO_SEPARATE_VOCAL["data"])
    stems["response"] = {"drumsUrl": "http://cdn.test/d.mp3"}
    task_id = log.create_task("split_stem", "stems", {}, now=1.0)
    log.apply_poll(task_id, parse_poll("stems", stems), next_poll_at=None, now=2.0)
    cover = copy.deepcopy(ex.COVER_RECORD_INFO["data"])
    cover["response"]["images"] = ["http://cdn.test/c1"]
    cover_id = log.create_task("cover_art", "cover", {}, now=1.0)
    log.apply_poll(cover_id, parse_poll("cover", cover), next_poll_at=None, now=2.0)
    assert archiver.archive_due(now=3.0) == 2
    # "e231****-****-...-****8cadc7dc": unsafe characters collapse to single dashes
    assert (root / task_id / "e231-8cadc7dc-stem-drums.mp3").read_bytes() == b"drums"
    assert [p.name for p in (root / cover_id).iterdir()] == ["cover-1.png"]


def test_decode_and_probe_wav(tmp_path):
    path = tmp_path / "tone.wav"
    subprocess.run([audio.ffmpeg_exe(), "-y", "-loglevel", "error", "-f", "lavfi", "-i",
                    "sine=frequency=220:duration=1.5", "-ac", "1", "-ar", "22050", str(path)],
                   check=True)
    samples, rate = audio.decode(path)
    assert rate == 22050 and samples.shape == (33075, 1) and samples.dtype == np.float32
    info = audio.probe(path)
    assert info.duration == pytest.approx(1.5) and info.channels == 1
    # ffmpeg's sine source is at 1/8 full scale: peak about -18 dBFS, RMS 3 dB lower
    assert info.peak_dbfs == pytest.approx(-18.06, abs=0.2)
    assert info.rms_dbfs == pytest.approx(info.peak_dbfs - 3.01, abs=0.2)


def test_decode_rejects_unknown_extensions(tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("hi")
    with pytest.raises(ValueError):
        audio.decode(path)
