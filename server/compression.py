"""Compression of text (Streamlit's bundles and CSS, the page HTML, the open-data CSV/JSON), which Streamlit's own
gzip middleware leaves out, when the reader accepts gzip by RFC 9110's rules (``core.http_negotiation``).

Compression must not be something a client can make the server do over and over (issue #22, item 2):

- only complete 200s are compressed; a missing ``/static/`` file is a 404 before it gets here
  (``server.static_assets``), where it used to be Streamlit's page with a 200 and a validator, kept like a bundle;
- Streamlit's hashed bundles (``Cache-Control: immutable``: fixed for the release, a few hundred files at most)
  are compressed once per process and kept for good with their answer's headers, apart from the LRU of other
  bodies, so no churn of other addresses can push the 4.7 MB Plotly bundle out and have it compressed again, and
  a later gzip request for one is answered without Streamlit reading the file again;
- a body over ``OFF_LOOP_SIZE`` is compressed in a worker thread (zlib lets go of the GIL while it works), so the
  event loop every websocket and ``/_stcore/health`` share never waits on it; readers asking for the same body
  at once wait for one compression.

Level 6, not 9: on the Plotly bundle level 9 took 20 % more CPU (0.28 s against 0.24 s) for a body 0.25 % smaller
(1,415,342 bytes against 1,418,782); the smaller text files gain as little.

Streamlit's bundles are also kept Brotli-coded (RFC 7932), for readers who take ``br`` (every current browser,
Chromium on http://localhost too): at quality 11 the home page's bundles are 17 % smaller than gzip's (543 KB
against 657), about half a second of a slow phone's connection before the app's title (issue 23). Quality 11 is
slow (4.6 s of CPU for the home page's bundles, 12.7 s for Plotly's), so each bundle's copy is made once per
process, by one background thread at low priority, from the first plain body Streamlit sends for it; until then
a reader who takes Brotli gets the gzip copy. Other bodies stay gzip: made per request, Brotli's speed at a
comparable size gains too little.
"""

from __future__ import annotations

import contextlib
import gzip
import os
import queue
import threading
from collections import Counter, OrderedDict

import brotli
from anyio import to_thread
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.http_negotiation import BROTLI, BROTLI_SUFFIX, GZIP, GZIP_CHOSEN, GZIP_SUFFIX, chosen_coding, gzip_variant

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
# Copies of other bodies kept (pages' pictures, the feed, the open-data files): a page view asks for a few.
KEEP = 256
LEVEL = 6
# Above this a body is compressed in a worker thread: 32 KB take about a millisecond, the hop to a thread a
# tenth of that; the Plotly bundle takes a quarter of a second.
OFF_LOOP_SIZE = 32 * 1024


BROTLI_QUALITY = 11
# The Brotli thread's niceness (Linux): the copies wait; the readers' requests do not.
BROTLI_NICENESS = 10
_SUFFIXES = {GZIP: GZIP_SUFFIX, BROTLI: BROTLI_SUFFIX}


def compress(body: bytes) -> bytes:
    return gzip.compress(body, compresslevel=LEVEL, mtime=0)  # mtime 0: the same bytes from every replica


def coded_start(start: Message, body: bytes, coding: str = GZIP) -> Message:
    """The start of the ``coding``-coded answer whose plain answer started with ``start``."""
    headers = MutableHeaders(raw=list(start["headers"]))
    headers["content-encoding"] = coding
    headers["content-length"] = str(len(body))
    if "etag" in headers:  # another representation, another tag (RFC 9110 8.8.3)
        headers["etag"] = gzip_variant(headers["etag"], _SUFFIXES[coding])
    return {**start, "headers": headers.raw}


