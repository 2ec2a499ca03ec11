"""An experiment report that opens offline: one HTML file with its audio and images inside, or a
zip of the HTML beside its files.

* `report_html(res)` -> bytes: a single self-contained page (audio and covers as data URIs);
* `report_zip(res)` -> bytes: ``report.html`` + ``media/`` (lighter for long tracks);
* `write_report(res, path)`: ``.zip`` -> the zip, anything else -> the single file.

What it holds: the experiment's name, notes, operation, base request and each variant's fields;
per variant its summary (calls, success, latencies, credits, usable takes, cost per usable
take) and every take (cover, player, title, state, stage times, credits, rating, notes); an
image, video or text experiment's cells show what they made instead: the pictures inline, the
videos with a player, the text answer as text (and that their provider bills them, not music
credits). Extra
sections (A/B results, QA flags, review decisions) plug in through `Section`s. Takes whose audio
was never archived are listed with the provider's link and a note that it needs the network.
"""

from __future__ import annotations

import base64
import io
import json
import mimetypes
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from lib import ops
from lib.experiments import grid, results
from lib.reports.markup import esc as _e
from lib.reports.markup import table
from lib.views.board import Download, TrackView

#: Files above this are not embedded in the single-file report (linked to the zip's copy).
EMBED_LIMIT_BYTES = 40 * 1024 * 1024

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;
max-width:1100px;padding:0 1rem;color:#1d1d1f;background:#fafafa}
h1{margin-bottom:.2rem}.muted{color:#666;font-size:.9rem}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.9rem}
td,th{border:1px solid #ddd;padding:.3rem .6rem;text-align:left;vertical-align:top}
th{background:#f0f0f0}.variant{border:1px solid #ddd;border-radius:8px;padding:1rem;
margin:1rem 0;background:#fff}.takes{display:grid;grid-template-columns:repeat(auto-fill,
minmax(300px,1fr));gap:1rem}.take{border:1px solid #eee;border-radius:6px;padding:.6rem}
.take img{width:96px;height:96px;object-fit:cover;border-radius:4px;float:left;
margin-right:.6rem}.take audio{width:100%;margin-top:.4rem;clear:both}
.state-failed{color:#b00020}.state-succeeded{color:#0a7d32}code{font-size:.85rem}
.take .made{width:100%;height:auto;float:none;margin:.4rem 0 0;object-fit:contain}
.take video{width:100%;margin-top:.4rem}.answer{white-space:pre-wrap;margin-top:.4rem;
font-size:.9rem;border-left:3px solid #ddd;padding-left:.5rem}
"""


@dataclass(frozen=True)
class Section:
    """An extra part of the report (A/B results, QA flags...): a title and HTML made from the
    results."""

    title: str
    render: Callable[[results.Results], str]


class _Media:
    """Embeds files as data URIs (single file) or copies them under ``media/`` (zip)."""

    def __init__(self, assets_dir: Path | None, zipped: bool) -> None:
        self.assets_dir = assets_dir
        self.zipped = zipped
        self.files: dict[str, Path] = {}

    def src(self, item: Download | None) -> tuple[str | None, bool]:
        """``(src, offline)`` for a file: a local copy when archived, else the provider URL."""
        if item is None:
            return None, False
        path = (self.assets_dir / item.rel_path) if (self.assets_dir and item.rel_path) else None
        if path is not None and path.is_file():
            if self.zipped or path.stat().st_size > EMBED_LIMIT_BYTES:
                name = f"media/{len(self.files):03d}-{path.name}"
                self.files[name] = path
                return name, True
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            data = base64.b64encode(path.read_bytes()).decode()
            return f"data:{kind};base64,{data}", True
        return item.url, False


def _stamp(ts: float | None) -> str:
    return datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M") if ts else "—"


def _table(rows: Sequence[dict[str, Any]]) -> str:
    return table(rows, _fmt)


def _fmt(value: Any) -> Any:
    if value is None or (isinstance(value, float) and value != value):  # None or NaN
        return "—"
    if isinstance(value, float):
        return f"{value:g}"
    return value


def _made(cell: results.Cell, media: _Media) -> str:
    """A cell's images (inline), videos (a player) and text answer."""
    made = cell.outputs
    parts = []
    offline = True
    for item in made.images:
        src, here = media.src(item)
        if src:
            offline &= here
            parts.append(f"<img class='made' src='{_e(src)}' alt='{_e(item.label)}'>")
    for item in made.videos:
        src, here = media.src(item)
        if src:
            offline &= here
            parts.append(f"<video controls preload='none' src='{_e(src)}'></video>")
    if made.answer is not None:
        parts.append(f"<div class='answer'>{_e(made.answer) or '(an empty answer)'}</div>")
    if not offline:
        parts.append("<div class='muted'>Not archived: this needs the provider's link (and "
                     "the network).</div>")
    return "".join(parts)


def _take(cell: results.Cell, track: TrackView | None, media: _Media,
          first: bool = True, billed: str | None = None) -> str:
    """One take; the cell's credits are shown with its first take only (one call, two takes).
    ``billed``: the provider that bills the call (an image, video or text operation)."""
    state = cell.state
    parts = ["<div class='take'>"]
    if track is not None:
        image, _ = media.src(track.image)
        if image:
            parts.append(f"<img src='{_e(image)}' alt=''>")
        parts.append(f"<strong>{_e(track.title or 'Untitled')}</strong><br>")
    stages = results.shown_stages(cell.task["op"]) if cell.task else results.STAGES
    times = " → ".join(f"{results.STAGE_WORDS[s]} {cell.latencies[s]:g} s"
                       for s in stages if cell.latencies.get(s) is not None)
    cost = (f" · {cell.credits} credits" if billed is None
            else f" · billed by {billed}") if first else ""
    parts.append(f"<span class='muted'>repeat {cell.repeat} · "
                 f"<span class='state-{_e(state)}'>{_e(state)}</span>"
                 + (f" · {_e(times)}" if times else "") + _e(cost) + "</span>")
    if track is not None:
        if track.rating:
            parts.append(f"<div>{'★' * track.rating}{'☆' * (5 - track.rating)}</div>")
        if track.notes:
            parts.append(f"<div class='muted'>{_e(track.notes)}</div>")
        audio, offline = media.src(track.audio)
        if audio:
            parts.append(f"<audio controls preload='none' src='{_e(audio)}'></audio>")
            if not offline:
                parts.append("<div class='muted'>Not archived: this player needs the "
                             "provider's link (and the network).</div>")
    elif cell.view is not None and cell.view.failure is not None:
        parts.append(f"<div class='state-failed'>{_e(cell.view.failure.text)}</div>")
    else:
        parts.append(_made(cell, media))
    parts.append("</div>")
    return "".join(parts)


def _variant(res: results.Results, variant: str, summary: dict[str, Any], media: _Media) -> str:
    varied = res.varied.get(variant) or {}
    fields = ", ".join(f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in varied.items())
    takes = []
    billed = grid.billed_by(res.experiment["op"])
    for cell in res.column(variant):
        tracks = cell.view.tracks if cell.view else []
        takes += ([_take(cell, t, media, first=i == 0) for i, t in enumerate(tracks)]
                  or [_take(cell, None, media, billed=billed)])
    return (f"<div class='variant'><h3>{_e(variant)}</h3>"
            f"<p class='muted'>{_e(fields) or 'the base request'}</p>"
            + _table([{k: v for k, v in summary.items() if k != "variant"}])
            + f"<div class='takes'>{''.join(takes)}</div></div>")


def _render(res: results.Results, media: _Media, sections: Sequence[Section]) -> str:
    exp = res.experiment
    by_variant = results.variant_summary(res)
    summaries = {row["variant"]: row for row in by_variant.to_dict("records")}
    base = json.loads(exp.get("base_json") or "{}") or {}
    total = sum(c.credits for c in res.cells.values())
    billed = grid.billed_by(exp["op"])
    spent = f"{total} credits spent" if billed is None else f"billed by {billed}"
    head = (f"<h1>{_e(exp['name'])}</h1><p class='muted'>{_e(ops.get(exp['op']).title)} · "
            f"started {_stamp(exp['created_at'])} · {len(res.variants)} variants × "
            f"{len(res.repeats)} repeats · {_e(spent)} · experiment "
            f"<code>{_e(exp['id'][:8])}</code></p>")
    notes = f"<p>{_e(exp.get('notes'))}</p>" if exp.get("notes") else ""
    params = _table([{"field": k, "value": json.dumps(v, ensure_ascii=False)}
                     for k, v in base.items()]) if base else (
        "<p class='muted'>No shared fields: every field comes from the grid (see each "
        "variant below).</p>")
    body = [head, notes, "<h2>Base request</h2>", params, "<h2>Summary</h2>",
            _table(by_variant.to_dict("records")), "<h2>By model</h2>",
            _table(results.model_summary(res).to_dict("records"))]
    body += [f"<h2>{_e(s.title)}</h2>{s.render(res)}" for s in sections]
    body.append("<h2>Takes</h2>" if grid.output_kind(exp["op"]) == "audio" else
                f"<h2>What each cell made ({_e(grid.output_kind(exp['op']))})</h2>")
    body += [_variant(res, v, summaries.get(v, {}), media) for v in res.variants]
    body.append(f"<p class='muted'>Made by Songbench on {_stamp(datetime.now().timestamp())}."
                "</p>")
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{_e(exp['name'])} · Songbench report</title><style>{CSS}</style></head>"
            f"<body>{''.join(body)}</body></html>")


def report_html(res: results.Results, sections: Sequence[Section] = ()) -> bytes:
    """One self-contained HTML file (files above `EMBED_LIMIT_BYTES` are not embedded)."""
    return _render(res, _Media(res.assets_dir, zipped=False), sections).encode()


def report_zip(res: results.Results, sections: Sequence[Section] = ()) -> bytes:
    """``report.html`` with its audio and images under ``media/``."""
    media = _Media(res.assets_dir, zipped=True)
    page = _render(res, media, sections)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("report.html", page)
        for name, path in media.files.items():
            z.write(path, name, compress_type=zipfile.ZIP_STORED)  # MP3s do not compress
    return out.getvalue()


def write_report(res: results.Results, path: Path,
                 sections: Sequence[Section] = ()) -> int:
    """Write the report to ``path`` (a zip when it ends in ``.zip``); returns its size."""
    data = (report_zip(res, sections) if path.suffix.lower() == ".zip"
            else report_html(res, sections))
    path.write_bytes(data)
    return len(data)
