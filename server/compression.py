"""Compression of text (Streamlit's bundles and CSS, the page HTML, the open-data CSV/JSON), which Streamlit's own
gzip middleware leaves out: each asset is compressed once and kept while it is unchanged."""

from __future__ import annotations

import gzip
import threading
from collections import OrderedDict

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# What is worth compressing: text. Images, fonts and media are compressed already (or served by range).
TEXT_TYPES = (
    "text/",
    "application/javascript",
    "application/json",
    "image/svg+xml",
    "application/xml",
    "application/atom+xml",
)
# Streamlit's own endpoints (the websocket, health, uploads) are left to Streamlit's own gzip middleware, which
# leaves out its static bundle, the app's static files and the page HTML: those are this middleware's.
STREAMLIT_ENDPOINTS = "/_stcore/"
# Smaller bodies gain little and cost a header.
MINIMUM_SIZE = 1024
# Compressed copies kept: Streamlit's bundle has a few hundred files; a page view asks for a few dozen.
KEEP = 256


class CompressedCopies:
    """Gzipped bodies, by path and the validator the server sent (ETag or Last-Modified): compressed once."""

    def __init__(self, keep: int = KEEP) -> None:
        self.keep = keep
        self._bodies: OrderedDict[tuple[str, str], bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str], body: bytes) -> bytes:
        with self._lock:
            found = self._bodies.get(key)
            if found is not None:
                self._bodies.move_to_end(key)
                return found
        compressed = gzip.compress(body, compresslevel=9, mtime=0)
        with self._lock:
            self._bodies[key] = compressed
            while len(self._bodies) > self.keep:
                self._bodies.popitem(last=False)
        return compressed


class TextAssetCompression:
    """Gzip for text responses outside Streamlit's own endpoints, when the browser accepts it.

    Only complete 200 responses of a text type are compressed; a range request, a 304 or a body already encoded
    passes through untouched. Hashed bundles keep Streamlit's ``Cache-Control: immutable``.
    """

    def __init__(self, app: ASGIApp, copies: CompressedCopies | None = None) -> None:
        self.app = app
        self.copies = copies or CompressedCopies()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self._wanted(scope):
            await self.app(scope, receive, send)
            return
        started: Message | None = None
        parts: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = message
                if not self._compressible(Headers(raw=message["headers"]), message["status"]):
                    await send(message)
                    started = None
                return
            if started is None:  # passing through
                await send(message)
                return
            parts.append(message.get("body", b""))
            if not message.get("more_body", False):
                await self._send_compressed(scope, started, b"".join(parts), send)

        await self.app(scope, receive, capture)

    @staticmethod
    def _wanted(scope: Scope) -> bool:
        headers = Headers(scope=scope)
        return (
            scope["method"] == "GET"
            and not scope["path"].startswith(STREAMLIT_ENDPOINTS)
            and "gzip" in headers.get("accept-encoding", "")
            and "range" not in headers
        )

    @staticmethod
    def _compressible(headers: Headers, status: int) -> bool:
        return (
            status == 200
            and "content-encoding" not in headers
            and headers.get("content-type", "").startswith(TEXT_TYPES)
            and int(headers.get("content-length", MINIMUM_SIZE)) >= MINIMUM_SIZE
        )

    async def _send_compressed(self, scope: Scope, start: Message, body: bytes, send: Send) -> None:
        headers = MutableHeaders(raw=list(start["headers"]))
        validator = headers.get("etag") or headers.get("last-modified") or ""
        compressed = self.copies.get((scope["path"], validator), body) if validator else gzip.compress(body, 6)
        headers["content-encoding"] = "gzip"
        headers["content-length"] = str(len(compressed))
        headers.add_vary_header("Accept-Encoding")
        if "etag" in headers:  # another representation, another tag (RFC 9110 8.8.3)
            headers["etag"] = headers["etag"].rstrip('"') + '-gzip"'
        await send({**start, "headers": headers.raw})
        await send({"type": "http.response.body", "body": compressed, "more_body": False})