class CompressedCopies:
    """Gzipped bodies by path and the validator the server sent (ETag or Last-Modified): compressed once.

    ``lasting`` copies (Streamlit's immutable bundles) are kept one per path for as long as the process runs;
    the others in an LRU of ``keep``. ``compressions`` counts the compressions made per path: what a test reads
    to see that a flood made no bundle be compressed again.
    """

    def __init__(self, keep: int = KEEP) -> None:
        self.keep = keep
        self.compressions: Counter[str] = Counter()
        self.brotli_compressions: Counter[str] = Counter()
        self._lasting: dict[str, tuple[str, bytes]] = {}
        self._recent: OrderedDict[tuple[str, str], bytes] = OrderedDict()
        self._lock = threading.Lock()
        self._making: dict[tuple[str, str], threading.Lock] = {}
        # The whole gzip answer of a lasting copy (its status and headers): sent without asking Streamlit again.
        self._answers: dict[str, Message] = {}
        # The Brotli answers of lasting copies (start, body), made by one background thread from ``_waiting``.
        self._brotli: dict[str, tuple[Message, bytes]] = {}
        self._asked: set[str] = set()
        self._waiting: queue.Queue[tuple[str, bytes, Message]] = queue.Queue()
        self._made = threading.Condition(self._lock)
        self._worker: threading.Thread | None = None

    def kept(self, key: tuple[str, str], lasting: bool) -> bytes | None:
        path, validator = key
        with self._lock:
            if lasting:
                found = self._lasting.get(path)
                return found[1] if found is not None and found[0] == validator else None
            copy = self._recent.get(key)
            if copy is not None:
                self._recent.move_to_end(key)
            return copy

    def make(self, key: tuple[str, str], body: bytes, lasting: bool) -> bytes:
        """The kept copy, or one compressed now and kept; one compression at a time per key."""
        with self._lock:
            making = self._making.setdefault(key, threading.Lock())
        with making:
            copy = self.kept(key, lasting)
            if copy is None:
                copy = compress(body)
                with self._lock:
                    self.compressions[key[0]] += 1
                    if lasting:
                        self._lasting[key[0]] = (key[1], copy)
                    else:
                        self._recent[key] = copy
                        while len(self._recent) > self.keep:
                            self._recent.popitem(last=False)
        with self._lock:
            self._making.pop(key, None)  # a reader still waiting on it finds the copy kept
        return copy

    def answer(self, path: str) -> tuple[Message, bytes] | None:
        """The kept gzip response for an immutable bundle at ``path`` (its start message and body), if any."""
        with self._lock:
            start, found = self._answers.get(path), self._lasting.get(path)
        return (start, found[1]) if start is not None and found is not None else None

    def keep_answer(self, path: str, start: Message) -> None:
        with self._lock:
            if path in self._lasting:
                self._answers[path] = start

    def brotli_answer(self, path: str) -> tuple[Message, bytes] | None:
        """The Brotli answer for an immutable bundle at ``path`` (its start message and body), once made."""
        with self._lock:
            return self._brotli.get(path)

    def want_brotli(self, path: str, body: bytes, start: Message) -> None:
        """Have the Brotli copy of a lasting body made in the background (once per path), ``start`` being its plain
        answer's start."""
        with self._lock:
            if path in self._asked:
                return
            self._asked.add(path)
            if self._worker is None:
                self._worker = threading.Thread(target=self._make_brotli, name="brotli-copies", daemon=True)
                self._worker.start()
        self._waiting.put((path, body, start))

    def wait_brotli(self, path: str, timeout: float) -> bool:
        """Whether the Brotli copy of ``path`` exists, waiting up to ``timeout`` seconds for it (for tests)."""
        with self._made:
            return self._made.wait_for(lambda: path in self._brotli, timeout)

    def _make_brotli(self) -> None:
        # This thread only (on Linux a thread's own id is a process id to setpriority); elsewhere at normal priority.
        with contextlib.suppress(AttributeError, OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BROTLI_NICENESS)
        while True:
            path, body, start = self._waiting.get()
            coded = brotli.compress(body, quality=BROTLI_QUALITY)
            with self._made:
                self._brotli[path] = (coded_start(start, coded, BROTLI), coded)
                self.brotli_compressions[path] += 1
                self._made.notify_all()

    async def get(self, key: tuple[str, str], body: bytes, lasting: bool) -> bytes:
        copy = self.kept(key, lasting)
        if copy is not None:
            return copy
        if len(body) < OFF_LOOP_SIZE:
            return self.make(key, body, lasting)
        return await to_thread.run_sync(self.make, key, body, lasting)


async def compressed_once(body: bytes) -> bytes:
    """A body without a validator (a page's HTML): compressed for this response only, off the loop when large."""
    return compress(body) if len(body) < OFF_LOOP_SIZE else await to_thread.run_sync(compress, body)


