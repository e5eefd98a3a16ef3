"""The portal's own HTTP routes and middleware, served by Streamlit's server through ``st.App`` (app.py).

- every public URL (``/``, ``/program``, ``/peta``...) answered with HTML that already says what the page says
  (``core.page_summary`` written into Streamlit's own page shell by ``core.page_html``): crawlers, link previews
  and a slow phone read the figures before the app has loaded; the app then loads at the same URL as ever;
- ``/robots.txt`` and ``/sitemap.xml`` for search engines (``core.sitemap``), from the published data;
- Streamlit's icon font cut down to the icons the portal can show (``server.icon_font``): 375 KB to about 20;
- ``/admin/sesi`` and ``/admin/keluar``: set and clear the signed-in admin's session cookie (HttpOnly, which a
  script run over the websocket cannot set; ``core.admin_session``);
- ``/riwayat.atom``: the Atom feed of published changes (``core.atom_feed``), for newsrooms' feed readers; a
  browser opening the address gets the same entries as a page saying what a feed is for (``core.feed_page``);
- compression of text (Streamlit's bundles and CSS, the page HTML, the open-data CSV/JSON), which Streamlit's
  own gzip middleware leaves out: each asset is compressed once and kept while it is unchanged.

Handlers are plain functions: Starlette runs them in its thread pool, so a store read never blocks the
event loop the websockets share.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import streamlit
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from streamlit import config as streamlit_config

from core.admin_session import COOKIE_NAME, END_PATH, START_PATH, TICKET_PARAMETER, cookie_path, cookie_secure
from core.atom_feed import FEED_PATH, MEDIA_TYPE, Site, atom_xml, feed_entries
from core.dataset_jsonld import dataset, script_tag
from core.feed_page import CONTENT_SECURITY_POLICY, feed_page_html
from core.formatting import escape_markdown
from core.i18n import t
from core.page_html import PageUrls, backend_address, render_page
from core.page_summary import PageSummary, home_summary, page_summary, program_summary
from core.sitemap import ProgramRead, entries, page_path, robots_txt, sitemap_xml
from core.streamlit_words import TRANSLATION_SCRIPT
from core.text import DEFAULT_LANGUAGE, LANGUAGES
from core.wilayah import city_today
from data_sources.files.map_picture import site_picture
from data_sources.files.share_images import city_chart, index_svg, png, program_chart, progress_picture, svg
from data_sources.jobs.publish_open_data import read_index
from data_sources.published.map_data import program_sites
from data_sources.published.published_data import Overview
from data_sources.published.stored_history import load_history
from server.icon_font import font_path, portal_font
from server.portal import Portal, get_portal

# Streamlit's own page shell: its scripts, styles and root element; the portal adds its head and first paint.
SHELL = Path(streamlit.__file__).parent / "static" / "index.html"

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


def base_url(request: Request, portal: Portal) -> str:
    """The portal's public address: ``[open_data] public_url``, else the address this request came to."""
    configured = portal.config.open_data.public_url
    return configured.rstrip("/") if configured else str(request.base_url).rstrip("/")


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

    body = portal.remember(("sitemap", base_url(request, portal)), build, overview.sources)
    return Response(body, media_type="application/xml")


def _tagged(request: Request, body: bytes, media_type: str, headers: dict[str, str] | None = None) -> Response:
    """A body that changes only with the published data, with its ETag: a 304 when the reader has it already.

    The compressed copy's tag (``…-gzip"``, TextAssetCompression) names the same data, so it is accepted too.
    """
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    if request.headers.get("if-none-match") in (etag, etag[:-1] + '-gzip"'):
        return Response(status_code=304, headers={"ETag": etag, **(headers or {})})
    # Built anew when the data change (a new snapshot set, a new tag); a bot or a feed reader may keep it a while.
    kept = {"ETag": etag, "Cache-Control": "public, max-age=300", **(headers or {})}
    return Response(body, media_type=media_type, headers=kept)


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
    lang = _language(request)
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
        )

    def build() -> bytes:
        # Nothing published yet: the feed is as new as the sources' last reading (or this moment).
        read = [s.read_at for s in overview.sources if s.read_at is not None]
        empty = max(read, default=datetime.now(UTC))
        return atom_xml(found, site(), lang, empty)

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
        return _tagged(request, page, "text/html; charset=utf-8", headers)
    body = portal.remember(("atom_feed", base, lang), build, overview.sources, shelf="atom_feed")
    return _tagged(request, body, f"{MEDIA_TYPE}; charset=utf-8", FEED_VARY)


