"""Streamlit's text fonts cut down to the letters the portal's pages are written in.

Streamlit draws its text in Source Sans (and code in Source Code Pro): variable fonts with Latin, Greek, Cyrillic
and Vietnamese, 171 KB on the wire for the upright Source Sans alone, which every first visitor fetches (the page
preloads it): a fifth of the first view of ``/`` and close to a second of a slow phone's connection before the
app's title (issue 23). Indonesian and English need the Latin letters. This module makes a copy of each font that
keeps Basic Latin, Latin-1, Latin Extended-A, general punctuation, the currency signs, arrows and the mathematical
operators, with every weight (the ``wght`` axis), kerning and the other layout features, and
``PortalTextFonts`` serves it at the font's own hashed address: about 57 KB for the upright Source Sans. The layouts
stay as the browser tests check them, in the same font with the same widths. A letter outside the cut (a Cyrillic
name in a sheet) is drawn by the browser in the device's own font, letter by letter, as for any letter the full
font lacks.

The copies are made once per process, in a thread started with the server (about 1.5 s a font), so that no reader
waits for one; a request that comes first waits for its own font only. If a font is not where this release keeps
it, nothing is served here and Streamlit's own file is.
"""

from __future__ import annotations

import functools
import threading
from io import BytesIO
from pathlib import Path

import streamlit
from fontTools import subset
from fontTools.ttLib import TTFont
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from server.conditional import entity_tag

STATIC = Path(streamlit.__file__).parent / "static"
FONT_GLOB = "static/media/Source*VF-*.woff2"
# What the cut keeps, by code point.
KEPT_RANGES = (
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x017F),  # Latin-1 Supplement and Latin Extended-A: é, ü, ×, °, « », NBSP
    (0x2000, 0x206F),  # general punctuation: – — ‘ ’ “ ” • … ‰, the word joiner escape_markdown writes
    (0x20A0, 0x20C0),  # currency signs
    (0x2190, 0x21FF),  # arrows
    (0x2200, 0x22FF),  # mathematical operators: − ≤ ≥ ≈
)

_lock = threading.Lock()


def kept_code_points() -> list[int]:
    return [code for first, last in KEPT_RANGES for code in range(first, last + 1)]


@functools.cache
def font_files() -> dict[str, Path]:
    """Each of Streamlit's text fonts in this release, by the address its pages load it from: read once (fixed for
    a release), not a folder listing per font request."""
    return {"/" + path.relative_to(STATIC).as_posix(): path for path in sorted(STATIC.glob(FONT_GLOB))}


def cut(font_bytes: bytes) -> bytes:
    """The font with only the code points of ``KEPT_RANGES`` (every weight, its layout features), as WOFF2."""
    font = TTFont(BytesIO(font_bytes), recalcTimestamp=False)  # the same bytes from every replica
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    cutter = subset.Subsetter(options)
    cutter.populate(unicodes=kept_code_points())
    cutter.subset(font)
    out = BytesIO()
    font.save(out)
    return out.getvalue()


@functools.cache
def _cut_font(path: Path) -> tuple[bytes, str]:
    body = cut(path.read_bytes())
    return body, entity_tag(body)


def cut_font(address: str) -> tuple[bytes, str] | None:
    """The cut of the font Streamlit's pages load from ``address`` (made once per process), and its ETag."""
    path = font_files().get(address)
    if path is None:
        return None
    with _lock:
        return _cut_font(path)


def make_all() -> None:
    """Every text font's cut, one after another (the server's start-up thread): the upright Source Sans first, the
    font every page preloads."""
    for address in sorted(font_files(), key=lambda a: ("SourceSans" not in a, "Upright" not in a, a)):
        cut_font(address)


class PortalTextFonts:
    """Answers the addresses of Streamlit's text fonts with the portal's cuts of them (``server.text_font``).

    A middleware, not a route: Streamlit keeps every path under /static/ for its own files. It sends an ETag (the
    cut's hash: the same on every replica) so that a reader who has the font gets a 304 from
    ``server.conditional.ConditionalRequests`` instead of the file again.
    """

    def __init__(self, app: ASGIApp, warm: bool = True) -> None:
        self.app = app
        self.addresses = frozenset(font_files())
        if warm:
            threading.Thread(target=make_all, name="text-font-cuts", daemon=True).start()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD") or scope["path"] not in self.addresses:
            await self.app(scope, receive, send)
            return
        made = await run_in_threadpool(cut_font, scope["path"])  # never on the event loop
        if made is None:
            await self.app(scope, receive, send)
            return
        body, etag = made
        # The address carries the font's hash, like every Streamlit asset: kept as long as Streamlit's own.
        headers = {"Cache-Control": "public, immutable, max-age=31536000", "ETag": etag}
        await Response(body, media_type="font/woff2", headers=headers)(scope, receive, send)
