"""A finished experiment with archived takes, written straight into a log (no provider):
two variants ("warm", "bright") x ``repeats`` cells x two takes, each take a real WAV file
whose level is known (``warm`` takes are 6 dB louder than ``bright`` ones)."""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np

from lib import families
from lib.experiments import grid, service
from lib.log import CellRef
from tests.helpers import write_wav16
from tests.lib import contract_examples as ex

BASE = {"customMode": True, "instrumental": False, "model": "V5", "prompt": "a calm piano",
        "title": "Calm"}  # custom mode: the style axis counts
AMPLITUDE = {"warm": 0.4, "bright": 0.2}


def write_tone(path: Path, amplitude: float, seconds: float = 2.0, rate: int = 16000,
               freq: float = 440.0) -> Path:
    t = np.arange(int(seconds * rate)) / rate
    pcm = (amplitude * np.sin(2 * np.pi * freq * t) * 32767).astype("<i2")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_wav16(path, pcm.tobytes(), rate)
    return path


def _record(tracks):
    data = copy.deepcopy(ex.MUSIC_RECORD_INFO_DATA)
    template = data["response"]["sunoData"][0]
    data["response"]["sunoData"] = [
        {**template, "id": tid, "title": title, "audioUrl": f"https://cdn.test/{tid}.mp3"}
        for tid, title in tracks]
    return families.parse_poll("music", data)


def finished_experiment(log, assets: Path, repeats: int = 2, *, prefix: str = "") -> str:
    """Store the experiment, "send" and finish every cell, archive every take; returns its id."""
    axis, _ = grid.parse_axis("generate", "style", "warm\nbright")
    setup = service.Setup(name="Blind styles", op="generate", base=BASE, axes=[axis],
                          repeats=repeats)
    exp = service.create(log, setup, grid.plan("generate", BASE, grid.expand([axis]), repeats),
                         now=100.0)
    n = 0
    while (cell := log.claim_cell(now=100.0)) is not None:
        task_id = log.create_task("generate", "music", BASE, task_id=cell["task_id"],
                                  cell=CellRef(cell["id"], exp, cell["variant"],
                                               cell["repeat_no"]), now=100.0)
        log.mark_submitted(task_id, f"prov-{prefix}{n}", next_poll_at=None, now=101.0)
        tracks = [(f"{prefix}{cell['variant']}-{cell['repeat_no']}-{i}",
                   f"Song {cell['variant']} {cell['repeat_no']}.{i}") for i in range(2)]
        log.apply_poll(task_id, _record(tracks), next_poll_at=None, now=120.0)
        for tid, _ in tracks:
            path = write_tone(assets / f"{tid}.wav", AMPLITUDE[cell["variant"]])
            log.set_track_local(tid, audio=str(path))
        n += 1
    log.settle_experiments(now=130.0)
    return exp
