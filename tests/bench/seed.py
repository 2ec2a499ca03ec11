"""Seed a task log with N realistic tasks, fast (one transaction of bulk inserts through the
benchmark hook `lib.log.sqlite.SqliteLog.bulk_insert`).

`seed(log, n)` writes tasks over the last 180 days with a mix of operations, models and
states like a real log: most tasks succeeded, some failed (provider codes and messages), a few
``unknown``, and only the newest handful still pending/processing. Music tasks get two tracks
(ratings and notes on some), archived ``mp3``/``image`` assets, and WAV/stems/MP4/cover tasks
get files attached to earlier tracks. Every task has a request, a response, a poll and a state
event. Paths point into ``assets_dir`` but no files are written.

``python -m tests.bench.seed PATH N`` seeds a database file from the command line.
"""

from __future__ import annotations

import json
import random
import sys
import time
import uuid
from pathlib import Path

from lib.log import TaskLog
from lib.log.sqlite import SqliteLog
from lib.ops import OPERATIONS as SPECS

OPS = {"generate": 50, "extend": 8, "upload_cover": 5, "upload_extend": 2, "add_vocals": 2,
       "add_instrumental": 2, "replace_section": 2, "lyrics": 6, "cover_art": 3,
       "vocal_removal": 4, "split_stem": 2, "wav": 5, "mp4": 3, "timestamped_lyrics": 2,
       "style_boost": 2, "persona": 2}
MODELS = ("V4", "V4_5", "V4_5PLUS", "V4_5ALL", "V5")
WORDS = ("neon", "river", "midnight", "velvet", "thunder", "summer", "echo", "glass", "paper",
         "golden", "ocean", "static", "wild", "quiet", "electric", "broken", "northern", "desert")
GENRES = ("synthwave", "indie rock", "lo-fi hip hop", "jazz", "ambient", "country", "techno",
          "folk", "metal", "k-pop", "bossa nova", "drum and bass")
FAILURES = (("SENSITIVE_WORD_ERROR", 400, "Lyrics contain an artist name"),
            ("GENERATE_AUDIO_FAILED", 501, "Audio generation failed"),
            ("CREATE_TASK_FAILED", 500, "Internal error"),
            ("GENERATE_AUDIO_FAILED", 451, "Could not download the uploaded audio"))
STEMS = ("vocal", "instrumental", "drums", "bass", "guitar", "keyboard", "strings", "brass",
         "woodwinds", "percussion", "synth", "fx")
DAY = 86400.0


def _title(rng: random.Random) -> str:
    return f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()}"


