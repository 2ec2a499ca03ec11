"""Request rules of the contract-newer routes and fields: one table of (op, body, body code,
message fragment naming the field), plus what is accepted and what no AnyInt route exists for."""

from __future__ import annotations

import httpx
import pytest

from simulator.ops import OPERATIONS
from tests.simulator.simclient import CB, PATHS, SimClient, song_body
from tests.simulator.test_sim_validation import MISSING, SIMPLE, _with

U1, U2 = "http://127.0.0.1:9/a.mp3", "http://127.0.0.1:9/b.mp3"
MASH = {"uploadUrlList": [U1, U2], "customMode": True, "instrumental": False, "model": "V5", "callBackUrl": CB,
        "prompt": "p", "style": "s", "title": "t"}
MASH_SIMPLE = {"uploadUrlList": [U1, U2], "customMode": False, "model": "V5", "callBackUrl": CB, "prompt": "p"}
SND = {"prompt": "rain on a tin roof", "model": "V5"}
VAL = {"voiceUrl": U1, "vocalStartS": 0, "vocalEndS": 10}
EXTEND = {"defaultParamFlag": False, "audioId": "x", "callBackUrl": CB, "model": "V5"}
COVER = {"uploadUrl": U1, "customMode": True, "instrumental": True, "callBackUrl": CB, "model": "V5", "style": "s",
         "title": "t"}

