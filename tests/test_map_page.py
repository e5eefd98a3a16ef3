"""The map page, run through Streamlit's AppTest on the bundled sample workbooks and a real SQLite store.

The RTLH workbook holds 100 homes with (made-up) exact points; the page's deck must hold none of
them, only counts at kelurahan points, beside the river context layer and the public sites.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
from builders import json_pairs
from city_basemap import build_city_archive
from conftest import SAMPLE_DATA, PortalSetup, run_app
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block, Node

from components.map_deck import (
    HOME_AREAS_LAYER,
    HOMES_LAYER,
    POINTS_LAYER,
    RIVERS_LAYER,
    SEGMENTS_LAYER,
    SITE_AREAS_LAYER,
    TABLES_KEY,
)
from core.basemap_style import STYLE_PATH as BASEMAP_STYLE_PATH
from core.rivers import RIVERS
from core.wilayah import KELURAHAN

PAGE = str(Path(__file__).resolve().parent.parent / "app_pages" / "map.py")
RTLH = SAMPLE_DATA / "disperkim_bakawan_rtlh.xlsx"
HOMES_IN_RTLH = 100
REFERENCE_POINTS = {(k.lon, k.lat) for k in KELURAHAN}


def _first(**params: str | list[str]) -> AppTest:
    """As a reader arriving on /peta with these URL parameters: the picture, no deck, no table yet."""
    return run_app("app_pages/map.py", **params)


def _open(at: AppTest) -> AppTest:
    """The reader opens the interactive map and shows the tables (issue 23: both only when asked for)."""
    [button] = [b for b in at.button if b.key == "map_open"]
    button.click().run()
    for toggle in [t for t in at.toggle if t.key == TABLES_KEY]:  # none when nothing matches the filters
        toggle.set_value(True).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _run(**params: str | list[str]) -> AppTest:
    """As a reader arriving on /peta with these URL parameters who opened the interactive map and the tables."""
    return _open(_first(**params))


def _deck(at: AppTest) -> dict[str, Any]:
    [chart] = at.get("deck_gl_json_chart")
    return json.loads(chart.proto.json)


def _layers(at: AppTest) -> dict[str, list[dict[str, Any]]]:
    return {layer["id"]: layer.get("data", []) for layer in _deck(at)["layers"]}


def _text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [s.value for s in at.subheader]
    parts += [w.value for w in at.warning] + [i.value for i in at.info] + [t.value for t in at.title]
    return "\n".join(parts)


def _raw_homes() -> list[tuple[float, float]]:
    """The homes' points exactly as the clerk typed them in the RTLH workbook (decimal commas and all)."""
    sheet = openpyxl.load_workbook(RTLH, read_only=True)["lokasi"]
    rows = list(sheet.iter_rows(values_only=True))
    column = rows[0].index("koordinat")
    points = []
    for row in rows[1:]:
        # Read here without the portal's parser: "-3,34472, 114,58768" is lat, lon with decimal commas.
        lat, lon = (float(part.replace(",", ".")) for part in str(row[column]).split(", "))
        points.append((lat, lon))
    return points


def test_the_map_renders_in_both_languages_with_the_sample_notice_legend_and_table(sample_portal: PortalSetup) -> None:
    at = _run()
    text = _text(at)
    assert "Peta lokasi program" in text
    assert "Data contoh" in text  # the sample-data notice
    assert "Keterangan peta" in text and "Belum dimulai" in text and "#D55E00" in text  # colour with its word
    assert "klik sebuah titik" in text  # how to get a site's details
    labels = [m.label for m in at.multiselect]
    assert labels == ["Dimensi", "Program Quick Win", "Status lokasi", "Kecamatan", "Kelurahan"]
    sites, homes = at.dataframe[0].value, at.dataframe[1].value
    assert "Ruas Sungai Martapura (hulu, Sungai Lulut–Banua Anyar)" in set(sites["Lokasi"])
    assert homes["Jumlah rumah"].sum() == HOMES_IN_RTLH
    assert not any(m.allow_html for m in at.markdown)

    english = _run(lang="en")
    text = _text(english)
    assert "Map of the program sites" in text
    assert "Sample data" in text
    assert "Map legend" in text and "Not started" in text and "Delayed" in text
    assert [m.label for m in english.multiselect] == [
        "Dimension",
        "Quick Win program",
        "Site status",
        "Kecamatan (district)",
        "Kelurahan (ward)",
    ]
    assert "Homes" in english.dataframe[1].value.columns