def seed(log: SqliteLog, n: int, *, now: float | None = None, seed: int = 7,
         assets_dir: str | Path = "data/assets", live: int = 8) -> dict:
    """Append ``n`` tasks; returns counts per table. ``live`` newest tasks are still running."""
    rng = random.Random(seed)
    now = time.time() if now is None else now
    assets_dir = str(Path(assets_dir).resolve())
    ops, weights = list(OPS), list(OPS.values())
    tasks, tracks, assets, events = [], [], [], []
    done_tracks: list[tuple[str, str]] = []  # (track id, provider task id) for derived tasks
    start = now - 180 * DAY
    for i in range(n):
        op = rng.choices(ops, weights)[0]
        spec = SPECS[op]
        created = start + (180 * DAY) * (i + rng.random()) / n
        tid, pid = uuid.uuid4().hex, uuid.uuid4().hex[:16]
        age_rank = n - i  # 1 = newest
        roll = rng.random()
        if age_rank <= live:
            state = "processing" if age_rank % 2 else "pending"
        elif roll < 0.0005:
            state = "unknown"
        elif roll < 0.07:
            state = "failed"
        else:
            state = "succeeded"
        title, genre = _title(rng), rng.choice(GENRES)
        model = rng.choice(MODELS) if spec.family == "music" else None
        parent = rng.choice(done_tracks) if done_tracks and op not in (
            "generate", "upload_cover", "upload_extend", "add_vocals", "add_instrumental",
            "lyrics", "style_boost") else None
        body = {"prompt": f"a {genre} song about {title.lower()}", "style": genre,
                "title": title, "model": model, "callBackUrl": "https://example.com/cb"}
        if parent:
            body.update(audioId=parent[0], taskId=parent[1])
        stage, raw, code, msg, finished = "complete", "SUCCESS", None, None, created + 40
        if state == "failed":
            raw, code, msg = rng.choice(FAILURES)
            stage = "error"
        elif state == "processing":
            stage, raw, finished = "first", "FIRST_SUCCESS", None
        elif state in ("pending", "unknown"):
            stage, raw, finished = ("queued" if state == "pending" else None), None, None
        tasks.append({
            "id": tid, "provider_task_id": None if state == "unknown" else pid, "op": op,
            "family": spec.family, "dialect": "sunoapi", "base_url": "https://api.example",
            "model": model, "title": title, "prompt": body["prompt"],
            "request_json": json.dumps(body), "parent_task_id": parent[1] if parent else None,
            "source_audio_id": parent[0] if parent else None, "state": state,
            "raw_status": raw, "stage": stage, "error_code": code, "error_message": msg,
            "created_at": created, "submitted_at": created + 0.4, "updated_at": finished or now,
            "finished_at": finished, "next_poll_at": None if finished else now,
            "poll_count": 3, "last_polled_at": finished or now, "result_json": None})
        events += [
            {"task_id": tid, "at": created + 0.1, "kind": "request", "method": "POST",
             "url": spec.paths["sunoapi"], "body_json": json.dumps(body)},
            {"task_id": tid, "at": created + 0.4, "kind": "response", "status_code": 200,
             "body_json": json.dumps({"code": 200, "msg": "success", "data": {"taskId": pid}})},
            {"task_id": tid, "at": created + 30, "kind": "poll", "method": "GET", "note": raw,
             "body_json": json.dumps({"taskId": pid, "status": raw})},
            {"task_id": tid, "at": created + 30, "kind": "state", "note": f"pending -> {state}"},
        ]
        folder = f"{assets_dir}/{tid}"
        if spec.family == "music" and state in ("succeeded", "processing"):
            for idx in range(2):
                track = uuid.uuid4().hex
                ok = state == "succeeded"
                rated = rng.random() < 0.1
                tracks.append({
                    "id": track, "task_id": tid, "idx": idx, "title": title,
                    "tags": f"{genre}, {rng.choice(WORDS)}", "lyrics": f"[Verse] {title} ...",
                    "model_name": "chirp-auk", "duration": round(rng.uniform(90, 240), 2),
                    "audio_url": f"https://cdn.example/{track}.mp3" if ok else None,
                    "stream_audio_url": f"https://cdn.example/s/{track}",
                    "image_url": f"https://cdn.example/{track}.jpeg",
                    "local_audio_path": f"{folder}/{track}-mp3.mp3" if ok else None,
                    "local_image_path": f"{folder}/{track}-image.jpeg" if ok else None,
                    "create_time": None, "rating": rng.randint(1, 5) if rated else None,
                    "notes": "keeper" if rated and rng.random() < 0.3 else None})
                if ok:
                    done_tracks.append((track, pid))
                    for kind, ext in (("mp3", "mp3"), ("image", "jpeg")):
                        assets.append(_asset(tid, track, kind, f"{folder}/{track}-{kind}.{ext}",
                                             finished))
        elif state == "succeeded" and parent:
            kinds = {"wav": ["wav"], "mp4": ["mp4"], "vocal_removal": ["stem:vocal",
                     "stem:instrumental"], "split_stem": [f"stem:{s}" for s in STEMS]}.get(op, [])
            for kind in kinds:
                ext = {"wav": "wav", "mp4": "mp4"}.get(kind, "mp3")
                assets.append(_asset(tid, parent[0], kind,
                                     f"{folder}/{parent[0]}-{kind.replace(':', '-')}.{ext}",
                                     finished))
            if op == "cover_art":
                for k in (1, 2):
                    assets.append(_asset(tid, None, f"cover:{k}", f"{folder}/cover-{k}.png",
                                         finished))
    # one transaction, executemany per table, full-text indexes rebuilt once at the end
    # (sqlite-utils' insert_all costs ~4x more in per-row Python work)
    return log.bulk_insert({"tasks": tasks, "tracks": tracks, "assets": assets,
                            "events": events})


