"""The map's data: what may reach the browser, above all that a single home can never be recovered from it.

The private rows here are deliberately hostile: a store written by a faulty version (or edited by
hand) that still holds a home's exact coordinates, the owner's name, a NIK, a phone number, notes
and dates. Whatever the store holds, only counts per kelurahan may come out, at the kelurahan's
reference point. Everything the browser receives is checked as serialised text: the layer data,
and the whole pydeck Deck's JSON as ``components.map_deck.site_deck`` builds it.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from builders import json_pairs
from streamlit.testing.v1 import AppTest

from components.map_deck import (
    HOME_AREAS_LAYER,
    HOMES_COUNT_LAYER,
    HOMES_LAYER,
    KELURAHAN_LAYER,
    POINTS_LAYER,
    RIVERS_LAYER,
    SEGMENTS_LAYER,
    SITE_AREAS_LAYER,
    STATUS_COLOURS,
    picked_object,
    site_deck,
)
from core.contract import STATUSES
from core.rivers import RIVERS
from core.site_map import (
    AREA_FIELDS,
    PRIVATE_FIELDS,
    PUBLIC_FIELDS,
    MapFilter,
    filter_private,
    filter_public,
    map_view,
    private_site_counts,
    public_sites,
    resolve_selection,
)
from core.wilayah import CITY_HALL, KELURAHAN, in_city

REFERENCE_POINTS = {(k.lon, k.lat) for k in KELURAHAN}
KELURAHAN_BY_NAME = {k.nama: k for k in KELURAHAN}

PRIVATE = "QW24-PERKIM-01"
PUBLIC = "QW24-PUPR-01"
SHOPS = "QW24-DISKOP-01"

PROGRAMS: list[dict[str, Any]] = [
    {
        "kode_program": PRIVATE,
        "nama_program": "Bakawan RTLH",
        "dimensi": "Smart Living",
        "skpd": "Disperkim",
        "lokasi_pribadi": "ya",
        "tautan": "https://banjarmasinkota.go.id/",
        "snapshot_id": 5,
    },
    {
        "kode_program": PUBLIC,
        "nama_program": "Sungaiku Baiman",
        "dimensi": "Smart Branding",
        "skpd": "Dinas PUPR",
        "lokasi_pribadi": "tidak",
        "snapshot_id": 2,
    },
    {
        "kode_program": SHOPS,
        "nama_program": "Baiman Store",
        "dimensi": "Smart Economy",
        "skpd": "Dinas Koperasi",
        "lokasi_pribadi": "tidak",
        "snapshot_id": 3,
    },
]

# Secrets a hostile store row carries for each home; none may reach the browser in any form.
SECRET_WORDS = ("RAHASIA", "Siti", "6371", "0812", "Jl. Sungai", "2024-07-1", "37.5", "Rumah milik")


def home(
    number: int,
    kelurahan: str | None,
    lat: float,
    lon: float,
    status: str = "Selesai",
    kecamatan: str | None = None,
) -> dict[str, Any]:
    """A private home's stored row that leaked everything validation should have removed."""
    return {
        "snapshot_id": 5,
        "sheet_row": number + 1,
        "kode_lokasi": f"RAHASIA-{number:03d}",
        "kode_program": PRIVATE,
        "nama_lokasi": f"Rumah milik Siti binti Ahmad no {number}",
        "jenis": "titik",
        "koordinat": [[lat, lon]],
        "kelurahan": kelurahan,
        "kecamatan": kecamatan,
        "status": status,
        "realisasi_persen": 37.5,
        "tanggal_update": date(2024, 7, 10 + number % 9),
        "keterangan": f"NIK 63710123456789{number:02d}, HP 0812-5555-{number:04d}, Jl. Sungai Baru gang {number}",
    }