def test_the_deck_holds_the_river_context_and_no_home_of_the_rtlh_workbook(sample_portal: PortalSetup) -> None:
    at = _run()
    [chart] = at.get("deck_gl_json_chart")
    spec = json.loads(chart.proto.json)
    layers = _layers(at)

    assert [r["name"] for r in layers[RIVERS_LAYER]] == [r.name for r in RIVERS]
    assert json.loads(chart.proto.tooltip) == {"text": "{tooltip}"}  # text, never html
    assert spec["mapProvider"] == "carto"

    # Homes: counted per kelurahan, at reference points, all 100 of them and nothing else of theirs.
    assert {tuple(h["position"]) for h in layers[HOMES_LAYER]} <= REFERENCE_POINTS
    assert sum(h["count"] for h in layers[HOMES_LAYER]) == HOMES_IN_RTLH
    everything = chart.proto.json + chart.proto.tooltip
    assert "RTLH24-" not in everything and "Rumah RTLH" not in everything and "Rehab" not in everything

    # None of the homes' own points, rounded however, is in the deck as a [lon, lat] pair.
    homes = _raw_homes()
    assert len(homes) == HOMES_IN_RTLH
    found = set(json_pairs(spec))
    for lat, lon in homes:
        for digits in (4, 5, 6):
            assert (round(lon, digits), round(lat, digits)) not in found, (lat, lon)
        # ...nor as the text a clerk typed, with a decimal point or comma.
        assert f"{lat}, {lon}" not in everything and f"{lat:.5f}".replace(".", ",") not in everything


def test_query_parameters_select_the_filters(sample_portal: PortalSetup) -> None:
    at = _run(kecamatan="Banjarmasin Selatan", status=["Selesai", "Berjalan"])
    assert [m.value for m in at.multiselect] == [[], [], ["Selesai", "Berjalan"], ["Banjarmasin Selatan"], []]
    layers = _layers(at)
    sites = layers[POINTS_LAYER] + layers[SEGMENTS_LAYER]
    assert sites, "the sample data has public sites in Banjarmasin Selatan"
    # The layers carry only what they draw; the table beside them says where each drawn site is.
    table, homes = at.dataframe[0].value, at.dataframe[1].value
    assert set(table["Kode"]) == {s["code"] for s in sites}
    assert set(table["Kecamatan"]) == {"Banjarmasin Selatan"}
    assert {s["status"] for s in sites} <= {"Selesai", "Berjalan"}
    assert {h["kecamatan"] for h in layers[HOMES_LAYER]} == {"Banjarmasin Selatan"}
    assert list(homes["Jumlah rumah"]) == list(homes["Selesai"] + homes["Berjalan"])
    assert sorted(h["count"] for h in layers[HOMES_LAYER]) == sorted(homes["Jumlah rumah"])

    only_rivers = _run(dimensi="Smart Branding")
    layers = _layers(only_rivers)
    assert layers[SEGMENTS_LAYER] and not layers[POINTS_LAYER] and not layers[HOMES_LAYER]
    assert only_rivers.dataframe[0].value.shape[0] == len(layers[SEGMENTS_LAYER])


def test_a_link_works_whichever_language_its_filter_values_are_in(sample_portal: PortalSetup) -> None:
    # "Terhambat" is the Indonesian (and canonical) word; the page is in English.
    at = _run(lang="en", status="Terhambat", dimensi="Smart Branding")
    assert at.multiselect[2].value == ["Terhambat"]
    assert at.multiselect[0].value == ["Smart Branding"]
    assert {s["status"] for s in _layers(at)[SEGMENTS_LAYER]} == {"Terhambat"}
    assert not at.info  # nothing was ignored

    indonesian = _run(status="Delayed")
    assert indonesian.multiselect[2].value == ["Terhambat"]


