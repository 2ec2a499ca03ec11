"""TCP_NODELAY on connections accepted from a listening socket created with protocol 0 (as
Streamlit's server creates it), once `lib.app.nodelay.enable()` ran."""

from __future__ import annotations

import asyncio
import asyncio.base_events
import concurrent.futures
import socket

import pytest

from lib.app import nodelay

#: asyncio's own function, as it is before any test's `enable()` (test modules load first)
ASYNCIO_SET_NODELAY = asyncio.base_events._set_nodelay


def run(coro):
    """``asyncio.run`` in a thread of its own: a worker that ran browser tests before has
    Playwright's event loop running in this one."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result(timeout=30)


@pytest.fixture
def restore_asyncio():
    original = asyncio.base_events._set_nodelay
    yield
    asyncio.base_events._set_nodelay = original


def _protocol_0_listener() -> socket.socket:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # proto 0, like Streamlit's
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.setblocking(False)
    return listener


def _streamlit_listener() -> socket.socket:
    """The listening socket as the installed Streamlit's server binds it (a private function:
    when it is gone, see the README's "Upgrading Streamlit")."""
    from streamlit.web.server.starlette.starlette_server import _bind_socket

    return _bind_socket("127.0.0.1", 0, 8)


async def _accepted_nodelay(make_listener=_protocol_0_listener) -> int:
    """Serve on a listening socket and report TCP_NODELAY of the connection the server
    accepted."""
    listener = make_listener()
    seen: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    async def handle(reader, writer):
        sock = writer.get_extra_info("socket")
        seen.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
        writer.close()

    server = await asyncio.start_server(handle, sock=listener)
    port = listener.getsockname()[1]
    _, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        return await asyncio.wait_for(seen, 10)
    finally:
        writer.close()
        server.close()
        await server.wait_closed()


def test_enable_turns_nagle_off_for_them(restore_asyncio):
    # (asyncio alone leaves it off for such sockets on the Pythons we run: its check wants
    # ``proto == IPPROTO_TCP``)
    nodelay.enable()
    assert run(_accepted_nodelay()) != 0


def test_streamlit_still_needs_it_and_gets_it(monkeypatch):
    """Against the installed Streamlit: connections its server accepts keep Nagle on (asyncio
    skips its protocol-0 socket), and `enable()` turns it off. If the first assert fails after an
    upgrade, Streamlit sets TCP_NODELAY itself now and lib/app/nodelay.py can go."""
    monkeypatch.setattr(asyncio.base_events, "_set_nodelay", ASYNCIO_SET_NODELAY)
    assert run(_accepted_nodelay(_streamlit_listener)) == 0, "Streamlit's sockets have TCP_NODELAY"
    nodelay.enable()
    assert run(_accepted_nodelay(_streamlit_listener)) != 0


def test_set_nodelay_ignores_what_is_not_tcp():
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as unix:
        nodelay.set_nodelay(unix)                     # no error, nothing to set
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
        nodelay.set_nodelay(udp)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
        nodelay.set_nodelay(tcp)
        assert tcp.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0


def test_the_app_lifespan_enables_it_before_serving(monkeypatch, restore_asyncio):
    from lib.app import http_routes, runtime

    class Idle:
        def start_background(self) -> None:
            pass

        def stop_background(self) -> None:
            pass

    monkeypatch.setattr(runtime, "get_runtime", lambda **_: Idle())

    async def during() -> bool:
        async with http_routes.lifespan(None):
            return asyncio.base_events._set_nodelay is nodelay.set_nodelay

    assert run(during())
