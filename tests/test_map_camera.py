"""Where the map opens for a chosen area, and which kelurahan names it writes (core.map_camera; issue #26, item 5)."""

from __future__ import annotations

import itertools
import math

import pytest

from core.map_camera import (
    DEFAULT_CAMERA,
    FIT_HEIGHT_PX,
    FIT_WIDTH_PX,
    Camera,
    Label,
    area_camera,
    label_box,
    offset_px,
    overlaps,
    spaced_labels,
)
from core.wilayah import KECAMATAN, KELURAHAN

LABELS = [Label(k.nama, k.lon, k.lat) for k in KELURAHAN]


def _on_screen(camera: Camera, lon: float, lat: float) -> bool:
    """Whether [lon, lat] is inside a phone's map (FIT_WIDTH_PX x FIT_HEIGHT_PX) centred on the camera."""
    dx, dy = offset_px(camera, lon, lat)
    return abs(dx) <= FIT_WIDTH_PX / 2 and abs(dy) <= FIT_HEIGHT_PX / 2


def test_without_a_chosen_area_the_map_opens_on_the_city() -> None:
    assert area_camera((), ()) == DEFAULT_CAMERA
    assert area_camera((), (), [(114.6, -3.33)]) == DEFAULT_CAMERA  # sites alone do not move it


@pytest.mark.parametrize("kecamatan", KECAMATAN)
def test_a_chosen_kecamatan_puts_all_its_kelurahan_on_a_phone_s_map(kecamatan: str) -> None:
    camera = area_camera([kecamatan], ())
    assert camera.zoom >= DEFAULT_CAMERA.zoom - 1
    assert all(_on_screen(camera, k.lon, k.lat) for k in KELURAHAN if k.kecamatan == kecamatan)


def test_a_chosen_kelurahan_is_zoomed_closer_than_its_kecamatan_and_stays_on_screen() -> None:
    kelurahan = next(k for k in KELURAHAN if k.nama == "Kelayan Selatan")
    closer = area_camera([kelurahan.kecamatan], [kelurahan.nama])
    assert closer.zoom > area_camera([kelurahan.kecamatan], ()).zoom
    assert closer.zoom > DEFAULT_CAMERA.zoom
    assert _on_screen(closer, kelurahan.lon, kelurahan.lat)
    # Another kelurahan of the same kecamatan, 2 km away, is not what the reader asked for: off this screen.
    far = next(k for k in KELURAHAN if k.nama == "Pemurus Dalam")
    assert not _on_screen(closer, far.lon, far.lat)


def test_the_sites_drawn_in_the_area_are_on_screen_but_a_site_typed_far_outside_the_city_is_not_followed() -> None:
    site = (114.5990, -3.3520)  # in Banjarmasin Selatan, off the kelurahan's own disc
    camera = area_camera(["Banjarmasin Selatan"], ["Kelayan Selatan"], [site])
    assert _on_screen(camera, *site)
    assert area_camera(["Banjarmasin Selatan"], ["Kelayan Selatan"], [(106.8, -6.2)]) == area_camera(
        ["Banjarmasin Selatan"], ["Kelayan Selatan"]
    )


@pytest.mark.parametrize("camera", [DEFAULT_CAMERA, area_camera(["Banjarmasin Tengah"], ())], ids=["city", "tengah"])
def test_no_two_kelurahan_names_overlap_at_the_camera_s_zoom(camera: Camera) -> None:
    shown = spaced_labels(LABELS, camera)
    assert 10 <= len(shown) < len(LABELS)  # the crowded centre loses some names, the map keeps many
    for a, b in itertools.combinations(shown, 2):
        assert not overlaps(label_box(a, camera, 11.0), label_box(b, camera, 11.0)), (a.name, b.name)


def test_the_whole_city_would_overlap_without_spacing() -> None:
    """The check above can fail: all 52 names at the city's zoom do overlap (issue #26: "labels overlap")."""
    boxes = [label_box(label, DEFAULT_CAMERA, 11.0) for label in LABELS]
    assert any(overlaps(a, b) for a, b in itertools.combinations(boxes, 2))


def test_the_chosen_kelurahan_and_its_kecamatan_s_names_come_first() -> None:
    kecamatan = "Banjarmasin Selatan"
    camera = area_camera([kecamatan], [])
    # Kelayan Tengah is one of the smallest kelurahan in the crowded Kelayan quarter: it is named when chosen.
    shown = {label.name for label in spaced_labels(LABELS, camera, [kecamatan], ["Kelayan Tengah"])}
    assert "Kelayan Tengah" in shown
    of_kecamatan = [k.nama for k in KELURAHAN if k.kecamatan == kecamatan]
    named = sum(1 for name in of_kecamatan if name in shown)
    others = {label.name for label in spaced_labels(LABELS, camera)}
    assert named >= sum(1 for name in of_kecamatan if name in others)


def test_the_camera_is_rounded_and_within_the_zoom_limits() -> None:
    camera = area_camera([], ["Kelayan Tengah"])  # 0,2 km²: the closest zoom allowed, not a street's
    assert camera.zoom <= 16
    assert camera.latitude == round(camera.latitude, 5) and not math.isnan(camera.longitude)
