"""What machines read to follow the portal: ``/robots.txt`` and ``/sitemap.xml`` for search engines
(``core.sitemap``), and ``/riwayat.atom``, the Atom feed of published changes for newsrooms' feed readers
(``core.atom_feed``); a browser opening the feed's address gets the same entries as a page saying what a feed is
for (``core.feed_page``)."""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from core.atom_feed import MEDIA_TYPE, Site, atom_xml, feed_entries
from core.feed_page import feed_page_html
from core.plain_page import CONTENT_SECURITY_POLICY
from core.site_base import tag_authority
from core.sitemap import ProgramRead, entries, robots_txt, sitemap_xml
from data_sources.published.log_witness import sync_checkpoints
from data_sources.published.stored_history import load_history
from server.conditional import tagged
from server.portal import get_portal
from server.site_address import base_url, request_language


def robots(request: Request) -> Response:
    return PlainTextResponse(robots_txt(base_url(request, get_portal())))


def sitemap(request: Request) -> Response:
    portal = get_portal()
    overview = portal.overview()

    def build() -> bytes:
        programs = [
            ProgramRead(item.code, source.read_at if (source := overview.program_source.get(item.code)) else None)
            for item in overview.progress
        ]
        return sitemap_xml(base_url(request, portal), entries(programs, portal.config.health.public))

    # On a shelf of its own: one sitemap per allowed address, which never pushes the charts or the feed out.
    body = portal.remember(("sitemap", base_url(request, portal)), build, overview.sources, shelf="sitemap")
    return Response(body, media_type="application/xml")


def _browser_opens_it(request: Request) -> bool:
    """A browser's own navigation to the address (typed, a link followed): every current browser says so in
    Sec-Fetch-Dest and Sec-Fetch-Mode, which a feed reader, a script or a browser's fetch() never send."""
    return request.headers.get("sec-fetch-dest") == "document" and request.headers.get("sec-fetch-mode") == "navigate"


# The feed's address answers a browser's navigation with a page and anything else with the Atom: a cache keeps both.
FEED_VARY = {"Vary": "Sec-Fetch-Dest, Sec-Fetch-Mode"}


def atom_feed(request: Request) -> Response:
    """The Atom feed of published changes, built once per snapshot set, address and language."""
    portal = get_portal()
    overview = portal.overview()
    lang = request_language(request)
    base = base_url(request, portal)

    def site() -> Site:
        config = portal.config
        return Site(
            base,
            config.title,
            config.open_data.publisher,
            config.portal.contact,
            config.portal.licence,
            config.has_sample_sources,
            # The entries' ids name the configured address only: the same whatever Host a reader sent.
            tag_authority(config.open_data.public_url),
        )

    def build() -> bytes:
        # Nothing published yet: the feed is as new as the sources' last reading (or this moment).
        read = [s.read_at for s in overview.sources if s.read_at is not None]
        empty = max(read, default=datetime.now(UTC))
        checkpoints = sync_checkpoints(portal.store, [entry.snapshot.id for entry in found])
        return atom_xml(found, site(), lang, empty, checkpoints)

    # What changed is worked out once per snapshot set; each address and language only writes it out.
    found = portal.remember(
        ("atom_entries",), lambda: tuple(feed_entries(load_history(portal.store, portal.memo))), overview.sources
    )
    if _browser_opens_it(request):
        # Someone opened the feed's link: a page saying what a feed is for, with the same entries (core.feed_page).
        page = portal.remember(
            ("atom_feed_page", base, lang),
            lambda: feed_page_html(found, site(), lang).encode("utf-8"),
            overview.sources,
            shelf="atom_feed",
        )
        headers = {**FEED_VARY, "Content-Security-Policy": CONTENT_SECURITY_POLICY}
        return tagged(request, page, "text/html; charset=utf-8", headers)
    # A checkpoint signed after the snapshots were (at start-up, or once a key is configured) adds its lines: the
    # latest checkpoint's size is part of what the feed is made from.
    latest = portal.store.log.latest_checkpoint()
    signed = latest.size if latest is not None else 0
    body = portal.remember(("atom_feed", base, lang, signed), build, overview.sources, shelf="atom_feed")
    return tagged(request, body, f"{MEDIA_TYPE}; charset=utf-8", FEED_VARY)
