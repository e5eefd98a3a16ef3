"""The open data as the standards' own tools read it (issue 25): ``frictionless validate`` of the published
``datapackage.json``, and the GeoJSON library's reading of ``lokasi.geojson``.

Every test publishes the bundled sample data with the real sync and open-data job into its own tmp folder, then
reads the files as a data user would: no part of the portal is asked what the files mean.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import frictionless
import geojson
import pytest
from builders import TODAY
from conftest import PortalSetup

from core.data_dictionary import HOME_STATUS_COLUMNS, file_entries
from core.wilayah import KELURAHAN, LAT_MAX, LAT_MIN, LON_MAX, LON_MIN
from data_sources.jobs.sync import run_sync
from data_sources.published.published_data import source_states
from data_sources.store.snapshot_store import Store

TABLES = ("program", "capaian", "lokasi", "riwayat")


@pytest.fixture
def published(sample_portal: PortalSetup) -> Path:
    """The folder the real job wrote after syncing the six sample workbooks."""
    store = Store(sample_portal.config.database_url)
    try:
        outcomes = run_sync(sample_portal.config, store, TODAY)
    finally:
        store.close()
    assert outcomes and all(o.outcome == "new" for o in outcomes)
    return sample_portal.config.open_data_folder


@pytest.fixture
def stored_sites(sample_portal: PortalSetup, published: Path) -> Iterator[list[dict[str, Any]]]:
    store = Store(sample_portal.config.database_url)
    try:
        states = source_states(sample_portal.config, store)
        yield list(store.rows("lokasi", [s.snapshot_id for s in states if s.snapshot_id is not None]))
    finally:
        store.close()


def csv_rows(folder: Path, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((folder / name).read_bytes().decode("utf-8"), newline="")))


def read_json(folder: Path, name: str) -> Any:
    return json.loads((folder / name).read_text(encoding="utf-8"))


def errors(report: frictionless.Report) -> list[tuple[Any, ...]]:
    """Each error as (resource, row number, field name, error type)."""
    return [
        (task.name, error.to_descriptor().get("rowNumber"), error.to_descriptor().get("fieldName"), error.type)
        for task in report.tasks
        for error in task.errors
    ] + [(None, None, None, error.type) for error in report.errors]


def rewrite_csv(folder: Path, name: str, rows: Sequence[Mapping[str, str]]) -> None:
    """Write a table back as the job writes it (CRLF), and the package's size and hash with it, so that a check
    fails on the content and not merely on a changed file."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    data = buffer.getvalue().encode("utf-8")
    (folder / name).write_bytes(data)
    package = read_json(folder, "datapackage.json")
    resource = next(r for r in package["resources"] if r["path"] == name)
    resource["bytes"], resource["hash"] = len(data), f"sha256:{hashlib.sha256(data).hexdigest()}"
    (folder / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False), encoding="utf-8")


# --- the data package ---------------------------------------------------------------------------------


def test_frictionless_accepts_the_package_as_published(published: Path) -> None:
    report = frictionless.validate(published / "datapackage.json")
    assert report.valid, errors(report)
    assert sorted(task.name for task in report.tasks) == sorted([*TABLES, "lokasi-geojson"])
    index = {f["name"]: f for f in read_json(published, "index.json")["files"]}
    assert index["datapackage.json"]["media_type"] == "application/json"


