"""The OC4IDS export (``core.oc4ids``) against the standard's published schema and code lists.

The checks are written from the standard itself (OC4IDS 0.9, https://github.com/open-contracting/infrastructure):

- ``schema/project-level/project-package-schema.json``: the package's required fields, ``version`` as
  "major.minor", ``projects`` with at least one item, ``publisher.name`` required;
- ``schema/project-level/project-schema.json``: ``id`` required; ``status`` and ``type`` from closed code lists;
  ``sector`` and party roles from (open) code lists; dates as JSON Schema ``date-time``; ``Value.currency`` an
  ISO 4217 code; ``Location.geometry`` a GeoJSON geometry (WGS84);
- ``schema/project-level/codelists/*.csv``: the code lists copied below;
- ``docs/cost/ids/core.md`` ("Implementation progress reports"): progress as ``metrics`` (actual) and
  ``forecasts`` (planned) with the ids ``physicalProgress``/``financialProgress``, ``measure`` in percent with
  ``unit`` {name "percent", id "P1", scheme "UNCEFACT"}, ``period`` on the day measured;
- GeoJSON (RFC 7946, which the schema cites): a position is [longitude, latitude].

``ASSERT_VALID`` is a draft-04 JSON Schema transcribed from the parts of those schemas the export uses, run with
the ``jsonschema`` package (already installed, pinned in constraints.txt); date-time, URI and coordinate order
are checked in Python, since jsonschema checks formats only with optional extra packages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import jsonschema
import pytest
from builders import capaian, json_pairs, lokasi, program, validate, workbook

from core.contract import DIMENSIONS, STATUSES
from core.oc4ids import (
    PROJECT_STATUS,
    PROJECT_TYPES,
    SECTORS,
    PackageMeta,
    ProgramSource,
    build_package,
)
from core.validation import validate_workbook
from core.wilayah import KELURAHAN
from data_sources.readers.workbook import read_workbook

SAMPLE_DATA = Path(__file__).resolve().parent.parent / "sample_data"

# schema/project-level/codelists/projectStatus.csv (0.9.3), plus the codes 0.9.4 added (maintenance,
# decommissioning, decommissioned). Closed code list.
PROJECT_STATUS_CODES = (
    "identification",
    "preparation",
    "implementation",
    "completion",
    "completed",
    "cancelled",
    "maintenance",
    "decommissioning",
    "decommissioned",
)
# schema/project-level/codelists/projectSector.csv (0.9.4). Open code list, but the export uses published codes only.
PROJECT_SECTOR_CODES = (
    "education",
    "health",
    "energy",
    "energy.solar",
    "energy.wind",
    "energy.hydropower",
    "energy.biomass",
    "energy.geothermal",
    "communications",
    "waterAndWaste",
    "governance",
    "economy",
    "cultureSportsAndRecreation",
    "transport",
    "transport.air",
    "transport.water",
    "transport.rail",
    "transport.road",
    "transport.urban",
    "transport.lowCarbon",
    "socialHousing",
    "naturalResources",
    "naturalResources.floodProtection",
)
# schema/project-level/codelists/projectType.csv (0.9.3). Closed code list.
PROJECT_TYPE_CODES = ("construction", "rehabilitation", "replacement")
# schema/project-level/codelists/partyRole.csv (0.9.4).
PARTY_ROLE_CODES = (
    "buyer",
    "procuringEntity",
    "supplier",
    "tenderer",
    "funder",
    "enquirer",
    "payer",
    "payee",
    "reviewBody",
    "interestedParty",
    "publicAuthority",
    "administrativeEntity",
    "climateFinanceFocalPoint",
    "independentMonitor",
)
# schema/project-level/codelists/metricID.csv: the ids the guidance gives progress metrics.
METRIC_IDS = ("financialProgress", "physicalProgress")
# Location.geometry.type in project-schema.json (geometryType.csv).
GEOMETRY_TYPES = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon")
PACKAGE_REQUIRED = ("uri", "publisher", "publishedDate", "projects", "version")

_PERIOD = {
    "type": "object",
    "properties": {
        "startDate": {"type": "string"},
        "endDate": {"type": "string"},
        "maxExtentDate": {"type": "string"},
        "durationInDays": {"type": "integer"},
    },
}
_VALUE = {
    "type": "object",
    "properties": {"amount": {"type": "number"}, "currency": {"type": "string", "pattern": "^[A-Z]{3}$"}},
}
_METRICS = {"type": "array", "items": {"$ref": "#/definitions/Metric"}}
SCHEMA: dict[str, Any] = {
    "$schema": "http://json-schema.org/draft-04/schema#",
    "type": "object",
    "required": list(PACKAGE_REQUIRED),
    "properties": {
        "uri": {"type": "string", "minLength": 1},
        "publishedDate": {"type": "string"},
        "version": {"type": "string", "pattern": r"^(\d+\.)(\d+)$"},
        "projects": {"type": "array", "minItems": 1, "uniqueItems": True, "items": {"$ref": "#/definitions/Project"}},
        "publisher": {
            "type": "object",
            "required": ["name"],
            "minProperties": 1,
            "properties": {"name": {"type": "string", "minLength": 1}},
        },
        "license": {"type": ["string", "null"]},
        "publicationPolicy": {"type": ["string", "null"]},
    },
    "definitions": {
        "Project": {
            "type": "object",
            "required": ["id"],
            "properties": {
                "id": {"type": "string", "minLength": 1},
                "updated": {"type": "string"},
                "title": {"type": "string"},
                "description": {"type": "string"},
                "status": {"type": "string", "enum": list(PROJECT_STATUS_CODES)},
                "period": _PERIOD,
                "sector": {"type": "array", "items": {"type": "string", "enum": list(PROJECT_SECTOR_CODES)}},
                "type": {"type": "string", "enum": list(PROJECT_TYPE_CODES)},
                "locations": {"type": "array", "uniqueItems": True, "items": {"$ref": "#/definitions/Location"}},
                "budget": {"type": "object", "properties": {"amount": _VALUE}},
                "parties": {"type": "array", "uniqueItems": True, "items": {"$ref": "#/definitions/Organization"}},
                "publicAuthority": {
                    "type": "object",
                    "properties": {"name": {"type": "string", "minLength": 1}, "id": {"type": ["string", "integer"]}},
                },
                "documents": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["id"],
                        "properties": {"id": {"type": "string"}, "url": {"type": "string"}},
                    },
                },
                "metrics": _METRICS,
                "forecasts": _METRICS,
                "completion": {
                    "type": "object",
                    "properties": {"endDate": {"type": "string"}, "finalValue": _VALUE},
                },
            },
        },
        "Location": {
            "type": "object",
            "required": ["id"],
            "properties": {
                "id": {"type": "string", "minLength": 1},
                "description": {"type": "string"},
                "geometry": {
                    "type": "object",
                    "required": ["type", "coordinates"],
                    "properties": {
                        "type": {"type": "string", "enum": list(GEOMETRY_TYPES)},
                        "coordinates": {"type": "array", "items": {"type": ["number", "array"]}},
                    },
                },
                "address": {"type": "object"},
            },
        },
        "Organization": {
            "type": "object",
            "properties": {
                "name": {"type": "string"},
                "id": {"type": "string"},
                "roles": {"type": "array", "items": {"type": "string", "enum": list(PARTY_ROLE_CODES)}},
            },
        },
        "Metric": {
            "type": "object",
            "required": ["id"],
            "properties": {
                "id": {"type": "string", "minLength": 1},
                "title": {"type": "string"},
                "observations": {"type": "array", "items": {"$ref": "#/definitions/Observation"}},
            },
        },
        "Observation": {
            "type": "object",
            "required": ["id"],
            "properties": {
                "id": {"type": "string", "minLength": 1},
                "period": _PERIOD,
                "value": _VALUE,
                "measure": {"type": ["string", "number"]},
                "unit": {
                    "type": "object",
                    "properties": {"name": {"type": "string"}, "id": {"type": "string"}, "scheme": {"type": "string"}},
                },
            },
        },
    },
}

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
    """Everything the standard requires of a package, as far as this export uses it."""
    jsonschema.Draft4Validator(SCHEMA).validate(package)
    assert all(field in package for field in PACKAGE_REQUIRED)
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
        if "publicAuthority" in project:
            authority = next(p for p in project["parties"] if p["id"] == project["publicAuthority"]["id"])
            assert "publicAuthority" in authority["roles"]
            assert authority["name"] == project["publicAuthority"]["name"]
        for metric in [*project.get("metrics", []), *project.get("forecasts", [])]:
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
    prefix="oc4ids-bjm",
)


def _rows(book: Any) -> dict[str, list[dict[str, Any]]]:
    return validate(book).rows


def _package(**sheets: Any) -> dict[str, Any]:
    rows = _rows(workbook(**sheets))
    package = build_package(rows["program"], rows["capaian"], rows["lokasi"], META)
    assert package is not None
    return package


def _project(package: Mapping[str, Any], code: str) -> dict[str, Any]:
    return next(p for p in package["projects"] if p["id"] == f"oc4ids-bjm-{code}")


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
    assert project["id"] == "oc4ids-bjm-QW24-PERKIM-01"  # [prefix]-[local identifier]
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
    assert all(set(codes) <= set(PROJECT_SECTOR_CODES) for codes in SECTORS.values())
    assert set(PROJECT_TYPES) <= set(SECTORS)
    assert set(PROJECT_TYPES.values()) <= set(PROJECT_TYPE_CODES)
    # The README documents each mapping.
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for dimension, codes in SECTORS.items():
        assert re.search(rf"\| {dimension} \| `{codes[0]}`", readme), dimension
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
