"""Every rule of the sheet contract (core/contract.py), each with a row that passes and one that fails.

Rows are built from one valid record per worksheet (tests/builders.py); each test changes only
what it is about. Row numbers are the sheet's: the header is row 1, the first record row 2.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from builders import (
    CAPAIAN_ROW,
    LOKASI_ROW,
    OTHER_CODE,
    PROGRAM_CODE,
    PROGRAM_ROW,
    TODAY,
    capaian,
    grid_sheet,
    issues,
    lokasi,
    program,
    renamed,
    sheet,
    validate,
    without,
    workbook,
)

from core import contract
from core.table import Cell, RawWorkbook
from core.validation import HIDDEN, ValidationResult, reject_codes_owned_elsewhere
from core.wilayah import KELURAHAN

SHEETS = ("program", "capaian", "lokasi")
VALID_ROWS = {"program": PROGRAM_ROW, "capaian": CAPAIAN_ROW, "lokasi": LOKASI_ROW}


def only_row(result: ValidationResult, worksheet: str) -> dict[str, Any]:
    rows = result.rows[worksheet]
    assert len(rows) == 1, f"expected one accepted {worksheet} row, got {len(rows)}: {result.report()}"
    return rows[0]


def error_on(result: ValidationResult, worksheet: str, column: str, row: int = 2) -> str:
    """The single error for that cell; returns its Indonesian + English message for further checks."""
    found = issues(result, worksheet, severity="error", column=column, row=row)
    assert len(found) == 1, f"expected one error on {worksheet}.{column} row {row}: {result.report()}"
    return found[0].message.id + " | " + found[0].message.en


def warning_on(result: ValidationResult, worksheet: str, column: str, row: int = 2) -> str:
    found = issues(result, worksheet, severity="warning", column=column, row=row)
    assert len(found) == 1, f"expected one warning on {worksheet}.{column} row {row}: {result.report()}"
    return found[0].message.id + " | " + found[0].message.en


def names_date(message: str, day: date) -> bool:
    """The message names ``day`` in a form a clerk reads: ISO, 31/05/2024, or 31 Mei 2024 / 31 May 2024."""
    forms = {
        day.isoformat(),
        f"{day.day:02d}/{day.month:02d}/{day.year}",
        f"{day.day} {MONTHS_ID[day.month - 1]} {day.year}",
        f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}",
    }
    return any(form in message for form in forms)


MONTHS_ID = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]
MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def kelurahan_point(name: str) -> tuple[float, float]:
    k = next(k for k in KELURAHAN if k.nama == name)
    return (k.lat, k.lon)


def counts(result: ValidationResult, worksheet: str) -> tuple[int, int, int]:
    c = result.counts[worksheet]
    return (c.rows, c.accepted, c.rejected)


# --- the valid workbook -----------------------------------------------------------------------


def test_the_valid_workbook_has_no_issues_and_every_row_accepted() -> None:
    result = validate(workbook())
    assert result.issues == []
    for name in SHEETS:
        assert counts(result, name) == (1, 1, 0)


def test_accepted_rows_carry_their_sheet_row_and_cell_references() -> None:
    row = only_row(validate(workbook()), "program")
    assert row["_row"] == 2
    # kode_program is the first column of the builder's program sheet, tautan the thirteenth (M).
    assert row["_refs"]["kode_program"] == "A2"
    assert row["_refs"]["tautan"] == "M2"


# --- required columns -------------------------------------------------------------------------

REQUIRED = [(ws.name, c.name) for ws in contract.WORKSHEETS for c in ws.columns if c.required]


def test_the_contract_requires_the_columns_this_file_expects() -> None:
    # If the contract changes, the parametrised cases below change with it; this pins what they cover.
    assert {c for s, c in REQUIRED if s == "program"} == {
        "kode_program",
        "nama_program",
        "dimensi",
        "skpd",
        "indikator",
        "satuan",
        "target",
        "tanggal_mulai",
        "tanggal_selesai",
    }
    assert {c for s, c in REQUIRED if s == "capaian"} == {
        "kode_program",
        "tanggal",
        "rencana_persen",
        "realisasi_persen",
        "status",
    }
    assert {c for s, c in REQUIRED if s == "lokasi"} == {
        "kode_lokasi",
        "kode_program",
        "nama_lokasi",
        "koordinat",
        "status",
    }


def _book_without_column(worksheet: str, column: str) -> RawWorkbook:
    """Two rows that would be valid (distinct keys and dates), in a sheet lacking ``column``."""
    records = {
        "program": [program(kode_program=PROGRAM_CODE), program(kode_program=OTHER_CODE)],
        "capaian": [capaian(tanggal=date(2024, 6, 1)), capaian(tanggal=date(2024, 6, 2))],
        "lokasi": [lokasi(kode_lokasi="LOK-01"), lokasi(kode_lokasi="LOK-02")],
    }[worksheet]
    return workbook(**{f"{worksheet}s": [without(r, column) for r in records]})  # type: ignore[arg-type]


@pytest.mark.parametrize(("worksheet", "column"), REQUIRED)
def test_missing_required_column_is_one_error_and_rejects_every_row_of_that_sheet(worksheet: str, column: str) -> None:
    result = validate(_book_without_column(worksheet, column))
    sheet_issues = issues(result, worksheet)
    assert [i.severity for i in sheet_issues] == ["error"]
    assert column in sheet_issues[0].message.id and column in sheet_issues[0].message.en
    assert sheet_issues[0].row == 1
    assert counts(result, worksheet) == (2, 0, 2)
    assert result.rows[worksheet] == []


@pytest.mark.parametrize(("worksheet", "column"), REQUIRED)
def test_blank_required_cell_rejects_the_row_naming_the_cell(worksheet: str, column: str) -> None:
    record = dict(VALID_ROWS[worksheet])
    record[column] = "   "
    result = validate(workbook(**{f"{worksheet}s": [record]}))  # type: ignore[arg-type]
    message = error_on(result, worksheet, column)
    assert "wajib diisi" in message and "must be filled in" in message
    assert counts(result, worksheet) == (1, 0, 1)


@pytest.mark.parametrize(
    ("worksheet", "column"),
    [
        ("program", "deskripsi"),
        ("program", "anggaran"),
        ("program", "tautan"),
        ("capaian", "capaian_indikator"),
        ("capaian", "bukti"),
        ("lokasi", "jenis"),
        ("lokasi", "kelurahan"),
        ("lokasi", "tanggal_update"),
    ],
)
def test_optional_column_may_be_blank_or_absent(worksheet: str, column: str) -> None:
    blank = dict(VALID_ROWS[worksheet])
    blank[column] = None
    for record in (blank, without(VALID_ROWS[worksheet], column)):
        result = validate(workbook(**{f"{worksheet}s": [record]}))  # type: ignore[arg-type]
        assert issues(result, severity="error") == []
        assert counts(result, worksheet) == (1, 1, 0)


# --- program ----------------------------------------------------------------------------------


def test_kode_program_unique_second_row_rejected_first_kept() -> None:
    result = validate(workbook([program(nama_program="Pertama"), program(nama_program="Kedua")]))
    message = error_on(result, "program", "kode_program", row=3)
    assert PROGRAM_CODE in message and "baris 2" in message and "row 2" in message
    assert [r["nama_program"] for r in result.rows["program"]] == ["Pertama"]
    assert counts(result, "program") == (2, 1, 1)


def test_different_kode_program_are_both_accepted() -> None:
    result = validate(workbook([program(), program(kode_program=OTHER_CODE)]))
    assert {r["kode_program"] for r in result.rows["program"]} == {PROGRAM_CODE, OTHER_CODE}


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Smart Governance", "Smart Governance"),
        ("smart government", "Smart Governance"),
        ("Tata Kelola", "Smart Governance"),
        ("SMART  LIVING", "Smart Living"),
        ("Pencitraan Daerah", "Smart Branding"),
        ("smart economy", "Smart Economy"),
        ("Lingkungan", "Smart Environment"),
        ("Society", "Smart Society"),
    ],
)
def test_dimensi_is_stored_in_canonical_form(typed: str, stored: str) -> None:
    assert only_row(validate(workbook([program(dimensi=typed)])), "program")["dimensi"] == stored


def test_dimensi_outside_the_six_is_an_error_listing_them() -> None:
    result = validate(workbook([program(dimensi="Smart Mobility")]))
    message = error_on(result, "program", "dimensi")
    for choice in contract.DIMENSIONS:
        assert choice.canonical in message
    assert result.rows["program"] == []


@pytest.mark.parametrize(("typed", "read"), [(460, 460), ("0,5", 0.5), ("1.250.000", 1_250_000)])
def test_target_above_zero_is_accepted(typed: Any, read: float) -> None:
    assert only_row(validate(workbook([program(target=typed)])), "program")["target"] == pytest.approx(read)


@pytest.mark.parametrize("typed", [0, "0", -5, "-1,5", "banyak"])
def test_target_zero_negative_or_not_a_number_is_an_error(typed: Any) -> None:
    result = validate(workbook([program(target=typed)]))
    error_on(result, "program", "target")
    assert result.rows["program"] == []


def test_target_of_zero_says_it_must_be_greater_than_zero() -> None:
    message = error_on(validate(workbook([program(target=0)])), "program", "target")
    assert "lebih dari 0" in message and "greater than 0" in message


@pytest.mark.parametrize(
    ("worksheet", "column", "typed"),
    [
        ("program", "target", "-1.000.000.000.000.000.000.000.000"),
        ("program", "anggaran", -1e24),
        ("capaian", "realisasi_persen", "1.000.000.000.000.000.000.000.000"),
        ("capaian", "capaian_indikator", -1e30),
    ],
)
def test_absurdly_large_out_of_range_number_is_an_error_not_a_crash(worksheet: str, column: str, typed: Any) -> None:
    record = {**VALID_ROWS[worksheet], column: typed}
    result = validate(workbook(**{f"{worksheet}s": [record]}))  # type: ignore[arg-type]
    error_on(result, worksheet, column)
    assert result.rows[worksheet] == []


def test_ambiguous_target_is_accepted_with_a_warning_on_that_cell() -> None:
    result = validate(workbook([program(target="1.250")]))
    assert only_row(result, "program")["target"] == 1250
    warning_on(result, "program", "target")


@pytest.mark.parametrize(("typed", "read"), [(0, 0), ("Rp0", 0), ("Rp9,2 miliar", 9_200_000_000), (None, None)])
def test_anggaran_zero_or_more_or_blank_is_accepted(typed: Any, read: float | None) -> None:
    assert only_row(validate(workbook([program(anggaran=typed)])), "program")["anggaran"] == read


@pytest.mark.parametrize("typed", ["-1.000.000", "Rp-1.000.000", -1, "sembilan miliar"])
def test_anggaran_negative_or_unreadable_is_an_error(typed: Any) -> None:
    result = validate(workbook([program(anggaran=typed)]))
    error_on(result, "program", "anggaran")
    assert result.rows["program"] == []


def test_tanggal_selesai_on_the_start_day_is_accepted() -> None:
    result = validate(workbook([program(tanggal_mulai=date(2024, 5, 1), tanggal_selesai="01/05/2024")]))
    assert only_row(result, "program")["tanggal_selesai"] == date(2024, 5, 1)


def test_tanggal_selesai_before_tanggal_mulai_is_an_error_on_the_end_date() -> None:
    result = validate(workbook([program(tanggal_mulai="1 Juni 2024", tanggal_selesai="31 Mei 2024")]))
    message = error_on(result, "program", "tanggal_selesai")
    assert names_date(message, date(2024, 5, 31)) and names_date(message, date(2024, 6, 1))
    assert issues(result, "program", column="tanggal_selesai")[0].cell == "K2"
    assert result.rows["program"] == []


def test_dates_follow_the_workbook_locale() -> None:
    # 02/01/2024 is 2 January in an Indonesian sheet and 1 February in an English one.
    id_row = only_row(validate(workbook([program(tanggal_mulai="02/01/2024")])), "program")
    en_row = only_row(validate(workbook([program(tanggal_mulai="02/01/2024")], locale="en_US")), "program")
    assert id_row["tanggal_mulai"] == date(2024, 1, 2)
    assert en_row["tanggal_mulai"] == date(2024, 2, 1)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("ya", "ya"), ("Ya", "ya"), ("TIDAK", "tidak"), ("yes", "ya"), (None, "tidak"), ("  ", "tidak")],
)
def test_lokasi_pribadi_is_ya_or_tidak_and_defaults_to_tidak(typed: Any, stored: str) -> None:
    assert only_row(validate(workbook([program(lokasi_pribadi=typed)])), "program")["lokasi_pribadi"] == stored


def test_lokasi_pribadi_column_absent_means_tidak() -> None:
    result = validate(workbook([without(PROGRAM_ROW, "lokasi_pribadi")]))
    assert only_row(result, "program")["lokasi_pribadi"] == "tidak"


def test_lokasi_pribadi_other_value_is_an_error() -> None:
    message = error_on(validate(workbook([program(lokasi_pribadi="mungkin")])), "program", "lokasi_pribadi")
    assert "ya" in message and "tidak" in message


@pytest.mark.parametrize("typed", ["https://banjarmasinkota.go.id", "http://disperkim.banjarmasinkota.go.id/rtlh"])
def test_tautan_with_http_scheme_is_accepted(typed: str) -> None:
    assert only_row(validate(workbook([program(tautan=typed)])), "program")["tautan"] == typed


@pytest.mark.parametrize("typed", ["javascript:alert(1)", "ftp://x", "www.banjarmasinkota.go.id", "https://"])
def test_tautan_with_other_scheme_is_an_error(typed: str) -> None:
    result = validate(workbook([program(tautan=typed)]))
    error_on(result, "program", "tautan")
    assert result.rows["program"] == []


# --- capaian ----------------------------------------------------------------------------------


def test_capaian_for_an_unknown_program_is_an_error_saying_it_is_not_in_the_program_sheet() -> None:
    result = validate(workbook(capaians=[capaian(kode_program="QW24-TIDAK-ADA")]))
    message = error_on(result, "capaian", "kode_program")
    assert "QW24-TIDAK-ADA" in message
    assert "tidak ada di worksheet program" in message and "is not in the program worksheet" in message
    assert result.rows["capaian"] == []


def test_capaian_for_a_rejected_program_row_says_that_row_was_rejected() -> None:
    result = validate(workbook([program(target=0)], [capaian()]))
    message = error_on(result, "capaian", "kode_program")
    assert "ditolak" in message and "rejected" in message
    assert "tidak ada di worksheet program" not in message
    assert result.rows["capaian"] == []


def test_capaian_dated_today_is_accepted_and_tomorrow_is_an_error() -> None:
    today = validate(workbook(capaians=[capaian(tanggal=TODAY)]))
    assert only_row(today, "capaian")["tanggal"] == TODAY
    tomorrow = validate(workbook(capaians=[capaian(tanggal=TODAY + timedelta(days=1))]))
    message = error_on(tomorrow, "capaian", "tanggal")
    assert names_date(message, TODAY + timedelta(days=1))
    assert tomorrow.rows["capaian"] == []


@pytest.mark.parametrize("column", ["rencana_persen", "realisasi_persen"])
@pytest.mark.parametrize(
    ("typed", "read"), [(0, 0), (100, 100), ("45,5", 45.5), ("45,5%", 45.5), (Cell(0.455, percent=True), 45.5)]
)
def test_percent_columns_accept_0_to_100(column: str, typed: Any, read: float) -> None:
    status = "Selesai" if read == 100 and column == "realisasi_persen" else "Berjalan"
    record = capaian(status=status, **{column: typed})
    row = only_row(validate(workbook(capaians=[record])), "capaian")
    assert row[column] == pytest.approx(read)


@pytest.mark.parametrize("column", ["rencana_persen", "realisasi_persen"])
@pytest.mark.parametrize("typed", [100.5, "101%", -1, "-0,5", Cell(1.2, percent=True), "separuh"])
def test_percent_columns_outside_0_to_100_are_errors(column: str, typed: Any) -> None:
    result = validate(workbook(capaians=[capaian(**{column: typed})]))
    error_on(result, "capaian", column)
    assert result.rows["capaian"] == []


def test_percent_out_of_range_message_gives_the_range() -> None:
    message = error_on(validate(workbook(capaians=[capaian(realisasi_persen=120)])), "capaian", "realisasi_persen")
    assert "0" in message and "100" in message


@pytest.mark.parametrize(
    ("column", "typed", "read"),
    [("capaian_indikator", 0, 0), ("realisasi_anggaran", 0, 0), ("realisasi_anggaran", "Rp 1.250.000,-", 1250000)],
)
def test_capaian_counts_and_money_zero_or_more_are_accepted(column: str, typed: Any, read: float) -> None:
    assert only_row(validate(workbook(capaians=[capaian(**{column: typed})])), "capaian")[column] == read


@pytest.mark.parametrize(
    ("column", "typed"),
    [("capaian_indikator", -1), ("capaian_indikator", "-0,5"), ("realisasi_anggaran", "-1.250.000")],
)
def test_capaian_counts_and_money_below_zero_are_errors(column: str, typed: Any) -> None:
    result = validate(workbook(capaians=[capaian(**{column: typed})]))
    message = error_on(result, "capaian", column)
    assert "kurang dari 0" in message and "less than 0" in message


@pytest.mark.parametrize(
    ("typed", "real", "stored"),
    [
        ("belum  dimulai", 0, "Belum dimulai"),
        ("Belum", 0, "Belum dimulai"),
        ("sedang berjalan", 45, "Berjalan"),
        ("On Going", 45, "Berjalan"),
        ("TERHAMBAT", 45, "Terhambat"),
        ("SELESAI", 100, "Selesai"),
        ("done", 100, "Selesai"),
    ],
)
def test_status_variants_are_stored_canonically(typed: str, real: float, stored: str) -> None:
    result = validate(workbook(capaians=[capaian(status=typed, realisasi_persen=real)]))
    assert only_row(result, "capaian")["status"] == stored
    assert result.issues == []


def test_unknown_status_is_an_error_listing_the_four() -> None:
    message = error_on(validate(workbook(capaians=[capaian(status="hampir selesai")])), "capaian", "status")
    for choice in contract.STATUSES:
        assert choice.canonical in message


def test_second_report_for_the_same_program_and_date_is_an_error_on_the_second_row() -> None:
    result = validate(
        workbook(capaians=[capaian(realisasi_persen=40), capaian(realisasi_persen=45, tanggal="30/06/2024")])
    )
    message = error_on(result, "capaian", "tanggal", row=3)
    assert "baris 2" in message and "row 2" in message
    assert issues(result, "capaian", row=2) == []
    assert [r["_row"] for r in result.rows["capaian"]] == [2]
    assert counts(result, "capaian") == (2, 1, 1)


def test_same_date_for_two_different_programs_is_fine() -> None:
    result = validate(
        workbook([program(), program(kode_program=OTHER_CODE)], [capaian(), capaian(kode_program=OTHER_CODE)])
    )
    assert result.issues == []
    assert counts(result, "capaian") == (2, 2, 0)


def test_lower_realisation_than_the_previous_report_is_a_warning_and_the_row_is_kept() -> None:
    result = validate(
        workbook(
            capaians=[
                capaian(tanggal=date(2024, 5, 31), realisasi_persen=50),
                capaian(tanggal=date(2024, 6, 30), realisasi_persen=45),
            ]
        )
    )
    message = warning_on(result, "capaian", "realisasi_persen", row=3)
    assert "50" in message and "45" in message
    assert issues(result, severity="error") == []
    assert counts(result, "capaian") == (2, 2, 0)


def test_previous_report_means_the_earlier_date_not_the_earlier_row() -> None:
    # Row 2 is June (45 %), row 3 is May (50 %): the fall is from May to June, so row 2 is flagged.
    result = validate(
        workbook(
            capaians=[
                capaian(tanggal=date(2024, 6, 30), realisasi_persen=45),
                capaian(tanggal=date(2024, 5, 31), realisasi_persen=50),
            ]
        )
    )
    warning_on(result, "capaian", "realisasi_persen", row=2)
    assert issues(result, "capaian", column="realisasi_persen", row=3) == []


def test_rising_realisation_gets_no_warning() -> None:
    result = validate(
        workbook(
            capaians=[
                capaian(tanggal=date(2024, 5, 31), realisasi_persen=30),
                capaian(tanggal=date(2024, 6, 30), realisasi_persen=45),
            ]
        )
    )
    assert result.issues == []


def test_selesai_with_realisation_under_100_is_a_warning_and_the_row_is_kept() -> None:
    result = validate(workbook(capaians=[capaian(status="Selesai", realisasi_persen=90)]))
    message = warning_on(result, "capaian", "status")
    assert "90" in message
    assert only_row(result, "capaian")["status"] == "Selesai"


def test_realisation_100_without_selesai_is_a_warning_and_the_row_is_kept() -> None:
    result = validate(workbook(capaians=[capaian(status="Berjalan", realisasi_persen=100)]))
    warning_on(result, "capaian", "status")
    assert only_row(result, "capaian")["realisasi_persen"] == 100


def test_selesai_at_100_gets_no_warning() -> None:
    assert validate(workbook(capaians=[capaian(status="Selesai", realisasi_persen="100%")])).issues == []


# --- lokasi -----------------------------------------------------------------------------------


def test_kode_lokasi_unique_second_row_rejected() -> None:
    result = validate(workbook(lokasis=[lokasi(), lokasi(nama_lokasi="Kedua")]))
    message = error_on(result, "lokasi", "kode_lokasi", row=3)
    assert "LOK-01" in message
    assert [r["nama_lokasi"] for r in result.rows["lokasi"]] == ["Balai Kota"]


def test_lokasi_for_an_unknown_program_is_an_error() -> None:
    result = validate(workbook(lokasis=[lokasi(kode_program="QW24-TIDAK-ADA")]))
    error_on(result, "lokasi", "kode_program")
    assert result.rows["lokasi"] == []


def test_titik_with_one_point_and_ruas_with_several_are_accepted() -> None:
    result = validate(
        workbook(
            lokasis=[
                lokasi(jenis="titik"),
                lokasi(
                    kode_lokasi="LOK-02", jenis="ruas", koordinat="-3.3207 114.5950; -3.3212 114.6000; -3.3204 114.6049"
                ),
            ]
        )
    )
    assert [len(r["koordinat"]) for r in result.rows["lokasi"]] == [1, 3]
    assert issues(result, severity="error") == []


def test_titik_with_two_points_is_an_error() -> None:
    result = validate(workbook(lokasis=[lokasi(jenis="titik", koordinat="-3.3207 114.5950; -3.3212 114.6000")]))
    message = error_on(result, "lokasi", "koordinat")
    assert "titik" in message and "2" in message
    assert result.rows["lokasi"] == []


def test_ruas_with_one_point_is_an_error() -> None:
    result = validate(workbook(lokasis=[lokasi(jenis="ruas", koordinat="-3.3207, 114.5950")]))
    message = error_on(result, "lokasi", "koordinat")
    assert "ruas" in message
    assert result.rows["lokasi"] == []


@pytest.mark.parametrize(
    ("koordinat", "kind"), [("-3.3278, 114.5887", "titik"), ("-3.3207 114.5950; -3.3212 114.6000", "ruas")]
)
def test_empty_jenis_is_inferred_from_the_number_of_points(koordinat: str, kind: str) -> None:
    row = only_row(validate(workbook(lokasis=[lokasi(jenis=None, koordinat=koordinat)])), "lokasi")
    assert row["jenis"] == kind


@pytest.mark.parametrize(("typed", "stored"), [("Garis", "ruas"), ("POINT", "titik"), ("segmen", "ruas")])
def test_jenis_spellings_are_stored_canonically(typed: str, stored: str) -> None:
    koordinat = "-3.3207 114.5950; -3.3212 114.6000" if stored == "ruas" else "-3.3278, 114.5887"
    row = only_row(validate(workbook(lokasis=[lokasi(jenis=typed, koordinat=koordinat)])), "lokasi")
    assert row["jenis"] == stored


def test_koordinat_outside_the_city_is_an_error() -> None:
    result = validate(workbook(lokasis=[lokasi(koordinat="-6.2000, 106.8166")]))
    message = error_on(result, "lokasi", "koordinat")
    assert "luar" in message and "outside" in message
    assert result.rows["lokasi"] == []


def test_swapped_koordinat_is_an_error_that_says_swapped() -> None:
    result = validate(workbook(lokasis=[lokasi(koordinat="114.5887, -3.3278")]))
    message = error_on(result, "lokasi", "koordinat")
    assert "tertukar" in message and "swapped" in message


def test_unknown_kelurahan_is_a_warning_naming_the_closest_official_one() -> None:
    result = validate(
        workbook(lokasis=[lokasi(kelurahan="Kelayan Selatn", kecamatan=None, koordinat="-3.3443, 114.5881")])
    )
    message = warning_on(result, "lokasi", "kelurahan")
    assert "Kelayan Selatn" in message and "'Kelayan Selatan'" in message
    assert issues(result, severity="error") == []
    assert counts(result, "lokasi") == (1, 1, 0)


def test_benua_anyar_is_stored_as_the_official_banua_anyar_without_a_warning() -> None:
    result = validate(
        workbook(lokasis=[lokasi(kelurahan="Benua Anyar", kecamatan=None, koordinat="-3.3087, 114.6143")])
    )
    row = only_row(result, "lokasi")
    assert row["kelurahan"] == "Banua Anyar"
    assert row["kecamatan"] == "Banjarmasin Timur"  # filled in from the official list
    assert result.issues == []


@pytest.mark.parametrize("typed", ["kelayan selatan", "KELAYAN  SELATAN"])
def test_kelurahan_case_and_spacing_do_not_matter(typed: str) -> None:
    row = only_row(validate(workbook(lokasis=[lokasi(kelurahan=typed, kecamatan=None)])), "lokasi")
    assert row["kelurahan"] == "Kelayan Selatan"


@pytest.mark.parametrize("typed", ["Selatan", "selatan", "Banjarmasin Selatan", "BANJARMASIN SELATAN"])
def test_kecamatan_short_name_is_stored_in_full(typed: str) -> None:
    row = only_row(validate(workbook(lokasis=[lokasi(kelurahan="Mantuil", kecamatan=typed)])), "lokasi")
    assert row["kecamatan"] == "Banjarmasin Selatan"


def test_unknown_kecamatan_is_a_warning_naming_the_closest() -> None:
    result = validate(workbook(lokasis=[lokasi(kelurahan=None, kecamatan="Banjarmasin Tenggah")]))
    message = warning_on(result, "lokasi", "kecamatan")
    assert "'Banjarmasin Tengah'" in message
    assert counts(result, "lokasi") == (1, 1, 0)


def test_kelurahan_in_another_kecamatan_is_a_warning_naming_the_right_one() -> None:
    result = validate(workbook(lokasis=[lokasi(kelurahan="Mantuil", kecamatan="Utara")]))
    message = warning_on(result, "lokasi", "kecamatan")
    assert "Mantuil" in message and "Banjarmasin Selatan" in message and "Banjarmasin Utara" in message
    assert counts(result, "lokasi") == (1, 1, 0)


# --- headers and worksheet names --------------------------------------------------------------


@pytest.mark.parametrize(
    "header", ["Kode Program", "KODE_PROGRAM", "kode program", " Kode  Program ", "Kode", "Program Code"]
)
def test_kode_program_header_matches_in_any_case_spacing_or_alias(header: str) -> None:
    book = workbook(
        [renamed(PROGRAM_ROW, kode_program=header)],
        [renamed(CAPAIAN_ROW, kode_program=header)],
        [renamed(LOKASI_ROW, kode_program=header)],
    )
    result = validate(book)
    assert result.issues == []
    for name in SHEETS:
        assert only_row(result, name)["kode_program"] == PROGRAM_CODE


@pytest.mark.parametrize(
    ("worksheet", "column", "header"),
    [
        ("capaian", "realisasi_persen", "Realisasi (%)"),
        ("capaian", "rencana_persen", "Rencana Fisik"),
        ("capaian", "tanggal", "Tgl"),
        ("program", "tanggal_mulai", "Tgl. Mulai"),
        ("program", "anggaran", "Pagu Anggaran"),
        ("program", "dimensi", "Dimensi Smart City"),
        ("lokasi", "koordinat", "Lat Lon"),
        ("lokasi", "kelurahan", "Desa/Kelurahan"),
    ],
)
def test_aliases_map_to_contract_columns(worksheet: str, column: str, header: str) -> None:
    record = renamed(VALID_ROWS[worksheet], **{column: header})
    result = validate(workbook(**{f"{worksheet}s": [record]}))  # type: ignore[arg-type]
    assert result.issues == []
    assert only_row(result, worksheet)[column] is not None


@pytest.mark.parametrize(
    ("title", "worksheet"),
    [
        ("Program", "program"),
        (" PROGRAM ", "program"),
        ("Daftar Program", "program"),
        ("program_quick_win", "program"),
        ("Capaian", "capaian"),
        ("Progres", "capaian"),
        ("LAPORAN CAPAIAN", "capaian"),
        ("Lokasi", "lokasi"),
        ("Lokasi Program", "lokasi"),
        ("Titik-Lokasi", "lokasi"),
    ],
)
def test_worksheet_names_match_in_any_case_spacing_or_alias(title: str, worksheet: str) -> None:
    sheets = [sheet(title if name == worksheet else name, [VALID_ROWS[name]]) for name in SHEETS]
    result = validate(RawWorkbook("x.xlsx", sheets))
    assert result.issues == []
    assert counts(result, worksheet) == (1, 1, 0)


def test_unknown_column_is_a_warning_and_ignored() -> None:
    result = validate(workbook([{**PROGRAM_ROW, "Catatan Internal": "rahasia dapur"}]))
    message = warning_on(result, "program", "Catatan Internal", row=1)
    assert "Catatan Internal" in message
    row = only_row(result, "program")
    assert "rahasia dapur" not in row.values()


# --- personal data ----------------------------------------------------------------------------

PERSONAL = {
    "NIK": "6371010101900001",
    "No HP": "081234567890",
    "nama_penerima": "Siti Aminah",
    "Nama": "Ahmad Fauzi",
    "Alamat": "Jl. Kelayan B Gg. Mawar No. 7",
    "email": "siti.aminah@example.com",
    "No. KK": "6371012345678901",
    "NIK Penerima": "6371010101900002",
    "No. HP Pemilik": "081299998888",
}


@pytest.mark.parametrize("worksheet", SHEETS)
def test_personal_data_columns_are_dropped_with_a_warning_and_never_reported(worksheet: str) -> None:
    record = {**VALID_ROWS[worksheet], **PERSONAL}
    result = validate(workbook(**{f"{worksheet}s": [record]}))  # type: ignore[arg-type]
    # The row itself is fine: it is accepted, without any of the personal columns.
    row = only_row(result, worksheet)
    allowed_keys = {c.name for c in next(ws for ws in contract.WORKSHEETS if ws.name == worksheet).columns}
    assert set(row) - {"_row", "_refs"} <= allowed_keys
    for header, value in PERSONAL.items():
        message = warning_on(result, worksheet, header, row=1)
        assert header in message
        assert value not in json.dumps(result.rows, default=str)
    report = json.dumps(result.report(), ensure_ascii=False)
    for value in PERSONAL.values():
        assert value not in report


def test_personal_data_in_a_bad_row_is_not_reported_either() -> None:
    record = {**LOKASI_ROW, "NIK": "6371010101900001", "koordinat": "bukan koordinat", "status": "??"}
    result = validate(workbook(lokasis=[record]))
    assert result.rows["lokasi"] == []
    assert "6371010101900001" not in json.dumps(result.report())


@pytest.mark.parametrize(("worksheet", "header"), [("lokasi", "Nama Lokasi"), ("program", "Nama Program")])
def test_contract_columns_that_start_with_nama_are_not_personal(worksheet: str, header: str) -> None:
    column = "nama_lokasi" if worksheet == "lokasi" else "nama_program"
    record = renamed(VALID_ROWS[worksheet], **{column: header})
    result = validate(workbook(**{f"{worksheet}s": [record]}))  # type: ignore[arg-type]
    assert result.issues == []
    assert only_row(result, worksheet)[column] == VALID_ROWS[worksheet][column]


# --- private programs (lokasi_pribadi = ya) ---------------------------------------------------

HOME = "-3.34571, 114.58823"  # somebody's house in Kelayan Selatan
HOME_PARTS = ("3.34571", "114.58823", "3,34571", "114,58823")


def private_book(*lokasi_rows: dict[str, Any], program_ok: bool = True) -> RawWorkbook:
    prog = program(lokasi_pribadi="ya") if program_ok else program(lokasi_pribadi="ya", target=0)
    return workbook([prog], [capaian()], list(lokasi_rows))


def test_private_site_keeps_only_its_kelurahan_point() -> None:
    result = validate(
        private_book(
            lokasi(
                koordinat=HOME,
                kelurahan="Kelayan Selatan",
                kecamatan=None,
                nama_lokasi="Rumah Bu Siti",
                keterangan="Gg. Mawar No. 7, cat hijau",
            )
        )
    )
    row = only_row(result, "lokasi")
    assert row["koordinat"] == [kelurahan_point("Kelayan Selatan")]
    assert row["jenis"] == "titik"
    assert row["kelurahan"] == "Kelayan Selatan"
    assert row["kecamatan"] == "Banjarmasin Selatan"
    assert row["keterangan"] is None
    assert "Siti" not in row["nama_lokasi"]
    assert row["nama_lokasi"].strip()
    stored = json.dumps(result.rows, default=str)
    for part in (*HOME_PARTS, "Rumah Bu Siti", "Gg. Mawar"):
        assert part not in stored


def test_private_site_without_kelurahan_is_placed_at_the_nearest_kelurahan() -> None:
    # 0.001° from Mantuil's point, and Mantuil's point is the nearest of the 52 to it.
    lat, lon = kelurahan_point("Mantuil")
    result = validate(private_book(lokasi(koordinat=f"{lat + 0.001}, {lon + 0.001}", kelurahan=None, kecamatan=None)))
    row = only_row(result, "lokasi")
    assert row["kelurahan"] == "Mantuil"
    assert row["koordinat"] == [(lat, lon)]


def test_private_site_given_as_a_segment_is_still_only_a_kelurahan_point() -> None:
    result = validate(
        private_book(
            lokasi(jenis="ruas", koordinat="-3.34571 114.58823; -3.34580 114.58830", kelurahan="Kelayan Selatan")
        )
    )
    row = only_row(result, "lokasi")
    assert row["koordinat"] == [kelurahan_point("Kelayan Selatan")]
    assert row["jenis"] == "titik"


def test_report_never_shows_a_private_home_even_for_bad_rows() -> None:
    book = private_book(
        lokasi(kode_lokasi="R-1", koordinat="114.58823, -3.34571", nama_lokasi="Rumah Bu Siti"),  # swapped
        lokasi(kode_lokasi="R-2", koordinat="3.34571, 114.58823", keterangan="Gg. Mawar"),  # missing minus
        lokasi(kode_lokasi="R-3", jenis="titik", koordinat="-3.34571 114.58823; -3.34580 114.58830"),  # two points
        lokasi(kode_lokasi="R-4", jenis="ruas", koordinat=HOME),  # one point
        lokasi(kode_lokasi="R-5", koordinat=HOME, status="entahlah"),  # bad status
        lokasi(kode_lokasi="R-6", koordinat="-3.34571, 114.58823, 7"),  # three numbers
    )
    result = validate(book)
    assert result.rows["lokasi"] == []
    report = json.dumps(result.report(), ensure_ascii=False)
    for part in (*HOME_PARTS, "3.3458", "114.5883", "Rumah Bu Siti", "Gg. Mawar"):
        assert part not in report, part
    koordinat_issues = issues(result, "lokasi", column="koordinat")
    assert len(koordinat_issues) == 5
    assert {i.value for i in koordinat_issues} == {HIDDEN}


def test_sites_of_a_private_program_whose_row_was_rejected_are_still_hidden() -> None:
    result = validate(private_book(lokasi(koordinat="114.58823, -3.34571"), program_ok=False))
    assert result.rows["lokasi"] == []
    report = json.dumps(result.report())
    for part in HOME_PARTS:
        assert part not in report


def test_sites_of_a_public_program_keep_their_exact_point_and_name() -> None:
    row = only_row(
        validate(workbook(lokasis=[lokasi(koordinat="-3.3207, 114.5950", nama_lokasi="Jembatan")])), "lokasi"
    )
    assert row["koordinat"] == [(-3.3207, 114.5950)]
    assert row["nama_lokasi"] == "Jembatan"


# --- worksheets and columns missing, bad rows, numbering --------------------------------------


@pytest.mark.parametrize("missing", SHEETS)
def test_missing_worksheet_is_exactly_one_error_for_it(missing: str) -> None:
    book = workbook(**{f"{missing}s": None})  # type: ignore[arg-type]
    result = validate(book)
    about_it = issues(result, missing)
    assert len(about_it) == 1
    assert about_it[0].severity == "error"
    assert about_it[0].row is None
    assert missing in about_it[0].message.id and missing in about_it[0].message.en
    assert counts(result, missing) == (0, 0, 0)
    assert result.rows[missing] == []


def test_empty_workbook_is_one_error_per_worksheet() -> None:
    result = validate(RawWorkbook("kosong.xlsx", []))
    assert sorted(i.worksheet for i in result.issues) == sorted(SHEETS)
    assert all(i.severity == "error" for i in result.issues)


def test_header_only_sheet_is_zero_rows_without_errors() -> None:
    book = RawWorkbook(
        "x.xlsx",
        [
            sheet("program", [PROGRAM_ROW]),
            sheet("capaian", [], columns=list(CAPAIAN_ROW)),
            sheet("lokasi", [LOKASI_ROW]),
        ],
    )
    result = validate(book)
    assert issues(result, "capaian") == []
    assert counts(result, "capaian") == (0, 0, 0)


def test_one_bad_row_never_blocks_the_others() -> None:
    book = workbook(
        [program(kode_program="QW-1"), program(kode_program="QW-2", target="banyak"), program(kode_program="QW-3")],
        [
            capaian(kode_program="QW-1"),
            capaian(kode_program="QW-3", status="??"),
            capaian(kode_program="QW-3", tanggal=date(2024, 7, 31)),
        ],
        [lokasi(kode_program="QW-1"), lokasi(kode_lokasi="LOK-02", kode_program="QW-2")],
    )
    result = validate(book)
    assert counts(result, "program") == (3, 2, 1)
    assert [r["kode_program"] for r in result.rows["program"]] == ["QW-1", "QW-3"]
    assert counts(result, "capaian") == (3, 2, 1)
    assert counts(result, "lokasi") == (2, 1, 1)
    assert [i.cell for i in issues(result, "program", severity="error")] == ["H3"]


def test_report_numbers_rows_and_cells_as_the_sheet_shows_them() -> None:
    # Columns in an unusual order: status in B, kode_program in E; blank rows 3, 4 and 7.
    header = ["tanggal", "status", "rencana_persen", "realisasi_persen", "kode_program"]
    grid: list[list[Any]] = [
        header,
        [date(2024, 3, 31), "Berjalan", 20, 15, PROGRAM_CODE],  # row 2: fine
        [None, None, None, None, None],  # row 3: blank
        ["", "  ", None, "", None],  # row 4: blank (only spaces)
        [date(2024, 4, 30), "hampir", 30, 25, PROGRAM_CODE],  # row 5: bad status -> B5
        [date(2024, 5, 31), "Berjalan", 40, 35, "QW-SALAH"],  # row 6: unknown program -> E6
        [],  # row 7: an empty, ragged row
        [date(2024, 6, 30), "Berjalan", 50, "abc", PROGRAM_CODE],  # row 8: bad realisation -> D8
        [date(2024, 7, 31), "Berjalan", 60],  # row 9: ragged, missing the last two cells -> D9, E9
    ]
    book = RawWorkbook(
        "x.xlsx", [sheet("program", [PROGRAM_ROW]), grid_sheet("capaian", grid), sheet("lokasi", [LOKASI_ROW])]
    )
    result = validate(book)
    found = {(i.row, i.column, i.cell) for i in issues(result, "capaian", severity="error")}
    assert found == {
        (5, "status", "B5"),
        (6, "kode_program", "E6"),
        (8, "realisasi_persen", "D8"),
        (9, "realisasi_persen", "D9"),
        (9, "kode_program", "E9"),
    }
    assert counts(result, "capaian") == (5, 1, 4)
    assert only_row(result, "capaian")["_row"] == 2
    assert only_row(result, "capaian")["_refs"]["status"] == "B2"
    assert {i.value for i in issues(result, "capaian", row=5)} == {"hampir"}


# --- the report's shape -----------------------------------------------------------------------


def test_report_json_shape() -> None:
    result = validate(workbook([program(target=0)], origin="disperkim.xlsx"))
    report = json.loads(json.dumps(result.report()))
    assert set(report) == {"source", "counts", "issues"}
    assert report["source"] == "disperkim.xlsx"
    assert set(report["counts"]) == set(SHEETS)
    for name in SHEETS:
        assert set(report["counts"][name]) == {"rows", "accepted", "rejected"}
    assert report["counts"]["program"] == {"rows": 1, "accepted": 0, "rejected": 1}
    assert report["issues"]
    for issue in report["issues"]:
        assert set(issue) == {"severity", "worksheet", "row", "column", "cell", "value", "message", "message_en"}
        assert issue["severity"] in ("error", "warning")
        assert issue["message"] and issue["message_en"] and issue["message"] != issue["message_en"]
    target = next(i for i in report["issues"] if i["column"] == "target")
    assert target == {**target, "severity": "error", "worksheet": "program", "row": 2, "cell": "H2", "value": "0"}


# --- kode_program across sources --------------------------------------------------------------


def _two_program_result() -> ValidationResult:
    return validate(
        workbook(
            [program(), program(kode_program=OTHER_CODE)],
            [capaian(), capaian(kode_program=OTHER_CODE)],
            [lokasi(), lokasi(kode_lokasi="LOK-02", kode_program=OTHER_CODE)],
        )
    )


def test_code_owned_by_another_source_rejects_its_rows_in_every_sheet() -> None:
    result = _two_program_result()
    assert result.issues == []
    reject_codes_owned_elsewhere(result, {PROGRAM_CODE: "dinas-lain.xlsx"})
    for name in SHEETS:
        assert [r["kode_program"] for r in result.rows[name]] == [OTHER_CODE]
        assert counts(result, name) == (2, 1, 1)
        (issue,) = issues(result, name)
        assert issue.severity == "error"
        assert issue.column == "kode_program"
        assert issue.row == 2
        assert issue.cell is not None and issue.cell.endswith("2")
        assert "dinas-lain.xlsx" in issue.message.id and "dinas-lain.xlsx" in issue.message.en


def test_codes_nobody_else_owns_are_left_alone() -> None:
    result = _two_program_result()
    before = (result.report(), {k: list(v) for k, v in result.rows.items()})
    reject_codes_owned_elsewhere(result, {"QW24-DLH-01": "dlh.xlsx"})
    assert (result.report(), result.rows) == before


# --- behaviours added after review ------------------------------------------------------------


def test_iya_means_ya_for_lokasi_pribadi() -> None:
    result = validate(workbook([program(lokasi_pribadi="Iya")]))
    assert only_row(result, "program")["lokasi_pribadi"] == "ya"


def test_an_unreadable_lokasi_pribadi_hides_the_homes_anyway() -> None:
    swapped = "114.58823, -3.34571"
    result = validate(
        workbook([program(lokasi_pribadi="mungkin")], lokasis=[lokasi(koordinat=swapped, kelurahan=None)])
    )
    report = json.dumps(result.report(), ensure_ascii=False)
    assert "114.58823" not in report and "3.34571" not in report
    assert issues(result, "lokasi", severity="error", column="koordinat")[0].value == HIDDEN


def test_an_unreadable_program_sheet_gives_one_error_per_dependent_sheet_not_one_per_row() -> None:
    book = workbook(
        [without(program(), "dimensi")],
        capaians=[capaian(tanggal="2024-05-31"), capaian()],
        lokasis=[lokasi(), lokasi(kode_lokasi="LOK-02")],
    )
    result = validate(book)
    for worksheet in ("capaian", "lokasi"):
        errors = issues(result, worksheet, severity="error")
        assert len(errors) == 1 and "program" in errors[0].message.en
        assert counts(result, worksheet) == (2, 0, 2)


def test_a_repeated_required_header_is_one_error_not_also_a_missing_column() -> None:
    sheet_rows = [["kode_program", "nama_program", "Kode Program"], ["A", "B", "A"]]
    result = validate(workbook(None, None, None, extra=[grid_sheet("program", sheet_rows)]))
    program_errors = issues(result, "program", severity="error")
    assert len(program_errors) == 1
    assert "dua kali" in program_errors[0].message.id and program_errors[0].cell == "C1"


def test_issues_stay_in_sheet_and_row_order_after_cross_source_rejections() -> None:
    result = validate(workbook(capaians=[capaian(), capaian(tanggal="2024-07-31", status="??")]))
    reject_codes_owned_elsewhere(result, {PROGRAM_CODE: "pupr"})
    keys = [(["program", "capaian", "lokasi"].index(i.worksheet), i.row or 0) for i in result.issues]
    assert keys == sorted(keys)
