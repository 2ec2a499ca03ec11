"""Every validation rule of the simulator: one table of (op, body, body code, message fragment)."""

from __future__ import annotations

import time

import pytest

from tests.simulator.simclient import CB, SimClient, song_body

U = "http://127.0.0.1:9/src.mp3"
MISSING = object()


def _with(base: dict, **changes) -> dict:
    out = dict(base)
    for key, value in changes.items():
        if value is MISSING:
            out.pop(key, None)
        else:
            out[key] = value
    return out


SIMPLE = {"customMode": False, "instrumental": False, "model": "V5", "callBackUrl": CB, "prompt": "a song"}
EXTEND = {"defaultParamFlag": True, "audioId": "x", "callBackUrl": CB, "model": "V5", "continueAt": 1,
          "prompt": "p", "style": "s", "title": "t"}
COVER = {"uploadUrl": U, "customMode": True, "instrumental": True, "callBackUrl": CB, "model": "V5",
         "style": "s", "title": "t"}
UEXT = {"uploadUrl": U, "defaultParamFlag": True, "instrumental": True, "callBackUrl": CB, "model": "V5",
        "continueAt": 1, "style": "s", "title": "t"}
VOCALS = {"uploadUrl": U, "callBackUrl": CB, "prompt": "p", "title": "t", "negativeTags": "", "style": "s"}
INSTR = {"uploadUrl": U, "callBackUrl": CB, "title": "t", "negativeTags": "", "tags": "folk"}
REPLACE = {"taskId": "t", "audioId": "a", "prompt": "p", "tags": "rock", "title": "t", "infillStartS": 1,
           "infillEndS": 10}
TA = {"taskId": "t", "audioId": "a", "callBackUrl": CB}
PERSONA = {"taskId": "t", "audioId": "a", "name": "n", "description": "d"}

CASES = [
    # required fields and types
    ("generate", _with(SIMPLE, customMode=MISSING), 400, "customMode"),
    ("generate", _with(SIMPLE, instrumental="yes"), 400, "instrumental"),
    ("generate", _with(SIMPLE, model=MISSING), 400, "model"),
    ("generate", _with(SIMPLE, model="V9"), 400, "model"),
    ("generate", _with(SIMPLE, callBackUrl=MISSING), 400, "callBackUrl"),
    ("generate", _with(SIMPLE, callBackUrl="ftp://x"), 400, "callBackUrl"),
    ("generate", [1, 2], 400, "JSON object"),
    # customMode / instrumental matrix
    ("generate", _with(SIMPLE, prompt=MISSING), 400, "prompt"),
    ("generate", song_body(style=None), 400, "style"),
    ("generate", song_body(title=""), 400, "title"),
    ("generate", song_body(prompt=None), 400, "prompt"),
    # per-model length limits (413)
    ("generate", _with(SIMPLE, prompt="x" * 501), 413, "500"),
    ("generate", song_body(model="V4", prompt="x" * 3001), 413, "3000"),
    ("generate", song_body(model="V5", prompt="x" * 5001), 413, "5000"),
    ("generate", song_body(model="V4", style="x" * 201), 413, "200"),
    ("generate", song_body(model="V4_5", style="x" * 1001), 413, "1000"),
    ("generate", song_body(model="V4", title="x" * 81), 413, "80"),
    ("generate", song_body(model="V4_5ALL", title="x" * 81), 413, "V4_5ALL"),
    ("generate", song_body(model="V5", title="x" * 101), 413, "100"),
    ("generate", song_body(model="V3_5"), 400, "V6_MINI"),  # not in the published enum any more
    ("generate", song_body(model="V5_5", title="x" * 101), 413, "100"),
    ("generate", song_body(model="V6", title="x" * 81), 413, "limit 80 for model V6"),
    ("generate", song_body(model="V6_WILD", prompt="x" * 5001), 413, "limit 5000 for model V6_WILD"),
    ("generate", song_body(model="V6_MINI", style="x" * 1001), 413, "limit 1000 for model V6_MINI"),
    # optional field ranges
    ("generate", song_body(styleWeight=1.5), 400, "styleWeight"),
    ("generate", song_body(audioWeight=-0.1), 400, "audioWeight"),
    ("generate", song_body(weirdnessConstraint="high"), 400, "weirdnessConstraint"),
    ("generate", song_body(vocalGender="x"), 400, "vocalGender"),
    # extend
    ("extend", _with(EXTEND, audioId=MISSING), 400, "audioId"),
    ("extend", _with(EXTEND, defaultParamFlag=MISSING), 400, "defaultParamFlag"),
    ("extend", _with(EXTEND, continueAt=0), 400, "continueAt"),
    ("extend", _with(EXTEND, continueAt=MISSING), 400, "continueAt"),
    ("extend", _with(EXTEND, style=MISSING), 400, "style"),
    ("extend", _with(EXTEND, model="V4", title="x" * 81), 413, "title"),
    ("extend", EXTEND, 400, "audioId not found"),
    # upload-cover / upload-extend / add-*
    ("upload_cover", _with(COVER, uploadUrl=MISSING), 400, "uploadUrl"),
    ("upload_cover", _with(COVER, instrumental=False), 400, "prompt"),
    ("upload_extend", _with(UEXT, continueAt=-1), 400, "continueAt"),
    ("upload_extend", _with(UEXT, defaultParamFlag=MISSING), 400, "defaultParamFlag"),
    ("add_vocals", _with(VOCALS, negativeTags=MISSING), 400, "negativeTags"),
    ("add_vocals", _with(VOCALS, model="V4"), 400, "model"),
    ("add_instrumental", _with(INSTR, tags=MISSING), 400, "tags"),
    ("add_instrumental", _with(INSTR, title="x" * 101), 413, "title"),
    # replace-section (alternative code list: validation -> 422)
    ("replace_section", _with(REPLACE, infillStartS=10, infillEndS=5), 422, "less than"),
    ("replace_section", _with(REPLACE, infillEndS=5), 422, "6-60"),
    ("replace_section", _with(REPLACE, infillEndS=80), 422, "6-60"),
    ("replace_section", _with(REPLACE, infillStartS=-1), 422, "infillStartS"),
    ("replace_section", _with(REPLACE, tags=MISSING), 422, "tags"),
    ("replace_section", REPLACE, 422, "audioId not found"),
    # lyrics
    ("lyrics", {"prompt": "word " * 201, "callBackUrl": CB}, 413, "200 words"),
    ("lyrics", {"callBackUrl": CB}, 400, "prompt"),
    # sub-tasks
    ("wav", _with(TA, audioId=MISSING), 400, "audioId"),
    ("wav", TA, 400, "audioId not found"),
    ("vocal_removal", _with(TA, type="karaoke"), 400, "type"),
    ("mp4", _with(TA, author="x" * 51), 413, "author"),
    ("mp4", _with(TA, domainName="x" * 51), 413, "domainName"),
    ("cover_art", {"callBackUrl": CB}, 422, "taskId"),
    ("cover_art", {"taskId": "nope", "callBackUrl": CB}, 422, "music task"),
    ("timestamped_lyrics", {"taskId": "t"}, 400, "audioId"),
    ("style_boost", {}, 400, "content"),
    ("persona", _with(PERSONA, name=MISSING), 422, "name"),
    ("persona", _with(PERSONA, vocalStart=0, vocalEnd=5), 422, "10-30"),
    ("persona", _with(PERSONA, vocalStart=0, vocalEnd=31), 422, "10-30"),
]


