"""The security headers of every response the portal's server sends (``core.security_policy``): its own routes,
Streamlit's bundles and pages, and the errors in between.

An HTML page's Content-Security-Policy names the hashes of the inline scripts in that very page, so the body is
read before the headers go out: pages are tens of kilobytes, and only ``text/html`` is held back. A header a route
set itself (the feed page's stricter policy) is kept; only the frame rule is added when it has none.
"""

from __future__ import annotations

import gzip

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.security_policy import (
    content_security_policy,
    inline_script_hashes,
    resource_policy,
    security_headers,
    with_frame_ancestors,
)
from server.portal import get_portal
from server.site_address import base_url_path

CSP = "content-security-policy"


def _basemap() -> str:
    return get_portal().config.map.basemap


class SecurityHeaders:
    """Adds the headers of ``core.security_policy`` to every HTTP response, without replacing one a route set."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        prefix = base_url_path().strip("/")
        self.prefix = f"/{prefix}" if prefix else ""
        self.basemap: str | None = None

    def _page_path(self, scope: Scope) -> str:
        path: str = scope["path"]
        return path[len(self.prefix) :] or "/" if self.prefix and path.startswith(self.prefix) else path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = self._page_path(scope)
        started: Message | None = None
        parts: list[bytes] = []

        async def add_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                headers = MutableHeaders(raw=list(message["headers"]))
                for name, value in security_headers(path).items():
                    headers.setdefault(name, value)
                if CSP in headers:
                    headers[CSP] = with_frame_ancestors(headers[CSP], path)
                elif headers.get("content-type", "").startswith("text/html"):
                    started = {**message, "headers": headers.raw}  # the policy waits for the page's scripts
                    return
                else:
                    headers[CSP] = resource_policy(path)
                await send({**message, "headers": headers.raw})
                return
            if started is None or message["type"] != "http.response.body":
                await send(message)
                return
            parts.append(message.get("body", b""))
            if not message.get("more_body", False):
                await self._send_page(path, started, b"".join(parts), send)

        await self.app(scope, receive, add_headers)

    async def _send_page(self, path: str, start: Message, body: bytes, send: Send) -> None:
        headers = MutableHeaders(raw=list(start["headers"]))
        text = gzip.decompress(body) if headers.get("content-encoding") == "gzip" else body
        if self.basemap is None:  # the Portal is made once per process, off the event loop
            self.basemap = await run_in_threadpool(_basemap)
        scripts = inline_script_hashes(text.decode("utf-8", errors="replace"))
        headers[CSP] = content_security_policy(path, scripts, self.basemap)
        await send({**start, "headers": headers.raw})
        await send({"type": "http.response.body", "body": body, "more_body": False})