def test_an_unknown_filter_value_in_the_url_falls_back_politely(sample_portal: PortalSetup) -> None:
    everything = _layers(_run())
    at = _first(kecamatan="Atlantis", status=["Bogus", "Selesai"], nama_program="<script>alert(1)</script>")

    notes = [i.value for i in at.info]  # said on arrival (a rerun's URL no longer holds the unknown values)
    assert any("Atlantis" in n for n in notes) and any("Bogus" in n for n in notes)
    assert any("script" in n for n in notes) and all("<script>" not in n for n in notes)  # escaped, as text
    assert [m.value for m in at.multiselect] == [[], [], ["Selesai"], [], []]
    layers = _layers(_open(at))
    # Unknown values are ignored: everything in the known "Selesai" status is shown, in every kecamatan.
    assert len(layers[SEGMENTS_LAYER]) == sum(1 for s in everything[SEGMENTS_LAYER] if s["status"] == "Selesai")
    assert len({h["kecamatan"] for h in layers[HOMES_LAYER]}) > 1


def test_filters_that_match_nothing_say_so(sample_portal: PortalSetup) -> None:
    at = _run(dimensi="Smart Society")  # Portal Pendidikan has no sites
    assert any("Tidak ada lokasi" in i.value for i in at.info)
    layers = _layers(at)
    assert not layers[POINTS_LAYER] and not layers[SEGMENTS_LAYER] and not layers[HOMES_LAYER]
    assert layers[RIVERS_LAYER]  # the context stays


