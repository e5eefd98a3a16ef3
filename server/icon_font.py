"""Streamlit's icon font cut down to the icons this portal and Streamlit's own interface can show.

Streamlit draws every ``:material/name:`` icon with one font, Material Symbols Rounded: 375 KB on the wire for
about 4,300 icons, fetched by every first visitor as soon as one icon is on screen. The portal shows a few
dozen. This module makes a copy of the font that keeps only the icons named in the portal's code and in
Streamlit's own bundle (the icons its widgets draw by name), with the ligatures that turn a name into its glyph;
``PortalIconFont`` serves it at the font's own hashed address. About 20 KB.

If Streamlit's font is not where this release keeps it, nothing is served here and Streamlit's own file is.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterable
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
FONT_GLOB = "static/media/MaterialSymbols-Rounded.*.woff2"
REPO = Path(__file__).resolve().parents[1]
# Where the portal names icons: the entry script and the packages a page is made of.
CODE = ("app.py", "app_pages", "components", "core", "server")
ICON = re.compile(r":material/([a-z0-9_]+):")

_lock = threading.Lock()


def font_file() -> Path | None:
    """Streamlit's icon font in this release, or None."""
    found = sorted(STATIC.glob(FONT_GLOB))
    return found[0] if len(found) == 1 else None


def font_path() -> str | None:
    """The address Streamlit's pages load the icon font from."""
    found = font_file()
    return "/" + found.relative_to(STATIC).as_posix() if found else None


def _texts(paths: Iterable[Path]) -> Iterable[str]:
    for path in paths:
        yield path.read_text(encoding="utf-8", errors="replace")


def icon_names(repo: Path = REPO) -> frozenset[str]:
    """Every icon named in the portal's code and in Streamlit's bundle."""
    ours = [repo / "app.py"] + [p for part in CODE[1:] for p in (repo / part).glob("*.py")]
    streamlits = (STATIC / "static" / "js").glob("*.js")
    return frozenset(name for text in _texts([*ours, *streamlits]) for name in ICON.findall(text))


def _ligatures(font: TTFont) -> dict[str, str]:
    """Each icon's name and the glyph its ligature turns the name into."""
    letters = {glyph: chr(code) for code, glyph in font.getBestCmap().items()}
    found: dict[str, str] = {}
    for lookup in font["GSUB"].table.LookupList.Lookup:
        for table in lookup.SubTable:
            table = getattr(table, "ExtSubTable", table)  # lookups of type 7 wrap the real one
            for first, ligatures in (getattr(table, "ligatures", None) or {}).items():
                for ligature in ligatures:
                    name = letters.get(first, "") + "".join(letters.get(g, "\0") for g in ligature.Component)
                    found[name] = ligature.LigGlyph
    return found


def cut(font_bytes: bytes, names: Iterable[str]) -> bytes:
    """The font with only the glyphs of ``names`` (and the letters their names are written with), as WOFF2."""
    font = TTFont(BytesIO(font_bytes), recalcTimestamp=False)  # the same bytes from every replica
    ligatures = _ligatures(font)
    wanted = sorted(set(names) & ligatures.keys())
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    # Without closure the subsetter keeps a ligature only when its glyph is kept: every other name stays text.
    options.layout_closure = False
    cutter = subset.Subsetter(options)
    cutter.populate(glyphs=[ligatures[name] for name in wanted], text="".join(sorted(set("".join(wanted)))))
    cutter.subset(font)
    out = BytesIO()
    font.save(out)
    return out.getvalue()


@functools.cache
def _cut_font(path: Path) -> tuple[bytes, str]:
    body = cut(path.read_bytes(), icon_names())
    return body, entity_tag(body)


def portal_font() -> bytes | None:
    """The cut font for this process (made once, about 2 s, on the first request for it)."""
    made = _portal_font_and_tag()
    return made[0] if made is not None else None


def _portal_font_and_tag() -> tuple[bytes, str] | None:
    path = font_file()
    if path is None:
        return None
    with _lock:
        return _cut_font(path)


class PortalIconFont:
    """Answers the address of Streamlit's icon font with the portal's cut of it (``server.icon_font``).

    A middleware, not a route: Streamlit keeps every path under /static/ for its own files. It sends an ETag (the
    cut's hash: the same on every replica, new when the icons in use change) so that a reader who has the font
    gets a 304 from ``server.conditional.ConditionalRequests`` instead of the file again.
    """

    def __init__(self, app: ASGIApp, path: str | None = None) -> None:
        self.app = app
        self.path = path if path is not None else font_path()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD") or scope["path"] != self.path:
            await self.app(scope, receive, send)
            return
        made = await run_in_threadpool(_portal_font_and_tag)  # made once, in about 2 s: never on the event loop
        if made is None:
            await self.app(scope, receive, send)
            return
        body, etag = made
        # The address carries the font's hash, like every Streamlit asset: kept as long as Streamlit's own.
        headers = {"Cache-Control": "public, immutable, max-age=31536000", "ETag": etag}
        await Response(body, media_type="font/woff2", headers=headers)(scope, receive, send)
