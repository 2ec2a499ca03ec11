"""Audio uploads for the transform operations (``uploadUrl``), UI-free.

`check_audio(name, data)` refuses what the provider cannot use (wrong extension, not audio by
its first bytes, empty, over `MAX_UPLOAD_MB`). `upload_audio(client, uploads_dir, name, data)`
keeps a local copy under ``data/uploads/`` and sends the bytes to the upload host
(`SunoClient.upload_bytes`; the simulator serves the same API); its ``downloadUrl`` becomes the
``uploadUrl``. When the upload host fails and Songbench has a public URL, the local copy served by
``/api/assets/uploads/<file>`` is used instead (the provider must be able to reach that URL).

Every upload needs the user's attestation first (`ATTESTATION`, ``attested=True``): without it
nothing is stored or sent. The pickers keep the attestation with the upload in the task log
(`lib.log.TaskLog.record_upload`).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from lib.provider.errors import SongbenchError
from lib.provider.protocol import Uploader

AUDIO_TYPES = ("mp3", "wav", "m4a", "ogg", "flac", "aac")
MAX_UPLOAD_MB = 50
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
UPLOAD_PATH = "songbench"
#: what the user confirms before a file is uploaded and used (stored with the upload)
ATTESTATION = "The team may use this audio"
NOT_ATTESTED = (f"Tick “{ATTESTATION}” before the file is uploaded: it is stored with the "
                "upload.")
#: Said at the source when "Upload a file" is chosen and no upload is ready to be used.
NO_UPLOAD = ("Audio file: no audio is uploaded yet. Choose a file ("
             + ", ".join(AUDIO_TYPES) + f") and tick “{ATTESTATION}”, or pick a finished track "
             "or a public URL instead.")


class UploadError(Exception):
    """The file was refused or could not be made reachable; ``str()`` is for the user."""


def sniff_audio(head: bytes) -> str | None:
    """The audio container the first bytes announce (``mp3``, ``wav``...), or None."""
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head[:4] == b"fLaC":
        return "flac"
    if head[:4] == b"OggS":
        return "ogg"
    if head[4:8] == b"ftyp":
        return "m4a"
    if head[:4] == b"ADIF":
        return "aac"
    if head[:3] == b"ID3":
        return "mp3"  # an ID3 tag also fronts some raw AAC streams; both are audio
    if len(head) >= 2 and head[0] == 0xFF:
        if head[1] & 0xF6 == 0xF0:
            return "aac"  # ADTS sync word, layer 0
        if head[1] & 0xE0 == 0xE0:
            return "mp3"  # MPEG audio frame sync
    return None


def check_audio(name: str, data: bytes) -> str | None:
    """Why ``data`` cannot be uploaded as audio, or None when it can."""
    ext = Path(name or "").suffix.lstrip(".").lower()
    if ext not in AUDIO_TYPES:
        return (f"{name or 'The file'}: .{ext or '?'} is not accepted; use one of "
                f"{', '.join('.' + t for t in AUDIO_TYPES)}.")
    if not data:
        return f"{name}: the file is empty."
    if len(data) > MAX_UPLOAD_BYTES:
        return (f"{name}: {len(data) / 1024 / 1024:.1f} MB is too large; the limit is "
                f"{MAX_UPLOAD_MB} MB.")
    if sniff_audio(data[:16]) is None:
        return f"{name}: this does not look like audio (unknown file header)."
    return None


def safe_name(name: str, data: bytes) -> str:
    """``<content hash>-<cleaned stem>.<ext>``: stable per content, safe for every upload host."""
    path = Path(name or "audio")
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", path.stem).strip("-.")[:60] or "audio"
    digest = hashlib.sha256(data).hexdigest()[:12]
    return f"{digest}-{stem}.{path.suffix.lstrip('.').lower() or 'bin'}"


def measure_seconds(path: Path) -> float | None:
    """Duration of a local audio file, or None when it cannot be decoded here."""
    try:
        from lib.media.audio import probe

        return round(probe(path).duration, 2)
    except Exception:
        return None


@dataclass(frozen=True)
class Uploaded:
    """A source file that the provider can fetch at ``url``."""

    url: str
    name: str  # as the user named it
    file_name: str  # as stored and uploaded
    local_path: str
    size: int
    duration: float | None
    via: str  # "upload host" | "Songbench server"
    note: str | None = None
    attested: bool = False  # the user confirmed `ATTESTATION`


def upload_audio(client: Uploader, uploads_dir: str | Path, name: str, data: bytes, *,
                 public_url: str | None = None, measure: bool = True,
                 attested: bool = False) -> Uploaded:
    """Check, keep a local copy, upload; returns where the provider can fetch the file.

    Raises `UploadError` with a readable message when the file is refused or unreachable, or
    when the user did not attest that the team may use it (``attested``).
    """
    if not attested:
        raise UploadError(NOT_ATTESTED)
    problem = check_audio(name, data)
    if problem:
        raise UploadError(problem)
    file_name = safe_name(name, data)
    folder = Path(uploads_dir)
    folder.mkdir(parents=True, exist_ok=True)
    local = folder / file_name
    if not local.exists():
        tmp = local.with_suffix(local.suffix + ".part")
        tmp.write_bytes(data)
        tmp.replace(local)
    duration = measure_seconds(local) if measure else None
    try:
        info = client.upload_bytes(data, file_name, upload_path=UPLOAD_PATH)
        return Uploaded(str(info["downloadUrl"]), name, file_name, str(local), len(data),
                        duration, "upload host", attested=True)
    except SongbenchError as exc:
        reason = exc.explain()
    if public_url:
        url = f"{public_url.rstrip('/')}/api/assets/uploads/{file_name}"
        return Uploaded(url, name, file_name, str(local), len(data), duration,
                        "Songbench server",
                        note=f"The upload host failed ({reason}); the provider will fetch the "
                             "local copy from this server instead.", attested=True)
    raise UploadError(f"Upload failed: {reason} The local copy is kept at {local}; set "
                      "SONGBENCH_PUBLIC_URL to serve it yourself, or paste a public URL.")
