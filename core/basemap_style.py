"""The basemap the portal serves itself (``[map] basemap = "pmtiles"``, issue 23 item 3): its style document and
the rule for a tile's address.

The tiles are the city's extract of the Protomaps basemap (OpenStreetMap data, docs/admin.md), so the style draws
Protomaps' layers (``earth``, ``landcover``, ``landuse``, ``water``, ``buildings``, ``roads``, ``boundaries``) as
areas and lines only: no text and no icons, so the style needs no glyphs and no sprite, and the map asks nothing of
any host but the portal. The names a reader needs (kelurahan) the map draws itself, over the basemap.

Pure: the server gives the tiles' address and the archive's zooms and bounds; this returns the document.
"""

from __future__ import annotations

import re
from typing import Any

# Where the portal serves the style and the tiles (server/basemap.py); the map asks for the style at STYLE_PATH.
BASEMAP_PREFIX = "/peta-dasar"
STYLE_PATH = f"{BASEMAP_PREFIX}/style.json"
# The tiles' route, and the style's tile address after the portal's own address: absolute, as the map's renderer
# fetches tiles from a worker made from a blob, where an address without its host means nothing.
TILE_ROUTE = BASEMAP_PREFIX + "/{z}/{x}/{y}.mvt"
SOURCE = "protomaps"

# The deepest zoom a PMTiles tile id can address (64 bits; city extracts stop at 15).
MAX_ZOOM = 31
_NUMBER = re.compile(r"0|[1-9][0-9]{0,9}")  # one way to write each number: no sign, no leading zero

ATTRIBUTION = (
    '<a href="https://www.openstreetmap.org/copyright">© OpenStreetMap</a> · '
    '<a href="https://protomaps.com">Protomaps</a>'
)

# Light, quiet colours under the map's own layers: the status colours (Okabe–Ito), the rivers' sky blue and the
# homes' orange stay the strongest things on the map.
BACKGROUND = "#DEDBD5"
EARTH = "#F2EFE9"
GREEN = "#D5E6C6"  # parks, forest, grass, farmland
BUILT_UP = "#E9E2DA"  # residential, commercial, industrial and the like
WATER = "#BFDCEE"
BUILDING = "#DDD5CB"
ROAD = "#FFFFFF"
ROAD_CASING = "#CFC7BC"
BOUNDARY = "#9E9AAE"

_GREEN_KINDS = ["park", "forest", "wood", "grass", "grassland", "farmland", "meadow", "orchard", "nature_reserve"]
_GREEN_KINDS += ["cemetery", "garden", "golf_course", "playground", "recreation_ground", "scrub", "wetland"]


def tile_address(z: str, x: str, y: str) -> tuple[int, int, int] | None:
    """The tile a request names (``z``, ``x``, ``y`` as written in its path), or None when it names none: not
    plain decimal numbers, a zoom past ``MAX_ZOOM``, or a column or row outside the zoom's 2^z."""
    if not all(_NUMBER.fullmatch(part) for part in (z, x, y)):
        return None
    zoom, column, row = int(z), int(x), int(y)
    if zoom > MAX_ZOOM or column >= 2**zoom or row >= 2**zoom:
        return None
    return zoom, column, row


def _width(at_12: float, at_16: float) -> list[Any]:
    """A line's width in pixels growing with the zoom: thin for the whole city, wide on a street."""
    return ["interpolate", ["exponential", 1.6], ["zoom"], 10, at_12 / 4, 12, at_12, 16, at_16]


def _kinds(*kinds: str) -> list[Any]:
    return ["in", "kind", *kinds]