def test_the_package_says_who_what_under_which_licence_and_each_table_s_schema(published: Path) -> None:
    package = read_json(published, "datapackage.json")
    assert package["name"] and package["title"] and " / " in package["title"]
    assert "data contoh" in package["description"] and "sample data" in package["description"]
    assert package["licenses"] == [{"path": "https://creativecommons.org/licenses/by/4.0/", "title": "CC BY 4.0"}]
    assert len(package["sources"]) == 6 and all(s["title"].endswith(".xlsx)") for s in package["sources"])
    assert {c["role"] for c in package["contributors"]} == {"publisher", "author"}
    resources = {r["name"]: r for r in package["resources"]}
    for table in TABLES:
        schema = resources[table]["schema"]
        header = next(csv.reader(io.StringIO((published / f"{table}.csv").read_text(encoding="utf-8"))))
        # Every published column has a field, in the file's order, made from the dictionary's entry.
        assert [f["name"] for f in schema["fields"]] == header, table
        assert [f["name"] for f in schema["fields"]] == [e.column for e in file_entries(table, header)]
        assert all(f["description"] for f in schema["fields"])
    fields = {(t, f["name"]): f for t in TABLES for f in resources[t]["schema"]["fields"]}
    statuses = ["Belum dimulai", "Berjalan", "Terhambat", "Selesai"]
    assert fields[("capaian", "status")]["constraints"] == {"required": True, "enum": statuses}
    assert fields[("lokasi", "status")]["constraints"] == {"enum": statuses}  # empty on the homes' count rows
    assert fields[("lokasi", "jenis")]["constraints"]["enum"] == ["titik", "ruas", "jumlah_rumah"]
    assert fields[("capaian", "realisasi_persen")]["type"] == "number"
    assert fields[("capaian", "realisasi_persen")]["constraints"] == {"required": True, "minimum": 0, "maximum": 100}
    assert fields[("lokasi", "lintang")]["constraints"] == {"minimum": LAT_MIN, "maximum": LAT_MAX}
    assert fields[("lokasi", "bujur")]["constraints"] == {"minimum": LON_MIN, "maximum": LON_MAX}
    assert fields[("lokasi", "jumlah_selesai")]["type"] == "integer"
    assert fields[("program", "tanggal_mulai")]["type"] == "date"
    assert fields[("riwayat", "dibaca_pada")]["type"] == "datetime"
    assert fields[("program", "tautan")]["format"] == "uri"
    assert resources["program"]["schema"]["primaryKey"] == ["kode_program"]
    assert resources["capaian"]["schema"]["primaryKey"] == ["kode_program", "tanggal"]
    program_key = [{"fields": ["kode_program"], "reference": {"resource": "program", "fields": ["kode_program"]}}]
    assert resources["capaian"]["schema"]["foreignKeys"] == program_key
    assert resources["lokasi"]["schema"]["foreignKeys"] == program_key
    geo = resources["lokasi-geojson"]
    assert (geo["path"], geo["mediatype"]) == ("lokasi.geojson", "application/geo+json")
    assert geo["hash"] == "sha256:" + hashlib.sha256((published / "lokasi.geojson").read_bytes()).hexdigest()


def test_frictionless_rejects_a_broken_row_naming_its_row_and_field(published: Path, tmp_path: Path) -> None:
    broken = tmp_path / "rusak"
    shutil.copytree(published, broken)
    reports = csv_rows(broken, "capaian.csv")
    reports[2]["status"] = "Hampir selesai"  # a word outside the four
    reports[4]["realisasi_persen"] = "140"  # a percentage over 100
    reports[5]["kode_program"] = reports[6]["kode_program"]
    reports[5]["tanggal"] = reports[6]["tanggal"]  # a second report of a program for one day
    rewrite_csv(broken, "capaian.csv", reports)
    sites = csv_rows(broken, "lokasi.csv")
    sites[1]["kode_program"] = "QW24-TIDAK-ADA"  # a site of no published program
    sites[3]["bujur"] = "-3.3278"  # latitude typed into the longitude
    rewrite_csv(broken, "lokasi.csv", sites)
    report = frictionless.validate(broken / "datapackage.json")
    assert not report.valid
    found = errors(report)
    # Row numbers count the header as row 1.
    assert ("capaian", 4, "status", "constraint-error") in found
    assert ("capaian", 6, "realisasi_persen", "constraint-error") in found
    assert any(e[0] == "capaian" and e[1] in (7, 8) and e[3] == "primary-key" for e in found), found
    assert ("lokasi", 3, None, "foreign-key") in found
    assert ("lokasi", 5, "bujur", "constraint-error") in found
    assert {e[0] for e in found} == {"capaian", "lokasi"}, "the untouched files stay valid"


def test_a_file_changed_after_publishing_fails_its_hash(published: Path, tmp_path: Path) -> None:
    changed = tmp_path / "diubah"
    shutil.copytree(published, changed)
    path = changed / "program.csv"
    assert frictionless.validate(changed / "datapackage.json").valid, "copied as is: still valid"
    text = path.read_text(encoding="utf-8").replace("Banjarmasin", "Banjarbaru", 1)
    path.write_text(text, encoding="utf-8", newline="")
    found = errors(frictionless.validate(changed / "datapackage.json"))
    assert ("program", None, None, "hash-count") in found


def test_a_column_the_dictionary_does_not_explain_cannot_be_published() -> None:
    assert [e.column for e in file_entries("lokasi", ["kode_program", "jumlah_selesai"])] == [
        "kode_program",
        "jumlah_selesai",
    ]
    with pytest.raises(KeyError):
        file_entries("lokasi", ["kode_program", "nama_pemilik"])
    with pytest.raises(KeyError):
        file_entries("program", ["lintang"])  # a column of another file is not this file's


# --- columns keep the dictionary's promise ------------------------------------------------------------


def test_home_counts_have_their_own_whole_number_columns_and_status_stays_a_status(published: Path) -> None:
    rows = csv_rows(published, "lokasi.csv")
    homes = [r for r in rows if r["jenis"] == "jumlah_rumah"]
    assert homes, "the sample data has private homes"
    for row in homes:
        assert row["status"] == "" and row["kode_lokasi"] == "" and row["nama_lokasi"] == ""
        counts = [int(row[c]) for c in HOME_STATUS_COLUMNS.values()]  # whole numbers, never "12.0"
        assert sum(counts) == int(row["jumlah_rumah"]) > 0
    for row in rows:
        if row["jenis"] != "jumlah_rumah":
            assert row["status"] in HOME_STATUS_COLUMNS and not any(row[c] for c in HOME_STATUS_COLUMNS.values())


