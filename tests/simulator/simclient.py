"""A tiny test client for the simulator (deliberately independent of `lib/`).

The path tables are written out here, not imported from `simulator.routes`, so a wrong route in
the server fails the tests.
"""

from __future__ import annotations

import base64
import io
import time
import uuid
import wave
from typing import Any

import httpx
import numpy as np

PATHS = {  # op -> (sunoapi, anyint)
    "generate": ("/api/v1/generate", "/suno/generate"),
    "extend": ("/api/v1/generate/extend", "/suno/extend"),
    "upload_cover": ("/api/v1/generate/upload-cover", "/suno/upload-cover"),
    "upload_extend": ("/api/v1/generate/upload-extend", "/suno/upload-extend"),
    "add_vocals": ("/api/v1/generate/add-vocals", "/suno/add-vocals"),
    "add_instrumental": ("/api/v1/generate/add-instrumental", "/suno/add-instrumental"),
    "replace_section": ("/api/v1/generate/replace-section", "/suno/replace-section"),
    "lyrics": ("/api/v1/lyrics", "/suno/generate-lyrics"),
    "cover_art": ("/api/v1/suno/cover/generate", "/suno/generate-cover"),
    "vocal_removal": ("/api/v1/vocal-removal/generate", "/suno/vocal-removal"),
    "split_stem": ("/api/v1/vocal-removal/generate", "/suno/split-stem"),
    "wav": ("/api/v1/wav/generate", "/suno/wav-generate"),
    "mp4": ("/api/v1/mp4/generate", "/suno/mp4-generate"),
    "timestamped_lyrics": ("/api/v1/generate/get-timestamped-lyrics", "/suno/timestamped-lyrics"),
    "style_boost": ("/api/v1/style/generate", "/suno/style-generate"),
    "persona": ("/api/v1/generate/generate-persona", "/suno/generate-persona"),
    # contract-newer: sunoapi.org only, no AnyInt route is known
    "mashup": ("/api/v1/generate/mashup", None),
    "sounds": ("/api/v1/generate/sounds", None),
    "midi": ("/api/v1/midi/generate", None),
    "recovery": ("/api/v1/suno/recovery", None),
    "voice_validate": ("/api/v1/voice/validate", None),
    "voice_regenerate": ("/api/v1/voice/regenerate", None),
    "voice_generate": ("/api/v1/voice/generate", None),
    "voice_check": ("/api/v1/voice/check-voice", None),
}
POLLS = {
    "music": ("/api/v1/generate/record-info", "/suno/query/task"),
    "lyrics": ("/api/v1/lyrics/record-info", "/suno/query/lyrics"),
    "cover": ("/api/v1/suno/cover/record-info", "/suno/query/cover"),
    "stems": ("/api/v1/vocal-removal/record-info", "/suno/query/vocal-removal"),
    "wav": ("/api/v1/wav/record-info", "/suno/query/wav"),
    "mp4": ("/api/v1/mp4/record-info", "/suno/query/mp4"),
    "midi": ("/api/v1/midi/record-info", None),
    "recovery": ("/api/v1/suno/recovery/record-info", None),
    "voice_phrase": ("/api/v1/voice/validate-info", None),
    "voice": ("/api/v1/voice/record-info", None),
}
POLL_PARAMS = {"recovery": "task_id"}  # the query parameter naming the task (default taskId)
DIALECTS = ("sunoapi", "anyint")
CB = "http://127.0.0.1:9/unused"  # nothing listens: deliveries fail quietly
TERMINAL = {"SUCCESS", "CREATE_TASK_FAILED", "GENERATE_AUDIO_FAILED", "GENERATE_LYRICS_FAILED",
            "GENERATE_WAV_FAILED", "GENERATE_MP4_FAILED", "CALLBACK_EXCEPTION", "SENSITIVE_WORD_ERROR", 1, 3}
TERMINALS = {  # families with their own status words (default: TERMINAL)
    "midi": {1, 2, 3},  # successFlag int: 0 pending, 1 success, 2 create failed, 3 failed
    "recovery": {200, 500},  # the envelope's code: 201 running
    "voice_phrase": {"wait_validating", "processing_validate_fail", "fail"},
    "voice": {"success", "fail", "processing_validate_fail"},
}
STATUS_FIELDS = {"music": "status", "lyrics": "status", "voice_phrase": "status", "voice": "status"}


