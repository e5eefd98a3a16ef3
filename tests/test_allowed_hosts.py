"""Which host the portal is (issue #22, item 3), on a real ``streamlit run app.py`` over HTTP: a ``Host`` is
written into links only when allowed, forwarded headers are believed only from trusted proxies, the Atom feed's
ids are valid tag URIs the same whatever the request, and the sitemap's cache does not grow per ``Host``.

The test client connects from 127.0.0.1 (a trusted proxy by default, like nginx on the same machine) or, bound to
127.0.0.2, from an address neither uvicorn nor the portal trusts by default.
"""

from __future__ import annotations

import http.client
import re
import socket
from collections.abc import Iterator
from xml.etree import ElementTree

import pytest
from conftest import PortalSetup
from portal_server import PortalServer, running_portal
from starlette.requests import Request
from tag_uri import TAG_URI

from core.admin_session import END_PATH
from server.feeds import sitemap
from server.portal import get_portal

ATOM = "{http://www.w3.org/2005/Atom}"
STRANGER = "127.0.0.2"  # on loopback, but not 127.0.0.1: neither uvicorn's nor the portal's default proxy
EVIL = "evil.example"
# Where a reader opens the feed's address in a browser (server.feeds): a page, with the same entries.
BROWSER = {"Sec-Fetch-Dest": "document", "Sec-Fetch-Mode": "navigate"}


def port_of(server: PortalServer) -> int:
    return int(server.url.rsplit(":", 1)[1])


def get(
    server: PortalServer, path: str, headers: dict[str, str] | None = None, source: str = "127.0.0.1"
) -> tuple[int, dict[str, str], str]:
    """A GET with exactly these headers (Host included), from ``source``."""
    connection = http.client.HTTPConnection("127.0.0.1", port_of(server), timeout=60, source_address=(source, 0))
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read().decode("utf-8")
    finally:
        connection.close()


def canonical(body: str) -> str:
    found = re.findall(r'<link rel="canonical" href="([^"]*)"', body)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/", {}),
        ("/program?program=QW24-PUPR-01", {}),
        ("/sitemap.xml", {}),
        ("/robots.txt", {}),
        ("/riwayat.atom", {}),
        ("/riwayat.atom?lang=en", BROWSER),
    ],
)
def test_a_host_that_is_not_allowed_is_written_nowhere(
    portal_server: PortalServer, path: str, headers: dict[str, str]
) -> None:
    status, _, body = get(portal_server, path, {"Host": EVIL, **headers})
    assert status == 200 and EVIL not in body
    assert f"http://localhost:{port_of(portal_server)}/" in body  # the fallback, which no request chooses


def test_the_host_a_reader_used_is_kept_when_it_is_allowed(portal_server: PortalServer) -> None:
    port = port_of(portal_server)
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"):
        assert canonical(get(portal_server, "/tentang", {"Host": host})[2]) == f"http://{host}/tentang"


def test_an_allowed_name_with_another_port_is_not_a_new_address(portal_server: PortalServer) -> None:
    # Else every port of an allowed name would be an address of its own in the links, and a page in the cache.
    port = port_of(portal_server)
    for host in ("127.0.0.1:1", f"localhost:{port + 1}"):
        assert canonical(get(portal_server, "/tentang", {"Host": host})[2]) == f"http://localhost:{port}/tentang"


