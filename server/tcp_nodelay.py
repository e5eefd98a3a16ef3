"""Every reply leaves when it is written: Nagle's algorithm off on the server's listening sockets (``TCP_NODELAY``).

Streamlit 1.67 binds its server's socket itself, as ``socket.socket(family)``: a socket whose protocol number is 0,
not ``IPPROTO_TCP``. asyncio turns Nagle's algorithm off on each connection it accepts only when that number says
TCP (``asyncio.base_events._set_nodelay``), so on the portal's connections it stayed on. With it on, a reply's
second write (Streamlit and uvicorn write a response's headers, then its body; the websocket each message) waits
until the reader has acknowledged the first, and a reader acknowledges late on purpose (Linux: 40 ms). Measured on
this machine over one kept-alive connection: each of the 59 bundle files of a first view took 44 ms, under 1 ms with
this module; in Chromium, unthrottled on the loopback, the app's websocket opened about 0.25 s sooner (0.95-0.98 s
against 0.71-0.76 s). Behind nginx (deploy/, 16 kept-alive connections per replica) every reply paid it; on a
phone's own connection to the portal, the round trip as well.

Linux gives each accepted connection the listening socket's ``TCP_NODELAY``, so the listening sockets are set once,
at startup (``lifespan``), before the server accepts anything. They are found among the process's open files by
what they are (listening TCP sockets), not through Streamlit's private objects. Elsewhere than Linux (no
``/proc/self/fd``) nothing is done: the portal is deployed on Linux (deploy/README.md).
"""

from __future__ import annotations

import contextlib
import os
import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

OPEN_FILES = Path("/proc/self/fd")


def listening_tcp_descriptors(open_files: Path = OPEN_FILES) -> Iterator[int]:
    """The file descriptors of this process's listening TCP sockets (IPv4 and IPv6)."""
    try:
        descriptors = [int(name) for name in os.listdir(open_files)]
    except OSError:
        return
    for descriptor in descriptors:
        try:
            copy = os.dup(descriptor)  # a duplicate: closing it leaves the process's own descriptor open
        except OSError:  # closed since it was listed
            continue
        try:
            probe = socket.socket(fileno=copy)
        except OSError:  # not a socket: the duplicate is closed here, or it would hold a pipe open for good
            os.close(copy)
            continue
        with probe:
            if (
                probe.family in (socket.AF_INET, socket.AF_INET6)
                and probe.type == socket.SOCK_STREAM
                and probe.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN)
            ):
                yield descriptor


def send_at_once(open_files: Path = OPEN_FILES) -> int:
    """``TCP_NODELAY`` on every listening TCP socket of this process; how many there were."""
    count = 0
    for descriptor in listening_tcp_descriptors(open_files):
        with socket.socket(fileno=os.dup(descriptor)) as listening:
            listening.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        count += 1
    return count


@contextlib.asynccontextmanager
async def lifespan(_app: Any) -> AsyncIterator[None]:
    """``st.App``'s lifespan: its startup runs once the socket is bound and before the first connection."""
    send_at_once()
    yield