@pytest.mark.parametrize("op,body,code,fragment", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_rule(simulator, op, body, code, fragment):
    env = SimClient(simulator.base_url).post(op, body)
    assert env["code"] == code, env
    assert fragment in env["msg"]
    assert "data" not in env


@pytest.fixture(scope="module")
def long_song(make_simulator_module):
    client = SimClient(make_simulator_module.base_url)
    return client, *client.song()


@pytest.fixture(scope="module")
def make_simulator_module():
    from simulator.config import SimConfig
    from simulator.server import run_in_thread
    running = run_in_thread(SimConfig(speed=400, track_seconds=14, credits=10**6))
    yield running
    running.stop()


def test_stateful_rules(long_song):
    client, task, data = long_song
    audio = data["response"]["sunoData"][0]["id"]
    env = client.post("extend", _with(EXTEND, audioId=audio, model="V4"))
    assert env["code"] == 400 and "model V4" in env["msg"] and "source audio's model V5" in env["msg"]
    ext = _with(EXTEND, audioId=audio, continueAt=14.5)
    env = client.post("extend", ext)
    assert env["code"] == 400 and "continueAt" in env["msg"] and "14.00" in env["msg"]
    win = _with(REPLACE, taskId=task, audioId=audio, infillStartS=0, infillEndS=8)
    env = client.post("replace_section", win)
    assert env["code"] == 422 and "50%" in env["msg"]
    env = client.post("replace_section", _with(win, infillStartS=10, infillEndS=16))
    assert env["code"] == 422 and "duration" in env["msg"]
    env = client.post("persona", _with(PERSONA, taskId=task, audioId=audio, vocalStart=2, vocalEnd=20))
    assert env["code"] == 422 and "vocalEnd" in env["msg"]
    other = client.post("wav", _with(TA, taskId="0" * 32, audioId=audio))
    assert other["code"] == 400 and "taskId" in other["msg"]


def test_sources_must_be_complete(make_simulator):
    client = SimClient(make_simulator(speed=40).base_url)
    task = client.create("generate", song_body())
    while (data := client.poll("music", task)["data"])["status"] == "PENDING":
        time.sleep(0.02)
    assert data["status"] in ("TEXT_SUCCESS", "FIRST_SUCCESS")
    env = client.post("wav", _with(TA, taskId=task, audioId=data["response"]["sunoData"][0]["id"]))
    assert env["code"] == 400 and "not complete" in env["msg"]
