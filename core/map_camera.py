"""Where the map looks and which kelurahan names it writes: the view state and the label placement, computed on
the server. Pure: no Streamlit, no I/O.

* The camera (issue #26, item 5b): with a kecamatan or kelurahan chosen, the map opens on that area, the
  bounds of its kelurahan (each kelurahan's reference point widened by the radius of a disc of its area) and of
  the sites drawn in it. It is fitted to a phone's map (the narrowest the page is drawn at), so the whole area
  is on a phone's screen; a desktop sees the same area with more around it.
* The labels (item 5c): deck.gl's ``CollisionFilterExtension`` drew no name at all in headless Chromium's software
  WebGL, so the names are spaced here instead: at the camera's zoom, a name whose box would overlap a name
  already placed is left out (the chosen kelurahan first, then those of the chosen kecamatan, then the largest).
  The names are sized in metres, so what does not overlap at that zoom does not overlap at any other: zooming
  out shrinks them together with the distances between them, zooming in spreads them apart.

Coordinates are in deck.gl's Web Mercator with 512-pixel tiles.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from core.wilayah import CITY_HALL, KELURAHAN, Kelurahan, in_city

DEFAULT_ZOOM = 12.0
MIN_ZOOM, MAX_ZOOM = 11.0, 16.0
# The map's drawing area on a phone (390 px screen less the page's padding) and its height on the page.
FIT_WIDTH_PX, FIT_HEIGHT_PX = 358, 520
FIT_PADDING_PX = 24
TILE_PX = 512
EARTH_CIRCUMFERENCE_M = 40_075_016.686
# A name's box: about 0.6 em per character in Helvetica/Arial, 1.2 em per line, and a gap of a few pixels.
LABEL_SIZE_PX = 11.0
_CHAR_EM, _LINE_EM, _GAP_PX = 0.6, 1.2, 3.0


@dataclass(frozen=True)
class Camera:
    latitude: float
    longitude: float
    zoom: float


DEFAULT_CAMERA = Camera(CITY_HALL[0], CITY_HALL[1], DEFAULT_ZOOM)


@dataclass(frozen=True)
class Label:
    """A kelurahan name, written ``offset_px`` below its reference point (below a homes' circle there)."""

    name: str
    longitude: float
    latitude: float
    offset_px: float = 0.0


def _x(longitude: float) -> float:
    return (longitude + 180.0) / 360.0


def _y(latitude: float) -> float:
    sin = math.sin(math.radians(latitude))
    return 0.5 - math.log((1 + sin) / (1 - sin)) / (4 * math.pi)


def _latitude(y: float) -> float:
    return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y))))


def offset_px(camera: Camera, longitude: float, latitude: float) -> tuple[float, float]:
    """Where [lon, lat] is drawn, in pixels right of and below the centre of the camera's map."""
    world = TILE_PX * 2**camera.zoom
    return (_x(longitude) - _x(camera.longitude)) * world, (_y(latitude) - _y(camera.latitude)) * world


def metres_per_pixel(latitude: float, zoom: float) -> float:
    return EARTH_CIRCUMFERENCE_M * math.cos(math.radians(latitude)) / (TILE_PX * 2**zoom)


def _area_kelurahan(kecamatan: Collection[str], kelurahan: Collection[str]) -> list[Kelurahan]:
    """The chosen kelurahan, else every kelurahan of the chosen kecamatan (a kelurahan is the narrower choice)."""
    if kelurahan:
        return [k for k in KELURAHAN if k.nama in kelurahan]
    return [k for k in KELURAHAN if k.kecamatan in kecamatan]


def area_points(kelurahan: Iterable[Kelurahan]) -> list[tuple[float, float]]:
    """[lon, lat] corners around each kelurahan: its point widened by the radius of a disc of its area."""
    points = []
    for k in kelurahan:
        radius_m = math.sqrt(k.luas_km2 / math.pi) * 1000
        d_lat = radius_m / 111_320
        d_lon = d_lat / math.cos(math.radians(k.lat))
        points += [(k.lon - d_lon, k.lat - d_lat), (k.lon + d_lon, k.lat + d_lat)]
    return points


def fit(
    points: Sequence[tuple[float, float]],
    width_px: float = FIT_WIDTH_PX,
    height_px: float = FIT_HEIGHT_PX,
    padding_px: float = FIT_PADDING_PX,
) -> Camera:
    """The camera that shows every [lon, lat] point inside ``width_px`` x ``height_px``, within the zoom limits."""
    xs = [_x(lon) for lon, _ in points]
    ys = [_y(lat) for _, lat in points]
    span_x, span_y = max(xs) - min(xs), max(ys) - min(ys)
    fits = [MAX_ZOOM]
    if span_x > 0:
        fits.append(math.log2((width_px - 2 * padding_px) / (span_x * TILE_PX)))
    if span_y > 0:
        fits.append(math.log2((height_px - 2 * padding_px) / (span_y * TILE_PX)))
    zoom = min(max(min(fits), MIN_ZOOM), MAX_ZOOM)
    centre_x, centre_y = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return Camera(round(_latitude(centre_y), 5), round(centre_x * 360.0 - 180.0, 5), round(zoom, 2))


def area_camera(
    kecamatan: Collection[str], kelurahan: Collection[str], drawn: Iterable[tuple[float, float]] = ()
) -> Camera:
    """The chosen area's camera: its kelurahan and the [lon, lat] points ``drawn`` there; no area chosen, the city."""
    area = _area_kelurahan(kecamatan, kelurahan)
    if not area:
        return DEFAULT_CAMERA
    inside = [(lon, lat) for lon, lat in drawn if in_city(lat, lon)]  # a site typed far off cannot zoom the map out
    return fit(area_points(area) + inside)


def label_box(label: Label, camera: Camera, size_px: float) -> tuple[float, float, float, float]:
    """The name's box on the screen at the camera's zoom, in pixels of the world: left, top, right, bottom."""
    world = TILE_PX * 2**camera.zoom
    x, y = _x(label.longitude) * world, _y(label.latitude) * world + label.offset_px
    half = len(label.name) * _CHAR_EM * size_px / 2 + _GAP_PX
    return (x - half, y - _GAP_PX, x + half, y + _LINE_EM * size_px + _GAP_PX)


def overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def spaced_labels(
    labels: Sequence[Label],
    camera: Camera,
    kecamatan: Collection[str] = (),
    kelurahan: Collection[str] = (),
    size_px: float = LABEL_SIZE_PX,
) -> list[Label]:
    """The names that do not overlap at the camera's zoom: the chosen kelurahan first, then the chosen kecamatan's
    kelurahan, then the largest kelurahan (more room for a name); a name that would overlap a placed one is left out.
    """
    of = {k.nama: k for k in KELURAHAN}

    def rank(label: Label) -> tuple[int, float, str]:
        known = of.get(label.name)
        chosen = 0 if label.name in kelurahan else 1 if known and known.kecamatan in kecamatan else 2
        return (chosen, -(known.luas_km2 if known else 0.0), label.name)

    placed: list[tuple[Label, tuple[float, float, float, float]]] = []
    for label in sorted(labels, key=rank):
        box = label_box(label, camera, size_px)
        if not any(overlaps(box, other) for _, other in placed):
            placed.append((label, box))
    return [label for label, _ in placed]