@functools.cache
def shell() -> str:
    """Streamlit's page shell, with the script that puts Streamlit's own English words into Indonesian on an
    Indonesian page (``core.streamlit_words``, issue #26 item 12)."""
    return SHELL.read_text(encoding="utf-8").replace("</head>", TRANSLATION_SCRIPT + "</head>", 1)


def plain_page(request: Request) -> Response:
    """A page with no summary of its own (the preview, the admin page): the shell only, never indexed."""
    return HTMLResponse(shell(), headers={"Cache-Control": "no-cache", "X-Robots-Tag": "noindex"})


def _language(request: Request) -> str:
    asked = request.query_params.get("lang", DEFAULT_LANGUAGE)
    return asked if asked in LANGUAGES else DEFAULT_LANGUAGE


def _simple(name_key: str, intro_key: str) -> Callable[[Portal, Overview, Request, str], tuple[PageSummary, int]]:
    """A page whose first screen is its title and introduction."""

    def summarise(portal: Portal, overview: Overview, request: Request, lang: str) -> tuple[PageSummary, int]:
        title = portal.config.title
        return page_summary(t(name_key, lang), t(intro_key, lang), overview.sources, title, lang), 200

    return summarise


def _home(portal: Portal, overview: Overview, request: Request, lang: str) -> tuple[PageSummary, int]:
    return home_summary(overview.progress, overview.sources, portal.config.title, lang), 200


def _program(portal: Portal, overview: Overview, request: Request, lang: str) -> tuple[PageSummary, int]:
    item = overview.program(request.query_params.get("program", ""))
    if item is None:  # the list of programs to choose from; a 404 for crawlers when the asked one does not exist
        summary = home_summary(overview.progress, overview.sources, portal.config.title, lang)
        title = f"{t('program.title', lang)} · {portal.config.title.get(lang)}"
        status = 404 if "program" in request.query_params else 200
        return PageSummary(**{**summary.__dict__, "title": title, "heading": t("program.choose", lang)}), status
    sample = portal.config.has_sample_sources
    return program_summary(item, overview.program_source.get(item.code), portal.config.title, lang, sample), 200


def _survey(portal: Portal, overview: Overview, request: Request, lang: str) -> tuple[PageSummary, int]:
    questionnaire = portal.feedback.questionnaire
    # The questionnaire's words are configuration text: shown as written, never as markup.
    intro = escape_markdown(questionnaire.intro.get(lang))
    return page_summary(questionnaire.title.get(lang), intro, overview.sources, portal.config.title, lang), 200


# Each public URL path and how its first screen is summarised (the paths app.py gives the pages).
PAGES: dict[str, Callable[[Portal, Overview, Request, str], tuple[PageSummary, int]]] = {
    "/": _home,
    "/program": _program,
    "/peta": _simple("map.title", "map.intro"),
    "/riwayat": _simple("history.title", "history.intro"),
    "/survei": _survey,
    "/hasil-survei": _simple("survey_results.title", "survey_results.intro"),
    "/kesehatan-data": _simple("health.title", "health.intro"),
    "/tentang": _simple("about.title", "about.what"),
}


def _urls(request: Request, base: str, lang: str, image: str | None = None) -> PageUrls:
    # The view's own parameters (program, map filters) stay in its address; the language is the alternate's.
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    alternates = tuple((other, base + page_path(request.url.path, other, params)) for other in LANGUAGES)
    feed = base + page_path(FEED_PATH, lang)
    return PageUrls(canonical=dict(alternates)[lang], alternates=alternates, image=image, feed=feed)


# The link previews' pictures (Open Graph, 1200 x 630): the city summary, and one per program.
HOME_IMAGE = "/og/beranda.png"
PROGRAM_IMAGE = "/og/program.png"


def _image_url(path: str, base: str, overview: Overview, request: Request, lang: str) -> str | None:
    if path == "/":
        return base + page_path(HOME_IMAGE, lang)
    code = request.query_params.get("program", "")
    if path == "/program" and overview.program(code) is not None:
        return base + page_path(PROGRAM_IMAGE, lang, [("program", code)])
    return None


