"""View models: what the pages show, computed without Streamlit from the log and the registries.

* `board`, `board_live`, `board_detail` - the Tasks board, its toasts, one task's detail;
* `library` - filters, paging, selections, export, comparison;
* `submission`, `sources` - form rules, sources, one-click links, the duplicate guard;
* `sidebar`, `settings` - the status panel and the Settings page's facts;
* `app_runtime.AppRuntime` - what view models and pages need from the process runtime.
"""