class TextAssetCompression:
    """Gzip for text responses outside Streamlit's own endpoints, when the reader accepts it.

    Only complete 200 responses of a text type are compressed; a range request, another status or a body already
    encoded passes through untouched. Every response that could be compressed says ``Vary: Accept-Encoding``,
    the plain one too. Hashed bundles keep Streamlit's ``Cache-Control: immutable``.
    """

    def __init__(self, app: ASGIApp, copies: CompressedCopies | None = None) -> None:
        self.app = app
        self.copies = copies or CompressedCopies()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self._considered(scope):
            await self.app(scope, receive, send)
            return
        accepted = Headers(scope=scope).get("accept-encoding")
        if chosen_coding(accepted, (BROTLI, GZIP)) == BROTLI:
            coded = self.copies.brotli_answer(scope["path"])
            if coded is not None:  # an immutable bundle's Brotli copy, made: as the gzip answer below
                await self._send(*coded, send)
                return
        gzip_wanted = chosen_coding(accepted) == GZIP
        answer = self.copies.answer(scope["path"]) if gzip_wanted else None
        if answer is not None:
            # An immutable bundle's name carries its hash: what was answered for it holds while the process runs
            # (a new Streamlit release means a new process). Streamlit need not read 4.7 MB again to be dropped.
            await self._send(*answer, send)
            return
        started: Message | None = None
        sent = False  # the kept copy went out at the start: the body that follows is dropped
        parts: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal started, sent
            if sent:
                return
            if message["type"] == "http.response.start":
                headers = MutableHeaders(raw=list(message["headers"]))
                if not self._compressible(headers, message["status"]):
                    await send(message)
                    return
                if "accept-encoding" not in headers.get("vary", "").lower():
                    headers.add_vary_header("Accept-Encoding")
                if not gzip_wanted:
                    await send({**message, "headers": headers.raw})
                    return
                started = {**message, "headers": headers.raw}
                key, lasting = self._key(scope, headers)
                copy = self.copies.kept(key, lasting) if key[1] else None
                if copy is not None:  # no need to hold the body: the copy is made from these same bytes
                    sent = True
                    start = coded_start(started, copy)
                    if lasting:
                        self.copies.keep_answer(key[0], start)
                    await self._send(start, copy, send)
                return
            if started is None:  # passing through
                await send(message)
                return
            parts.append(message.get("body", b""))
            if not message.get("more_body", False):
                body = b"".join(parts)
                key, lasting = self._key(scope, Headers(raw=started["headers"]))
                copy = await self.copies.get(key, body, lasting) if key[1] else await compressed_once(body)
                start = coded_start(started, copy)
                if lasting and key[1]:
                    self.copies.keep_answer(key[0], start)
                    self.copies.want_brotli(key[0], body, started)
                await self._send(start, copy, send)

        # Streamlit's own gzip middleware (inside this one) would compress the portal's routes by its test of the
        # header ("gzip" anywhere in it: ``nogzip`` and ``gzip;q=0`` included), keeping the plain body's ETag on the
        # gzip copy. The coding was chosen above by the RFC's rules: what answers inside sends the plain body, or
        # a body stored gzip-coded already (the basemap's tiles) as it is when the scope says the reader takes it.
        plain = [(name, value) for name, value in scope["headers"] if name.lower() != b"accept-encoding"]
        await self.app({**scope, "headers": plain, GZIP_CHOSEN: gzip_wanted}, receive, capture)

    @staticmethod
    def _considered(scope: Scope) -> bool:
        return (
            scope["method"] == "GET"
            and not scope["path"].startswith(STREAMLIT_ENDPOINTS)
            and "range" not in Headers(scope=scope)
        )

    @staticmethod
    def _compressible(headers: Headers, status: int) -> bool:
        return (
            status == 200
            and "content-encoding" not in headers
            and headers.get("content-type", "").startswith(TEXT_TYPES)
            and int(headers.get("content-length", MINIMUM_SIZE)) >= MINIMUM_SIZE
        )

    @staticmethod
    def _key(scope: Scope, headers: Headers) -> tuple[tuple[str, str], bool]:
        """The copy's key (path, validator; no validator: not kept) and whether it lasts (an immutable bundle)."""
        validator = headers.get("etag") or headers.get("last-modified") or ""
        return (scope["path"], validator), "immutable" in headers.get("cache-control", "")

    @staticmethod
    async def _send(start: Message, compressed: bytes, send: Send) -> None:
        await send(start)
        await send({"type": "http.response.body", "body": compressed, "more_body": False})