def _asset(task_id: str, track_id: str | None, kind: str, path: str, at: float | None) -> dict:
    return {"task_id": task_id, "track_id": track_id, "kind": kind,
            "url": f"https://cdn.example/{path.rsplit('/', 1)[-1]}", "local_path": path,
            "content_type": None, "bytes": 1000, "status": "done", "error": None,
            "attempts": 1, "next_try_at": None, "created_at": at or 0.0, "downloaded_at": at}


if __name__ == "__main__":
    target, count = sys.argv[1], int(sys.argv[2])
    t0 = time.perf_counter()
    print(seed(SqliteLog(target), count), f"in {time.perf_counter() - t0:.1f} s")


def seed_states(log: TaskLog, assets_dir: str | Path, *, now: float | None = None) -> dict:
    """One task per lifecycle state through the real log API (for page tests and demos).

    Returns ``{state: task_id}`` plus ``"wav"`` (a WAV task made from the succeeded task's
    first track). The succeeded task's first track has archived mp3/image files (tiny
    placeholder bytes) under ``assets_dir``.
    """
    from lib.families import parse_poll

    now = time.time() if now is None else now
    assets_dir = Path(assets_dir)
    ids: dict[str, str] = {}

    def music(title: str, pid: str, data: dict | None, at: float) -> str:
        tid = log.create_task("generate", "music", {"prompt": f"a song called {title}",
                              "model": "V4_5", "title": title}, model="V4_5", title=title,
                              prompt=f"a song called {title}", now=at)
        log.mark_submitted(tid, pid, next_poll_at=at + 2, now=at + 0.2)
        if data is not None:
            log.apply_poll(tid, parse_poll("music", data), next_poll_at=at + 4, now=at + 3)
        return tid

    ids["pending"] = music("Quiet Harbor", "prov-pending", None, now - 5)
    ids["processing"] = music("Neon River", "prov-processing", {
        "status": "FIRST_SUCCESS", "response": {"sunoData": [
            {"id": "trk-proc-1", "title": "Neon River", "tags": "synthwave",
             "streamAudioUrl": "http://127.0.0.1:9/stream/trk-proc-1",
             "imageUrl": "http://127.0.0.1:9/img/trk-proc-1.jpeg"},
            {"id": "trk-proc-2", "title": "Neon River", "tags": "synthwave"}]}}, now - 30)
    ok = music("Golden Echo", "prov-ok", {
        "status": "SUCCESS", "response": {"sunoData": [
            {"id": f"trk-ok-{i}", "title": "Golden Echo", "tags": "indie rock, warm",
             "duration": 123.4 + i, "audioUrl": f"http://127.0.0.1:9/a/trk-ok-{i}.mp3",
             "streamAudioUrl": f"http://127.0.0.1:9/s/trk-ok-{i}",
             "imageUrl": f"http://127.0.0.1:9/i/trk-ok-{i}.jpeg", "prompt": "[Verse] la la"}
            for i in (1, 2)]}}, now - 600)
    ids["succeeded"] = ok
    folder = assets_dir / ok
    folder.mkdir(parents=True, exist_ok=True)
    for row in log.assets_for(ok):
        if row["track_id"] == "trk-ok-1":
            ext = "mp3" if row["kind"] == "mp3" else "jpeg"
            path = folder / f"trk-ok-1-{row['kind']}.{ext}"
            path.write_bytes(b"placeholder")
            log.update_asset(row["id"], status="done", local_path=str(path), bytes=11)
            log.set_track_local("trk-ok-1", **{"audio" if ext == "mp3" else "image": str(path)})
    ids["failed"] = music("Broken Glass", "prov-failed", {
        "status": "SENSITIVE_WORD_ERROR", "errorCode": 400,
        "errorMessage": "Lyrics contain an artist name"}, now - 300)
    unknown = log.create_task("generate", "music", {"prompt": "x"}, title="Lost Signal",
                              now=now - 200)
    log.mark_unknown(unknown, "No answer after the request was sent (read timeout).",
                     now=now - 170)
    ids["unknown"] = unknown
    wav = log.create_task("wav", "wav", {"taskId": "prov-ok", "audioId": "trk-ok-1"},
                          parent_task_id="prov-ok", source_audio_id="trk-ok-1", now=now - 100)
    log.mark_submitted(wav, "prov-wav", next_poll_at=None, now=now - 99)
    log.apply_poll(wav, parse_poll("wav", {"successFlag": "SUCCESS", "audioId": "trk-ok-1",
                   "response": {"audioWavUrl": "http://127.0.0.1:9/w/trk-ok-1.wav"}}),
                   next_poll_at=None, now=now - 90)
    ids["wav"] = wav
    for tid, kind, note in ((ok, "poll", "SUCCESS"), (ok, "callback", "complete code=200"),
                            (ok, "state", "processing -> succeeded")):
        log.log_event(tid, kind, body={"kind": kind}, note=note, at=now - 598)
    return ids