def wav_bytes(pcm: Any, rate: int = 44100) -> bytes:
    """Mono or (n, 2) float PCM as a 16-bit stereo WAV file (stdlib `wave`)."""
    x = np.asarray(pcm, np.float64)
    x = np.repeat(x[:, None], 2, axis=1) if x.ndim == 1 else x
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(np.round(np.clip(x, -1, 1) * 32767).astype("<i2").tobytes())
    return buf.getvalue()


def song_body(**extra: Any) -> dict[str, Any]:
    return {"customMode": True, "instrumental": False, "model": "V5", "callBackUrl": CB,
            "prompt": "[Verse]\nneon rain on the city\n[Chorus]\nwe run all night", "style": "synthwave, dreamy",
            "title": "Neon Rain", **extra}


class SimClient:
    """Calls one simulator with its own API key (so per-key rate limits don't interfere)."""

    def __init__(self, base_url: str, dialect: str = "sunoapi", key: str | None = None) -> None:
        self.base_url = base_url
        self.dialect = dialect
        self.http = httpx.Client(base_url=base_url, timeout=30.0,
                                 headers={"Authorization": f"Bearer {key or uuid.uuid4().hex}"})

    def path(self, op: str) -> str:
        path = PATHS[op][DIALECTS.index(self.dialect)]
        assert path, f"{op} has no {self.dialect} route"
        return path

    def post(self, op: str, body: Any) -> dict[str, Any]:
        resp = self.http.post(self.path(op), json=body)
        assert resp.status_code == 200, resp.text
        return resp.json()

    def create(self, op: str, body: dict[str, Any]) -> str:
        env = self.post(op, body)
        assert env["code"] == 200, env
        return env["data"]["task_id" if op == "recovery" else "taskId"]

    def poll(self, family: str, task_id: str) -> dict[str, Any]:
        path = POLLS[family][DIALECTS.index(self.dialect)]
        assert path, f"{family} has no {self.dialect} poll route"
        resp = self.http.get(path, params={POLL_PARAMS.get(family, "taskId"): task_id})
        assert resp.status_code == 200, resp.text
        return resp.json()

    def statuses(self, family: str, task_id: str, timeout: float = 20.0) -> tuple[list[Any], dict[str, Any]]:
        """Poll until terminal; returns (distinct statuses seen in order, last data; for recovery,
        whose status is the envelope's code, the whole answer)."""
        field = STATUS_FIELDS.get(family, "successFlag")
        terminal = TERMINALS.get(family, TERMINAL)
        seen: list[Any] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            env = self.poll(family, task_id)
            if family == "recovery":
                status, data = env["code"], env
            else:
                assert env["code"] == 200, env
                status, data = env["data"][field], env["data"]
            if not seen or seen[-1] != status:
                seen.append(status)
            if status in terminal:
                return seen, data
            time.sleep(0.01)
        raise AssertionError(f"task {task_id} stuck at {seen}")

    def song(self, **extra: Any) -> tuple[str, dict[str, Any]]:
        """Generate a song and wait for SUCCESS; returns (taskId, record data)."""
        task_id = self.create("generate", song_body(**extra))
        seen, data = self.statuses("music", task_id)
        assert seen[-1] == "SUCCESS", (seen, data)
        return task_id, data

    def upload(self, data: bytes, name: str) -> str:
        """Upload bytes through the simulator's file API; returns the download URL."""
        env = self.http.post("/api/file-base64-upload", json={
            "base64Data": base64.b64encode(data).decode(), "uploadPath": "tests/newer", "fileName": name}).json()
        assert env["code"] == 200, env
        return env["data"]["downloadUrl"]

    def admin(self, method: str, path: str, body: Any = None) -> dict[str, Any]:
        resp = httpx.request(method, self.base_url + path, json=body, timeout=10)
        assert resp.status_code == 200, resp.text
        return resp.json()
