"""lib.tracking.waveform: a track's waveform PNG, drawn once by the archiver (and for tracks
archived before, a few per archive pass), recorded as its ``waveform`` asset and shown by the
board from the log; a silent gap is a flat stretch at the right place."""

import copy

import httpx
import numpy as np
import pytest
from PIL import Image

from lib.families import parse_poll
from lib.log.sqlite import SqliteLog
from lib.tracking import waveform
from lib.tracking.assets import AssetArchiver
from lib.views.board import board_page
from tests.lib import contract_examples as ex
from tests.lib.qa import signals as s


def _tone_gap_tone(path, rate=s.SR):
    """3 s tone, 2 s silence, 3 s tone (stereo)."""
    mono = np.concatenate([s.sine(330, 3.0, 0.6, rate), s.silence(2.0, rate),
                           s.sine(330, 3.0, 0.6, rate)])
    return s.write(path, np.repeat(mono[:, None], 2, axis=1), rate)


def _opaque_rows(image: Image.Image) -> np.ndarray:
    """How many opaque pixels each column has."""
    alpha = np.asarray(image)[:, :, 3]
    return (alpha > 0).sum(axis=0)


@pytest.mark.parametrize("suffix", [".wav", ".mp3"])
def test_the_png_is_the_track_across_and_a_gap_is_flat_where_it_is(tmp_path, suffix):
    audio = _tone_gap_tone(tmp_path / f"trk-mp3{suffix}")
    out = waveform.render_file(audio)
    assert out == tmp_path / "trk-waveform.png"
    image = Image.open(out)
    assert image.size == (waveform.WIDTH, waveform.HEIGHT) and image.mode == "RGBA"
    x = lambda seconds: int(seconds / 8.0 * waveform.WIDTH)    # noqa: E731
    assert np.asarray(image)[0, x(4.0), 3] == 0                # transparent background
    heights = _opaque_rows(image)
    gap = heights[x(3.15):x(4.85)]
    assert gap.max() == 1, "the silent gap is a 1-pixel line"
    assert (heights[x(0.2):x(2.8)] >= waveform.HEIGHT * 0.8).all()   # loud tone: full height
    assert (heights[x(5.2):x(7.8)] >= waveform.HEIGHT * 0.8).all()
    # the gap starts at 3 s and ends at 5 s, give or take 40 ms (4 columns; MP3 smears edges)
    flat = np.flatnonzero(heights <= 1)
    assert abs(flat.min() - x(3.0)) <= 4 and abs(flat.max() - x(5.0)) <= 4


def test_peaks_scale_and_fold():
    mins = np.array([-0.5, -0.1, 0.0, -1.0], np.float32)
    maxs = np.array([0.5, 0.2, 0.0, 1.0], np.float32)
    low, high = waveform.fold(mins, maxs, 2)
    assert low.tolist() == [-0.5, -1.0] and high.tolist() == [0.5, 1.0]
    low, high = waveform.fold(mins, maxs, 8)                   # fewer blocks than columns
    assert low.size == 8 and high[-1] == 1.0
    image = waveform.draw(np.array([-0.25, 0.0]), np.array([0.25, 0.0]), height=81)
    heights = _opaque_rows(image)
    assert heights.tolist() == [81, 1]                          # the loudest fills the height


# -- the archiver --------------------------------------------------------------------------------
@pytest.fixture
def env(tmp_path):
    log = SqliteLog(tmp_path / "log.db")
    files: dict[str, bytes] = {}

    def cdn(request):
        if request.url.path not in files:
            return httpx.Response(404)
        return httpx.Response(200, content=files[request.url.path],
                              headers={"content-type": "audio/mpeg"})

    client = httpx.Client(transport=httpx.MockTransport(cdn))
    return log, files, client, tmp_path / "assets"


def _task(log, track_id="trk1"):
    data = copy.deepcopy(ex.MUSIC_RECORD_INFO_OPENAPI["data"])
    track = data["response"]["sunoData"][0]
    track.update(id=track_id, audioUrl=f"http://cdn.test/a/{track_id}", imageUrl=None)
    data["response"]["sunoData"] = [track]
    task_id = log.create_task("generate", "music", {"prompt": "x"}, now=1.0)
    log.mark_submitted(task_id, "p", next_poll_at=0, now=1.0)
    log.apply_poll(task_id, parse_poll("music", data), next_poll_at=None, now=2.0)
    return task_id


def _kinds(log, task_id):
    return {a["kind"]: a for a in log.assets_for(task_id)}


def test_the_archiver_draws_each_track_once_and_the_board_shows_it(env, tmp_path):
    log, files, client, assets = env
    files["/a/trk1"] = _tone_gap_tone(tmp_path / "src.mp3").read_bytes()
    task_id = _task(log)
    archiver = AssetArchiver(log, assets, client)
    archiver.archive_due(now=10.0)
    wave = _kinds(log, task_id)["waveform"]
    assert wave["status"] == "done" and wave["track_id"] == "trk1" and wave["url"] is None
    path = assets / task_id / "trk1-waveform.png"
    assert wave["local_path"] == str(path) and Image.open(path).size == (800, 80)
    drawn = path.stat().st_mtime_ns
    archiver.archive_due(now=20.0)                     # nothing new: nothing redrawn
    archiver.archive_task(task_id)
    assert path.stat().st_mtime_ns == drawn and len(log.assets_for(task_id)) == 2
    track = board_page(log, assets_dir=assets.resolve()).tasks[0].tracks[0]
    assert track.waveform is not None and track.waveform.rel_path == f"{task_id}/trk1-waveform.png"


def test_tracks_archived_before_get_theirs_drawn_by_the_archiver(env, tmp_path):
    log, files, client, assets = env
    files["/a/trk1"] = _tone_gap_tone(tmp_path / "src.mp3").read_bytes()
    files["/a/trk2"] = b"not audio at all"
    old = AssetArchiver(log, assets, client, waveforms=False)    # before waveforms existed
    first, second = _task(log, "trk1"), _task(log, "trk2")
    old.archive_due(now=10.0)
    assert "waveform" not in _kinds(log, first)
    assert board_page(log, assets_dir=assets.resolve()).tasks[0].tracks[0].waveform is None
    new = AssetArchiver(log, assets, client)
    new.archive_due(now=20.0)                                # one track per pass
    assert _kinds(log, first)["waveform"]["status"] == "done"
    assert "waveform" not in _kinds(log, second)
    new.archive_due(now=21.0)
    new.archive_due(now=22.0)                                # nothing left: the backfill stops
    assert new._backfill is False
    bad = _kinds(log, second)["waveform"]
    assert bad["status"] == "failed" and "decode" in bad["error"]      # not tried again
    assert log.assets_lacking("mp3", "waveform") == []
    views = {v.id: v for v in board_page(log, assets_dir=assets.resolve()).tasks}
    assert views[second].tracks[0].waveform is None      # a failed drawing is not shown
