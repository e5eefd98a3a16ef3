"""A program's sites as a picture drawn on the server (data_sources.files.map_picture) and its words
(core.map_caption), on the bundled sample workbooks and a real SQLite store.

The picture follows the map's privacy rule: the RTLH workbook's 100 homes appear only as counts at kelurahan
reference points; none of their own points is in what is drawn.
"""

from __future__ import annotations

import json
import re
from typing import Any

import vl_convert
from conftest import PortalSetup
from test_map_page import HOMES_IN_RTLH, REFERENCE_POINTS, _raw_homes

from core.map_caption import home_statuses, picture_caption, site_statuses
from core.map_style import STATUS_COLOURS, hex_colour
from data_sources.files.map_picture import site_picture
from data_sources.files.share_images import svg
from data_sources.published.map_data import program_sites
from server.portal import get_portal


def _records(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return [row for rows in spec.get("datasets", {}).values() for row in rows]


def _words(picture: str) -> str:
    return " ".join(re.findall(r">([^<]+)</text>", picture))


def test_a_program_s_sites_are_drawn_by_status_with_the_rivers_and_a_legend_in_the_reader_s_language(
    sample_portal: PortalSetup,
) -> None:
    view = program_sites(get_portal(), "QW24-PUPR-01")
    assert view.sites and all(site["path"] for site in view.sites)  # Sungaiku Baiman: river segments
    for lang, words in {"id": ["Berjalan", "Selesai", "Sungai"], "en": ["In progress", "Completed", "River"]}.items():
        picture = svg(site_picture(view, lang))
        assert picture.startswith("<svg")
        shown = _words(picture)
        assert all(word in shown for word in words), (lang, shown)
        # Each status the program's sites have is drawn in its own Okabe-Ito colour (and named in the legend).
        for status in site_statuses(view):
            assert hex_colour(STATUS_COLOURS[status]).lower() in picture.lower(), status


def test_homes_are_drawn_only_as_counts_at_kelurahan_reference_points(sample_portal: PortalSetup) -> None:
    view = program_sites(get_portal(), "QW24-PERKIM-01")
    spec = json.loads(site_picture(view, "id").to_json())
    counted = [row for row in _records(spec) if "count" in row]
    assert sum(row["count"] for row in counted) == HOMES_IN_RTLH
    assert {(row["lon"], row["lat"]) for row in counted} <= REFERENCE_POINTS
    drawn = {(row["lon"], row["lat"]) for row in _records(spec)}
    homes = _raw_homes()
    for lat, lon in homes:
        for digits in (4, 5, 6):
            assert (round(lon, digits), round(lat, digits)) not in drawn, (lat, lon)
    text = json.dumps(spec, ensure_ascii=False)
    assert "RTLH24-" not in text and "Rumah RTLH" not in text and "Rehab" not in text
    assert "Sungaiku" not in text  # only this program's sites


def test_the_caption_says_the_figures_the_picture_draws(sample_portal: PortalSetup) -> None:
    portal = get_portal()
    rivers = program_sites(portal, "QW24-PUPR-01")
    spec = json.loads(site_picture(rivers, "id").to_json())
    drawn: dict[str, set[str]] = {}
    for row in _records(spec):
        if "code" in row:
            drawn.setdefault(row["status"], set()).add(row["code"])
    assert {status: len(codes) for status, codes in drawn.items()} == site_statuses(rivers)
    caption = picture_caption(rivers, "id")
    assert caption.startswith(f"{len(rivers.sites)} lokasi program: ")
    assert all(f"{status} {n}" in caption for status, n in site_statuses(rivers).items())

    homes = program_sites(portal, "QW24-PERKIM-01")
    caption = picture_caption(homes, "en")
    areas = {g["kelurahan"] for g in homes.matching_private}
    assert caption.startswith(f"{HOMES_IN_RTLH} beneficiaries' homes in {len(areas)} kelurahan")
    assert sum(home_statuses(homes).values()) == HOMES_IN_RTLH
    assert "Completed" in caption and "Selesai" not in caption


def test_the_picture_renders_for_every_sample_program_with_sites_and_stays_small(sample_portal: PortalSetup) -> None:
    portal = get_portal()
    for item in portal.overview().progress:
        view = program_sites(portal, item.code)
        if not (view.matching_sites or view.matching_homes):
            continue
        picture = svg(site_picture(view, "id"))
        width = float(re.search(r'<svg[^>]* width="([0-9.]+)"', picture).group(1))  # type: ignore[union-attr]
        assert 300 < width < 500, (item.code, width)  # a phone's width, not Vega's "infinite" canvas of an empty layer
        assert len(picture.encode("utf-8")) < 80_000, item.code
        assert vl_convert.svg_to_png(picture)[:8] == b"\x89PNG\r\n\x1a\n"  # a drawable picture


def test_above_the_limits_sites_and_homes_are_drawn_as_counts_per_kelurahan(sample_portal: PortalSetup) -> None:
    from core.site_map import MapFilter, map_view
    from data_sources.published.map_data import map_data

    data = map_data(get_portal())
    view = map_view(data.public, data.private, MapFilter(), site_limit=5, home_group_limit=3)
    assert view.site_areas and view.home_areas and not view.sites and not view.homes
    spec = json.loads(site_picture(view, "en").to_json())
    counted = [row for row in _records(spec) if "count" in row]
    assert sum(r["count"] for r in counted if r["kind"] == "Sites per kelurahan") == view.matching_sites
    assert sum(r["count"] for r in counted if r["kind"] == "Beneficiaries' homes per kelurahan") == HOMES_IN_RTLH
    picture = svg(site_picture(view, "en"))
    assert "Sites per kelurahan" in _words(picture) and "Beneficiaries' homes per kelurahan" in _words(picture)
