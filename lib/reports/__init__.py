"""Reports that leave the app: an experiment as one HTML file (or a zip) that opens offline.

* `experiment` - `report_html`, `report_zip`, `write_report`, and `Section` for extra parts;
* `sections` - `default_sections(log)`: the parts every report carries (QA, A/B, review);
* `qa_section` - the QA scorecards of the takes; `ab_section` - blind A/B sessions and review;
* `markup` - escaped text and plain tables every part writes.
"""