def _roads() -> list[dict[str, Any]]:
    """Streets as lines, a darker casing under a white line; the bigger the road, the wider both. Footpaths thin."""
    classes = (
        ("roads-minor", ("minor_road", "other"), 0.8, 8.0),
        ("roads-major", ("major_road",), 1.4, 14.0),
        ("roads-highway", ("highway",), 1.8, 18.0),
    )
    casings: list[dict[str, Any]] = []
    layers: list[dict[str, Any]] = []
    for name, kinds, at_12, at_16 in classes:
        base = {"source": SOURCE, "source-layer": "roads", "filter": _kinds(*kinds)}
        line = {"line-cap": "round", "line-join": "round"}
        casing = {"line-color": ROAD_CASING, "line-width": _width(at_12 + 1, at_16 + 2)}
        casings.append({"id": f"{name}-casing", "type": "line", **base, "layout": line, "paint": casing})
        fill = {"line-color": ROAD, "line-width": _width(at_12, at_16)}
        layers.append({"id": name, "type": "line", **base, "layout": line, "paint": fill})
    paths = {"source": SOURCE, "source-layer": "roads", "filter": _kinds("path"), "minzoom": 14}
    footways = {"id": "roads-path", "type": "line", **paths, "paint": {"line-color": ROAD_CASING, "line-width": 1}}
    return [footways, *casings, *layers]  # every casing under every road, so crossings join


def basemap_style(
    tile_url: str, min_zoom: int, max_zoom: int, bounds: tuple[float, float, float, float] | None = None
) -> dict[str, Any]:
    """The style document (Mapbox/MapLibre style spec, version 8) for tiles at ``tile_url`` (absolute, with
    ``{z}``, ``{x}`` and ``{y}``), which the archive holds from ``min_zoom`` to ``max_zoom`` (deeper, the map
    enlarges the deepest tiles) and inside ``bounds`` (west, south, east, north: no tile is asked for outside).

    Areas and lines only: no ``glyphs``, no ``sprite``.
    """
    source: dict[str, Any] = {
        "type": "vector",
        "tiles": [tile_url],
        "minzoom": min_zoom,
        "maxzoom": max_zoom,
        "attribution": ATTRIBUTION,
    }
    if bounds is not None:
        source["bounds"] = list(bounds)
    polygon = ["==", "$type", "Polygon"]
    layers: list[dict[str, Any]] = [
        {"id": "background", "type": "background", "paint": {"background-color": BACKGROUND}},
        {"id": "earth", "type": "fill", "source": SOURCE, "source-layer": "earth", "paint": {"fill-color": EARTH}},
        {
            "id": "landcover",
            "type": "fill",
            "source": SOURCE,
            "source-layer": "landcover",
            "filter": _kinds("forest", "grassland", "farmland", "scrub", "wetland"),
            "paint": {"fill-color": GREEN},
        },
        {
            "id": "landuse-green",
            "type": "fill",
            "source": SOURCE,
            "source-layer": "landuse",
            "filter": _kinds(*_GREEN_KINDS),
            "paint": {"fill-color": GREEN},
        },
        {
            "id": "landuse-built",
            "type": "fill",
            "source": SOURCE,
            "source-layer": "landuse",
            "filter": ["!in", "kind", *_GREEN_KINDS],
            "paint": {"fill-color": BUILT_UP},
        },
        {
            "id": "water",
            "type": "fill",
            "source": SOURCE,
            "source-layer": "water",
            "filter": polygon,
            "paint": {"fill-color": WATER},
        },
        {
            "id": "water-lines",
            "type": "line",
            "source": SOURCE,
            "source-layer": "water",
            "filter": ["==", "$type", "LineString"],
            "layout": {"line-cap": "round", "line-join": "round"},
            "paint": {"line-color": WATER, "line-width": _width(2.0, 10.0)},
        },
        {
            "id": "buildings",
            "type": "fill",
            "source": SOURCE,
            "source-layer": "buildings",
            "minzoom": 14,
            "paint": {"fill-color": BUILDING},
        },
        *_roads(),
        {
            "id": "boundaries",
            "type": "line",
            "source": SOURCE,
            "source-layer": "boundaries",
            "paint": {"line-color": BOUNDARY, "line-width": 1, "line-dasharray": [3, 2]},
        },
    ]
    return {"version": 8, "name": "Portal Quick Win", "sources": {SOURCE: source}, "layers": layers}