CASES = [
    # generate, V6-era fields (contract-newer 1)
    ("generate", song_body(lyrics="x" * 5001), 413, "lyrics"),
    ("generate", song_body(prompt=None), 400, "prompt or lyrics"),
    ("generate", song_body(duration=30), 400, "duration is only allowed with models V5_5"),
    ("generate", song_body(model="V6", duration=9), 400, "duration must be between 10 and 360"),
    ("generate", song_body(model="V6", duration=361), 400, "duration"),
    ("generate", song_body(model="V6", duration="long"), 400, "duration"),
    ("generate", _with(SIMPLE, model="V6", duration=30), 400, "duration is only allowed in custom mode"),
    ("generate", song_body(variety=5), 400, "variety"),
    ("generate", song_body(variety=1.5), 400, "variety must be a whole number"),
    ("generate", _with(SIMPLE, variety=2), 400, "variety is only allowed in custom mode"),
    ("generate", song_body(personaModel="clone"), 400, "personaModel must be one of"),
    ("generate", song_body(model="V4_5", personaModel="style_persona"), 400, "personaModel is only allowed"),
    ("generate", song_body(personaModel="voice_persona"), 400, "personaId is required"),
    ("generate", _with(SIMPLE, model="V6", prompt="x" * 3001), 413, "3000"),
    ("generate", _with(SIMPLE, model="V5_5", prompt="x" * 501), 413, "500"),
    ("generate", song_body(personaId="nope", personaModel="voice_persona"), 400, "not an available voice"),
    ("extend", _with(EXTEND, model="V4", personaModel="voice_persona"), 400, "personaModel"),
    ("upload_cover", _with(COVER, personaModel="x"), 400, "personaModel"),
    # mashup
    ("mashup", _with(MASH, uploadUrlList=MISSING), 400, "uploadUrlList is required"),
    ("mashup", _with(MASH, uploadUrlList=[U1]), 400, "exactly 2"),
    ("mashup", _with(MASH, uploadUrlList=[U1, U2, U1]), 400, "exactly 2"),
    ("mashup", _with(MASH, uploadUrlList=U1), 400, "uploadUrlList"),
    ("mashup", _with(MASH, uploadUrlList=[U1, "ftp://x"]), 400, "uploadUrlList[1]"),
    ("mashup", _with(MASH, customMode=MISSING), 400, "customMode"),
    ("mashup", _with(MASH, model="V9"), 400, "model"),
    ("mashup", _with(MASH, callBackUrl=MISSING), 400, "callBackUrl"),
    ("mashup", _with(MASH, style=MISSING), 400, "style"),
    ("mashup", _with(MASH, title=MISSING), 400, "title"),
    ("mashup", _with(MASH, prompt=MISSING), 400, "prompt or lyrics"),
    ("mashup", _with(MASH, model="V4", title="x" * 81), 413, "title"),
    ("mashup", _with(MASH_SIMPLE, prompt=MISSING), 400, "prompt"),
    ("mashup", _with(MASH_SIMPLE, prompt="x" * 501), 413, "500"),
    ("mashup", _with(MASH_SIMPLE, model="V6_MINI", prompt="x" * 3001), 413, "3000"),
    ("mashup", _with(MASH, instrumental="no"), 400, "instrumental"),
    ("mashup", _with(MASH, vocalGender="x"), 400, "vocalGender"),
    ("mashup", _with(MASH, styleWeight=2), 400, "styleWeight"),
    ("mashup", _with(MASH, variety=9), 400, "variety"),
    ("mashup", _with(MASH, duration=60), 400, "duration is only allowed with models"),
    ("mashup", _with(MASH, model="V6", duration=400), 400, "duration must be between"),
    ("mashup", _with(MASH, model="V4_5ALL", personaModel="style_persona"), 400, "personaModel"),
    ("mashup", _with(MASH, personaId="nope"), 400, "personaId not found"),
    # sounds
    ("sounds", _with(SND, prompt=MISSING), 400, "prompt"),
    ("sounds", _with(SND, prompt="x" * 501), 413, "prompt"),
    ("sounds", _with(SND, model=MISSING), 400, "model"),
    ("sounds", _with(SND, model="V5_5"), 400, "model must be one of V5"),
    ("sounds", _with(SND, model="V6"), 400, "model"),
    ("sounds", _with(SND, soundLoop="yes"), 400, "soundLoop"),
    ("sounds", _with(SND, soundTempo=0), 400, "soundTempo"),
    ("sounds", _with(SND, soundTempo=301), 400, "soundTempo"),
    ("sounds", _with(SND, soundTempo=90.5), 400, "soundTempo"),
    ("sounds", _with(SND, soundKey="H"), 400, "soundKey"),
    ("sounds", _with(SND, soundKey="cm"), 400, "soundKey"),
    ("sounds", _with(SND, grabLyrics=1), 400, "grabLyrics"),
    ("sounds", _with(SND, callBackUrl="ftp://x"), 400, "callBackUrl"),
    # midi
    ("midi", {"callBackUrl": CB}, 400, "taskId"),
    ("midi", {"taskId": "t"}, 400, "callBackUrl"),
    ("midi", {"taskId": "t", "audioId": 5, "callBackUrl": CB}, 400, "audioId"),
    ("midi", {"taskId": "nope", "callBackUrl": CB}, 400, "taskId is not a known vocal-removal task"),
    # recovery
    ("recovery", {"callBackUrl": CB}, 400, "sunoTaskId"),
    ("recovery", {"sunoTaskId": " ", "callBackUrl": CB}, 400, "sunoTaskId"),
    ("recovery", {"sunoTaskId": "t"}, 400, "callBackUrl"),
    ("recovery", {"sunoTaskId": "nope", "callBackUrl": CB}, 400, "The original Suno task does not exist."),
    ("recovery", {"task_id": "nope", "callBackUrl": CB}, 400, "The original Suno task does not exist."),
    # voice
    ("voice_validate", _with(VAL, voiceUrl=MISSING), 400, "voiceUrl"),
    ("voice_validate", _with(VAL, voiceUrl="ftp://x"), 400, "voiceUrl"),
    ("voice_validate", _with(VAL, vocalStartS=MISSING), 400, "vocalStartS"),
    ("voice_validate", _with(VAL, vocalStartS=1.5), 400, "vocalStartS must be a whole number"),
    ("voice_validate", _with(VAL, vocalEndS="10"), 400, "vocalEndS"),
    ("voice_validate", _with(VAL, vocalStartS=-1), 400, "vocalStartS"),
    ("voice_validate", _with(VAL, vocalStartS=10), 400, "vocalEndS (10) must be greater"),
    ("voice_validate", _with(VAL, vocalEndS=61), 400, "1-60 s"),
    ("voice_validate", _with(VAL, language="xx"), 400, "language"),
    ("voice_validate", _with(VAL, callBackUrl="ftp://x"), 400, "callBackUrl"),
    ("voice_regenerate", {"calBackUrl": CB}, 400, "taskId"),
    ("voice_regenerate", {"taskId": "t"}, 400, "calBackUrl is required"),
    ("voice_regenerate", {"taskId": "t", "calBackUrl": "ftp://x"}, 400, "calBackUrl"),
    ("voice_regenerate", {"taskId": "nope", "calBackUrl": CB}, 400, "taskId is not a known voice validation"),
    ("voice_generate", {"verifyUrl": U1}, 400, "taskId"),
    ("voice_generate", {"taskId": "t"}, 400, "verifyUrl"),
    ("voice_generate", {"taskId": "t", "verifyUrl": U1, "singerSkillLevel": "god"}, 400, "singerSkillLevel"),
    ("voice_generate", {"taskId": "t", "verifyUrl": U1, "voiceName": 5}, 400, "voiceName"),
    ("voice_generate", {"taskId": "nope", "verifyUrl": U1}, 400, "taskId is not a known voice validation"),
    ("voice_check", {}, 400, "task_id"),
    ("voice_check", {"taskId": "x"}, 400, "task_id"),
    ("voice_check", {"task_id": "nope"}, 400, "task_id is not a known voice generate task"),
]


