"""The bundled sample workbooks (sample_data/): up to date with their generator, clean where they
should be, and carrying exactly the deliberate mistakes that the Baiman Store workbook documents.

Real files throughout: the generator writes real .xlsx files, read back by the portal's own reader
and judged by the portal's own validation on a fixed day.
"""

from __future__ import annotations

import itertools
import math
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from core.table import Cell
from core.validation import ValidationResult, validate_workbook
from core.values import parse_coordinates
from core.wilayah import KELURAHAN, in_city
from data_sources.readers.workbook import read_workbook
from sample_data.generate import Book, build_books, write_all

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = REPO_ROOT / "sample_data"
# Fixed, and long after every report date, so that no sample row is "in the future".
TODAY = date(2026, 11, 27)

PROBLEM_FILE = "diskop_baiman_store.xlsx"
EXPECTED: dict[str, tuple[str, str, str]] = {
    "dpmptsp_si_mantab.xlsx": ("QW24-DPMPTSP-01", "Smart Governance", "DPMPTSP"),
    "pupr_sungaiku_baiman.xlsx": ("QW24-PUPR-01", "Smart Branding", "Dinas PUPR"),
    "diskop_baiman_store.xlsx": ("QW24-DISKOP-01", "Smart Economy", "Dinas Koperasi dan UMK"),
    "dlh_sampah_energi.xlsx": ("QW24-DLH-01", "Smart Environment", "DLH"),
    "disperkim_bakawan_rtlh.xlsx": ("QW24-PERKIM-01", "Smart Living", "Disperkim"),
    "disdik_portal_pendidikan.xlsx": ("QW24-DISDIK-01", "Smart Society", "Disdik"),
}
CLEAN_FILES = sorted(set(EXPECTED) - {PROBLEM_FILE})
KELURAHAN_POINTS = {(k.lat, k.lon) for k in KELURAHAN}


def validate(path: Path) -> ValidationResult:
    return validate_workbook(read_workbook(path), today=TODAY)


def content(result: ValidationResult) -> dict[str, Any]:
    """Everything validation made of a workbook, except where the file lives."""
    return {
        "rows": result.rows,
        "counts": {name: c.as_dict() for name, c in result.counts.items()},
        "issues": [issue.as_dict() for issue in result.issues],
    }


def by_date(result: ValidationResult) -> list[dict[str, Any]]:
    return sorted(result.rows["capaian"], key=lambda row: row["tanggal"])


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample_data")
    write_all(out)
    return out


@pytest.fixture(scope="module")
def committed() -> dict[str, ValidationResult]:
    return {name: validate(SAMPLE_DIR / name) for name in EXPECTED}


@pytest.fixture(scope="module")
def books() -> dict[str, Book]:
    return {book.file_name: book for book in build_books()}


# --- the committed files are what the generator writes ----------------------------------------


def test_the_generator_writes_exactly_the_six_committed_workbooks(regenerated: Path) -> None:
    assert sorted(p.name for p in regenerated.glob("*.xlsx")) == sorted(EXPECTED)
    assert sorted(p.name for p in SAMPLE_DIR.glob("*.xlsx")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_committed_workbook_is_not_stale(name: str, regenerated: Path, committed: dict[str, ValidationResult]) -> None:
    assert content(committed[name]) == content(validate(regenerated / name)), (
        f"sample_data/{name} differs from what sample_data/generate.py writes; rerun the generator"
    )


def test_generation_is_repeatable_byte_for_byte(regenerated: Path, tmp_path: Path) -> None:
    # Fixed seeds, dates, workbook properties and zip times: a rerun must not show up as a change.
    write_all(tmp_path)
    for name in EXPECTED:
        assert (tmp_path / name).read_bytes() == (regenerated / name).read_bytes(), name


@pytest.mark.parametrize("how", [["sample_data/generate.py"], ["-m", "sample_data.generate"]])
def test_the_generator_runs_as_a_script_and_as_a_module(how: list[str], tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, *how, "--out", str(tmp_path)], cwd=REPO_ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.glob("*.xlsx")) == sorted(EXPECTED)


# --- what every workbook holds --------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_workbook_publishes_its_program(name: str, committed: dict[str, ValidationResult]) -> None:
    code, dimension, skpd = EXPECTED[name]
    [program] = committed[name].rows["program"]
    assert (program["kode_program"], program["dimensi"], program["skpd"]) == (code, dimension, skpd)
    assert program["tanggal_mulai"].year == 2024 and program["tanggal_mulai"].month <= 3
    assert program["tanggal_selesai"] == date(2024, 12, 31)
    assert program["tautan"].startswith("https://")
    assert program["anggaran"] > 0 and program["target"] > 0


