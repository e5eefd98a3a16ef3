"""The published sites as GeoJSON (``lokasi.geojson``, RFC 7946). Pure: no I/O.

One Feature per row of ``lokasi.csv``, with exactly that row's columns as its properties, so that the two files
can be joined or swapped: a river segment (``ruas``, e.g. Sungaiku Baiman's) as a LineString, a point site as a
Point, and private homes only as a count per program and kelurahan at the kelurahan's reference point
(``core.site_map.private_site_counts``): the same privacy rule as the map and the CSV. A row with no known place (a
home whose kelurahan is not one of the 52) keeps its feature with a null geometry, as RFC 7946 allows, so the
file holds every published row.

Positions are [longitude, latitude] in WGS84 (RFC 7946 section 3.1.1; no ``crs`` member), as stored for the map.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from core.contract import SITE_KINDS

GEOJSON_SPEC = "https://www.rfc-editor.org/rfc/rfc7946"
MEDIA_TYPE = "application/geo+json"
SEGMENT = SITE_KINDS[1].canonical  # "ruas"

# A segment's line, by (kode_program, kode_lokasi): [[lon, lat], ...] (``PublicSite.path``).
Paths = Mapping[tuple[str, str], Sequence[Sequence[float]]]


def _geometry(row: Mapping[str, Any], paths: Paths) -> dict[str, Any] | None:
    if row.get("jenis") == SEGMENT:
        path = paths.get((str(row.get("kode_program")), str(row.get("kode_lokasi"))))
        if path and len(path) >= 2:
            return {"type": "LineString", "coordinates": [[float(lon), float(lat)] for lon, lat in path]}
        return None
    lat, lon = row.get("lintang"), row.get("bujur")
    if lat is None or lon is None:
        return None
    return {"type": "Point", "coordinates": [float(lon), float(lat)]}


def site_collection(rows: Sequence[Mapping[str, Any]], paths: Paths) -> dict[str, Any]:
    """A FeatureCollection of ``rows`` (lokasi.csv's rows, values as the dictionary writes them), in their order."""
    return {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "geometry": _geometry(row, paths), "properties": dict(row)} for row in rows],
    }
