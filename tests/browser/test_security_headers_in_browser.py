"""The security headers as a browser obeys them (issue #21): another site cannot frame the portal's pages, and a
script the server did not write into a page does not run.

The other site is a page served from a second loopback origin (another port: another origin to the browser) by a
small HTTP server in this test.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import Browser, Page, expect
from portal_server import PortalServer

from .test_pages_in_browser import TIMEOUT_MS, wait_until_drawn

# Drives Debian's chromium (make test-fast leaves these out; make test runs them).
pytestmark = pytest.mark.browser

FRAMED = {"program": "/program?program=QW24-PERKIM-01", "admin": "/admin", "home": "/"}
EMBED = "/embed/program?program=QW24-PERKIM-01"


@pytest.fixture(scope="module")
def other_site(portal_server: PortalServer) -> Iterator[str]:
    """A site on another origin whose page frames the portal's pages and an embed, one iframe each."""
    frames = "".join(
        f'<iframe name="{name}" title="{name}" src="{portal_server.url}{path}"></iframe>'
        for name, path in {**FRAMED, "embed": EMBED}.items()
    )
    page = f"<!DOCTYPE html><html lang='id'><title>Situs lain</title><body>{frames}</body></html>".encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_another_site_may_frame_an_embed_and_gets_nothing_from_the_portal_s_pages(
    browser: Browser, other_site: str
) -> None:
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(other_site, wait_until="load", timeout=TIMEOUT_MS)
        for name in FRAMED:
            frame = page.frame(name=name)
            assert frame is not None, name
            # The browser refuses the document (frame-ancestors 'self', X-Frame-Options): an error page instead.
            assert not frame.url.startswith("http://127.0.0.1"), (name, frame.url)
            assert "Quick Win" not in frame.evaluate("document.documentElement.innerText"), name
        # The embed is made to be framed anywhere (frame-ancestors *): it renders, with its program's card.
        embed = page.frame(name="embed")
        assert embed is not None and embed.url.endswith(EMBED)
        expect(embed.get_by_role("link").first).to_be_visible()
        assert embed.evaluate("document.title")
    finally:
        context.close()


def test_the_portal_may_frame_its_own_pages(browser: Browser, portal_server: PortalServer) -> None:
    """frame-ancestors 'self': the same origin is allowed (the rule is not "none")."""
    context = browser.new_context()
    page = context.new_page()
    try:
        # From one of its pages (a page's policy allows frames from 'self'; a file's, default-src 'none', none).
        page.goto(f"{portal_server.url}/tentang", wait_until="load", timeout=TIMEOUT_MS)
        page.evaluate(
            """(src) => new Promise((done) => {
                const frame = Object.assign(document.createElement("iframe"), {name: "own", src});
                frame.onload = done;
                document.body.appendChild(frame);
            })""",
            f"{portal_server.url}/robots.txt?framed=1",
        )
        own = page.frame(name="own")
        assert own is not None and "Sitemap" in own.evaluate("document.body.innerText")
    finally:
        context.close()


def test_a_script_the_server_did_not_write_into_the_page_is_blocked_and_reported(
    browser: Browser, portal_server: PortalServer
) -> None:
    context = browser.new_context()
    page: Page = context.new_page()
    try:
        page.goto(f"{portal_server.url}/tentang", wait_until="domcontentloaded")
        wait_until_drawn(page, "Tentang", lambda: "")
        page.evaluate(
            """() => new Promise((done) => {
                document.addEventListener("securitypolicyviolation", (e) => {
                    window.blocked = e.violatedDirective; done();
                }, {once: true});
                const injected = document.createElement("script");
                injected.textContent = "window.injected = true";  // what an XSS would add
                document.body.appendChild(injected);
            })"""
        )
        assert page.evaluate("window.injected") is None
        assert page.evaluate("window.blocked").startswith("script-src")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
    finally:
        context.close()