def _floats(value: Any) -> Iterator[float]:
    if isinstance(value, float):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _floats(item)
    elif isinstance(value, list):
        for item in value:
            yield from _floats(item)


@pytest.mark.parametrize(
    "name", ["program.json", "capaian.json", "lokasi.json", "lokasi.geojson", "oc4ids.json", "datapackage.json"]
)
def test_whole_numbers_are_integers_in_json(published: Path, name: str) -> None:
    document = read_json(published, name)
    assert not [v for v in _floats(document) if v.is_integer()], name
    if name == "program.json":
        assert all(isinstance(p["anggaran"], int) for p in document["data"] if p["anggaran"] is not None)


def test_sumber_means_the_office_and_its_sheet_in_every_file(published: Path) -> None:
    offices = {s["skpd"]: s["origin"] for s in read_json(published, "index.json")["sources"]}
    for table in TABLES:
        values = {r["sumber"] for r in csv_rows(published, f"{table}.csv")}
        assert values, table
        for value in values:
            found = re.fullmatch(r"(\S+) \((\S+\.xlsx)\)", value)
            assert found and found[1] in offices, (table, value)
            if table != "riwayat":  # the history names each reading's own sheet, older ones included
                assert found[2] == offices[found[1]], (table, value)


# --- GeoJSON ------------------------------------------------------------------------------------------


def test_lokasi_geojson_is_valid_rfc_7946_with_one_feature_per_published_site(published: Path) -> None:
    text = (published / "lokasi.geojson").read_text(encoding="utf-8")
    collection = geojson.loads(text)
    assert isinstance(collection, geojson.FeatureCollection)
    assert collection.is_valid, collection.errors()
    assert "crs" not in json.loads(text), "RFC 7946: WGS84 only, no crs member"
    rows = csv_rows(published, "lokasi.csv")
    features = collection["features"]
    assert len(features) == len(rows)
    for feature, row in zip(features, rows, strict=True):
        assert feature.is_valid, feature.errors()
        # The same properties as the CSV row, as the CSV writes them.
        assert list(feature["properties"]) == list(row)
        assert {k: "" if v is None else str(v) for k, v in feature["properties"].items()} == row
        geometry = feature["geometry"]
        positions = geometry["coordinates"] if geometry["type"] == "LineString" else [geometry["coordinates"]]
        for lon, lat in positions:  # [longitude, latitude]: swapped, no position would be in the box
            assert LON_MIN <= lon <= LON_MAX and LAT_MIN <= lat <= LAT_MAX, (row["kode_lokasi"], lon, lat)
        if row["jenis"] == "ruas":
            assert geometry["type"] == "LineString" and len(positions) >= 2
        else:
            assert geometry["type"] == "Point"
            assert geometry["coordinates"] == [float(row["bujur"]), float(row["lintang"])]


def test_river_segments_are_lines_drawn_through_their_stored_points(
    published: Path, stored_sites: list[dict[str, Any]]
) -> None:
    features = geojson.loads((published / "lokasi.geojson").read_text(encoding="utf-8"))["features"]
    lines = {f["properties"]["kode_lokasi"]: f["geometry"]["coordinates"] for f in features if f["geometry"]}
    segments = [s for s in stored_sites if s.get("jenis") == "ruas"]
    assert len(segments) == 11, "the Sungaiku Baiman segments of the sample data"
    for site in segments:
        # The store keeps [lat, lon]; GeoJSON says [lon, lat].
        assert lines[site["kode_lokasi"]] == [[round(lon, 5), round(lat, 5)] for lat, lon in site["koordinat"]]


def test_homes_are_only_counts_at_their_kelurahan_s_point_in_the_geojson(
    published: Path, stored_sites: list[dict[str, Any]]
) -> None:
    features = read_json(published, "lokasi.geojson")["features"]
    points = {k.nama: [k.lon, k.lat] for k in KELURAHAN}
    homes = [f for f in features if f["properties"]["jenis"] == "jumlah_rumah"]
    assert homes
    for feature in homes:
        props = feature["properties"]
        assert feature["geometry"] == {"type": "Point", "coordinates": points[props["kelurahan"]]}
        assert props["kode_lokasi"] is None and props["nama_lokasi"] is None and props["status"] is None
    private_codes = {f["properties"]["kode_program"] for f in homes}
    home_sites = [s for s in stored_sites if s["kode_program"] in private_codes]
    assert sum(f["properties"]["jumlah_rumah"] for f in homes) == len(home_sites)
    text = (published / "lokasi.geojson").read_text(encoding="utf-8")
    for site in home_sites:
        assert f'"{site["kode_lokasi"]}"' not in text
