"""The page shell (`lib.app.page_shell`): the frontend's ``index.html`` with the server's
address, the app's stylesheet and the element chunks to preload, on every page URL."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

from lib.app import page_shell
from lib.views.styles import APP_CSS

INDEX = """<!DOCTYPE html><html><head><title>Streamlit</title>
<script>window.prerenderReady = false</script>
<script type="module" crossorigin src="./static/js/index.AbC123.js"></script>
<link rel="modulepreload" crossorigin href="./static/js/react-dom.X1.js">
</head><body><div id="root"></div></body></html>"""


def static_dir(tmp_path: Path) -> Path:
    """A fake Streamlit static folder: Audio imports a chunk of its own and one the shell
    already preloads; PageLink imports nothing; "Image" matches two files (not guessed)."""
    js = tmp_path / "static" / "js"
    js.mkdir(parents=True)
    (tmp_path / "index.html").write_text(INDEX)
    (js / "index.AbC123.js").write_text("export{}")
    (js / "react-dom.X1.js").write_text("export{}")
    (js / "Audio.Q9.js").write_text('import{a as e}from"./react-dom.X1.js";'
                                    'import{t}from"./useCrossOrigin.Z7.js";export{}')
    (js / "useCrossOrigin.Z7.js").write_text('import"./react-dom.X1.js";export{}')
    (js / "PageLink.P4.js").write_text("export{}")
    (js / "Image.A.js").write_text("export{}")
    (js / "Image.B.js").write_text("export{}")
    return tmp_path


def test_chunk_closure_follows_static_imports_and_skips_what_is_loaded(tmp_path):
    js = static_dir(tmp_path) / "static" / "js"
    got = page_shell.chunk_closure(js, ["Audio", "PageLink", "Image", "Missing"],
                                   known={"react-dom.X1.js"})
    assert got == ["Audio.Q9.js", "PageLink.P4.js", "useCrossOrigin.Z7.js"]


def test_additions_name_the_server_the_stylesheet_and_the_chunks(tmp_path):
    root = static_dir(tmp_path)
    extra = page_shell.additions(INDEX, root / "static" / "js", page_paths=["tasks", "demo"],
                                 elements=["Audio", "PageLink"], stylesheet="a{b:c}</style>")
    assert 'const pages=["demo", "tasks"]' in extra and "BACKEND_BASE_URL" in extra
    assert "<style>a{b:c}<\\/style></style>" in extra          # cannot close the element early
    links = re.findall(r'rel="modulepreload" crossorigin href="\./static/js/([^"]+)"', extra)
    assert links == ["Audio.Q9.js", "PageLink.P4.js", "useCrossOrigin.Z7.js"]
    # by default, the app's own pages
    assert '"tasks"' in page_shell.additions(INDEX, root / "static" / "js", elements=[])


def test_patch_goes_before_the_entry_script_and_leaves_other_html_alone():
    patched = page_shell.patch(INDEX, "<!--x-->")
    assert patched is not None
    assert patched.index("<!--x-->") < patched.index('src="./static/js/index.AbC123.js"')
    assert patched.index("prerenderReady") < patched.index("<!--x-->")
    assert page_shell.patch("<html><body>a report</body></html>", "<!--x-->") is None


def shell_app(tmp_path: Path) -> TestClient:
    root = static_dir(tmp_path)

    def index(request):
        body = INDEX.encode()
        if "gzip" in request.query_params:
            return Response(gzip.compress(body), media_type="text/html",
                            headers={"Content-Encoding": "gzip", "ETag": '"abc"'})
        return Response(body, media_type="text/html", headers={"ETag": '"abc"'})

    big = INDEX.replace("<title>", "<title>" + "x" * page_shell.MAX_SHELL_BYTES)
    app = Starlette(routes=[Route("/tasks", index), Route("/report", lambda r: Response(
        "<html><body>a report</body></html>", media_type="text/html")),
        Route("/big", lambda r: Response(big, media_type="text/html")),
        Route("/download", lambda r: Response(INDEX, media_type="text/html", headers={
            "Content-Disposition": 'attachment; filename="page.html"'})),
        Route("/api/health", lambda r: PlainTextResponse("ok"))],
        middleware=[Middleware(page_shell.PageShellMiddleware, static_dir=root)])
    return TestClient(app)


def test_the_middleware_patches_every_shell_and_only_the_shell(tmp_path):
    client = shell_app(tmp_path)
    for url in ("/tasks", "/tasks?gzip=1"):
        answer = client.get(url)
        assert answer.status_code == 200
        assert "BACKEND_BASE_URL" in answer.text and APP_CSS in answer.text
        assert 'href="./static/js/Audio.Q9.js"' in answer.text
        assert int(answer.headers["content-length"]) == len(answer.content)
        # no validator of the unpatched file, no stale encoding
        assert "etag" not in answer.headers and "content-encoding" not in answer.headers
    assert client.get("/report").text == "<html><body>a report</body></html>"
    # a large page or a download is passed as it is (not held in memory)
    assert "BACKEND_BASE_URL" not in client.get("/big").text
    assert client.get("/download").text == INDEX
    assert client.get("/api/health").text == "ok"
    head = client.head("/tasks")
    assert head.status_code == 200 and "BACKEND_BASE_URL" not in head.text


def test_the_real_streamlit_shell_gets_the_players_code(tmp_path):
    """Against the installed Streamlit: its index.html has the entry script the patch looks
    for, and the Audio element's chunk is found (else the preload silently disappears)."""
    static = page_shell._streamlit_static_dir()
    index = (static / "index.html").read_text(encoding="utf-8")
    extra = page_shell.additions(index, static / "static" / "js")
    assert page_shell.patch(index, extra) is not None
    names = re.findall(r'href="\./static/js/([^"]+)"', extra)
    for element in page_shell.PRELOADED_ELEMENTS:
        assert any(n.startswith(element + ".") for n in names), (element, names)
    # the frontend still reads the setting backend_script gives it
    bundle = (static / "static" / "js").glob("index.*.js")
    assert any("BACKEND_BASE_URL" in f.read_text(encoding="utf-8") for f in bundle)
