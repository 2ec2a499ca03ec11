"""Clipping found the way audio tools find it - runs of consecutive samples at the file's own
peak, and inter-sample peaks over 0 dBTP - on files ffmpeg makes here: a 220 Hz sine driven
into hard clipping (volumedetect: about half of all samples in its 0 dB bin), that file encoded
to MP3 at 128, 192 (the issue's case) and 320 kb/s, and a clean sine at -1 dBTP. Then the
one-pass measurement against the whole-file definition, across chunk boundaries."""

from __future__ import annotations

import math
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest

from lib.qa import Thresholds, clipping, loudness, measure_file, score, words
from lib.qa.decode import decode
from lib.qa.flags import Flag
from lib.qa.measure import Measures
from lib.media.audio import ffmpeg_exe
from tests.lib.qa import cards

#: ffmpeg's sine source has an amplitude of 1/8: x12 drives it 1.5x past full scale
SINE = "sine=frequency=220:duration=4:sample_rate=44100"
CLIPPED = ("clipped.wav", "clipped-128.mp3", "clipped-192.mp3", "clipped-320.mp3")
CLEAN = ("clean.wav", "clean-128.mp3", "clean-320.mp3")


def _ffmpeg(*args: str | Path) -> None:
    subprocess.run([ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
                    *map(str, args)], check=True)


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("clipping")
    _ffmpeg("-f", "lavfi", "-i", SINE, "-af", "aeval='clip(val(0)*12,-1,1)':c=stereo",
            "-c:a", "pcm_s16le", folder / "clipped.wav")
    _ffmpeg("-f", "lavfi", "-i", SINE, "-af", "aeval='val(0)*8*pow(10,-1/20)':c=stereo",
            "-c:a", "pcm_s16le", folder / "clean.wav")
    for name in (*CLIPPED[1:], *CLEAN[1:]):
        source, rate = name.removesuffix(".mp3").split("-")
        _ffmpeg("-i", folder / f"{source}.wav", "-c:a", "libmp3lame", "-b:a", f"{rate}k",
                folder / name)
    return folder


def volumedetect(path: Path) -> dict[str, float]:
    """ffmpeg's ``volumedetect``: ``n_samples``, ``max_volume`` (dB) and ``histogram_0db``."""
    err = subprocess.run([ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", str(path), "-af",
                          "volumedetect", "-f", "null", "-"],
                         capture_output=True, text=True, check=True).stderr
    found = dict(re.findall(r"(n_samples|max_volume|histogram_0db): (-?[\d.]+)", err))
    return {key: float(value) for key, value in found.items()}


def test_ffmpeg_made_what_the_tests_say(made):
    for name in CLIPPED:
        found = volumedetect(made / name)
        assert found["histogram_0db"] / found["n_samples"] >= 0.4, (name, found)
    for name in CLEAN:
        found = volumedetect(made / name)
        assert found["max_volume"] <= -1.0, (name, found)
        assert found.get("histogram_0db", 0) / found["n_samples"] < 0.001, (name, found)
    # the case: after encoding, the clipped tops decode under full scale
    samples, _ = decode(made / "clipped-192.mp3")
    assert np.abs(samples).max() < 0.999


#: the share of the track in clipped runs, at least: at 128 kb/s overshoots lift the peak
#: about 0.75 dB over most tops, so only part of them are within the tolerance
MIN_SHARE = {"clipped.wav": 0.4, "clipped-128.mp3": 0.002, "clipped-192.mp3": 0.4,
             "clipped-320.mp3": 0.4}


@pytest.mark.parametrize("name", CLIPPED)
def test_a_clipped_sine_is_flagged_before_and_after_mp3_encoding(made, name):
    m = measure_file(made / name)
    card = score(m)
    check = card.checks["clipping"]
    share = m.clipped / (round(m.duration * m.rate) * m.channels)
    print(f"{name}: {check.detail}")
    assert check.flag is Flag.FAIL
    assert m.clipped >= Thresholds().clipped_fail and share >= MIN_SHARE[name]
    assert m.clipped_runs and m.clipped_runs >= 70      # 1,760 tops per channel in 4 s
    assert m.clip_level_dbfs is not None
    assert check.extra["share"] == pytest.approx(share, rel=1e-3)
    assert f"{m.clipped:,} sample(s) clipped in {m.clipped_runs:,} run(s)" in check.detail
    assert f"({clipping.percent(share)} of the track)" in check.detail
    assert f"true peak {m.true_peak_dbtp:+.2f} dBTP" in check.detail
    problems = {name: text for _, name, text in words.problems(card)}
    assert problems["clipping"] == (f"clipped: {m.clipped:,} samples ({clipping.percent(share)}"
                                    f" of the track), true peak {m.true_peak_dbtp:+.1f} dBTP")


@pytest.mark.parametrize("name", CLEAN)
def test_a_clean_sine_at_minus_one_dbtp_is_not_flagged(made, name):
    m = measure_file(made / name)
    assert m.true_peak_dbtp <= -0.99
    assert m.clipped == 0 and m.true_peak_overs == 0 and m.clip_level_dbfs is None
    check = score(m).checks["clipping"]
    assert check.flag is Flag.OK
    assert check.detail.startswith("no clipped runs: the peak stays under -0.5 dBFS; true peak")


