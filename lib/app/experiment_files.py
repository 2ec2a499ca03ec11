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

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from lib.app import runtime

#: the files: media type and the suffix of the name it is saved under
#: (``experiment-<id8><suffix>``)
FILES = {"results.csv": ("text/csv", ".csv"),
         "results.json": ("application/json", ".json"),
         "report.html": ("text/html; charset=utf-8", "-report.html"),
         "report.zip": ("application/zip", "-report.zip")}


def make(file: str, log, experiment_id: str, assets_dir) -> bytes:
    """The file's bytes from fresh results (the reports and the statistics behind them load
    numpy and friends: imported here, not when the app starts)."""
    from lib.experiments import results
    from lib.reports import experiment as report
    from lib.reports.sections import default_sections

    res = results.results(log, experiment_id, assets_dir)
    if file == "results.csv":
        return results.export_csv(res)
    if file == "results.json":
        return results.export_json(res)
    writer = report.report_html if file == "report.html" else report.report_zip
    return writer(res, default_sections(log))


def url(experiment_id: str, file: str) -> str:
    """The path the results page links to (relative to the app's root)."""
    if file not in FILES:
        raise ValueError(f"unknown experiment file {file!r}")
    return f"/api/experiments/{experiment_id}/{file}"


def file_name(experiment_id: str, file: str) -> str:
    return f"experiment-{experiment_id[:8]}{FILES[file][1]}"


async def experiment_file(request: Request) -> Response:
    rt = runtime.get_runtime()
    exp_id, file = request.path_params["experiment"], request.path_params["file"]
    if file not in FILES:
        return JSONResponse({"error": f"no such file: {file}"}, status_code=404)
    exp = rt.log.get_experiment(exp_id)
    if exp is None:
        return JSONResponse({"error": "no such experiment"}, status_code=404)
    body = await asyncio.to_thread(make, file, rt.log, exp["id"], rt.assets_dir)
    return Response(body, media_type=FILES[file][0], headers={
        "Content-Disposition": f'attachment; filename="{file_name(exp["id"], file)}"',
        "Cache-Control": "no-store"})