def test_the_map_and_the_program_page_share_a_session_without_their_url_parameters_clashing(
    sample_portal: PortalSetup, tmp_path: Path
) -> None:
    # The program page sets ?program= itself; a map filter bound to the same name would make it fail.
    pages = Path(PAGE).parent
    at = AppTest.from_file(str(pages.parent / "app.py"), default_timeout=60)
    at.run()
    for page in ("map.py", "program.py", "map.py"):
        at.switch_page(f"app_pages/{page}")
        at.run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert not at.error, (page, [e.value for e in at.error])  # the app's apology would show here
    at.multiselect[1].select("QW24-DLH-01").run()
    at.switch_page("app_pages/program.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def test_with_basemap_none_the_map_draws_only_its_own_context_and_says_so(sample_portal: PortalSetup) -> None:
    with sample_portal.config_path.open("a", encoding="utf-8") as config:
        config.write('\n[map]\nbasemap = "none"\n')
    at = _run()
    spec = _deck(at)
    # No provider and no style address: nothing for a browser to fetch elsewhere (tests/browser proves it in Chromium).
    assert spec.get("mapProvider") is None and "://" not in str(spec.get("mapStyle"))
    assert [r["name"] for r in _layers(at)[RIVERS_LAYER]] == [r.name for r in RIVERS]
    captions = [c.value for c in at.caption]
    assert any(c.startswith("Tanpa peta dasar dari pihak ketiga") for c in captions)
    assert not any("CARTO" in c for c in captions)


def test_with_the_own_basemap_the_map_asks_the_portal_for_its_style_and_credits_openstreetmap(
    sample_portal: PortalSetup,
) -> None:
    archive = build_city_archive(sample_portal.config_path.parent / "city.pmtiles", max_zoom=10)
    with sample_portal.config_path.open("a", encoding="utf-8") as config:
        config.write(f'\n[map]\nbasemap = "pmtiles"\nbasemap_file = "{archive.name}"\n')
    at = _run()
    spec = _deck(at)
    # The portal's own style, by its path: the page's own address, no provider, no host of a third party.
    assert spec.get("mapProvider") is None and spec.get("mapStyle") == BASEMAP_STYLE_PATH
    assert [r["name"] for r in _layers(at)[RIVERS_LAYER]] == [r.name for r in RIVERS]
    captions = [c.value for c in at.caption]
    assert any(c.startswith("Peta dasar dari portal sendiri") and "OpenStreetMap" in c for c in captions)
    assert not any("CARTO" in c for c in captions)


def test_with_the_own_basemap_s_file_missing_the_map_goes_without_a_basemap(sample_portal: PortalSetup) -> None:
    with sample_portal.config_path.open("a", encoding="utf-8") as config:
        config.write('\n[map]\nbasemap = "pmtiles"\nbasemap_file = "hilang/city.pmtiles"\n')
    at = _run()
    spec = _deck(at)
    # As basemap = "none": pydeck's placeholder style, which Streamlit reads as no basemap; nothing to fetch.
    assert spec.get("mapProvider") is None and spec.get("mapStyle") == "__MAP_STYLE__"
    captions = [c.value for c in at.caption]
    assert any(c.startswith("Tanpa peta dasar dari pihak ketiga") for c in captions)


def test_above_the_configured_limit_the_map_counts_sites_per_kelurahan_and_a_kelurahan_shows_each(
    sample_portal: PortalSetup,
) -> None:
    with sample_portal.config_path.open("a", encoding="utf-8") as config:
        config.write("\n[map]\nsite_limit = 5\nhome_group_limit = 3\n")
    at = _run()
    layers = _layers(at)
    assert not layers[POINTS_LAYER] and not layers[SEGMENTS_LAYER]  # more than 5 sites match: none drawn alone
    counts = layers[SITE_AREAS_LAYER]
    assert counts and all(c["label"].endswith(" lokasi") for c in counts)
    assert not layers[HOMES_LAYER] and layers[HOME_AREAS_LAYER]  # homes summed per kelurahan
    assert {tuple(h["position"]) for h in layers[HOME_AREAS_LAYER]} <= REFERENCE_POINTS
    assert any("terlalu banyak untuk digambar satu per satu" in i.value and "5 lokasi" in i.value for i in at.info)
    sites_per_area = at.dataframe[0].value
    assert sites_per_area["Jumlah lokasi"].sum() == sum(c["count"] for c in counts)

    # One kelurahan: few enough sites, each drawn with its own point again, and the table lists them.
    one = _run(kelurahan="Kertak Baru Ilir")
    layers = _layers(one)
    assert layers[POINTS_LAYER] and not layers[SITE_AREAS_LAYER]
    assert set(one.dataframe[0].value["Kelurahan"]) == {"Kertak Baru Ilir"}
    assert not any("terlalu banyak" in i.value for i in one.info)


# --- finding one's kelurahan (issue #26, items 4 and 5) ----------------------------------------------------------

SELATAN = sorted(k.nama for k in KELURAHAN if k.kecamatan == "Banjarmasin Selatan")


def test_a_chosen_kecamatan_narrows_the_kelurahan_filter_to_its_own_kelurahan(sample_portal: PortalSetup) -> None:
    everywhere = _run()
    assert everywhere.multiselect[4].options == sorted(k.nama for k in KELURAHAN)

    at = _run(kecamatan="Banjarmasin Selatan")
    assert at.multiselect[4].options == SELATAN
    # Changing the kecamatan on the page narrows the list again, to the new kecamatan's kelurahan.
    at.multiselect[3].unselect("Banjarmasin Selatan").select("Banjarmasin Timur").run()
    assert set(at.multiselect[4].options) == {k.nama for k in KELURAHAN if k.kecamatan == "Banjarmasin Timur"}


def test_a_kelurahan_outside_a_newly_chosen_kecamatan_is_taken_off_the_filter_with_a_note(
    sample_portal: PortalSetup,
) -> None:
    at = _run(kelurahan="Kuripan")  # in Banjarmasin Timur
    assert at.multiselect[4].value == ["Kuripan"]
    at.multiselect[3].select("Banjarmasin Selatan").run()
    assert at.multiselect[4].value == []
    assert any("Kuripan tidak berada di Kecamatan Banjarmasin Selatan" in i.value for i in at.info)
    # Not an empty map: every site of the new kecamatan is shown.
    assert _layers(at)[POINTS_LAYER] or _layers(at)[SEGMENTS_LAYER]

    # The same from a shared link that holds both: the kecamatan is kept, the kelurahan outside it is not.
    linked = _first(kecamatan="Banjarmasin Selatan", kelurahan=["Kuripan", "Kelayan Selatan"])
    assert linked.multiselect[4].value == ["Kelayan Selatan"]
    assert any("Kuripan" in i.value for i in linked.info)
    assert not any("tidak dikenal" in i.value for i in linked.info)  # a known kelurahan, just elsewhere


def test_the_map_opens_on_the_chosen_area(sample_portal: PortalSetup) -> None:
    city = _deck(_run())["initialViewState"]
    kecamatan = _deck(_run(kecamatan="Banjarmasin Selatan"))["initialViewState"]
    kelurahan = _deck(_run(kecamatan="Banjarmasin Selatan", kelurahan="Kelayan Selatan"))["initialViewState"]
    assert kelurahan["zoom"] > city["zoom"] and kelurahan["zoom"] > kecamatan["zoom"]
    point = next(k for k in KELURAHAN if k.nama == "Kelayan Selatan")
    assert abs(kelurahan["latitude"] - point.lat) < 0.01 and abs(kelurahan["longitude"] - point.lon) < 0.01
    assert kecamatan["latitude"] < city["latitude"]  # Banjarmasin Selatan is south of the town hall


def test_the_tables_start_with_the_kelurahan_not_the_program(sample_portal: PortalSetup) -> None:
    at = _run(kecamatan="Banjarmasin Selatan", lang="en")
    sites, homes = at.dataframe[0].value, at.dataframe[1].value
    assert list(sites.columns[:3]) == ["Kelurahan (ward)", "Site", "Site status"]
    assert list(homes.columns[:2]) == ["Kelurahan (ward)", "Homes"]
    assert list(homes.columns[-2:]) == ["Quick Win program", "Kecamatan (district)"]


# --- the picture first, the interactive map when asked for (issue 23) -------------------------------------------


def _in_order(node: Node) -> Iterator[Node]:
    """Every element of the page, in the order it is drawn on the screen."""
    if isinstance(node, Block):
        for child in node.children.values():
            yield from _in_order(child)
    else:
        yield node


def test_the_map_opens_as_a_picture_of_its_filters_before_them_and_the_deck_loads_when_asked(
    sample_portal: PortalSetup,
) -> None:
    at = _first(status="Selesai", kecamatan="Banjarmasin Selatan")
    assert not at.get("deck_gl_json_chart") and not at.dataframe  # no deck.gl and no grid until asked for
    drawn = list(_in_order(at.main))
    pictures = [i for i, e in enumerate(drawn) if e.type == "markdown" and "/grafik/peta-kota.svg" in e.value]
    filters = [i for i, e in enumerate(drawn) if e.type == "multiselect"]
    assert len(pictures) == 1 and len(filters) == 5 and pictures[0] < filters[0]  # the map first, then its filters
    picture = drawn[pictures[0]].value.replace("\\", "")  # read as shown: the words are escaped markdown
    # The page's filters in the picture's address, in the page's canonical order; its figures in words beside it.
    assert "](/grafik/peta-kota.svg?status=Selesai&kecamatan=Banjarmasin+Selatan)" in picture
    assert picture.startswith("![Peta Kota Banjarmasin: ") and " lokasi program: Selesai " in picture
    assert "rumah penerima di " in picture
    assert [b.label for b in at.button if b.key == "map_open"] == ["Buka peta interaktif"]

    # Opened, the interactive map replaces the picture, with the details and legend; it stays open on a filter change.
    _open(at)
    assert at.get("deck_gl_json_chart") and not any("/grafik/peta-kota.svg" in m.value for m in at.markdown)
    assert "Keterangan peta" in _text(at)
    at.multiselect[3].unselect("Banjarmasin Selatan").run()
    assert at.get("deck_gl_json_chart") and at.dataframe

    english = _first(dimensi="Smart Branding", lang="en")
    [picture] = [m.value.replace("\\", "") for m in english.markdown if "/grafik/peta-kota.svg" in m.value]
    assert "](/grafik/peta-kota.svg?dimensi=Smart+Branding&lang=en)" in picture and "program sites: " in picture
    assert [b.label for b in english.button if b.key == "map_open"] == ["Open the interactive map"]
