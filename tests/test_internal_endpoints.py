"""Nothing internal in public (issue #22, item 5): Streamlit's ``/_stcore/metrics`` answers this machine only, and
what its websocket still tells any visitor is written in docs/admin.md.

The portal under test listens on 127.0.0.1, so every request here comes from the loopback; a request that a proxy
passed on is told apart by the headers a proxy adds, which is what nginx sends (deploy/nginx/portal.conf).
"""

from __future__ import annotations

import http.client
import re
from pathlib import Path

import pytest
from portal_server import PortalServer
from streamlit_session import host_port, open_session

from server.internal_endpoints import from_loopback

ADMIN_DOC = Path(__file__).resolve().parents[1] / "docs" / "admin.md"


def _get(server: PortalServer, path: str, **headers: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(*host_port(server.url), timeout=30)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("client", "loopback"),
    [
        (("127.0.0.1", 5000), True),
        (("127.8.9.10", 5000), True),
        (("::1", 5000), True),
        (("::ffff:127.0.0.1", 5000), True),  # Streamlit's dual-stack socket writes an IPv4 peer this way
        (("192.0.2.2", 5000), False),
        (("::ffff:203.0.113.5", 5000), False),
        (("2001:db8::1", 5000), False),
        (("localhost", 5000), False),  # a name is not an address: never taken on trust
        (None, False),
    ],
)
def test_only_an_address_of_this_machine_counts_as_the_loopback(client: tuple[str, int] | None, loopback: bool) -> None:
    assert from_loopback(client) is loopback


def test_the_server_report_answers_the_machine_itself(portal_server: PortalServer) -> None:
    status, body = _get(portal_server, "/_stcore/metrics")
    assert status == 200 and b"# TYPE" in body


@pytest.mark.parametrize(
    "header",
    [
        {"X-Forwarded-For": "203.0.113.5"},
        {"X-Real-IP": "203.0.113.5"},
        {"Forwarded": "for=203.0.113.5;proto=https"},
        # A visitor who writes the loopback into the header still came through the proxy.
        {"X-Forwarded-For": "127.0.0.1"},
    ],
)
def test_the_server_report_is_a_404_for_a_request_a_proxy_passed_on(
    portal_server: PortalServer, header: dict[str, str]
) -> None:
    for path in ("/_stcore/metrics", "/_stcore/metrics?families=session_events_total", "/_stcore/metrics/"):
        status, body = _get(portal_server, path, **header)
        assert status == 404, (path, status)
        assert b"# TYPE" not in body and b"session" not in body
    # The same header on a public page changes nothing: only the internal report is refused.
    assert _get(portal_server, "/robots.txt", **header)[0] == 200


def test_what_the_websocket_tells_any_visitor_is_written_in_the_admin_guide(portal_server: PortalServer) -> None:
    with open_session(portal_server.url) as (_, forward, _xsrf):
        session = forward.new_session
    told = {
        field.name: value
        for field, value in session.initialize.environment_info.ListFields()
        if value not in ("", False)
    }
    told["main_script_path"] = session.main_script_path
    # The guide's section names each field Streamlit fills, so a Streamlit upgrade that tells more fails here.
    section = ADMIN_DOC.read_text(encoding="utf-8").split("### Yang tetap terlihat", 1)[1].split("\n## ", 1)[0]
    assert {"streamlit_version", "python_version", "server_os", "main_script_path"} <= told.keys()
    missing = [name for name in told if f"`{name}`" not in section]
    assert missing == [], f"docs/admin.md does not say the websocket tells {missing}"
    assert re.search(r"app\.py$", told["main_script_path"])  # the absolute path of the entry script
