"""Reports that leave the app: an experiment as one HTML file (or a zip) that opens offline.

* `experiment` - `report_html`, `report_zip`, `write_report`, and `Section` for extra parts.
"""
