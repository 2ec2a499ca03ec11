"""Small HTTP answers without a 40 ms wait: TCP_NODELAY on every connection the server accepts.

asyncio turns Nagle's algorithm off for each TCP connection (`asyncio.base_events._set_nodelay`),
but only when the socket says its protocol is TCP (``proto == IPPROTO_TCP``). Streamlit's
server binds its listening socket itself, as ``socket.socket(family, SOCK_STREAM)`` (protocol
0), so the connections it accepts keep Nagle on. uvicorn writes an answer's headers and body
separately; with Nagle the body waits for the browser to acknowledge the headers, and the
browser delays that acknowledgement by 40 ms. So every request after the first on a kept-alive
connection took ~44 ms however small the answer (measured with ``curl --parallel``, 40 requests
of ``/_stcore/health`` on 6 connections: 44 ms each, ~1 ms with this fix): the frontend's ~70
JS files, and on the board 20 covers, 20 waveforms and 20 players.

`enable()` (called by the app's lifespan, before the server accepts a connection) makes asyncio
set TCP_NODELAY on any TCP stream socket, whatever protocol number it was created with.
"""

from __future__ import annotations

import asyncio.base_events
import contextlib
import socket

_TCP_FAMILIES = {socket.AF_INET, socket.AF_INET6}


def set_nodelay(sock: socket.socket) -> None:
    """TCP_NODELAY on an IPv4/IPv6 stream socket (asyncio's own check also wants ``proto ==
    IPPROTO_TCP``, which a socket created with protocol 0 does not report)."""
    if sock.family in _TCP_FAMILIES and sock.type == socket.SOCK_STREAM:
        # not a TCP socket after all (or already closed): leave it
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def enable() -> None:
    """From now on, every TCP transport asyncio creates has Nagle's algorithm off."""
    asyncio.base_events._set_nodelay = set_nodelay  # type: ignore[attr-defined]