#: The grid `seed_experiment_log` adds: one style per variant, the same base request.
EXPERIMENT_STYLES = GENRES[:10]
EXPERIMENT_BASE = {"customMode": True, "instrumental": False, "model": "V5",
                   "prompt": "a song about the northern sea", "title": "Northern Sea"}


def seed_experiment(log: TaskLog, *, variants: int = 10, repeats: int = 10,
                    now: float | None = None, seed: int = 11) -> str:
    """One experiment of ``variants`` x ``repeats`` cells, every cell sent through the real log
    API (claimed, its task row written with the cell, accepted by the "provider") and finished:
    most reached text, first audio and complete at distinct times with two tracks (some rated),
    a few failed, one is still running. Returns the experiment id."""
    from lib.experiments import grid, service
    from lib.families import parse_poll
    from lib.log import CellRef

    rng = random.Random(seed)
    now = time.time() if now is None else now
    styles = tuple(GENRES[i % len(GENRES)] + (f" {i // len(GENRES) + 1}" if i >= len(GENRES)
                                              else "") for i in range(variants))
    axis = grid.Axis("style", styles)
    plan = grid.plan("generate", EXPERIMENT_BASE, grid.expand([axis]), repeats)
    setup = service.Setup(name=f"Styles {variants}x{repeats}", op="generate",
                          base=EXPERIMENT_BASE, axes=[axis], repeats=repeats,
                          notes="seeded for the benchmarks")
    start = now - 3600
    exp = service.create(log, setup, plan, now=start)
    total = len(plan.cells)
    for i in range(total):
        at = start + i * 0.5
        cell = log.claim_cell(now=at)
        assert cell is not None
        body = {**json.loads(cell["body_json"]), "callBackUrl": "https://example.com/cb"}
        tid = log.create_task("generate", "music", body, model="V5", prompt=body["prompt"],
                              now=at, task_id=cell["task_id"],
                              cell=CellRef(cell["id"], exp, cell["variant"], cell["repeat_no"]))
        pid = f"exp-{uuid.uuid4().hex[:12]}"
        log.mark_submitted(tid, pid, next_poll_at=at + 2, now=at + 0.4)
        if i == total - 1:  # the newest is still running
            log.apply_poll(tid, parse_poll("music", {"status": "TEXT_SUCCESS"}),
                           next_poll_at=now, now=at + 20)
            continue
        if rng.random() < 0.06:
            log.apply_poll(tid, parse_poll("music", {
                "status": "GENERATE_AUDIO_FAILED", "errorCode": 501,
                "errorMessage": "Audio generation failed"}), next_poll_at=None, now=at + 25)
            continue
        text, first = at + rng.uniform(12, 30), at + rng.uniform(35, 60)
        done = first + rng.uniform(60, 140)
        tracks = [{"id": f"{pid}-{k}", "title": f"{cell['variant'].title()} Sea {k}",
                   "tags": cell["variant"], "duration": round(rng.uniform(90, 200), 2),
                   "audioUrl": f"https://cdn.example/{pid}-{k}.mp3",
                   "streamAudioUrl": f"https://cdn.example/s/{pid}-{k}",
                   "imageUrl": f"https://cdn.example/{pid}-{k}.jpeg", "prompt": "[Verse] ..."}
                  for k in (1, 2)]
        for status, when in (("TEXT_SUCCESS", text), ("FIRST_SUCCESS", first),
                             ("SUCCESS", done)):
            data = {"status": status, "response": {"sunoData": tracks if status != "TEXT_SUCCESS"
                                                   else None}}
            log.apply_poll(tid, parse_poll("music", data), next_poll_at=None
                           if status == "SUCCESS" else when + 2, now=when)
        for track in tracks:
            if rng.random() < 0.4:
                log.set_rating(track["id"], rng.randint(1, 5))
    log.settle_experiments(now=now)
    return exp


