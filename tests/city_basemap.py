"""A small PMTiles basemap made from the portal's own geometry, for the tests of ``[map] basemap = "pmtiles"``.

Layers named as in the Protomaps basemap the city extracts (docs/admin.md), so the portal's style draws them as it
would the real extract: ``earth`` (the city's extent, core.wilayah), ``landuse`` (each kelurahan as a disc of its
area around its point, kind ``residential``) and ``water`` (the rivers of core.rivers as lines, kind ``river``).
Cut into tiles by geojson2vt (a port of Mapbox's geojson-vt), each tile encoded by vt2pbf (a port of Mapbox's
vt-pbf) and written by the ``pmtiles`` package's writer, tiles gzip-compressed as Protomaps' builds are.
"""

from __future__ import annotations

import gzip
import logging
import math
from pathlib import Path
from typing import Any

from geojson2vt.geojson2vt import geojson2vt
from pmtiles.tile import Compression, TileType, zxy_to_tileid
from pmtiles.writer import Writer
from vt2pbf import Tile

from core.rivers import RIVERS
from core.wilayah import KELURAHAN, LAT_MAX, LAT_MIN, LON_MAX, LON_MIN

MAX_ZOOM = 14
BOUNDS = (LON_MIN, LAT_MIN, LON_MAX, LAT_MAX)


def _disc(lon: float, lat: float, area_km2: float, sides: int = 24) -> list[list[float]]:
    """A ring around the point enclosing about ``area_km2`` (counter-clockwise, closed)."""
    radius_m = math.sqrt(area_km2 / math.pi) * 1000
    d_lat = radius_m / 111_320
    d_lon = d_lat / math.cos(math.radians(lat))
    ring = [
        [lon + d_lon * math.cos(2 * math.pi * i / sides), lat + d_lat * math.sin(2 * math.pi * i / sides)]
        for i in range(sides)
    ]
    return [*ring, ring[0]]


def _feature(geometry: dict[str, Any], **properties: Any) -> dict[str, Any]:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def city_layers() -> dict[str, dict[str, Any]]:
    """The archive's layers as GeoJSON: the city's extent, its kelurahan as areas, its rivers as lines."""
    west, south, east, north = BOUNDS
    earth = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {
        "earth": {"type": "FeatureCollection", "features": [_feature({"type": "Polygon", "coordinates": [earth]})]},
        "landuse": {
            "type": "FeatureCollection",
            "features": [
                _feature(
                    {"type": "Polygon", "coordinates": [_disc(k.lon, k.lat, k.luas_km2)]},
                    kind="residential",
                    name=k.nama,
                )
                for k in KELURAHAN
            ],
        },
        "water": {
            "type": "FeatureCollection",
            "features": [
                _feature(
                    {"type": "LineString", "coordinates": [[lon, lat] for lat, lon in r.points]},
                    kind="river",
                    name=r.name,
                )
                for r in RIVERS
            ],
        },
    }


def _tile_range(zoom: int) -> tuple[range, range]:
    """The columns and rows of the tiles covering BOUNDS at ``zoom`` (Web Mercator, as the map's)."""
    n = 2**zoom
    west, south, east, north = BOUNDS

    def column(lon: float) -> int:
        return min(n - 1, int((lon + 180) / 360 * n))

    def row(lat: float) -> int:
        y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2
        return min(n - 1, int(y * n))

    return range(column(west), column(east) + 1), range(row(north), row(south) + 1)


def build_city_archive(path: Path, *, compress: bool = True, max_zoom: int = MAX_ZOOM) -> Path:
    """Writes the city's basemap to ``path`` (zooms 0 to ``max_zoom``) and returns it."""
    indexes = {
        name: geojson2vt(data, {"maxZoom": max_zoom, "indexMaxZoom": 0, "tolerance": 1}, log_level=logging.WARNING)
        for name, data in city_layers().items()
    }
    tiles: list[tuple[int, bytes]] = []
    for zoom in range(max_zoom + 1):
        columns, rows = _tile_range(zoom)
        for x in columns:
            for y in rows:
                tile = Tile()
                for name, index in indexes.items():
                    found = index.get_tile(zoom, x, y)
                    if found and found["features"]:
                        tile.add_layer(name, features=found["features"])
                if not tile.tile_pbf.layers:
                    continue
                data = tile.serialize_to_bytestring()
                tiles.append((zxy_to_tileid(zoom, x, y), gzip.compress(data, mtime=0) if compress else data))
    west, south, east, north = BOUNDS
    with path.open("wb") as file:
        writer = Writer(file)
        for tile_id, data in sorted(tiles):
            writer.write_tile(tile_id, data)
        writer.finalize(
            {
                "tile_type": TileType.MVT,
                "tile_compression": Compression.GZIP if compress else Compression.NONE,
                "min_lon_e7": round(west * 1e7),
                "min_lat_e7": round(south * 1e7),
                "max_lon_e7": round(east * 1e7),
                "max_lat_e7": round(north * 1e7),
                "center_zoom": 12,
                "center_lon_e7": round((west + east) / 2 * 1e7),
                "center_lat_e7": round((south + north) / 2 * 1e7),
            },
            {
                "name": "Banjarmasin (tests: the portal's own geometry)",
                "attribution": "BPS/HDX 2020, the project's notes",
                "vector_layers": [{"id": name, "fields": {"kind": "String", "name": "String"}} for name in indexes],
            },
        )
    return path
