"""A Streamlit session opened the way the browser's code opens one: the XSRF cookie, the websocket, a script run
asked for, and the new-session message that answers it (tests that talk to a running portal without a browser)."""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlparse

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.sync.client import ClientConnection, connect

XSRF_COOKIE = "_streamlit_xsrf"


def host_port(url: str) -> tuple[str, int]:
    parsed = urlparse(url)
    return parsed.hostname or "127.0.0.1", parsed.port or 80


def xsrf_cookie(host: str, port: int) -> str:
    conn = http.client.HTTPConnection(host, port, timeout=30)
    conn.request("GET", "/_stcore/health")
    response = conn.getresponse()
    response.read()
    for header, value in response.getheaders():
        if header.lower() == "set-cookie" and value.startswith(f"{XSRF_COOKIE}="):
            return value.split(";", 1)[0].split("=", 1)[1]
    raise AssertionError("the server set no XSRF cookie")


@contextmanager
def open_session(url: str) -> Iterator[tuple[ClientConnection, ForwardMsg, str]]:
    """The open websocket, the server's new-session message and the XSRF token; the session lives in the block."""
    host, port = host_port(url)
    xsrf = xsrf_cookie(host, port)
    with connect(
        f"ws://{host}:{port}/_stcore/stream",
        subprotocols=["streamlit", xsrf],  # type: ignore[list-item]
        additional_headers={"Cookie": f"{XSRF_COOKIE}={xsrf}", "Origin": f"http://{host}:{port}"},
        open_timeout=30,
        max_size=None,
    ) as ws:
        back = BackMsg()
        back.rerun_script.query_string = ""
        back.rerun_script.page_script_hash = ""
        ws.send(back.SerializeToString())
        for _ in range(200):  # bounded: the new-session message comes first among a run's messages
            raw = ws.recv(timeout=60)
            forward = ForwardMsg()
            forward.ParseFromString(raw if isinstance(raw, bytes) else raw.encode())
            if forward.HasField("new_session") and forward.new_session.initialize.session_id:
                yield ws, forward, xsrf
                return
        raise AssertionError("no new_session message from the server")
