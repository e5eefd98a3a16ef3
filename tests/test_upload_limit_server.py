"""The upload limit is the server's too: a real ``streamlit run app.py`` refuses a body above the preview's 5 MB.

A browser's file picker enforces the widget's limit, but anyone can PUT to ``/_stcore/upload_file`` directly.
The test does what the browser's code does: takes the XSRF cookie, opens a session over the websocket, asks
for a script run to learn the session's id, then PUTs a file as multipart form data.
"""

from __future__ import annotations

import http.client
import tomllib
import uuid
from pathlib import Path
from urllib.parse import urlparse

from portal_server import PortalServer
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.sync.client import connect

from data_sources.config.portal_config import PreviewConfig

REPO = Path(__file__).resolve().parents[1]
MB = 1024 * 1024
XSRF_COOKIE = "_streamlit_xsrf"


def _xsrf_cookie(host: str, port: int) -> str:
    conn = http.client.HTTPConnection(host, port, timeout=30)
    conn.request("GET", "/_stcore/health")
    response = conn.getresponse()
    response.read()
    for header, value in response.getheaders():
        if header.lower() == "set-cookie" and value.startswith(f"{XSRF_COOKIE}="):
            return value.split(";", 1)[0].split("=", 1)[1]
    raise AssertionError("the server set no XSRF cookie")


def _put(host: str, port: int, session: str, xsrf: str, size: int) -> int:
    boundary = uuid.uuid4().hex
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="draf.xlsx"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    body = head + b"x" * size + f"\r\n--{boundary}--\r\n".encode()
    conn = http.client.HTTPConnection(host, port, timeout=60)
    try:
        conn.request(
            "PUT",
            f"/_stcore/upload_file/{session}/{uuid.uuid4().hex}",
            body=body,
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Cookie": f"{XSRF_COOKIE}={xsrf}",
                "X-Xsrftoken": xsrf,
            },
        )
        response = conn.getresponse()
        response.read()
        return response.status
    except (ConnectionResetError, BrokenPipeError):
        return 413  # the server may close the connection as soon as the body passes the limit
    finally:
        conn.close()


def test_the_server_limit_is_the_preview_limit() -> None:
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == PreviewConfig().max_upload_mb


def test_an_8_mb_upload_is_refused_by_the_running_server_and_a_small_one_taken(portal_server: PortalServer) -> None:
    parsed = urlparse(portal_server.url)
    host, port = parsed.hostname or "127.0.0.1", parsed.port or 80
    xsrf = _xsrf_cookie(host, port)
    url = f"ws://{host}:{port}/_stcore/stream"
    with connect(
        url,
        subprotocols=["streamlit", xsrf],  # type: ignore[list-item]
        additional_headers={"Cookie": f"{XSRF_COOKIE}={xsrf}", "Origin": f"http://{host}:{port}"},
        open_timeout=30,
        max_size=None,
    ) as ws:
        back = BackMsg()
        back.rerun_script.query_string = ""
        back.rerun_script.page_script_hash = ""
        ws.send(back.SerializeToString())
        session = ""
        for _ in range(200):  # bounded: the new-session message comes first among a run's messages
            raw = ws.recv(timeout=60)
            forward = ForwardMsg()
            forward.ParseFromString(raw if isinstance(raw, bytes) else raw.encode())
            if forward.HasField("new_session") and forward.new_session.initialize.session_id:
                session = forward.new_session.initialize.session_id
                break
        assert session, "no new_session message from the server"
        # The session stays open (this block) while uploading: uploads are checked against active sessions.
        assert _put(host, port, session, xsrf, 1024) in (200, 204)  # the session and the token are right
        assert _put(host, port, session, xsrf, 8 * MB) == 413