@pytest.mark.parametrize("name", CLEAN_FILES)
def test_clean_workbooks_have_no_errors_and_no_warnings(name: str, committed: dict[str, ValidationResult]) -> None:
    result = committed[name]
    assert result.issues == []
    assert all(c.rejected == 0 for c in result.counts.values())
    assert result.counts["capaian"].accepted >= 10


@pytest.mark.parametrize("name", CLEAN_FILES)
def test_clean_progress_reports_are_consistent(name: str, committed: dict[str, ValidationResult]) -> None:
    result = committed[name]
    [program] = result.rows["program"]
    reports = by_date(result)
    assert reports[0]["tanggal"] >= program["tanggal_mulai"]
    assert reports[-1]["tanggal"] == date(2024, 12, 31)
    assert math.isclose(reports[-1]["rencana_persen"], 100)
    for before, after in itertools.pairwise(reports):
        assert after["realisasi_persen"] >= before["realisasi_persen"]
        assert after["rencana_persen"] >= before["rencana_persen"]
        assert after["realisasi_anggaran"] >= before["realisasi_anggaran"]
    for report in reports:
        assert report["realisasi_anggaran"] <= program["anggaran"]
        expected_output = report["realisasi_persen"] / 100 * program["target"]
        # Counts are whole units, lengths two decimals.
        assert abs(report["capaian_indikator"] - expected_output) <= 0.5 + 1e-9
        assert (report["status"] == "Selesai") == (report["realisasi_persen"] >= 100)


# --- the workbook with deliberate mistakes --------------------------------------------------


def test_baiman_store_reports_exactly_its_documented_problems(
    committed: dict[str, ValidationResult], books: dict[str, Book]
) -> None:
    result = committed[PROBLEM_FILE]
    documented = books[PROBLEM_FILE].problems
    assert 6 <= len(documented) <= 8
    found = sorted((i.severity, i.worksheet, i.cell) for i in result.issues)
    assert found == sorted((p.severity, p.worksheet, p.cell) for p in documented)
    assert result.errors and result.warnings


def test_baiman_store_still_publishes_and_rejects_only_a_few_rows(committed: dict[str, ValidationResult]) -> None:
    result = committed[PROBLEM_FILE]
    assert result.counts["program"].as_dict() == {"rows": 1, "accepted": 1, "rejected": 0}
    rejected = sum(c.rejected for c in result.counts.values())
    assert 1 <= rejected <= 6
    assert result.counts["capaian"].accepted > result.counts["capaian"].rejected
    assert result.counts["lokasi"].accepted > result.counts["lokasi"].rejected
    # The personal-data column is dropped, never stored.
    assert all("No. HP" not in row and "no_hp" not in row for row in result.rows["lokasi"])


def test_baiman_store_problems_are_the_kinds_the_brief_asks_for(committed: dict[str, ValidationResult]) -> None:
    messages = " | ".join(i.message.en for i in committed[PROBLEM_FILE].issues)
    for expected in (
        "look swapped",
        "outside the city",
        "Kelayan Selatn",
        "personal data",
        "went down",
        "already has a report dated",
        "between 0 and 100",
        "not a valid web link",
    ):
        assert expected in messages


# --- program-specific stories ---------------------------------------------------------------


def test_rtlh_homes_are_all_accepted_and_shown_only_at_kelurahan_points(
    committed: dict[str, ValidationResult],
) -> None:
    result = committed["disperkim_bakawan_rtlh.xlsx"]
    [program] = result.rows["program"]
    assert program["lokasi_pribadi"] == "ya"
    assert (program["target"], program["anggaran"]) == (460, 9_200_000_000)
    homes = result.rows["lokasi"]
    assert 95 <= len(homes) <= 105
    assert result.counts["lokasi"].rejected == 0
    by_name = {k.nama: k for k in KELURAHAN}
    for home in homes:
        assert home["koordinat"] == [(by_name[home["kelurahan"]].lat, by_name[home["kelurahan"]].lon)]
        assert home["kecamatan"] in ("Banjarmasin Selatan", "Banjarmasin Barat")
        assert home["keterangan"] is None
    assert {home["status"] for home in homes} == {"Selesai", "Berjalan", "Belum dimulai"}


