"""The extra parts every experiment report carries (`lib.reports.experiment.Section`): the QA
scorecards of its takes (`qa_section`), the blind A/B sessions made from its variants and the
review decisions on its takes (`ab_section`).

``default_sections(log)`` is what the results page and ``python -m lib experiment report`` pass to
`report_html` / `report_zip` / `write_report`.
"""

from __future__ import annotations

from lib.log import TaskLog
from lib.reports.ab_section import ab_section
from lib.reports.experiment import Section
from lib.reports.qa_section import qa_section


def default_sections(log: TaskLog) -> list[Section]:
    return [qa_section(log), ab_section(log)]
