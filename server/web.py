"""The portal's own HTTP routes and middleware, served by Streamlit's server through ``st.App`` (app.py).

One module per concern, each with its own docstring:

- ``server.pages``: every public URL answered with HTML that already says what the page says;
- ``server.pictures``: link-preview PNGs and the charts and site maps drawn as SVG;
- ``server.embeds``: the embeds (``/embed``, ``/embed/program``) other sites frame, and their oEmbed answer;
- ``server.basemap``: the basemap the portal serves itself (its style and the vector tiles of the city's archive);
- ``server.feeds``: ``/robots.txt``, ``/sitemap.xml`` and the Atom feed of published changes;
- ``server.admin_routes``: the admin's session cookie, set and cleared;
- ``server.log_routes``: ``/log/…``, the signed log of published snapshots, its entries and proofs (issue 24);
- ``server.icon_font``: Streamlit's icon font cut down to the portal's icons (375 KB to about 20);
- ``server.text_font``: Streamlit's text fonts cut down to the Latin letters the pages are written in (171 KB to 57);
- ``server.compression``: gzip for the text Streamlit's own middleware leaves out;
- ``server.static_assets``: a 404 for a missing file under ``/static/`` (Streamlit answers its page);
- ``server.not_found``: the portal's own 404 page for any other address it does not serve (Streamlit answers its
  page and a 200);
- ``server.conditional``: the 304 for a reader who has a response already, made from that response's headers.
- ``server.internal_endpoints``: Streamlit's ``/_stcore/metrics`` for this machine only;
- ``server.security_headers``: the frame policy, Content-Security-Policy and the other security headers.

``server.tcp_nodelay`` is not a route: app.py gives it to ``st.App`` as its lifespan (Nagle's algorithm off).

Handlers are plain functions: Starlette runs them in its thread pool, so a store read never blocks the
event loop the websockets share.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Sequence

from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Route

from core.admin_session import END_PATH, START_PATH
from core.atom_feed import FEED_PATH
from core.basemap_style import STYLE_PATH, TILE_ROUTE
from core.embed_html import EMBED_PATH, EMBED_PROGRAM_PATH
from core.oembed import OEMBED_PATH
from server.admin_routes import admin_session_end, admin_session_start
from server.basemap import basemap_style_document, basemap_tile
from server.compression import TextAssetCompression
from server.conditional import ConditionalRequests
from server.embeds import embed, oembed
from server.feeds import atom_feed, robots, sitemap
from server.icon_font import PortalIconFont
from server.internal_endpoints import LoopbackOnly
from server.log_routes import ROUTES as LOG_ROUTES
from server.not_found import UnknownPaths
from server.pages import PAGES, PLAIN_PAGES, page, plain_page
from server.pictures import (
    HOME_IMAGE,
    INDEX_PICTURE,
    MAP_PICTURE,
    PROGRAM_IMAGE,
    PROGRESS_PICTURE,
    S_CURVE_PICTURE,
    SITES_PICTURE,
    VERSIONS_PICTURE,
    map_picture,
    page_picture,
    s_curve_svg,
    share_image,
    sites_picture,
    versions_svg,
)
from server.security_headers import SecurityHeaders
from server.static_assets import StreamlitAssets
from server.text_font import PortalTextFonts

# The open-data files' own types, for the static server (Streamlit's /app/static/ answers with the type Python's
# mimetypes guesses): Python 3.11 knows no .geojson, only a machine's /etc/mime.types may, so a server without
# that file would send lokasi.geojson as application/octet-stream, a download rather than data (RFC 7946 §12).
MEDIA_TYPES = {".geojson": "application/geo+json"}


def register_media_types() -> None:
    for suffix, media_type in MEDIA_TYPES.items():
        mimetypes.add_type(media_type, suffix)


def routes() -> list[BaseRoute]:
    register_media_types()  # before the server starts answering: routes() is called once, where app.py builds it
    pages: list[BaseRoute] = [Route(path, page) for path in PAGES]
    images: list[BaseRoute] = [Route(HOME_IMAGE, share_image), Route(PROGRAM_IMAGE, share_image)]
    images += [Route(PROGRESS_PICTURE, page_picture), Route(INDEX_PICTURE, page_picture)]
    images += [Route(SITES_PICTURE, sites_picture)]
    images += [Route(MAP_PICTURE, map_picture)]
    images += [Route(S_CURVE_PICTURE, s_curve_svg)]
    images += [Route(VERSIONS_PICTURE, versions_svg)]
    search = [Route("/robots.txt", robots), Route("/sitemap.xml", sitemap), Route(FEED_PATH, atom_feed)]
    admin = [Route(START_PATH, admin_session_start), Route(END_PATH, admin_session_end)]
    admin += [Route(path, plain_page) for path in PLAIN_PAGES]
    embeds = [Route(EMBED_PATH, embed), Route(EMBED_PROGRAM_PATH, embed), Route(OEMBED_PATH, oembed)]
    basemap = [Route(STYLE_PATH, basemap_style_document), Route(TILE_ROUTE, basemap_tile)]
    log = [Route(path, endpoint) for path, endpoint in LOG_ROUTES.items()]
    return [*pages, *images, *search, *admin, *embeds, *basemap, *log]


def middleware() -> Sequence[Middleware]:
    """Outermost first. The 304s are decided last, on the finished response (its gzip tag, Vary, Cache-Control and
    security headers included); compression sees the finished response; the security headers go on every response
    (a missing /static/ file's 404, the 404 page, the internal endpoints' refusals and the cut fonts too) and read a
    page before it is compressed; a missing /static/ file is turned away before anything reads it, and an address
    nothing serves gets the 404 page before Streamlit's fallback would answer it with the app."""
    return [
        Middleware(ConditionalRequests),
        Middleware(TextAssetCompression),
        Middleware(SecurityHeaders),
        Middleware(StreamlitAssets),
        Middleware(UnknownPaths),
        Middleware(LoopbackOnly),
        Middleware(PortalIconFont),
        Middleware(PortalTextFonts),
    ]
