"""Pictures drawn on the server from the published data: the link previews' PNGs (Open Graph, 1200 x 630), the
home page's two charts, a program's sites, its S-curve and its realisation per published version as SVG. Each has
an address of its own, so it is compressed and kept by the browser instead of travelling inside every reader's
websocket."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from core.formatting import long_date
from core.i18n import t
from core.page_params import known_values, map_filter, page_view
from core.page_summary import home_summary, program_summary
from core.snapshot_history import city_day
from core.wilayah import city_today
from data_sources.files.map_picture import site_picture
from data_sources.files.share_images import (
    city_chart,
    index_svg,
    png,
    program_chart,
    progress_picture,
    s_curve_picture,
    svg,
    versions_picture,
)
from data_sources.published.map_data import filtered_view, map_data, program_sites
from data_sources.published.published_data import Overview
from data_sources.published.stored_history import load_history
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


def _kept_svg(
    request: Request, overview: Overview, key: tuple[object, ...], draw: Callable[[], str], shelf: str = "share_image"
) -> Response:
    """An SVG drawn from ``overview`` once per published data and ``key`` (which names the picture, its view and
    language), then kept; its ETag answers a reader who has it with a 304."""
    body = get_portal().remember(key, lambda: draw().encode("utf-8"), overview.sources, shelf=shelf)
    return tagged(request, body, "image/svg+xml")


# A program's sites as a picture (the program page): the interactive map, with its details, is on /peta.
SITES_PICTURE = "/grafik/peta.svg"


def sites_picture(request: Request) -> Response:
    """One program's sites on the city's map, as SVG, drawn once per snapshot set, program and language."""
    portal = get_portal()
    overview = portal.overview()
    lang = request_language(request)
    item = overview.program(request.query_params.get("program", ""))
    view = None if item is None else program_sites(portal, item.code)
    if item is None or view is None or not (view.matching_sites or view.matching_homes):
        return PlainTextResponse("program tanpa lokasi / no such program with sites", status_code=404)
    return _kept_svg(request, overview, ("sites_svg", item.code, lang), lambda: svg(site_picture(view, lang)))


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

    def draw() -> str:
        return svg(site_picture(filtered_view(portal, map_data(portal), map_filter(view)), lang))

    return _kept_svg(request, overview, ("map_svg", view.params, lang), draw, shelf="map_picture")


# A program's S-curve (the program page) and its realisation per published version (/riwayat): the pictures shown
# first, so that Plotly (1.4 MB on the wire, seconds of a phone's processor) loads only for a reader who asks for
# the interactive chart.
S_CURVE_PICTURE = "/grafik/kurva-s.svg"
VERSIONS_PICTURE = "/grafik/riwayat.svg"


def s_curve_svg(request: Request) -> Response:
    """One program's S-curve as SVG, drawn once per snapshot set, program and language."""
    overview = get_portal().overview()
    lang = request_language(request)
    item = overview.program(request.query_params.get("program", ""))
    reports = overview.reports_of(item.code) if item is not None else []
    if item is None or not reports:
        return PlainTextResponse("program tanpa laporan / no such program with reports", status_code=404)
    return _kept_svg(request, overview, ("s_curve_svg", item.code, lang), lambda: svg(s_curve_picture(reports, lang)))


def versions_svg(request: Request) -> Response:
    """One program's realisation per report date, a line per published version, as SVG; drawn once per snapshot
    set (a new version is a new snapshot), program and language."""
    portal = get_portal()
    overview = portal.overview()
    lang = request_language(request)
    code = request.query_params.get("program", "")
    versions = load_history(portal.store, portal.memo).realisation_versions(code) if code else []
    if not versions:
        return PlainTextResponse("program tanpa riwayat / no such program with a history", status_code=404)

    def draw() -> str:
        labelled = [
            (t("history.chart.version", lang, date=long_date(city_day(snapshot.read_at), lang)), points)
            for snapshot, points in versions
        ]
        return svg(versions_picture(labelled, lang))

    return _kept_svg(request, overview, ("versions_svg", code, lang), draw)