# Exact home points, with 6 decimals so any trace of them (rounded to 4, 5 or 6) is recognisable.
HOMES: list[dict[str, Any]] = [
    home(1, "Kelayan Selatan", -3.344721, 114.587683),
    home(2, "kelayan selatan", -3.344987, 114.587971, "Berjalan"),  # any spelling of the name
    home(3, "Kelayan Selatan", -3.344563, 114.586357, "Terhambat"),
    home(4, "Basirih", -3.337619, 114.568123, "Belum dimulai"),
    home(5, "Basirih", -3.337871, 114.567519),
    home(6, "Benua Anyar", -3.308413, 114.614391, "Berjalan"),  # the older spelling of Banua Anyar
    home(7, None, -3.312917, 114.598317, kecamatan="Selatan"),  # no kelurahan: no position at all
    home(8, "Kampung Atlantis", -3.301179, 114.603829, kecamatan="Nowhere"),  # unknown names
]


def _coordinate_traces(lat: float, lon: float) -> set[float]:
    """The numbers a coordinate would leave in JSON, rounded to 4, 5 or 6 decimals."""
    return {round(v, d) for v in (lat, lon) for d in (4, 5, 6)}


HOME_TRACES = {trace for h in HOMES for trace in _coordinate_traces(*h["koordinat"][0])}
# Numbers the map holds whatever the homes are: the bundled kelurahan points and river lines. A home
# rounded to 4 decimals (~10 m) may equal one of them by chance, which tells nothing about the home.
CONTEXT_NUMBERS = {v for k in KELURAHAN for v in (k.lat, k.lon)} | {v for r in RIVERS for p in r.points for v in p}

PUBLIC_SITES: list[dict[str, Any]] = [
    {
        "snapshot_id": 2,
        "sheet_row": 2,
        "kode_lokasi": "SB-01",
        "kode_program": PUBLIC,
        "nama_lokasi": "Ruas Sungai Martapura",
        "jenis": "ruas",
        "koordinat": [[-3.3104123456, 114.6292987654], [-3.3033, 114.6221], [-3.3037, 114.6142]],
        "kelurahan": "Banua Anyar",
        "kecamatan": "Banjarmasin Timur",
        "status": "Selesai",
        "realisasi_persen": 100.0,
        "tanggal_update": date(2024, 12, 31),
        "keterangan": "catatan internal ruas",
    },
    {
        "snapshot_id": 2,
        "sheet_row": 3,
        "kode_lokasi": "SB-02",
        "kode_program": PUBLIC,
        "nama_lokasi": "Ruas Sungai Kelayan",
        "jenis": "ruas",
        "koordinat": [[-3.3278, 114.5945], [-3.3370, 114.5955]],
        "kelurahan": "Kelayan Luar",
        "kecamatan": "Banjarmasin Tengah",
        "status": "Terhambat",
        "realisasi_persen": 40.0,
        "tanggal_update": date(2024, 12, 31),
        "keterangan": None,
    },
    {
        "snapshot_id": 3,
        "sheet_row": 2,
        "kode_lokasi": "BS-01",
        "kode_program": SHOPS,
        "nama_lokasi": "Gerai <img src=x onerror=alert(1)> Balai Kota",
        "jenis": "titik",
        "koordinat": [[-3.3283456789, 114.5881234567]],
        "kelurahan": "Kertak Baru Ilir",
        "kecamatan": "Banjarmasin Tengah",
        "status": "Berjalan",
        "realisasi_persen": None,
        "tanggal_update": date(2024, 12, 31),
        "keterangan": "nomor pengelola 0812-1111-2222",
    },
    {
        "snapshot_id": 3,
        "sheet_row": 3,
        "kode_lokasi": "BS-02",
        "kode_program": SHOPS,
        "nama_lokasi": "Gerai Kelayan",
        "jenis": "titik",
        "koordinat": [[-3.3445, 114.5878]],
        "kelurahan": "Kelayan Selatan",
        "kecamatan": "Banjarmasin Selatan",
        "status": "Belum dimulai",
        "realisasi_persen": 0.0,
        "tanggal_update": None,
        "keterangan": None,
    },
]

ROWS = [*PUBLIC_SITES, *HOMES]


def _view(sites: list[dict[str, Any]] = ROWS, **limits: int) -> Any:
    return map_view(public_sites(sites, PROGRAMS), private_site_counts(sites, PROGRAMS), MapFilter(), **limits)


