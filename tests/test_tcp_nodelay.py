"""Replies leave when they are written: Nagle's algorithm is off on the portal's connections (server.tcp_nodelay).

With it on, every reply on a kept-alive connection waited for the reader's delayed acknowledgement (40 ms on Linux,
a round trip more on a phone's network) before its body left: 44 ms for each of a first view's 59 bundle files on
this machine. Whether a socket has Nagle off is read from the socket itself (``TCP_NODELAY``), never timed.
"""

from __future__ import annotations

import ctypes
import http.client
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from portal_server import running_portal
from streamlit.web.server.starlette import starlette_server

from server.tcp_nodelay import listening_tcp_descriptors, send_at_once

# Linux's pidfd_getfd(2): the same number on every architecture (new system calls share one table).
SYS_PIDFD_GETFD = 438


def _nodelay(sock: socket.socket) -> bool:
    return bool(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))


@contextmanager
def _accepted_by(listening: socket.socket) -> Iterator[socket.socket]:
    with socket.create_connection(listening.getsockname()[:2]):
        accepted, _ = listening.accept()
        with accepted:
            yield accepted


def test_streamlit_binds_its_server_socket_so_that_asyncio_leaves_nagle_on() -> None:
    # Why the module exists: Streamlit 1.67's own bind gives a socket whose protocol number is 0, and asyncio turns
    # Nagle's algorithm off only on connections whose number says TCP. When this fails, Streamlit binds as asyncio
    # expects and server.tcp_nodelay can go.
    listening = starlette_server._bind_socket("127.0.0.1", 0, 8)
    with listening:
        assert listening.proto == 0
        listening.setblocking(True)
        with _accepted_by(listening) as accepted:
            assert accepted.proto != socket.IPPROTO_TCP
            assert not _nodelay(accepted)


def test_a_connection_accepted_after_startup_sends_at_once() -> None:
    listening = starlette_server._bind_socket("127.0.0.1", 0, 8)
    with listening:
        listening.setblocking(True)
        assert send_at_once() >= 1
        assert _nodelay(listening)
        with _accepted_by(listening) as accepted:
            assert _nodelay(accepted)


def test_only_listening_tcp_sockets_are_found() -> None:
    with (
        socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listening,
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as datagram,
        socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as local,
    ):
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        local_path = Path(f"/tmp/portal-nodelay-{os.getpid()}.sock")
        local.bind(str(local_path))
        local.listen()
        try:
            with _accepted_by(listening) as accepted:
                found = set(listening_tcp_descriptors())
                assert listening.fileno() in found
                assert not found & {datagram.fileno(), local.fileno(), accepted.fileno()}
        finally:
            local_path.unlink()


def test_looking_leaves_no_descriptor_open() -> None:
    # Every descriptor is duplicated to be looked at; a duplicate left open of a pipe's end kept that pipe open for
    # good (the test run's own browser driver then never saw its end, and the run hung at its close).
    read_end, write_end = os.pipe()
    try:
        before = sorted(os.listdir("/proc/self/fd"))
        send_at_once()
        assert sorted(os.listdir("/proc/self/fd")) == before
    finally:
        os.close(read_end)
        os.close(write_end)


def test_without_proc_nothing_is_touched(tmp_path: Path) -> None:
    assert send_at_once(tmp_path / "no-such-folder") == 0


def test_the_server_as_deployed_answers_a_kept_alive_reader_without_nagle(tmp_path: Path) -> None:
    # The server as the systemd unit starts it; a reader's connection is found among the server's sockets by its
    # two ends and read through pidfd_getfd(2) (the test started the server, so it may).
    with running_portal(tmp_path) as portal:
        host, port = portal.url.removeprefix("http://").split(":")
        reader = http.client.HTTPConnection(host, int(port))
        try:
            for _ in range(2):  # the second reply is the one Nagle held back
                reader.request("GET", "/robots.txt")
                assert reader.getresponse().read()
            assert reader.sock is not None
            served = _server_socket_of(portal.pid, reader.sock.getsockname())
            with served:
                assert _nodelay(served)
        finally:
            reader.close()


def _server_socket_of(pid: int, reader_end: tuple[str, int]) -> socket.socket:
    """The server's end of the reader's connection, duplicated into this process."""
    libc = ctypes.CDLL(None, use_errno=True)
    process = os.pidfd_open(pid)
    try:
        for name in os.listdir(f"/proc/{pid}/fd"):
            copied = libc.syscall(SYS_PIDFD_GETFD, process, int(name), 0)
            if copied < 0:
                error = ctypes.get_errno()
                assert error == 9, os.strerror(error)  # EBADF: closed since it was listed
                continue
            try:
                candidate = socket.socket(fileno=copied)
            except OSError:  # not a socket
                os.close(copied)
                continue
            if candidate.family == socket.AF_INET and _peer(candidate) == reader_end:
                return candidate
            candidate.close()
    finally:
        os.close(process)
    raise AssertionError(f"no socket of the server {pid} is connected to {reader_end}")


def _peer(sock: socket.socket) -> tuple[str, int] | None:
    try:
        return sock.getpeername()
    except OSError:  # a listening socket has no peer
        return None
