"""Audio uploads for the transform operations (``uploadUrl``), UI-free.

`check_audio(name, data, limits)` refuses what the provider cannot use (wrong extension, not
audio by its first bytes, empty, over `MAX_UPLOAD_MB`; with an operation's `AudioLimits`, its
own types and size too), and `upload_audio` its length (measured from the local copy) before
anything is sent. `upload_audio(client, uploads_dir, name, data)`
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

from lib.contract.operation import AudioLimits
from lib.contract.validation import number_text
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


class UploadRefused(UploadError):
    """The file itself does not fit (type, size, length); nothing was sent."""


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


def accepted_types(limits: AudioLimits | None = None) -> tuple[str, ...]:
    """The file types an upload may be (an operation's own, else every audio type)."""
    return tuple(t for t in AUDIO_TYPES if limits is None or t in limits.types)


def max_mb(limits: AudioLimits | None = None) -> float:
    """The largest upload in MB (an operation's own limit when it is lower)."""
    return min(MAX_UPLOAD_MB, limits.max_mb) if limits is not None else MAX_UPLOAD_MB


def check_audio(name: str, data: bytes, limits: AudioLimits | None = None) -> str | None:
    """Why ``data`` cannot be uploaded as audio, or None when it can; ``limits``: what the
    operation's provider takes (types, size), over the upload host's own."""
    ext = Path(name or "").suffix.lstrip(".").lower()
    who = f"{limits.who} takes " if limits is not None else "use one of "
    types = accepted_types(limits)
    if ext not in types:
        return (f"{name or 'The file'}: .{ext or '?'} is not accepted; {who}"
                f"{', '.join('.' + t for t in types)}.")
    if not data:
        return f"{name}: the file is empty."
    cap = max_mb(limits)
    if len(data) > cap * 1024 * 1024:
        whose = f" ({limits.who}'s)" if limits is not None and cap < MAX_UPLOAD_MB else ""
        return (f"{name}: {len(data) / 1024 / 1024:.1f} MB is too large; the limit is "
                f"{cap:g} MB{whose}.")
    if sniff_audio(data[:16]) is None:
        return f"{name}: this does not look like audio (unknown file header)."
    if limits is not None and sniff_audio(data[:16]) not in limits.types:
        return (f"{name}: the file is {sniff_audio(data[:16])} inside, not "
                f"{' or '.join(limits.types)}; {limits.who} takes {limits.words()}.")
    return None


def check_length(name: str, seconds: float | None, limits: AudioLimits | None) -> str | None:
    """Why an audio of ``seconds`` does not fit ``limits``' length, or None (an unknown length
    is the provider's to judge)."""
    if limits is None or limits.seconds is None or seconds is None:
        return None
    low, high = limits.seconds
    if low <= seconds <= high:
        return None
    return (f"{name}: the audio is {number_text(round(seconds, 1))} s long; {limits.who} "
            f"takes {number_text(low)}-{number_text(high)} s ({limits.words()}).")


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
                 attested: bool = False, limits: AudioLimits | None = None) -> Uploaded:
    """Check, keep a local copy, upload; returns where the provider can fetch the file.

    Raises `UploadError` with a readable message when the file is unreachable, or when the
    user did not attest that the team may use it (``attested``); `UploadRefused` when the file
    does not fit (``limits``: the operation's types, size and length, the length measured from
    the local copy before anything is sent).
    """
    if not attested:
        raise UploadError(NOT_ATTESTED)
    problem = check_audio(name, data, limits)
    if problem:
        raise UploadRefused(problem)
    file_name = safe_name(name, data)
    folder = Path(uploads_dir)
    folder.mkdir(parents=True, exist_ok=True)
    local = folder / file_name
    fresh = not local.exists()
    if fresh:
        tmp = local.with_suffix(local.suffix + ".part")
        tmp.write_bytes(data)
        tmp.replace(local)
    duration = measure_seconds(local) if measure else None
    if (too := check_length(name, duration, limits)) is not None:
        if fresh:
            local.unlink(missing_ok=True)  # refused: nothing kept, nothing sent
        raise UploadRefused(too)
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
