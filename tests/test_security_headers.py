"""Every response of the running portal carries the security headers (issue #21, item 4): its pages, Streamlit's
bundles, pictures, feeds, errors and the internal endpoints' refusals; a page's policy names exactly the inline
scripts in that page. Real HTTP against ``streamlit run app.py`` (tests/portal_server.py).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import http.client
import re

import pytest
from portal_server import PortalServer
from streamlit_session import host_port

from server.icon_font import font_path

EVERYWHERE = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "cross-origin-opener-policy": "same-origin",
    "x-frame-options": "SAMEORIGIN",
}
# An inline script, written independently of core/security_policy.py's own pattern.
INLINE = re.compile(rb"<script>(.*?)</script>", re.S)


def _get(server: PortalServer, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection(*host_port(server.url), timeout=60)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        conn.close()


def _policy(headers: dict[str, str]) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in headers["content-security-policy"].split("; ")}


@pytest.mark.parametrize("path", ["/", "/program?program=QW24-PERKIM-01&lang=en", "/peta", "/admin", "/pratinjau"])
def test_a_page_s_policy_runs_exactly_the_inline_scripts_the_server_wrote_into_it(
    portal_server: PortalServer, path: str
) -> None:
    status, headers, body = _get(portal_server, path)
    assert status == 200
    for name, value in EVERYWHERE.items():
        assert headers[name] == value, name
    policy = _policy(headers)
    hashes = {"'sha256-" + base64.b64encode(hashlib.sha256(s).digest()).decode() + "'" for s in INLINE.findall(body)}
    assert hashes, "the page has inline scripts (Streamlit's, the portal's start and words)"
    assert set(policy["script-src"]) == {"'self'", "'wasm-unsafe-eval'"} | hashes
    assert policy["frame-ancestors"] == ["'self'"] and policy["object-src"] == ["'none'"]
    # Compressed or not, the page and its policy are the same.
    _, zipped, squeezed = _get(portal_server, path, **{"Accept-Encoding": "gzip"})
    assert zipped.get("content-encoding") == "gzip" and gzip.decompress(squeezed) == body
    assert zipped["content-security-policy"] == headers["content-security-policy"]


def test_bundles_pictures_feeds_errors_and_refusals_carry_the_headers_too(portal_server: PortalServer) -> None:
    bundle = re.search(rb'"\./(static/js/index\.[^"]+\.js)"', _get(portal_server, "/")[2])  # Streamlit's main one
    assert bundle is not None
    paths = [
        "/" + bundle.group(1).decode(),
        font_path() or "/favicon.png",
        "/grafik/kemajuan.svg",
        "/og/beranda.png",
        "/robots.txt",
        "/sitemap.xml",
        "/riwayat.atom",
        "/og/program.png?program=TIDAK-ADA",  # a 404
        "/_stcore/health",
    ]
    for path in paths:
        _, headers, _ = _get(portal_server, path)
        for name, value in EVERYWHERE.items():
            assert headers.get(name) == value, (path, name)
        assert _policy(headers)["frame-ancestors"] == ["'self'"], path
    status, headers, _ = _get(portal_server, "/_stcore/metrics", **{"X-Forwarded-For": "203.0.113.5"})
    assert status == 404 and headers["x-frame-options"] == "SAMEORIGIN"


def test_the_feed_page_keeps_its_own_stricter_policy_and_gains_the_frame_rule(portal_server: PortalServer) -> None:
    opened = {"Sec-Fetch-Dest": "document", "Sec-Fetch-Mode": "navigate"}
    _, headers, body = _get(portal_server, "/riwayat.atom", **opened)
    assert body.lstrip().startswith(b"<!DOCTYPE html>")
    policy = _policy(headers)
    assert policy["default-src"] == ["'none'"] and "script-src" not in policy  # no script at all on that page
    assert policy["frame-ancestors"] == ["'self'"]
