"""The experiment report's QA part (`lib.reports.experiment.Section`): per take of the
experiment, its QA summary and every problem of its scorecard, in words (`lib.qa.words`).

``qa_section(log)`` reads the scorecards of all the takes at render time in one batch
(`TaskLog.scorecards`); no audio is decoded. Takes not scored yet (audio not archived) say so.
"""

from __future__ import annotations

import json

from lib.experiments import results
from lib.log import TaskLog
from lib.qa import words
from lib.qa.scorecard import Scorecard
from lib.reports.experiment import Section
from lib.reports.markup import esc as _e

TITLE = "QA scorecards"
#: flag colours readable on white
_COLORS = {"fail": "#b00020", "warn": "#a15c00", "ok": "#0a7d32", "skip": "#666"}


def _flag(worst: str) -> str:
    return (f'<span style="color:{_COLORS.get(worst, "#666")};font-weight:600">'
            f"{_e(words.ICONS.get(worst, ''))} {_e(words.FLAG_WORDS.get(worst, worst))}</span>")


def _problems(card: Scorecard) -> str:
    found = words.problems(card)
    if not found:
        return _e(words.headline(card))
    items = "".join(f"<li>{_e(words.ICONS[flag.value])} {_e(words.LABELS.get(name, name))}: "
                    f"{_e(text)}</li>" for flag, name, text in found)
    return f'<ul style="margin:0;padding-left:1.1rem">{items}</ul>'


def render(log: TaskLog, res: results.Results) -> str:
    """HTML: a count of takes by worst flag, then one row per take."""
    takes = [(variant, cell, track) for variant in res.variants for cell in res.column(variant)
             for track in (cell.view.tracks if cell.view else [])]
    if not takes:
        return '<p class="muted">No takes yet: nothing to check.</p>'
    cards = {tid: Scorecard.from_dict(json.loads(row["scorecard_json"]))
             for tid, row in log.scorecards([t.id for _, _, t in takes]).items()}
    counts = {"fail": 0, "warn": 0, "ok": 0, "skip": 0, "none": 0}
    rows = []
    for variant, cell, track in takes:
        card = cards.get(track.id)
        if card is None:
            counts["none"] += 1
            verdict, detail = '<span class="muted">Not checked</span>', \
                '<span class="muted">not scored yet: the audio was not archived</span>'
        else:
            counts[card.worst.value] += 1
            verdict, detail = _flag(card.worst.value), _problems(card)
        rows.append(f"<tr><td>{_e(variant)}</td><td>{cell.repeat}</td>"
                    f"<td>{_e(track.title or 'Untitled')}</td><td>{verdict}</td>"
                    f"<td>{detail}</td></tr>")
    parts = [f"{counts['fail']} with a problem", f"{counts['warn']} worth a look",
             f"{counts['ok']} ok"]
    if counts["skip"]:
        parts.append(f"{counts['skip']} with nothing to judge")
    if counts["none"]:
        parts.append(f"{counts['none']} not checked yet")
    head = (f'<p class="muted">{len(takes)} takes: {_e(", ".join(parts))}. Checks: length, '
            "silence, loudness, true peak, clipping, vocals, tempo, key, lyrics coverage, "
            "provider links and retention.</p>")
    table = ("<table><tr><th>Variant</th><th>Repeat</th><th>Take</th><th>QA</th>"
             "<th>Problems</th></tr>" + "".join(rows) + "</table>")
    return head + table


def qa_section(log: TaskLog) -> Section:
    """The report's QA section, reading scorecards from ``log``."""
    return Section(TITLE, lambda res: render(log, res))