def _deck_json(sites: list[dict[str, Any]] = ROWS, lang: str = "id", **limits: int) -> str:
    """The map as serialised for the browser; lower limits count sites and homes per kelurahan."""
    return site_deck(_view(sites, **limits), lang).to_json()


def _layers(deck_json: str) -> dict[str, dict[str, Any]]:
    return {layer["id"]: layer for layer in json.loads(deck_json)["layers"]}


def _numbers(node: Any) -> set[float]:
    """Every number anywhere in a JSON tree."""
    if isinstance(node, bool):
        return set()
    if isinstance(node, int | float):
        return {float(node)}
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else []
    return set().union(*(_numbers(child) for child in children)) if children else set()


def _differences(a: Any, b: Any, path: str = "") -> Iterator[str]:
    """The paths where two JSON trees differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            yield from _differences(a.get(key), b.get(key), f"{path}.{key}")
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            yield from _differences(x, y, f"{path}[{i}]")
    elif a != b:
        yield path


# --- the privacy rule -------------------------------------------------------------------------


def test_a_private_programs_homes_never_appear_as_sites() -> None:
    public = public_sites(ROWS, PROGRAMS)
    assert {s["code"] for s in public} == {"SB-01", "SB-02", "BS-01", "BS-02"}
    assert all(s["program"] != PRIVATE for s in public)


def test_homes_are_only_counted_per_program_and_kelurahan_at_the_kelurahans_reference_point() -> None:
    counts = private_site_counts(ROWS, PROGRAMS)

    for group in counts:
        assert tuple(group) == PRIVATE_FIELDS  # nothing else: no codes, names, notes, dates
        if group["kelurahan"] is None:
            assert group["position"] is None  # never guessed from a home's own coordinates
        else:
            area = KELURAHAN_BY_NAME[group["kelurahan"]]
            assert group["position"] == [area.lon, area.lat]  # exactly the reference point
            assert group["kecamatan"] == area.kecamatan

    by_area = {(g["kelurahan"], g["kecamatan"]): g for g in counts}
    assert {area: g["count"] for area, g in by_area.items()} == {
        ("Kelayan Selatan", "Banjarmasin Selatan"): 3,
        ("Basirih", "Banjarmasin Barat"): 2,
        ("Banua Anyar", "Banjarmasin Timur"): 1,
        # An unknown kelurahan keeps only an official kecamatan, if the row gave one.
        (None, "Banjarmasin Selatan"): 1,
        (None, None): 1,
    }
    assert sum(g["count"] for g in counts) == len(HOMES)
    assert by_area["Kelayan Selatan", "Banjarmasin Selatan"]["status_counts"] == {
        "Belum dimulai": 0,
        "Berjalan": 1,
        "Terhambat": 1,
        "Selesai": 1,
    }


def test_nothing_of_a_home_but_counts_per_kelurahan_reaches_the_serialised_map() -> None:
    counts = private_site_counts(ROWS, PROGRAMS)
    deck_json = _deck_json()
    layers = _layers(deck_json)
    serialised = [json.dumps(counts), deck_json, *(json.dumps(layer.get("data")) for layer in layers.values())]

    for text in serialised:
        for secret in SECRET_WORDS:
            assert secret not in text, secret
        # Not one number of the JSON is a home's coordinate, however rounded (but for chance
        # equality with the bundled context, which is there with or without any home).
        assert _numbers(json.loads(text)) & HOME_TRACES <= CONTEXT_NUMBERS

    # The homes' layers are drawn at reference points only, with the count as their only label.
    for layer_id in (HOMES_LAYER, HOMES_COUNT_LAYER):
        data = layers[layer_id]["data"]
        assert {tuple(d["position"]) for d in data} <= REFERENCE_POINTS
    assert sorted(d["count"] for d in layers[HOMES_LAYER]["data"]) == [1, 2, 3]
    assert sorted(d["label"] for d in layers[HOMES_COUNT_LAYER]["data"]) == ["1", "2", "3"]

    # Closed world: every [lon, lat] pair in the deck is a river point, a kelurahan reference point
    # or a public site's (rounded) point. Nothing is left that a home could have given.
    allowed = set(REFERENCE_POINTS)
    allowed |= {(lon, lat) for river in RIVERS for lat, lon in river.points}
    allowed |= {(round(lon, 5), round(lat, 5)) for s in PUBLIC_SITES for lat, lon in s["koordinat"]}
    positions = {pair for pair in json_pairs(json.loads(deck_json)) if 100 < pair[0] < 130}  # not pixel offsets
    assert positions <= allowed


def test_adding_or_removing_one_home_changes_only_a_count() -> None:
    extra = home(9, "Kelayan Selatan", -3.345123, 114.588456, "Berjalan")
    before = private_site_counts(ROWS, PROGRAMS)
    after = private_site_counts([*ROWS, extra], PROGRAMS)

    changed = set(_differences(before, after))
    assert changed == {"[2].count", "[2].status_counts.Berjalan"}, changed  # Kelayan Selatan's group
    assert after[2]["kelurahan"] == "Kelayan Selatan" and after[2]["count"] == before[2]["count"] + 1

    # On the map itself, only the count and what is drawn from it (circle size, label, tooltip,
    # and how far the kelurahan's name sits below the circle) change.
    deck_before = json.loads(_deck_json(ROWS))
    deck_after = json.loads(_deck_json([*ROWS, extra]))
    derived = ("count", "Berjalan", "radius", "label", "tooltip", "offset[1]")
    for path in _differences(deck_before, deck_after):
        assert path.endswith(derived), path
    assert _numbers(deck_after) & _coordinate_traces(-3.345123, 114.588456) <= CONTEXT_NUMBERS

    # Removing a home is the same change the other way round.
    assert set(_differences(after, before)) == changed


def test_when_in_doubt_a_site_is_treated_as_a_home() -> None:
    unknown_program = {**PUBLIC_SITES[2], "kode_program": "QW24-UNKNOWN", "kode_lokasi": "X-1"}
    unreadable_flag = [*PROGRAMS, {**PROGRAMS[2], "kode_program": "QW24-ODD", "lokasi_pribadi": None}]
    odd_site = {**PUBLIC_SITES[3], "kode_program": "QW24-ODD", "kode_lokasi": "ODD-1"}
    # The same code once private and once public (two sources): private wins.
    twice = [*PROGRAMS, {**PROGRAMS[0], "lokasi_pribadi": "tidak"}]

    public = public_sites([unknown_program, odd_site, *HOMES], unreadable_flag)
    assert public == []
    assert public_sites(HOMES, twice) == []
    counts = private_site_counts([unknown_program, odd_site], unreadable_flag)
    assert sorted((g["program"], g["count"]) for g in counts) == [("QW24-ODD", 1), ("QW24-UNKNOWN", 1)]
    assert all("Gerai" not in json.dumps(g) for g in counts)


# --- public sites -----------------------------------------------------------------------------


def test_public_sites_carry_only_the_fields_the_layers_use() -> None:
    for site in public_sites(ROWS, PROGRAMS):
        assert tuple(site) == PUBLIC_FIELDS
    text = json.dumps(public_sites(ROWS, PROGRAMS))
    for internal in ("catatan internal", "0812-1111", "snapshot", "sheet_row", "2024-12-31", "keterangan"):
        assert internal not in text


def test_public_coordinates_are_rounded_to_five_decimals_in_lon_lat_order() -> None:
    by_code = {s["code"]: s for s in public_sites(ROWS, PROGRAMS)}
    assert by_code["BS-01"]["position"] == [114.58812, -3.32835]
    assert by_code["BS-01"]["path"] is None and by_code["BS-01"]["kind"] == "titik"
    assert by_code["SB-01"]["path"] == [[114.6293, -3.31041], [114.6221, -3.3033], [114.6142, -3.3037]]
    assert by_code["SB-01"]["position"] is None and by_code["SB-01"]["kind"] == "ruas"
    assert by_code["SB-01"]["program_name"] == "Sungaiku Baiman"
    assert by_code["SB-01"]["dimension"] == "Smart Branding"


def test_a_segment_with_a_single_point_is_drawn_as_a_point() -> None:
    lone = {**PUBLIC_SITES[0], "koordinat": [[-3.3104, 114.6292]]}
    [site] = public_sites([lone], PROGRAMS)
    assert site["kind"] == "titik" and site["position"] == [114.6292, -3.3104]


# --- filters ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("chosen", "codes", "homes"),
    [
        (MapFilter(), {"SB-01", "SB-02", "BS-01", "BS-02"}, 8),
        (MapFilter.of(dimensions=["Smart Branding"]), {"SB-01", "SB-02"}, 0),
        (MapFilter.of(dimensions=["Smart Living"]), set(), 8),
        (MapFilter.of(programs=[SHOPS]), {"BS-01", "BS-02"}, 0),
        (MapFilter.of(programs=[PRIVATE, SHOPS]), {"BS-01", "BS-02"}, 8),
        (MapFilter.of(statuses=["Terhambat"]), {"SB-02"}, 1),
        (MapFilter.of(statuses=["Selesai", "Berjalan"]), {"SB-01", "BS-01"}, 6),
        (MapFilter.of(kecamatan=["Banjarmasin Selatan"]), {"BS-02"}, 4),
        (MapFilter.of(kecamatan=["Banjarmasin Tengah"], statuses=["Berjalan"]), {"BS-01"}, 0),
        (MapFilter.of(kecamatan=["Banjarmasin Barat"], dimensions=["Smart Living"], statuses=["Selesai"]), set(), 1),
    ],
)
def test_filters_keep_the_sites_and_homes_that_match_every_chosen_filter(
    chosen: MapFilter, codes: set[str], homes: int
) -> None:
    public = filter_public(public_sites(ROWS, PROGRAMS), chosen)
    private = filter_private(private_site_counts(ROWS, PROGRAMS), chosen)
    assert {s["code"] for s in public} == codes
    assert sum(g["count"] for g in private) == homes
    assert all(g["count"] > 0 for g in private)  # a group with no home left is not drawn


def test_a_status_filter_counts_only_the_homes_in_that_status() -> None:
    private = filter_private(private_site_counts(ROWS, PROGRAMS), MapFilter.of(statuses=["Berjalan"]))
    assert [(g["kelurahan"], g["count"], g["status_counts"]["Berjalan"]) for g in private] == [
        ("Banua Anyar", 1, 1),
        ("Kelayan Selatan", 1, 1),
    ]
    assert all(g["status_counts"]["Selesai"] == 0 for g in private)


# --- the deck ---------------------------------------------------------------------------------


def test_the_deck_has_context_layers_status_colours_and_a_text_tooltip() -> None:
    deck = site_deck(_view(), "en")
    spec = json.loads(deck.to_json())
    layers = {layer["id"]: layer for layer in spec["layers"]}

    assert list(layers) == [
        RIVERS_LAYER,
        KELURAHAN_LAYER,
        SEGMENTS_LAYER,
        POINTS_LAYER,
        HOMES_LAYER,
        HOMES_COUNT_LAYER,
        SITE_AREAS_LAYER,
        HOME_AREAS_LAYER,
    ]
    assert layers[SITE_AREAS_LAYER]["data"] == []  # four sites are drawn one by one
    assert [r["name"] for r in layers[RIVERS_LAYER]["data"]] == [r.name for r in RIVERS]
    # The names that fit without overlapping (core.map_camera; tests/test_map_camera.py), the city's own.
    names = {d["name"] for d in layers[KELURAHAN_LAYER]["data"]}
    assert names < {k.nama for k in KELURAHAN} and len(names) >= 20
    assert spec["mapProvider"] == "carto" and "positron" in spec["mapStyle"]
    assert spec["initialViewState"]["latitude"] == CITY_HALL[0]
    assert spec["initialViewState"]["longitude"] == CITY_HALL[1]

    # Each site's colour is its status's Okabe–Ito colour; its tooltip says the status in words.
    for layer_id in (SEGMENTS_LAYER, POINTS_LAYER):
        for d in layers[layer_id]["data"]:
            assert d["color"][:3] == list(STATUS_COLOURS[d["status"]])
            label = next(s.label.en for s in STATUSES if s.canonical == d["status"])
            assert label in d["tooltip"]
    assert {d["code"] for d in layers[SEGMENTS_LAYER]["data"]} == {"SB-01", "SB-02"}
    assert {d["code"] for d in layers[POINTS_LAYER]["data"]} == {"BS-01", "BS-02"}

    # The text form of the tooltip: sheet text is shown as text, never rendered as HTML.
    assert deck._tooltip == {"text": "{tooltip}"}
    assert "html" not in deck._tooltip
    assert len(set(STATUS_COLOURS.values())) == len(STATUS_COLOURS)


def test_the_rivers_lie_in_the_city() -> None:
    assert len(RIVERS) == 8
    for river in RIVERS:
        assert len(river.points) >= 3
        assert all(in_city(lat, lon) for lat, lon in river.points), river.name


# --- a click --------------------------------------------------------------------------------


def test_a_click_is_resolved_against_the_servers_records_never_trusted() -> None:
    view = _view()

    clicked = {"objects": {POINTS_LAYER: [{"code": "BS-02", "program": SHOPS, "name": "forged"}]}}
    found = resolve_selection(picked_object(clicked), view)
    assert found is not None and found["name"] == "Gerai Kelayan"

    group = {"objects": {HOMES_LAYER: [{"program": PRIVATE, "kelurahan": "Basirih", "count": 999}]}}
    found = resolve_selection(picked_object(group), view)
    assert found is not None and found["count"] == 2

    # A forged object naming a home's code finds nothing: homes are not among the public records.
    forged = {"objects": {POINTS_LAYER: [{"code": "RAHASIA-001", "program": PRIVATE}]}}
    assert resolve_selection(picked_object(forged), view) is None
    assert resolve_selection(picked_object({"objects": {}}), view) is None
    assert resolve_selection(picked_object(None), view) is None


def test_a_click_on_a_counted_kelurahan_finds_that_kelurahans_count() -> None:
    view = _view(site_limit=1, home_group_limit=1)
    area = {"area": "lokasi", "kelurahan": "Kelayan Selatan", "kecamatan": "Banjarmasin Selatan", "count": 7}
    found = resolve_selection(picked_object({"objects": {SITE_AREAS_LAYER: [area]}}), view)
    assert found is not None and found["count"] == 1 and found["kind"] == "lokasi"

    homes = {**area, "area": "rumah"}
    found = resolve_selection(picked_object({"objects": {HOME_AREAS_LAYER: [homes]}}), view)
    assert found is not None and found["count"] == 3 and found["kind"] == "rumah"

    # A site's code is not found while sites are only counted: nothing is drawn one by one.
    clicked = {"objects": {POINTS_LAYER: [{"code": "BS-02", "program": SHOPS}]}}
    assert resolve_selection(picked_object(clicked), view) is None
    nowhere = {**area, "kelurahan": "Atlantis"}
    assert resolve_selection(picked_object({"objects": {SITE_AREAS_LAYER: [nowhere]}}), view) is None


def _details_app(selected: object, program: object) -> None:
    from components.map_deck import site_details

    site_details(selected, "id", program)  # type: ignore[arg-type]


def test_site_details_show_sheet_text_as_text_and_offer_only_http_links() -> None:
    hostile = {
        **public_sites(ROWS, PROGRAMS)[2],
        "name": "Gerai ![x](https://evil.example/p.png) [klik](javascript:alert(1)) <b>tebal</b>",
    }
    bad_link = {**PROGRAMS[2], "tautan": "javascript:alert(1)", "skpd": "Dinas *Koperasi*"}
    at = AppTest.from_function(_details_app, args=(hostile, bad_link))
    at.run()
    assert not at.exception
    names = [m.value for m in at.markdown if "Gerai" in m.value]
    assert names
    for name in names:
        assert "\\!\\[x\\]" in name and "\\<b\\>" in name and "\\(javascript\\:" in name
    assert not any(m.allow_html for m in at.markdown)
    assert not at.get("link_button")  # javascript: is never offered as a link

    good = AppTest.from_function(_details_app, args=(hostile, PROGRAMS[0]))
    good.run()
    [button] = good.get("link_button")
    assert button.proto.url == "https://banjarmasinkota.go.id/"


def test_a_homes_details_are_its_counts_only() -> None:
    group = next(g for g in private_site_counts(ROWS, PROGRAMS) if g["kelurahan"] == "Kelayan Selatan")
    at = AppTest.from_function(_details_app, args=(group, None))
    at.run()
    assert not at.exception
    text = "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption])
    assert "3 rumah penerima" in text and "Kelayan Selatan" in text
    assert "Selesai: 1" in text and "Terhambat: 1" in text
    for secret in SECRET_WORDS:
        assert secret not in text


def test_many_homes_in_one_kelurahan_are_counted_exactly_and_their_statuses_add_up() -> None:
    many = [home(i, "Pekauman", -3.3329 + i * 1e-5, 114.5898, STATUSES[i % 4].canonical) for i in range(1, 41)]
    [group] = private_site_counts(many, PROGRAMS)
    assert group["count"] == 40
    assert sum(group["status_counts"].values()) == 40
    assert Counter(h["status"] for h in many) == Counter({s: n for s, n in group["status_counts"].items() if n})


# --- many sites: counted per kelurahan ------------------------------------------------------


def test_above_the_limit_sites_are_counted_per_kelurahan_at_their_mean_point() -> None:
    view = _view(site_limit=3)
    assert view.sites_counted and view.sites == []
    assert view.matching_sites == 4
    for area in view.site_areas:
        assert tuple(area) == AREA_FIELDS and area["kind"] == "lokasi"
    by_name = {a["kelurahan"]: a for a in view.site_areas}
    assert sum(a["count"] for a in view.site_areas) == 4
    assert {name: a["count"] for name, a in by_name.items()} == {
        "Banua Anyar": 1,
        "Kelayan Luar": 1,
        "Kelayan Selatan": 1,
        "Kertak Baru Ilir": 1,
    }
    # A segment is placed by its first point; public points are public, so their mean is drawn.
    assert by_name["Banua Anyar"]["position"] == [114.6293, -3.31041]
    assert by_name["Kelayan Luar"]["status_counts"]["Terhambat"] == 1
    # Exactly at the limit, every site is drawn.
    assert _view(site_limit=4).sites_counted is False


def test_many_sites_in_one_kelurahan_add_up_by_status_and_program() -> None:
    base = PUBLIC_SITES[3]  # Gerai Kelayan, Kelayan Selatan
    many = [
        {
            **base,
            "kode_lokasi": f"G-{i}",
            "koordinat": [[-3.344 - i * 1e-4, 114.587]],
            "status": STATUSES[i % 4].canonical,
        }
        for i in range(12)
    ]
    [area] = map_view(public_sites(many, PROGRAMS), [], MapFilter(), site_limit=5).site_areas
    assert area["count"] == 12 and area["programs"] == 1
    assert area["status_counts"] == {s.canonical: 3 for s in STATUSES}
    assert area["position"] == [114.587, round(sum(-3.344 - i * 1e-4 for i in range(12)) / 12, 5)]


def test_homes_summed_per_kelurahan_still_tell_nothing_but_counts() -> None:
    deck_json = _deck_json(site_limit=1, home_group_limit=1)
    layers = _layers(deck_json)
    assert layers[HOMES_LAYER]["data"] == []  # summed per kelurahan, not per program
    homes = layers[HOME_AREAS_LAYER]["data"]
    assert {tuple(d["position"]) for d in homes} <= REFERENCE_POINTS
    assert sorted(d["count"] for d in homes) == [1, 2, 3]  # kelurahan without a point are not drawn
    assert all(d["area"] == "rumah" and "program" not in d for d in homes)
    for secret in SECRET_WORDS:
        assert secret not in deck_json
    assert _numbers(json.loads(deck_json)) & HOME_TRACES <= CONTEXT_NUMBERS
    # Sites are only counted: no site's code or name reaches the browser, only kelurahan and counts.
    assert layers[POINTS_LAYER]["data"] == [] and layers[SEGMENTS_LAYER]["data"] == []
    assert "BS-01" not in deck_json and "Gerai" not in deck_json
    assert [d["label"] for d in layers[SITE_AREAS_LAYER]["data"]] == ["1 lokasi"] * 4
    assert sorted(d["label"] for d in homes) == ["1 rumah", "2 rumah", "3 rumah"]


def test_the_kelurahan_filter_keeps_only_that_kelurahan() -> None:
    chosen = MapFilter.of(kelurahan=["Kelayan Selatan"])
    view = map_view(public_sites(ROWS, PROGRAMS), private_site_counts(ROWS, PROGRAMS), chosen)
    assert [s["code"] for s in view.sites] == ["BS-02"]
    assert [(g["kelurahan"], g["count"]) for g in view.homes] == [("Kelayan Selatan", 3)]


def _city_of_sites(count: int, homes: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``count`` public sites over every kelurahan in two programs, and ``homes`` homes in ten private programs."""
    programs = [
        {"kode_program": f"P-{p}", "nama_program": f"Program umum nomor {p}", "dimensi": "Smart Economy"}
        | {"lokasi_pribadi": "tidak"}
        for p in range(2)
    ] + [
        {
            "kode_program": f"H-{p}",
            "nama_program": f"Bedah rumah {p}",
            "dimensi": "Smart Living",
            "lokasi_pribadi": "ya",
        }
        for p in range(10)
    ]
    rows = []
    for i in range(count + homes):
        area = KELURAHAN[i % len(KELURAHAN)]
        rows.append(
            {
                "kode_lokasi": f"L-{i:06d}",
                "kode_program": f"P-{i % 2}" if i < count else f"H-{i % 10}",
                "nama_lokasi": f"Lokasi nomor {i} di kelurahan {area.nama}",
                "jenis": "titik",
                "koordinat": [[area.lat + (i % 97) * 1e-5, area.lon - (i % 89) * 1e-5]],
                "kelurahan": area.nama,
                "kecamatan": area.kecamatan,
                "status": STATUSES[i % 4].canonical,
                "realisasi_persen": float(i % 101),
            }
        )
    return rows, programs


