"""Small helpers shared by the task-log tests (not fixtures)."""

import copy

from lib.families import parse_poll


def poll(family, envelope):
    return parse_poll(family, copy.deepcopy(envelope["data"]))


def new_task(log, *, op="generate", now=100.0, **kw):
    return log.create_task(op, kw.pop("family", "music"), {"prompt": kw.get("prompt")},
                           now=now, **kw)


def seed_library(log):
    """25 pending tasks: generate/lyrics alternating, V5 every third, 5 about calm piano."""
    ids = []
    for i in range(25):
        op = "generate" if i % 2 == 0 else "lyrics"
        model = "V5" if i % 3 == 0 else "V4_5"
        ids.append(log.create_task(op, "music", {}, model=model, title=f"song {i}",
                                   prompt="calm piano" if i < 5 else "loud rock",
                                   now=1000.0 + i))
    return ids