def test_inter_sample_peaks_over_zero_dbtp_warn_without_clipped_runs(tmp_path):
    """A quarter-rate sine at 45 degrees: its samples stay at 0.85 (-1.4 dBFS), its waveform
    reaches 1.2 (+1.6 dBTP) between them."""
    t = np.arange(44100)
    wave = 1.2 * np.sin(np.pi / 2 * t + np.pi / 4)
    samples = np.repeat(wave[:, None], 2, axis=1).astype(np.float32)
    from tests.lib.qa import signals as s

    m = measure_file(s.write(tmp_path / "overs.wav", samples))
    assert m.clipped == 0 and m.true_peak_dbtp == pytest.approx(20 * math.log10(1.2), abs=0.1)
    assert m.true_peak_overs == loudness.overs_full(samples) > 0
    card = score(m)
    assert card.checks["clipping"].flag is Flag.WARN
    assert f"{m.true_peak_overs:,} oversampled value(s) over 0 dBTP" in \
        card.checks["clipping"].detail
    assert f"{m.true_peak_overs:,} inter-sample peaks over 0 dBTP" in words.headline(card, 5)


@pytest.mark.parametrize("name", ["clipped.wav", "clipped-128.mp3"])
def test_streamed_overs_are_those_of_full_oversampling(made, name):
    samples, _ = decode(made / name)
    m = measure_file(made / name, chunk_seconds=0.3)
    assert m.true_peak_overs == loudness.overs_full(samples) > 1000


def reference(samples: np.ndarray) -> clipping.Clipped:
    """The definition on the whole file at once: runs of `MIN_RUN`+ samples of a channel at
    the grid level `TOLERANCE_DB` under the peak's."""
    magnitude = np.abs(samples)
    peak = float(magnitude.max())
    top = clipping._grid(peak)
    if top < round(clipping.LOOK_FROM_DBFS / clipping.STEP_DB):
        return clipping.Clipped(0, 0, 0, None, samples.size)
    index = top - round(clipping.TOLERANCE_DB / clipping.STEP_DB)
    lengths = []
    for channel in magnitude.T:
        at = np.zeros(channel.size + 2, np.int8)
        nonzero = channel > 0
        at[1:-1][nonzero] = clipping._grid_levels(channel[nonzero]) >= index
        edges = np.diff(at)
        lengths += (np.flatnonzero(edges == -1) - np.flatnonzero(edges == 1)).tolist()
    long = [n for n in lengths if n >= clipping.MIN_RUN]
    return clipping.Clipped(sum(long), len(long), max(long, default=0),
                            round(index * clipping.STEP_DB, 2), samples.size)


def _plateaus(seed: int, frames: int = 3000) -> np.ndarray:
    """Noise with flat tops of 1 to 12 samples at 0.97, and later (from 2/3 on, in one
    channel) at a higher peak, so the runs found first stop counting."""
    rng = np.random.default_rng(seed)
    out = (0.3 * rng.standard_normal((frames, 2))).clip(-0.8, 0.8)
    for _ in range(60):
        at, n, ch = int(rng.integers(0, frames - 12)), int(rng.integers(1, 13)), \
            int(rng.integers(0, 2))
        out[at:at + n, ch] = 0.97 * rng.choice([-1, 1])
    if seed % 2:
        for _ in range(8):
            at, n = int(rng.integers(2 * frames // 3, frames - 12)), int(rng.integers(1, 13))
            out[at:at + n, 1] = 1.05 + 0.001 * rng.random(n)
    out[-2:, 0] = 0.97           # a run open at the very end
    return out.astype(np.float32)


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 64, 1000, 3000])
def test_streamed_runs_equal_the_whole_file_at_any_chunk_size(seed, chunk):
    samples = _plateaus(seed)
    runs = clipping.Runs(2)
    for start in range(0, samples.shape[0], chunk):
        runs.feed(np.ascontiguousarray(samples[start:start + chunk].T))
    found, want = runs.result(), reference(samples)
    assert found == want and want.runs >= (5 if seed % 2 else 20)
    assert want.level_dbfs is not None and (want.level_dbfs > -0.26) == bool(seed % 2)


def test_a_quiet_track_keeps_no_levels():
    runs = clipping.Runs(2)
    runs.feed(np.full((2, 1000), 0.5, np.float32))
    assert not runs.levels and runs.result() == clipping.Clipped(0, 0, 0, None, 2000)


def test_scorecards_measured_before_the_runs_still_judge():
    data = cards.measures(clipped=312).to_dict()
    for key in ("clipped_runs", "clip_level_dbfs", "true_peak_overs"):
        del data[key]
    check = score(Measures.from_dict(data)).checks["clipping"]
    assert check.flag is Flag.FAIL
    assert check.detail.startswith("312 sample(s) clipped (0.003% of the track): runs of 3+")