def share_image(request: Request) -> Response:
    """A page's link-preview picture, drawn from the published data once per snapshot set, then kept."""
    portal = get_portal()
    overview = portal.overview()
    lang = _language(request)
    sample = portal.config.has_sample_sources
    if request.url.path == HOME_IMAGE:
        key: tuple[str, ...] = ("share_image", "home", lang)

        def draw() -> bytes:
            summary = home_summary(overview.progress, overview.sources, portal.config.title, lang)
            return png(city_chart(summary, sample, lang))
    else:
        item = overview.program(request.query_params.get("program", ""))
        if item is None:
            return PlainTextResponse("program tidak dikenal / unknown program", status_code=404)
        key = ("share_image", item.code, lang)

        def draw() -> bytes:
            source = overview.program_source.get(item.code)
            summary = program_summary(item, source, portal.config.title, lang, sample)
            return png(program_chart(summary.programs[0], sample, lang))

    body = portal.remember(key, draw, overview.sources, shelf="share_image")
    return _tagged(request, body, "image/png")


# The home page's two charts, as pictures drawn on the server (no chart engine on the page most residents open).
PROGRESS_PICTURE = "/grafik/kemajuan.svg"
INDEX_PICTURE = "/grafik/indeks.svg"


def page_picture(request: Request) -> Response:
    """A chart of the home page as SVG: progress per program (drawn once per snapshot set, day and language),
    or the fixed Smart City index. An address of its own, so the picture is compressed and kept by the browser
    instead of travelling inside every reader's websocket."""
    lang = _language(request)
    if request.url.path == INDEX_PICTURE:
        return _tagged(request, index_svg(lang).encode("utf-8"), "image/svg+xml")
    portal = get_portal()
    overview = portal.overview()

    def draw() -> bytes:
        summary = home_summary(overview.progress, overview.sources, portal.config.title, lang)
        return svg(progress_picture(summary, lang)).encode("utf-8")

    today = city_today(datetime.now(UTC))
    return _tagged(request, portal.remember(("progress_svg", today, lang), draw, overview.sources), "image/svg+xml")


# A program's sites as a picture (the program page): the interactive map, with its details, is on /peta.
SITES_PICTURE = "/grafik/peta.svg"


def sites_picture(request: Request) -> Response:
    """One program's sites on the city's map, as SVG, drawn once per snapshot set, program and language."""
    portal = get_portal()
    overview = portal.overview()
    lang = _language(request)
    item = overview.program(request.query_params.get("program", ""))
    view = None if item is None else program_sites(portal, item.code)
    if view is None or not (view.matching_sites or view.matching_homes):
        return PlainTextResponse("program tanpa lokasi / no such program with sites", status_code=404)

    def draw() -> bytes:
        return svg(site_picture(view, lang)).encode("utf-8")

    body = portal.remember(("sites_svg", item.code, lang), draw, overview.sources, shelf="share_image")
    return _tagged(request, body, "image/svg+xml")


# The pages that describe the open-data files to dataset search: the home page, and "about" which explains them.
DATASET_PAGES = ("/", "/tentang")
# Pages without a summary, served from the same shell so Streamlit's words are Indonesian there too.
PLAIN_PAGES = ("/pratinjau", "/admin")


def _dataset_tag(portal: Portal, overview: Overview, base: str, lang: str) -> str:
    """The open-data files as a schema.org Dataset, from the index.json they were published with (none: empty)."""
    index = read_index(portal.config.open_data_folder) if portal.config.open_data.enabled else None
    if index is None:
        return ""
    days = [r["tanggal"] for r in overview.reports if r.get("tanggal")]
    period = (min(days), max(days)) if days else None
    return script_tag(dataset(index, base, lang, period, portal.config.has_sample_sources))