def seed_experiment_log(path: str | Path, *, tasks: int = 10_000, variants: int = 10,
                        repeats: int = 10, now: float | None = None) -> str:
    """A log at ``path`` with ``tasks`` seeded tasks (`seed`) and then one experiment of
    ``variants`` x ``repeats`` finished cells with tracks (`seed_experiment`); returns the
    experiment's id. The page benchmark of the Experiments page reuses this."""
    now = time.time() if now is None else now
    log = SqliteLog(path)
    seed(log, tasks, now=now - 7200, assets_dir=Path(path).resolve().parent / "assets")
    return seed_experiment(log, variants=variants, repeats=repeats, now=now)


def seed_small_experiment(log: TaskLog, *, now: float | None = None,
                          variant: str = "rock-fast", repeats: int = 2,
                          prompt: str = "a fast rock song about trains") -> dict:
    """A prompt experiment of one variant run ``repeats`` times, through the real log API: each
    cell claimed and sent as a task that succeeded with two tracks (``trk-exp-<repeat>-<n>``).

    Returns ``{"experiment": id, "tasks": [task ids by repeat]}``.
    """
    from lib.families import parse_poll
    from lib.log import CellRef

    now = time.time() if now is None else now
    body = {"prompt": prompt + "\nwith a long second line", "model": "V4_5PLUS",
            "customMode": False}
    experiment = log.create_experiment(
        name="Trains", op="generate", base=body, axes={"variant": [variant]}, repeats=repeats,
        cells=[(variant, r, body) for r in range(1, repeats + 1)], now=now - 60)
    tasks = []
    for r in range(1, repeats + 1):
        cell = log.claim_cell(now=now - 50 + r)
        assert cell is not None and cell["experiment_id"] == experiment
        tid = log.create_task("generate", "music", body, model="V4_5PLUS",
                              prompt=body["prompt"], now=now - 50 + r, task_id=cell["task_id"],
                              cell=CellRef(cell["id"], experiment, cell["variant"],
                                           cell["repeat_no"]))
        log.mark_submitted(tid, f"prov-exp-{r}", next_poll_at=None, now=now - 49 + r)
        log.apply_poll(tid, parse_poll("music", {"status": "SUCCESS", "response": {"sunoData": [
            {"id": f"trk-exp-{r}-{i}", "title": f"Night Train {r}.{i}",
             "tags": "rock, backing_vocals", "duration": 60.0 + i, "modelName": "chirp-crow",
             "audioUrl": f"http://127.0.0.1:9/a/trk-exp-{r}-{i}.mp3"}
            for i in (1, 2)]}}), next_poll_at=None, now=now - 40 + r)
        tasks.append(tid)
    return {"experiment": experiment, "tasks": tasks}


#: Styles of the songs `seed_songs` writes (each task's two tracks differ like real takes).
SONG_STYLES = ("synthwave, dreamy", "indie rock, warm", "lo-fi hip hop, dusty", "jazz, brushed",
               "ambient, airy", "country, twangy", "techno, driving", "folk, intimate")