def test_a_city_of_ten_thousand_sites_stays_a_light_map_and_every_site_is_counted() -> None:
    """Scale M's default view: the page's target is 150 KB; the deck must leave room for the rest."""
    rows, programs = _city_of_sites(10_000, 2_000)
    view = map_view(public_sites(rows, programs), private_site_counts(rows, programs), MapFilter())
    deck_json = site_deck(view, "id").to_json()
    assert len(deck_json.encode()) < 60_000, len(deck_json)
    assert sum(a["count"] for a in view.site_areas) == 10_000
    assert sum(a["count"] for a in view.home_areas) == 2_000
    assert len(view.site_areas) == len(KELURAHAN)

    # One kelurahan of one program is drawn site by site again: nothing a reader could see is lost.
    narrow = map_view(
        public_sites(rows, programs),
        private_site_counts(rows, programs),
        MapFilter.of(programs=["P-0"], kelurahan=[KELURAHAN[0].nama]),
    )
    assert not narrow.sites_counted and len(narrow.sites) == len(
        [r for r in rows[:10_000] if r["kode_program"] == "P-0" and r["kelurahan"] == KELURAHAN[0].nama]
    )


def _area_details_app() -> None:
    import streamlit as st

    from components.map_deck import site_details

    area = {
        "kind": "lokasi",
        "kelurahan": "Kelayan Selatan",
        "kecamatan": "Banjarmasin Selatan",
        "count": 1234,
        "status_counts": {"Belum dimulai": 0, "Berjalan": 1000, "Terhambat": 34, "Selesai": 200},
        "programs": 3,
        "position": [114.5878, -3.3445],
    }
    site_details(area, "id")  # type: ignore[arg-type]
    st.write(st.session_state.get("kelurahan"))


def test_a_counted_kelurahans_details_offer_to_show_its_sites() -> None:
    at = AppTest.from_function(_area_details_app)
    at.run()
    assert not at.exception
    text = "\n".join(m.value for m in at.markdown)
    assert "1.234 lokasi program (3 program)" in text and "Berjalan" in text and "1.000" in text
    at.button(key="map_area_show").click().run()
    assert at.session_state["kelurahan"] == ["Kelayan Selatan"]