def test_rtlh_raw_points_are_jittered_homes_near_their_kelurahan(committed: dict[str, ValidationResult]) -> None:
    # The raw sheet is what a clerk keeps: exact-looking points, under 300 m from the kelurahan point.
    raw = read_workbook(SAMPLE_DIR / "disperkim_bakawan_rtlh.xlsx")
    sheet = next(s for s in raw.sheets if s.title == "lokasi")
    header = [c.shown() for c in sheet.rows[0]]
    col = {name: header.index(name) for name in ("nama_lokasi", "koordinat", "kelurahan")}
    by_name = {k.nama: k for k in KELURAHAN}
    for cells in sheet.rows[1:]:
        assert cells[col["nama_lokasi"]].shown().startswith("Rumah RTLH ")
        [(lat, lon)] = parse_coordinates(cells[col["koordinat"]]).value
        area = by_name[cells[col["kelurahan"]].shown()]
        assert in_city(lat, lon)
        metres = math.hypot((lat - area.lat) * 111_320, (lon - area.lon) * 111_320 * math.cos(math.radians(lat)))
        assert 0 < metres < 300
        assert (lat, lon) not in KELURAHAN_POINTS


def test_pupr_realisation_lags_its_plan(committed: dict[str, ValidationResult]) -> None:
    result = committed["pupr_sungaiku_baiman.xlsx"]
    reports = by_date(result)
    assert any(r["rencana_persen"] - r["realisasi_persen"] > 10 for r in reports)
    july = next(r for r in reports if r["tanggal"] == date(2024, 7, 31))
    assert july["rencana_persen"] - july["realisasi_persen"] > 10
    assert reports[-1]["realisasi_persen"] < reports[-1]["rencana_persen"]
    assert "Terhambat" in {r["status"] for r in reports}
    segments = result.rows["lokasi"]
    assert 8 <= len(segments) <= 12
    for segment in segments:
        assert segment["jenis"] == "ruas" and len(segment["koordinat"]) >= 3
        assert segment["kelurahan"] in {k.nama for k in KELURAHAN}


def test_dlh_is_finished_from_october_on(committed: dict[str, ValidationResult]) -> None:
    result = committed["dlh_sampah_energi.xlsx"]
    [program] = result.rows["program"]
    assert program["target"] == 60
    reports = by_date(result)
    assert reports[-1]["status"] == "Selesai" and reports[-1]["realisasi_persen"] == 100
    first_done = next(i for i, r in enumerate(reports) if r["status"] == "Selesai")
    assert reports[first_done]["tanggal"] == date(2024, 10, 31)
    for report in reports[first_done:]:
        assert (report["status"], report["realisasi_persen"], report["capaian_indikator"]) == ("Selesai", 100, 60)
    tpa = next(row for row in result.rows["lokasi"] if "TPA Basirih" in row["nama_lokasi"])
    assert tpa["kelurahan"] == "Basirih Selatan"


def test_disdik_lokasi_sheet_has_a_header_and_no_rows(committed: dict[str, ValidationResult]) -> None:
    raw = read_workbook(SAMPLE_DIR / "disdik_portal_pendidikan.xlsx")
    sheet = next(s for s in raw.sheets if s.title == "lokasi")
    assert len(sheet.rows) == 1 and "koordinat" in [c.shown() for c in sheet.rows[0]]
    assert committed["disdik_portal_pendidikan.xlsx"].counts["lokasi"].rows == 0


# --- the clean workbooks exercise the parsers ------------------------------------------------


def test_clean_workbooks_are_typed_in_different_ways() -> None:
    def sheets(name: str) -> dict[str, list[list[Cell]]]:
        return {s.title: s.rows for s in read_workbook(SAMPLE_DIR / name).sheets}

    si_mantab = sheets("dpmptsp_si_mantab.xlsx")
    assert set(si_mantab) == {"Program Quick Win", "Laporan Capaian", "Titik Lokasi"}
    assert "Realisasi (%)" in [c.shown() for c in si_mantab["Laporan Capaian"][0]]

    pupr = sheets("pupr_sungaiku_baiman.xlsx")
    texts = [c.value for row in pupr["capaian"][1:] for c in row if isinstance(c.value, str)]
    assert any(t.endswith("%") and "," in t for t in texts)
    assert any(t.startswith("Rp") and t.count(".") >= 2 for t in texts)
    assert any(t.endswith(" 2024") and not t[0].isalpha() for t in texts)

    dlh = sheets("dlh_sampah_energi.xlsx")
    assert any(c.percent and isinstance(c.value, float) for row in dlh["capaian"][1:] for c in row)
    assert any(isinstance(c.value, date) for row in dlh["capaian"][1:] for c in row)

    rtlh = sheets("disperkim_bakawan_rtlh.xlsx")
    header = [c.shown() for c in rtlh["lokasi"][0]]
    coordinates = rtlh["lokasi"][1][header.index("koordinat")].shown()
    assert coordinates.count(",") == 3  # decimal commas plus the separating comma
