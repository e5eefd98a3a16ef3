"""The OC4IDS export (``core.oc4ids``) against the standard's published schema and code lists.

The schema is the real one: OC4IDS 0.9.4's ``project-package-schema.json``, ``project-schema.json`` and
``codelists/*.csv``, copied unchanged into ``tests/oc4ids-0.9.4/`` (Apache 2.0, with its licence). Two judges read it:

- the standard's own review library, ``libcoveoc4ids`` (pinned in requirements-dev.txt), on the ``oc4ids.json`` the
  open-data job publishes from the sample data: schema validation, code lists, additional fields and the
  conformance check of the project id prefix, as the OC4IDS Data Review Tool reports them;
- ``jsonschema`` (draft 4, as the schema declares, with its format checker) on every package the mapping tests
  build, fast enough for each of them.

On top of the schema, ``assert_valid_package`` checks what the standard says in prose: ``docs/cost/ids/core.md``
("Implementation progress reports": ``unit`` {name "percent", id "P1", scheme "UNCEFACT"}, ``period`` on the day
measured), ids unique within their arrays, and GeoJSON's [longitude, latitude] order (RFC 7946, which the schema
cites).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from builders import TODAY, capaian, json_pairs, lokasi, program, validate, workbook
from conftest import PortalSetup
from libcoveoc4ids.additional_checks import project_prefix
from oc4ids_review import codes, package_validator, review, schema_host

from core.contract import DIMENSIONS, STATUSES
from core.oc4ids import (
    INDICATOR,
    PROJECT_STATUS,
    PROJECT_TYPES,
    SECTORS,
    PackageMeta,
    ProgramSource,
    build_package,
    prefix_is_registered_shape,
    project_id,
)
from core.validation import validate_workbook
from core.wilayah import KELURAHAN
from data_sources.config.portal_config import OpenDataConfig
from data_sources.jobs.sync import run_sync
from data_sources.readers.workbook import read_workbook
from data_sources.store.snapshot_store import Store

SAMPLE_DATA = Path(__file__).resolve().parent.parent / "sample_data"
README = Path(__file__).resolve().parent.parent / "README.md"

# The code lists, read from the standard's CSVs (projectStatus and projectType are closed, the others open).
PROJECT_STATUS_CODES = codes("projectStatus.csv")
PROJECT_SECTOR_CODES = codes("projectSector.csv")
PROJECT_TYPE_CODES = codes("projectType.csv")
PARTY_ROLE_CODES = codes("partyRole.csv")
METRIC_IDS = codes("metricID.csv")
# A prefix of the shape the OC4IDS Helpdesk assigns ("oc4ids-" and six lower-case letters or digits); made up.
REGISTERED_SHAPE = "oc4ids-a1b2c3"

# RFC 3339 date-time, which JSON Schema's "date-time" format means.
DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
# Kota Banjarmasin lies within these bounds: a swapped pair would fall outside them.
LON_RANGE, LAT_RANGE = (114.50, 114.70), (-3.40, -3.24)


def _date_times(project: Mapping[str, Any]) -> Iterator[str]:
    """Every value of a date-time field in a project."""
    yield from (v for k, v in project.items() if k == "updated")
    for key in ("period", "completion"):
        yield from (v for k, v in (project.get(key) or {}).items() if k in ("startDate", "endDate"))
    for metric in [*project.get("metrics", []), *project.get("forecasts", [])]:
        for observation in metric["observations"]:
            yield from observation.get("period", {}).values()


def _positions(geometry: Mapping[str, Any]) -> list[list[float]]:
    coordinates = geometry["coordinates"]
    return [coordinates] if geometry["type"] == "Point" else list(coordinates)


def assert_valid_package(package: Mapping[str, Any]) -> None:
    """The real schema, and what the standard asks in prose of the parts this export uses."""
    package_validator().validate(package)
    assert package["version"] == "0.9"
    assert urlparse(package["uri"]).scheme, "uri must be an absolute URI"
    assert urlparse(package["license"]).scheme in ("http", "https")
    assert DATE_TIME.match(package["publishedDate"]), package["publishedDate"]
    ids = [p["id"] for p in package["projects"]]
    assert len(ids) == len(set(ids)), "project ids are unique within a package"
    for project in package["projects"]:
        for value in _date_times(project):
            assert DATE_TIME.match(value), value
            assert datetime.fromisoformat(value).tzinfo is not None
        location_ids = [loc["id"] for loc in project.get("locations", [])]
        assert len(location_ids) == len(set(location_ids))
        for location in project.get("locations", []):
            if "geometry" not in location:
                continue
            positions = _positions(location["geometry"])
            if location["geometry"]["type"] == "LineString":
                assert len(positions) >= 2
            for lon, lat in positions:
                assert LON_RANGE[0] < lon < LON_RANGE[1] and LAT_RANGE[0] < lat < LAT_RANGE[1], (lon, lat)
        for value in [project.get("budget", {}).get("amount"), project.get("completion", {}).get("finalValue")]:
            if value is not None:
                assert value["currency"] == "IDR"
        # Open code lists, which the schema does not close: the export uses listed codes only.
        assert set(project.get("sector", [])) <= set(PROJECT_SECTOR_CODES)
        assert {role for party in project.get("parties", []) for role in party["roles"]} <= set(PARTY_ROLE_CODES)
        if "publicAuthority" in project:
            authority = next(p for p in project["parties"] if p["id"] == project["publicAuthority"]["id"])
            assert "publicAuthority" in authority["roles"]
            assert authority["name"] == project["publicAuthority"]["name"]
        for metric in [*project.get("metrics", []), *project.get("forecasts", [])]:
            # The code list's two progress codes, or the program's own indicator (open list; see core.oc4ids).
            assert metric["id"] in (*METRIC_IDS, INDICATOR), metric["id"]
            observation_ids = [o["id"] for o in metric["observations"]]
            assert len(observation_ids) == len(set(observation_ids))
            if metric["id"] in METRIC_IDS:
                for observation in metric["observations"]:
                    if "measure" in observation:
                        assert observation["unit"] == {"name": "percent", "id": "P1", "scheme": "UNCEFACT"}
                    assert observation["period"]["startDate"] == observation["period"]["endDate"]


META = PackageMeta(
    uri="https://portal.example.go.id/app/static/data/oc4ids.json",
    published=datetime.fromisoformat("2024-07-01T09:30:00+08:00"),
    publisher="Diskominfotik Kota Banjarmasin",
    license_url="https://creativecommons.org/licenses/by/4.0/",
    prefix=REGISTERED_SHAPE,
)


def _rows(book: Any) -> dict[str, list[dict[str, Any]]]:
    return validate(book).rows


def _package(**sheets: Any) -> dict[str, Any]:
    rows = _rows(workbook(**sheets))
    package = build_package(rows["program"], rows["capaian"], rows["lokasi"], META)
    assert package is not None
    return package


def _project(package: Mapping[str, Any], code: str) -> dict[str, Any]:
    return next(p for p in package["projects"] if p["id"] == f"{REGISTERED_SHAPE}-{code}")


# --- the whole package ------------------------------------------------------------------------------


def test_the_sample_programs_make_a_valid_package() -> None:
    rows: dict[str, list[dict[str, Any]]] = {"program": [], "capaian": [], "lokasi": []}
    for path in sorted(SAMPLE_DATA.glob("*.xlsx")):
        result = validate_workbook(read_workbook(path), date(2025, 6, 30))
        for sheet, found in result.rows.items():
            rows[sheet] += found
    sources = {p["kode_program"]: ProgramSource(META.published, sample=True) for p in rows["program"]}
    package = build_package(rows["program"], rows["capaian"], rows["lokasi"], META, sources)
    assert package is not None
    assert_valid_package(package)
    assert len(package["projects"]) == 6
    assert {p["sector"][0] for p in package["projects"]} == {s[0] for s in SECTORS.values()}
    assert all("Sample data" in p["description"] for p in package["projects"])


def test_the_package_says_who_published_it_when_and_under_which_licence() -> None:
    package = _package()
    assert_valid_package(package)
    assert package["uri"] == META.uri
    assert package["publishedDate"] == "2024-07-01T09:30:00+08:00"
    assert package["publisher"] == {"name": "Diskominfotik Kota Banjarmasin"}
    assert package["license"] == "https://creativecommons.org/licenses/by/4.0/"


def test_no_program_means_no_package() -> None:
    # projects has minItems 1: an empty package would not be valid.
    assert build_package([], [], [], META) is None


# --- one project ------------------------------------------------------------------------------------


def test_a_project_carries_its_id_title_period_budget_sector_type_and_public_authority() -> None:
    project = _project(_package(), "QW24-PERKIM-01")
    assert project["id"] == "oc4ids-a1b2c3-QW24-PERKIM-01"  # [prefix]-[local identifier]
    assert project["title"] == "Bakawan RTLH"
    assert project["description"] == "Rehabilitasi rumah tidak layak huni"
    assert project["period"] == {"startDate": "2024-01-15T00:00:00+08:00", "endDate": "2024-12-31T23:59:59+08:00"}
    assert project["budget"] == {"amount": {"amount": 9_200_000_000, "currency": "IDR"}}
    assert project["sector"] == ["socialHousing"]
    assert project["type"] == "rehabilitation"
    assert project["parties"][0]["roles"] == ["publicAuthority"]
    assert project["publicAuthority"] == {"id": "skpd-disperkim", "name": "Disperkim"}
    assert project["documents"][0]["url"] == "https://banjarmasinkota.go.id/quick-win"


@pytest.mark.parametrize("status", [s.canonical for s in STATUSES])
def test_each_quick_win_status_maps_to_a_project_status_code(status: str) -> None:
    realised = 100 if status == "Selesai" else 45
    package = _package(capaians=[capaian(status=status, realisasi_persen=realised)])
    project = _project(package, "QW24-PERKIM-01")
    assert_valid_package(package)
    assert project["status"] == PROJECT_STATUS[status]
    assert project["statusDetails"] == status


def test_the_status_mapping_is_the_documented_one_and_uses_only_listed_codes() -> None:
    assert PROJECT_STATUS == {
        "Belum dimulai": "preparation",
        "Berjalan": "implementation",
        "Terhambat": "implementation",
        "Selesai": "completion",
    }
    assert set(PROJECT_STATUS) == {s.canonical for s in STATUSES}
    assert set(PROJECT_STATUS.values()) <= set(PROJECT_STATUS_CODES)


def test_every_dimension_has_a_listed_sector_and_any_type_is_a_listed_one() -> None:
    assert set(SECTORS) == {d.canonical for d in DIMENSIONS}
    assert all(set(sectors) <= set(PROJECT_SECTOR_CODES) for sectors in SECTORS.values())
    assert set(PROJECT_TYPES) <= set(SECTORS)
    assert set(PROJECT_TYPES.values()) <= set(PROJECT_TYPE_CODES)
    # The README documents each mapping.
    readme = README.read_text(encoding="utf-8")
    for dimension, sectors in SECTORS.items():
        assert re.search(rf"\| {dimension} \| `{sectors[0]}`", readme), dimension
    for status, code in PROJECT_STATUS.items():
        assert f"| `{status}` | `{code}` |" in readme, status


def test_a_program_without_a_report_has_no_status() -> None:
    project = _project(_package(capaians=[]), "QW24-PERKIM-01")
    assert "status" not in project and "metrics" not in project


def test_a_finished_program_has_a_completion_with_its_date_and_final_value() -> None:
    package = _package(
        capaians=[
            capaian(tanggal=date(2024, 6, 30), status="Berjalan", realisasi_persen=80),
            capaian(tanggal=date(2024, 10, 31), status="Selesai", realisasi_persen=100, realisasi_anggaran=9.1e9),
            capaian(tanggal=date(2024, 11, 30), status="Selesai", realisasi_persen=100, realisasi_anggaran=9.15e9),
        ]
    )
    project = _project(package, "QW24-PERKIM-01")
    assert_valid_package(package)
    assert project["status"] == "completion"
    assert project["completion"] == {
        "endDate": "2024-10-31T23:59:59+08:00",
        "finalValue": {"amount": 9_150_000_000, "currency": "IDR"},
    }


# --- progress ---------------------------------------------------------------------------------------


def test_actual_progress_goes_in_metrics_and_planned_progress_in_forecasts() -> None:
    package = _package(
        capaians=[
            capaian(tanggal=date(2024, 3, 31), rencana_persen=20, realisasi_persen=18, realisasi_anggaran=1.84e9),
            capaian(tanggal=date(2024, 6, 30), rencana_persen=50, realisasi_persen=45.5, realisasi_anggaran=4e9),
        ]
    )
    project = _project(package, "QW24-PERKIM-01")
    metrics = {m["id"]: m for m in project["metrics"]}
    forecasts = {m["id"]: m for m in project["forecasts"]}
    percent = {"name": "percent", "id": "P1", "scheme": "UNCEFACT"}
    assert metrics["physicalProgress"]["observations"] == [
        {
            "id": "1",
            "period": {"startDate": "2024-03-31T23:59:59+08:00", "endDate": "2024-03-31T23:59:59+08:00"},
            "measure": 18,
            "unit": percent,
        },
        {
            "id": "2",
            "period": {"startDate": "2024-06-30T23:59:59+08:00", "endDate": "2024-06-30T23:59:59+08:00"},
            "measure": 45.5,
            "unit": percent,
        },
    ]
    assert [o["measure"] for o in forecasts["physicalProgress"]["observations"]] == [20, 50]
    financial = metrics["financialProgress"]["observations"]
    # Spent as a share of the budget (Rp9,2 miliar), and the Rupiah amount itself.
    assert [(o["measure"], o["unit"], o["value"]) for o in financial] == [
        (20, percent, {"amount": 1_840_000_000, "currency": "IDR"}),
        (43.48, percent, {"amount": 4_000_000_000, "currency": "IDR"}),
    ]
    assert [o["measure"] for o in metrics["indikator"]["observations"]] == [200, 200]
    assert metrics["indikator"]["observations"][0]["unit"] == {"name": "unit"}
    assert forecasts["indikator"]["observations"][0]["measure"] == 460
    assert forecasts["indikator"]["observations"][0]["period"]["endDate"] == "2024-12-31T23:59:59+08:00"
    assert_valid_package(package)


def test_financial_progress_without_a_budget_has_the_amount_but_no_percent() -> None:
    package = _package(programs=[program(anggaran=None)])
    project = _project(package, "QW24-PERKIM-01")
    assert "budget" not in project
    observation = next(m for m in project["metrics"] if m["id"] == "financialProgress")["observations"][0]
    assert "measure" not in observation and "unit" not in observation
    assert observation["value"] == {"amount": 4_000_000_000, "currency": "IDR"}
    assert_valid_package(package)


# --- locations --------------------------------------------------------------------------------------


def test_public_sites_are_geojson_in_longitude_latitude_order() -> None:
    package = _package(
        lokasis=[
            lokasi(),  # Balai Kota: lat -3.3278, lon 114.5887
            lokasi(kode_lokasi="LOK-02", jenis="ruas", koordinat="-3.3207 114.5950; -3.3212 114.6000"),
        ]
    )
    project = _project(package, "QW24-PERKIM-01")
    point, line = project["locations"]
    assert point["id"] == "LOK-01"
    assert point["geometry"] == {"type": "Point", "coordinates": [114.5887, -3.3278]}
    assert "Balai Kota" in point["description"] and "Kertak Baru Ilir" in point["description"]
    assert line["geometry"] == {"type": "LineString", "coordinates": [[114.595, -3.3207], [114.6, -3.3212]]}
    assert_valid_package(package)


def test_private_homes_are_only_counts_per_kelurahan_never_points() -> None:
    """Rows as a faulty store might hold them (exact home points, names): only counts come out."""
    homes = [
        {
            "kode_lokasi": f"RMH-{i:02d}",
            "kode_program": "QW24-PERKIM-01",
            "nama_lokasi": f"Rumah Ibu Siti {i}",
            "jenis": "titik",
            "koordinat": [[-3.34512 - i / 10_000, 114.58876 + i / 10_000]],
            "kelurahan": "Kelayan Selatan" if i < 3 else "Pekauman",
            "kecamatan": "Banjarmasin Selatan",
            "status": "Selesai" if i else "Berjalan",
            "keterangan": "No. HP 0811 5000 1234",
        }
        for i in range(5)
    ]
    programs = [{**program(lokasi_pribadi="ya"), "anggaran": 9.2e9}]
    package = build_package(programs, [], homes, META)
    assert package is not None
    assert_valid_package(package)
    project = _project(package, "QW24-PERKIM-01")
    locations = project["locations"]
    assert [loc["id"] for loc in locations] == ["rumah-63.71.01.1002", "rumah-63.71.01.1003"]
    assert all("geometry" not in loc for loc in locations)
    assert locations[0]["description"].startswith("3 rumah pribadi di Kelurahan Kelayan Selatan")
    assert locations[1]["description"].startswith("2 rumah pribadi di Kelurahan Pekauman")
    text = repr(package)
    assert not list(json_pairs(package)), "no coordinate pair at all for a private program"
    for home in homes:
        assert home["kode_lokasi"] not in text and home["nama_lokasi"] not in text
        assert str(home["koordinat"][0][0]) not in text and str(home["koordinat"][0][1]) not in text
    assert "0811" not in text
    # Not even the kelurahan's reference point: OC4IDS would read it as where the works are.
    references = {(k.lon, k.lat) for k in KELURAHAN}
    assert not references & set(json_pairs(package))


# --- the standard's own review library on the published file --------------------------------------------


@pytest.fixture(scope="module")
def host() -> Iterator[str]:
    """The schema and code lists served on 127.0.0.1 for libcoveoc4ids."""
    with schema_host() as address:
        yield address


def _sync(setup: PortalSetup) -> dict[str, Any]:
    """Sync, and the oc4ids.json in the portal's open-data folder (in the test's tmp folder) afterwards."""
    store = Store(setup.config.database_url)
    try:
        assert run_sync(setup.config, store, TODAY) is not None
    finally:
        store.close()
    return json.loads((setup.config.open_data_folder / "oc4ids.json").read_text(encoding="utf-8"))


def _sample_portal(make_portal: Callable[..., PortalSetup], open_data: str = "") -> PortalSetup:
    setup = make_portal({p.stem: p for p in sorted(SAMPLE_DATA.glob("*.xlsx"))}, sample=True)
    if open_data:
        with setup.config_path.open("a", encoding="utf-8") as file:
            file.write(f"\n[open_data]\n{open_data}\n")
    return setup


def _published(make_portal: Callable[..., PortalSetup], open_data: str = "") -> dict[str, Any]:
    """The oc4ids.json a sync of the six sample workbooks writes."""
    return _sync(_sample_portal(make_portal, open_data))


def test_libcoveoc4ids_finds_nothing_wrong_in_the_published_package_with_a_registered_prefix(
    make_portal: Callable[..., PortalSetup], host: str
) -> None:
    package = _published(make_portal, f'oc4ids_prefix = "{REGISTERED_SHAPE}"')
    assert len(package["projects"]) == 6
    report = review(package, host)
    assert report["version_used"] == "0.9.4" and report["schema_url"].startswith(host)
    assert report["validation_errors"] == []
    assert report["conformance_checks"] == []
    assert report["additional_checks"] == []  # empty values, amounts without a currency, dangling party ids
    assert report["additional_closed_codelist_values"] == {}
    assert report["deprecated_fields"] == {}
    # The two additions the README documents, and nothing else: statusDetails (the SKPD's own status word) and
    # the program's indicator as a metric id of the open metricID list.
    assert set(report["additional_fields"]) == {"/projects/statusDetails"}
    opened = report["additional_open_codelist_values"]
    assert set(opened) == {"projects/metrics/id", "projects/forecasts/id"}
    assert all(entry["codelist"] == "metricID.csv" and entry["values"] == [INDICATOR] for entry in opened.values())
    readme = README.read_text(encoding="utf-8")
    assert f"`{INDICATOR}`" in readme and "metricID" in readme and "statusDetails" in readme


def test_with_the_placeholder_prefix_every_project_id_fails_libcoveoc4ids_conformance_check(
    make_portal: Callable[..., PortalSetup], host: str
) -> None:
    default = OpenDataConfig().oc4ids_prefix
    assert not prefix_is_registered_shape(default)  # the admin and health pages warn (tests of those pages)
    package = _published(make_portal)
    [check] = review(package, host)["conformance_checks"]
    assert check["check_id"] == "invalid-project-ids"
    failed = [entry["value"] for entry in check["path_values"]]
    assert failed == [p["id"] for p in package["projects"]] and all(i.startswith(f"{default}-") for i in failed)


def test_the_warnings_way_to_the_new_prefix_rewrites_the_ids(make_portal: Callable[..., PortalSetup]) -> None:
    """What the placeholder warning tells the team to do: set the prefix, sync. The files carry the settings they
    were written with (index.json's ``settings``), so a new prefix makes them stale though no sheet changed."""
    setup = _sample_portal(make_portal)
    assert all(p["id"].startswith("oc4ids-bjm-") for p in _sync(setup)["projects"])
    with setup.config_path.open("a", encoding="utf-8") as file:
        file.write(f'\n[open_data]\noc4ids_prefix = "{REGISTERED_SHAPE}"\n')
    assert all(p["id"].startswith(f"{REGISTERED_SHAPE}-") for p in _sync(setup)["projects"])


def test_libcoveoc4ids_fails_a_package_that_breaks_the_schema(host: str) -> None:
    """The review can fail: a wrong type and a code from outside a closed list are each reported."""
    package = _package()
    project = package["projects"][0]
    project["budget"]["amount"]["amount"] = "9,2 miliar"
    project["status"] = "delayed"
    report = review(package, host)
    # Each error: its description (JSON) and the places it was found.
    [(error, places)] = report["validation_errors"]
    assert json.loads(error)["validator"] == "type"
    assert places == [{"path": "projects/0/budget/amount/amount", "value": "9,2 miliar"}]
    assert report["additional_closed_codelist_values"]["projects/status"]["values"] == ["delayed"]


@pytest.mark.parametrize(
    ("prefix", "registered"),
    [
        (REGISTERED_SHAPE, True),
        ("oc4ids-0q9z7x", True),
        (OpenDataConfig().oc4ids_prefix, False),  # the placeholder: "bjm" and then "-"
        ("oc4ids-a1b2c", False),  # five characters
        ("oc4ids-A1B2C3", False),  # upper case
        ("ocds-a1b2c3", False),  # an OCDS prefix, not an OC4IDS one
        ("oc4ids-a1b2c3-bjm", False),  # more after the six
        ("", False),
    ],
)
def test_the_prefix_check_agrees_with_libcoveoc4ids(prefix: str, registered: bool) -> None:
    """No warning means no conformance failure; libcoveoc4ids' failure always means a warning.

    A prefix with more after its six characters passes libcoveoc4ids (its pattern ends in ``.``), but the Helpdesk
    assigns six: the portal warns about it, a stricter reading than the library's.
    """
    assert prefix_is_registered_shape(prefix) is registered
    package = {"projects": [{"id": project_id(prefix, "QW24-PUPR-01")}]}
    passes = not list(project_prefix(package, {}))
    if registered:
        assert passes
    if not passes:
        assert not registered