def seed_songs(log: TaskLog, assets_dir: str | Path, n: int = 20, *, seconds: float = 20.0,
               now: float | None = None, distinct: int = 4, listening: bool = True) -> list[str]:
    """``n`` finished song tasks (two tracks each) through the real log API, with **real**
    archived files: MP3s rendered by the simulator's synth and PNG covers from its art module
    (``distinct`` renders per track slot, copied to every task). ``listening``: also what the
    archiver adds to every track (its waveform PNG, `lib.tracking.waveform`, and its QA
    scorecard, `lib.qa.tracks`), so the board shows what it shows after a real archive.
    Returns the task ids, oldest first. For the browser benches and tests that need a board
    full of playable songs."""
    import shutil

    from lib.families import parse_poll
    from simulator import art, audio_io, synth

    if listening:
        from lib.qa import tracks as qa_tracks
        from lib.qa.scorecard import Asked, scorecard_for_file
        from lib.tracking import waveform

    now = time.time() if now is None else now
    assets_dir = Path(assets_dir)
    made = assets_dir / ".seed"
    made.mkdir(parents=True, exist_ok=True)
    renders: dict[tuple[int, int], tuple[Path, Path, float]] = {}
    for k in range(distinct):
        style = SONG_STYLES[k % len(SONG_STYLES)]
        for idx in (0, 1):
            song = synth.render(synth.spec_from_request(style, None, f"song {k}", f"Song {k}",
                                                        False, seconds, idx))
            mp3 = audio_io.encode_mp3(song.mix(), made / f"{k}-{idx}.mp3")
            png = made / f"{k}-{idx}.png"
            png.write_bytes(art.cover_image((k, idx), f"Song {k}", style, size=256))
            renders[(k, idx)] = (mp3, png, song.duration)
    extras = {}
    if listening:
        for key, (mp3, _, _) in renders.items():
            extras[key] = (waveform.render_file(mp3, made / f"{key[0]}-{key[1]}-waveform.png"),
                           scorecard_for_file(mp3, Asked(), qa_tracks.qa_thresholds.load(log)))
    ids = []
    for i in range(n):
        k = i % distinct
        style = SONG_STYLES[k % len(SONG_STYLES)]
        title = f"{_title(random.Random(i))} {i + 1}"
        at = now - 60 * (n - i)
        tid = log.create_task("generate", "music", {"prompt": f"a {style} song", "model": "V5",
                              "title": title, "style": style, "customMode": True},
                              model="V5", title=title, prompt=f"a {style} song", now=at)
        pid = f"prov-song-{i}-{tid[:6]}"
        log.mark_submitted(tid, pid, next_poll_at=None, now=at + 0.2)
        data = [{"id": f"{tid[:12]}-{idx}", "title": title,
                 "tags": style if idx == 0 else f"{style}, alt take",
                 "duration": renders[(k, idx)][2], "modelName": "chirp-v5",
                 "audioUrl": f"http://127.0.0.1:9/a/{tid}-{idx}.mp3",
                 "streamAudioUrl": f"http://127.0.0.1:9/s/{tid}-{idx}",
                 "imageUrl": f"http://127.0.0.1:9/i/{tid}-{idx}.png",
                 "prompt": "[Verse]\nNeon lights on the river\n\n[Chorus]\nHold on, hold on"}
                for idx in (0, 1)]
        log.apply_poll(tid, parse_poll("music", {"status": "SUCCESS",
                                                 "response": {"sunoData": data}}),
                       next_poll_at=None, now=at + 40)
        folder = assets_dir / tid
        folder.mkdir(parents=True, exist_ok=True)
        for row in log.assets_for(tid):
            if row["kind"] not in ("mp3", "image") or not row["track_id"]:
                continue
            idx = int(row["track_id"].rsplit("-", 1)[1])
            mp3, png, _ = renders[(k, idx)]
            src, ext = (mp3, "mp3") if row["kind"] == "mp3" else (png, "png")
            path = folder / f"{row['track_id']}-{row['kind']}.{ext}"
            shutil.copyfile(src, path)
            log.update_asset(row["id"], status="done", local_path=str(path),
                             bytes=path.stat().st_size, downloaded_at=at + 41)
            log.set_track_local(row["track_id"],
                                **{"audio" if ext == "mp3" else "image": str(path)})
            if listening and ext == "mp3":
                wave, card = extras[(k, idx)]
                copy = folder / f"{row['track_id']}-{waveform.KIND}.png"
                shutil.copyfile(wave, copy)
                log.save_local_asset(tid, row["track_id"], waveform.KIND, str(copy),
                                     content_type="image/png", size=copy.stat().st_size,
                                     now=at + 41)
                qa_tracks.save(log, row["track_id"], card, task_id=tid)
        ids.append(tid)
    return ids
