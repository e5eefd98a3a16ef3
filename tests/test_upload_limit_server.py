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

from portal_server import PortalServer
from streamlit_session import XSRF_COOKIE, host_port, open_session

from data_sources.config.portal_config import PreviewConfig

REPO = Path(__file__).resolve().parents[1]
MB = 1024 * 1024


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
    host, port = host_port(portal_server.url)
    with open_session(portal_server.url) as (_, forward, xsrf):
        session = forward.new_session.initialize.session_id
        # The session stays open (this block) while uploading: uploads are checked against active sessions.
        assert _put(host, port, session, xsrf, 1024) in (200, 204)  # the session and the token are right
        assert _put(host, port, session, xsrf, 8 * MB) == 413