def page(request: Request) -> Response:
    """A public page's HTML: its head and first paint from the published data, then Streamlit's app."""
    portal = get_portal()
    overview = portal.overview()
    lang = _language(request)
    base = base_url(request, portal)
    path = request.url.path
    if path == "/kesehatan-data" and not portal.config.health.public:
        return HTMLResponse(shell(), headers={"Cache-Control": "no-cache"})  # behind the password: say nothing

    def build() -> tuple[str, int]:
        summary, status = PAGES[path](portal, overview, request, lang)
        links = {item.code: page_path("/program", lang, [("program", item.code)]) for item in overview.progress}
        site = portal.config.title.get(lang)
        extra = [backend_address(str(streamlit_config.get_option("server.baseUrlPath") or ""))]
        extra += [_dataset_tag(portal, overview, base, lang)] if path in DATASET_PAGES else []
        urls = _urls(request, base, lang, _image_url(path, base, overview, request, lang))
        page = render_page(shell(), summary, urls, site, links, path == "/program", extra)
        return page, status

    key = ("page_html", path, tuple(request.query_params.multi_items()), base)
    body, status = portal.remember(key, build, overview.sources, shelf="page_html")
    return HTMLResponse(body, status_code=status, headers={"Cache-Control": "no-cache"})


def admin_session_start(request: Request) -> Response:
    """The one-time ticket the admin page drew, exchanged for the session cookie (core/admin_session.py).

    A ticket unknown, used or older than a minute gets 403 and no cookie. Never cached, never indexed.
    """
    headers = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex"}
    ticket = request.query_params.get(TICKET_PARAMETER, "")
    redeemed = get_portal().admin_sessions.redeem(ticket, datetime.now(UTC)) if ticket else None
    if redeemed is None:
        return Response(status_code=403, headers=headers)
    token, ends = redeemed
    response = Response(status_code=204, headers=headers)
    response.set_cookie(
        COOKIE_NAME,
        token,
        max_age=max(0, int((ends - datetime.now(UTC)).total_seconds())),
        expires=ends,
        path=cookie_path(_base_url_path()),
        secure=cookie_secure(request.url.scheme, request.headers.get("x-forwarded-proto")),
        httponly=True,
        samesite="strict",
    )
    return response


def admin_session_end(request: Request) -> Response:
    """Clears the cookie in this browser; the sign-out has already ended the session in the store."""
    response = Response(status_code=204, headers={"Cache-Control": "no-store", "X-Robots-Tag": "noindex"})
    secure = cookie_secure(request.url.scheme, request.headers.get("x-forwarded-proto"))
    path = cookie_path(_base_url_path())
    response.delete_cookie(COOKIE_NAME, path=path, secure=secure, httponly=True, samesite="strict")
    return response


def _base_url_path() -> str:
    return str(streamlit_config.get_option("server.baseUrlPath") or "")


def routes() -> list[BaseRoute]:
    pages: list[BaseRoute] = [Route(path, page) for path in PAGES]
    images: list[BaseRoute] = [Route(HOME_IMAGE, share_image), Route(PROGRAM_IMAGE, share_image)]
    images += [Route(PROGRESS_PICTURE, page_picture), Route(INDEX_PICTURE, page_picture)]
    images += [Route(SITES_PICTURE, sites_picture)]
    search = [Route("/robots.txt", robots), Route("/sitemap.xml", sitemap), Route(FEED_PATH, atom_feed)]
    admin = [Route(START_PATH, admin_session_start), Route(END_PATH, admin_session_end)]
    admin += [Route(path, plain_page) for path in PLAIN_PAGES]
    return [*pages, *images, *search, *admin]


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


class PortalIconFont:
    """Answers the address of Streamlit's icon font with the portal's cut of it (``server.icon_font``).

    A middleware, not a route: Streamlit keeps every path under /static/ for its own files.
    """

    def __init__(self, app: ASGIApp, path: str | None = None) -> None:
        self.app = app
        self.path = path if path is not None else font_path()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD") or scope["path"] != self.path:
            await self.app(scope, receive, send)
            return
        body = await run_in_threadpool(portal_font)  # made once, in about 2 s: never on the event loop
        if body is None:
            await self.app(scope, receive, send)
            return
        # The address carries the font's hash, like every Streamlit asset: kept as long as Streamlit's own.
        headers = {"Cache-Control": "public, immutable, max-age=31536000"}
        await Response(body, media_type="font/woff2", headers=headers)(scope, receive, send)


def middleware() -> Sequence[Middleware]:
    return [Middleware(PortalIconFont), Middleware(TextAssetCompression)]
