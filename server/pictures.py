"""Pictures drawn on the server from the published data: the link previews' PNGs (Open Graph, 1200 x 630), the
home page's two charts and a program's sites as SVG. Each has an address of its own, so it is compressed and kept
by the browser instead of travelling inside every reader's websocket."""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from core.page_params import known_values, map_filter, page_view
from core.page_summary import home_summary, program_summary
from core.wilayah import city_today
from data_sources.files.map_picture import site_picture
from data_sources.files.share_images import city_chart, index_svg, png, program_chart, progress_picture, svg
from data_sources.published.map_data import filtered_view, map_data, program_sites
from server.conditional import tagged
from server.portal import get_portal
from server.site_address import request_language

# The link previews' pictures (Open Graph, 1200 x 630): the city summary, and one per program.
HOME_IMAGE = "/og/beranda.png"
PROGRAM_IMAGE = "/og/program.png"


def share_image(request: Request) -> Response:
    """A page's link-preview picture, drawn from the published data once per snapshot set, then kept."""
    portal = get_portal()
    overview = portal.overview()
    lang = request_language(request)
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
    return tagged(request, body, "image/png")


# The home page's two charts, as pictures drawn on the server (no chart engine on the page most residents open).
PROGRESS_PICTURE = "/grafik/kemajuan.svg"
INDEX_PICTURE = "/grafik/indeks.svg"


def page_picture(request: Request) -> Response:
    """A chart of the home page as SVG: progress per program (drawn once per snapshot set, day and language),
    or the fixed Smart City index."""
    lang = request_language(request)
    if request.url.path == INDEX_PICTURE:
        return tagged(request, index_svg(lang).encode("utf-8"), "image/svg+xml")
    portal = get_portal()
    overview = portal.overview()

    def draw() -> bytes:
        summary = home_summary(overview.progress, overview.sources, portal.config.title, lang)
        return svg(progress_picture(summary, lang)).encode("utf-8")

    today = city_today(datetime.now(UTC))
    return tagged(request, portal.remember(("progress_svg", today, lang), draw, overview.sources), "image/svg+xml")


# A program's sites as a picture (the program page): the interactive map, with its details, is on /peta.
SITES_PICTURE = "/grafik/peta.svg"


def sites_picture(request: Request) -> Response:
    """One program's sites on the city's map, as SVG, drawn once per snapshot set, program and language."""
    portal = get_portal()
    overview = portal.overview()
    lang = request_language(request)
    item = overview.program(request.query_params.get("program", ""))
    view = None if item is None else program_sites(portal, item.code)
    if view is None or not (view.matching_sites or view.matching_homes):
        return PlainTextResponse("program tanpa lokasi / no such program with sites", status_code=404)

    def draw() -> bytes:
        return svg(site_picture(view, lang)).encode("utf-8")

    body = portal.remember(("sites_svg", item.code, lang), draw, overview.sources, shelf="share_image")
    return tagged(request, body, "image/svg+xml")


# The map page's view as a picture (/peta, issue 23): the same filters as the page's address, so the reader sees the
# map at once and deck.gl loads only when asked for. Only the page's known filter values count (core.page_params):
# one picture per canonical filter set, data and language, whatever else an address carries.
MAP_PICTURE = "/grafik/peta-kota.svg"
MAP_PATH = "/peta"


def map_picture(request: Request) -> Response:
    """The sites of /peta's filters on the city's map, as SVG (the page's address's filters, canonical)."""
    portal = get_portal()
    overview = portal.overview()
    lang = request_language(request)
    known = known_values(MAP_PATH, [item.code for item in overview.progress], [])
    view = page_view(MAP_PATH, request.query_params.multi_items(), known)

    def draw() -> bytes:
        sites = filtered_view(portal, map_data(portal), map_filter(view))
        return svg(site_picture(sites, lang)).encode("utf-8")

    body = portal.remember(("map_svg", view.params, lang), draw, overview.sources, shelf="map_picture")
    return tagged(request, body, "image/svg+xml")