def machine_address() -> str | None:
    """This machine's address on its network, as the system routes to a documentation address (a UDP socket's
    connect sends nothing); None on a machine with loopback only."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.123", 9))
        except OSError:
            return None
        address = probe.getsockname()[0]
    return None if address.startswith("127.") else address


def test_this_machine_s_own_address_is_allowed_by_default(portal_server: PortalServer) -> None:
    address = machine_address()
    if address is None:
        pytest.skip("this machine has no address besides loopback")
    host = f"{address}:{port_of(portal_server)}"
    assert canonical(get(portal_server, "/tentang", {"Host": host})[2]) == f"http://{host}/tentang"


def feed_ids(body: str) -> list[str]:
    root = ElementTree.fromstring(body)
    return [root.findtext(f"{ATOM}id") or ""] + [e.findtext(f"{ATOM}id") or "" for e in root.iter(f"{ATOM}entry")]


def test_the_feed_s_ids_are_valid_tag_uris_the_same_whatever_the_request(portal_server: PortalServer) -> None:
    port = port_of(portal_server)
    hosts = [f"127.0.0.1:{port}", f"localhost:{port}", EVIL, f"[::ffff:127.0.0.1]:{port}", "::ffff:127.0.0.1"]
    seen = []
    for host in hosts:
        for proto in ("http", "https"):
            status, _, body = get(portal_server, "/riwayat.atom", {"Host": host, "X-Forwarded-Proto": proto})
            assert status == 200
            seen.append(feed_ids(body))
    assert all(ids == seen[0] for ids in seen)
    assert len(seen[0]) > 1 and all(TAG_URI.fullmatch(i) for i in seen[0]), seen[0]


def test_three_hundred_hosts_get_one_sitemap(portal_server: PortalServer) -> None:
    bodies = {get(portal_server, "/sitemap.xml", {"Host": f"h{i}.example"})[2] for i in range(300)}
    assert len(bodies) == 1


def test_a_stranger_s_forwarded_headers_are_ignored(portal_server: PortalServer) -> None:
    port = port_of(portal_server)
    forged = {"Host": f"127.0.0.1:{port}", "X-Forwarded-Proto": "https", "X-Forwarded-Host": f"localhost:{port}"}
    assert canonical(get(portal_server, "/", forged, source=STRANGER)[2]) == f"http://127.0.0.1:{port}/"
    _, headers, _ = get(portal_server, END_PATH, forged, source=STRANGER)
    assert "secure" not in headers["set-cookie"].lower()


def test_nginx_on_the_same_machine_gets_https_links_and_a_secure_cookie(portal_server: PortalServer) -> None:
    # As deploy/nginx/portal.conf sends it; uvicorn already takes the scheme from a loopback peer (see
    # server/site_address.py), and the portal's own rule agrees.
    port = port_of(portal_server)
    nginx = {
        "Host": f"localhost:{port}",
        "X-Forwarded-For": "203.0.113.7",
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Host": f"localhost:{port}",
    }
    assert canonical(get(portal_server, "/", nginx)[2]) == f"https://localhost:{port}/"
    _, headers, _ = get(portal_server, END_PATH, nginx)
    assert "secure" in headers["set-cookie"].lower()


@pytest.fixture(scope="module")
def behind_a_proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PortalServer]:
    """A portal whose proxy is at 127.0.0.2 (uvicorn does not trust it: only this portal's setting does), answering
    to the public name portal.example and to 127.0.0.1."""
    settings = {"server": {"trusted_proxies": [STRANGER], "allowed_hosts": ["portal.example", "127.0.0.1"]}}
    with running_portal(tmp_path_factory.mktemp("behind-a-proxy"), settings) as server:
        yield server


def test_a_trusted_proxy_s_scheme_and_host_make_the_links(behind_a_proxy: PortalServer) -> None:
    port = port_of(behind_a_proxy)
    proxied = {"Host": f"127.0.0.1:{port}", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "portal.example"}
    _, _, body = get(behind_a_proxy, "/program?program=QW24-PUPR-01", proxied, source=STRANGER)
    assert canonical(body) == "https://portal.example/program?program=QW24-PUPR-01"
    assert 'content="https://portal.example/og/program.png?program=QW24-PUPR-01"' in body
    _, _, robots = get(behind_a_proxy, "/robots.txt", proxied, source=STRANGER)
    assert "Sitemap: https://portal.example/sitemap.xml" in robots
    _, headers, _ = get(behind_a_proxy, END_PATH, proxied, source=STRANGER)
    assert "secure" in headers["set-cookie"].lower()


def test_only_the_configured_hosts_are_allowed(behind_a_proxy: PortalServer) -> None:
    port = port_of(behind_a_proxy)
    assert canonical(get(behind_a_proxy, "/", {"Host": f"127.0.0.1:{port}"})[2]) == f"http://127.0.0.1:{port}/"
    assert canonical(get(behind_a_proxy, "/", {"Host": "portal.example"})[2]) == "http://portal.example/"
    # Loopback, but not in this portal's list: the fallback.
    assert canonical(get(behind_a_proxy, "/", {"Host": f"[::1]:{port}"})[2]) == f"http://localhost:{port}/"
    # A trusted proxy cannot bring in a name that is not allowed either.
    sent_on = {"Host": "portal.example", "X-Forwarded-Host": EVIL}
    assert EVIL not in get(behind_a_proxy, "/", sent_on, source=STRANGER)[2]


def _sitemap_for(host: str) -> bytes:
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/sitemap.xml",
        "query_string": b"",
        "headers": [(b"host", host.encode())],
        "client": ("203.0.113.9", 50000),
        "server": ("127.0.0.1", 8501),
        "scheme": "http",
        "root_path": "",
    }
    return bytes(sitemap(Request(scope)).body)


def test_the_sitemap_s_cache_has_its_own_shelf_and_one_entry_for_any_number_of_hosts(
    sample_portal: PortalSetup,
) -> None:
    memo = get_portal().memo
    _sitemap_for("127.0.0.1:8501")
    others = {shelf: memo.entries(shelf) for shelf in ("answers", "page_html", "atom_feed", "share_image")}
    assert {_sitemap_for(f"h{i}.example") for i in range(300)} == {_sitemap_for("elsewhere.example")}
    assert memo.entries("sitemap") == 2  # the allowed 127.0.0.1:8501, and the fallback for every other host
    assert {shelf: memo.entries(shelf) for shelf in others} == others
