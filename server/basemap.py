"""The basemap the portal serves itself (``[map] basemap = "pmtiles"``): ``/peta-dasar/style.json`` and the vector
tiles ``/peta-dasar/{z}/{x}/{y}.mvt`` read from the city's PMTiles archive (``server.basemap_archive``), so the
interactive map asks no host but the portal (``core.basemap_style``; docs/admin.md).

- The style names the tiles by the portal's own address (``server.site_address``): the map's renderer fetches them
  from a worker, where a path without its host means nothing.
- A tile stored gzip-compressed (as Protomaps builds are) goes out as it is, with ``Content-Encoding: gzip``, to
  every reader who accepts gzip (every browser), and decompressed for one who does not.
- An address the archive has no tile for is a ``204``: an empty tile to the map, no error in the reader's console
  (the sea, or past the city's edge). An address that is no tile at all (``/peta-dasar/3/9/1.mvt``, ``x``) is a
  ``400``; without a usable archive, both routes are a ``404``.
- A day in the reader's cache (a new extract is a new file and a restart; the ETag lets a reader check cheaply).
"""

from __future__ import annotations

import gzip
import json
import logging
import zlib
from datetime import UTC, datetime, timedelta

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from core.basemap_style import TILE_ROUTE, basemap_style, tile_address
from core.http_negotiation import GZIP, GZIP_CHOSEN, chosen_coding, gzip_variant
from core.log_throttle import Throttle, held_back
from server.conditional import entity_tag, tagged
from server.portal import get_portal
from server.site_address import base_url

logger = logging.getLogger("portal")

# IANA's type for Mapbox vector tiles.
MVT_MEDIA_TYPE = "application/vnd.mapbox-vector-tile"
TILE_CACHE = "public, max-age=86400"
_unreadable = Throttle(timedelta(minutes=10))


def _no_basemap() -> Response:
    return PlainTextResponse("Peta dasar tidak aktif / no basemap is served here", status_code=404)


def basemap_style_document(request: Request) -> Response:
    """The style, its tiles named by the portal's address for this request (``core.site_base``)."""
    portal = get_portal()
    archive = portal.basemap_archive
    if archive is None:
        return _no_basemap()
    tiles = base_url(request, portal) + TILE_ROUTE
    style = basemap_style(tiles, archive.min_zoom, archive.max_zoom, archive.bounds)
    body = json.dumps(style, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return tagged(request, body, "application/json")


def basemap_tile(request: Request) -> Response:
    """One vector tile of the archive, as stored; 204 where it has none, 400 for an address that is no tile."""
    archive = get_portal().basemap_archive
    if archive is None:
        return _no_basemap()
    params = request.path_params
    address = tile_address(str(params["z"]), str(params["x"]), str(params["y"]))
    if address is None:
        return PlainTextResponse("Alamat ubin tidak sah / not a tile address", status_code=400)
    try:
        return _tile_response(archive.tile(*address), archive.content_encoding, request)
    except (OSError, EOFError, ValueError, IndexError, zlib.error) as error:  # a file damaged or cut since start
        held = _unreadable.speak(datetime.now(UTC))
        if held is not None:
            logger.warning("[map] basemap_file: tile %s/%s/%s unreadable (%s)%s", *address, error, held_back(held))
        return PlainTextResponse("Ubin tidak terbaca / the tile cannot be read", status_code=500)


def _takes_gzip(request: Request) -> bool:
    """Whether the reader takes gzip: the server's compression chose for it (and kept the header from what
    answers inside, Streamlit's own gzip included), or, without it, the reader's Accept-Encoding by RFC 9110."""
    chosen = request.scope.get(GZIP_CHOSEN)
    if chosen is not None:
        return bool(chosen)
    return chosen_coding(request.headers.get("accept-encoding")) == GZIP


def _tile_response(stored: bytes | None, coding: str | None, request: Request) -> Response:
    if not stored:
        return Response(status_code=204, headers={"Cache-Control": TILE_CACHE})
    tag = entity_tag(stored)
    headers = {"Cache-Control": TILE_CACHE, "ETag": tag}
    body = stored
    if coding == GZIP:
        headers["Vary"] = "Accept-Encoding"
        if _takes_gzip(request):
            headers["Content-Encoding"] = GZIP
            headers["ETag"] = gzip_variant(tag)
        else:
            body = gzip.decompress(stored)  # a reader that takes no gzip (a script, a probe)
    return Response(body, media_type=MVT_MEDIA_TYPE, headers=headers)