@pytest.mark.parametrize("op,body,code,fragment", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_rule(simulator, op, body, code, fragment):
    env = SimClient(simulator.base_url).post(op, body)
    assert env["code"] == code, env
    assert fragment in env["msg"], env
    assert "data" not in env


ACCEPTED = [
    ("generate", song_body(prompt=None, lyrics="[Verse]\nsung from lyrics")),
    ("generate", song_body(model="V6", duration=12.5, variety=0, personaModel="style_persona")),
    ("generate", _with(SIMPLE, model="V6_WILD", prompt="x" * 3000)),
    ("generate", song_body(instrumental=True, prompt=None)),
    ("mashup", MASH),
    ("mashup", _with(MASH_SIMPLE, duration=30, model="V5_5", variety=4)),  # Rev B extras in either mode
    ("mashup", _with(MASH, prompt=MISSING, lyrics="la la")),
    ("mashup", _with(MASH, prompt=MISSING, instrumental=True)),
    ("sounds", SND),  # no callBackUrl: optional here only
    ("sounds", _with(SND, soundLoop=True, soundTempo=2, soundKey="A#m", grabLyrics=True, callBackUrl=CB)),
    ("sounds", _with(SND, soundTempo=300.0, soundKey="Any")),
    ("voice_validate", _with(VAL, vocalStartS=2.0, vocalEndS=62, language="ja", callBackUrl=CB)),
]


@pytest.mark.parametrize("op,body", ACCEPTED, ids=[f"{c[0]}-{i}" for i, c in enumerate(ACCEPTED)])
def test_accepted(simulator, op, body):
    env = SimClient(simulator.base_url).post(op, body)
    assert env["code"] == 200, env
    assert len(env["data"]["taskId"]) == 32


def test_range_edges_pass_the_rules():
    """Edges whose tasks would be slow to render (a 60 s sound, a 360 s song): the rules alone."""
    assert OPERATIONS["sounds"].check(_with(SND, soundTempo=1)) is None
    assert OPERATIONS["sounds"].check(_with(SND, soundTempo=300)) is None
    assert OPERATIONS["generate"].check(song_body(model="V6_MINI", duration=360, variety=4)) is None
    assert OPERATIONS["generate"].check(song_body(model="V5_5", duration=10.0, variety=0)) is None
    assert OPERATIONS["mashup"].check(_with(MASH, model="V6", duration=360)) is None
    assert OPERATIONS["voice_validate"].check(_with(VAL, vocalStartS=0, vocalEndS=1)) is None


NEW_OPS = ("mashup", "sounds", "midi", "recovery", "voice_validate", "voice_regenerate", "voice_generate",
           "voice_check")
NEW_POLLS = ("/midi/record-info", "/suno/recovery/record-info", "/voice/validate-info", "/voice/record-info")


def test_no_anyint_routes(simulator):
    """No /suno/* route is known for the newer operations: their likely names answer 404."""
    client = SimClient(simulator.base_url)
    for op in NEW_OPS:
        assert PATHS[op][1] is None
        guess = "/suno/" + PATHS[op][0].removeprefix("/api/v1/").replace("generate/", "")
        resp = client.http.post(guess, json={})
        assert resp.status_code == 404 and resp.json()["code"] == 404, guess
    for poll in NEW_POLLS:
        resp = client.http.get("/suno" + poll, params={"taskId": "x"})
        assert resp.status_code == 404, poll
    assert client.http.post(PATHS["mashup"][0], json=MASH).json()["code"] == 200  # the sunoapi route works


def test_new_routes_need_a_bearer_key(simulator):
    for op in NEW_OPS:
        env = httpx.post(simulator.base_url + PATHS[op][0], json={}).json()
        assert env["code"] == 401, op
