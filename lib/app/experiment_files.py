"""`GET /api/experiments/{id}/{file}`: an experiment's exports and reports, made when asked.

The results page links here instead of using `st.download_button` with a callable: Streamlit
keeps such a file under an id that each refresh of the page's fragments replaces, and prunes
the file it made on the click once no run refers to it. On a page that refreshes every few
seconds a click could download nothing, or a "file not found" page named after the id. Here
the file is made from fresh results when the browser asks, and sent as an attachment with
its name.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from lib.app import runtime
from lib.experiments import results
from lib.log import TaskLog
from lib.reports import experiment as report
from lib.reports.sections import default_sections

#: file name suffix -> (media type, maker); the name is ``experiment-<id8><suffix>``
FILES: dict[str, tuple[str, Callable[[results.Results, TaskLog], bytes]]] = {
    "results.csv": ("text/csv", lambda res, log: results.export_csv(res)),
    "results.json": ("application/json", lambda res, log: results.export_json(res)),
    "report.html": ("text/html; charset=utf-8",
                    lambda res, log: report.report_html(res, default_sections(log))),
    "report.zip": ("application/zip",
                   lambda res, log: report.report_zip(res, default_sections(log))),
}


def url(experiment_id: str, file: str) -> str:
    """The path the results page links to (relative to the app's root)."""
    if file not in FILES:
        raise ValueError(f"unknown experiment file {file!r}")
    return f"/api/experiments/{experiment_id}/{file}"


def file_name(experiment_id: str, file: str) -> str:
    stem = f"experiment-{experiment_id[:8]}"
    return {"results.csv": f"{stem}.csv", "results.json": f"{stem}.json",
            "report.html": f"{stem}-report.html", "report.zip": f"{stem}-report.zip"}[file]


async def experiment_file(request: Request) -> Response:
    rt = runtime.get_runtime()
    exp_id, file = request.path_params["experiment"], request.path_params["file"]
    if file not in FILES:
        return JSONResponse({"error": f"no such file: {file}"}, status_code=404)
    exp = rt.log.get_experiment(exp_id)
    if exp is None:
        return JSONResponse({"error": "no such experiment"}, status_code=404)
    media_type, make = FILES[file]

    def build() -> bytes:
        return make(results.results(rt.log, exp["id"], rt.assets_dir), rt.log)

    body = await asyncio.to_thread(build)
    return Response(body, media_type=media_type, headers={
        "Content-Disposition": f'attachment; filename="{file_name(exp["id"], file)}"',
        "Cache-Control": "no-store"})
