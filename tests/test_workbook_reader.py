"""Reading real .xlsx files (written with openpyxl into tmp_path) and validating what was read."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from builders import (
    CAPAIAN_ROW,
    LOKASI_ROW,
    PROGRAM_ROW,
    capaian,
    issues,
    program,
    records_grid,
    set_cached_value,
    validate,
    write_xlsx,
)

from core.table import CellValue, RawWorkbook
from core.validation import ValidationResult
from data_sources.readers.protocol import SourceUnreadable
from data_sources.readers.workbook import WorkbookSource, read_workbook

# realisasi_persen is the fourth column (D) of the builder's capaian sheet.
REALISASI = "D2"


def standard_sheets(**overrides: list[dict[str, CellValue]]) -> dict[str, list[list[CellValue]]]:
    records = {"program": [PROGRAM_ROW], "capaian": [CAPAIAN_ROW], "lokasi": [LOKASI_ROW], **overrides}
    return {title: records_grid(rows) for title, rows in records.items()}


def read_and_validate(path: Path, locale: str = "id_ID") -> ValidationResult:
    return validate(read_workbook(path, locale))


def test_a_well_formed_workbook_reads_into_three_sheets_and_validates_cleanly(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "disperkim.xlsx", standard_sheets())
    book = read_workbook(path)
    assert isinstance(book, RawWorkbook)
    assert [s.title for s in book.sheets] == ["program", "capaian", "lokasi"]
    assert book.locale == "id_ID"
    result = validate(book)
    assert result.issues == []
    assert {name: c.accepted for name, c in result.counts.items()} == {"program": 1, "capaian": 1, "lokasi": 1}


def test_percent_formatted_cell_is_read_as_a_percentage(tmp_path: Path) -> None:
    # The clerk sees 45.5% in the cell; the file holds 0.455 with the format 0.0%.
    path = write_xlsx(
        tmp_path / "pct.xlsx",
        standard_sheets(capaian=[capaian(realisasi_persen=0.455)]),
        number_formats={("capaian", REALISASI): "0.0%"},
    )
    row = read_and_validate(path).rows["capaian"][0]
    assert row["realisasi_persen"] == pytest.approx(45.5)


def test_unformatted_fraction_in_a_percent_column_is_not_multiplied(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "plain.xlsx", standard_sheets(capaian=[capaian(realisasi_persen=0.455)]))
    assert read_and_validate(path).rows["capaian"][0]["realisasi_persen"] == pytest.approx(0.455)


def test_literal_percent_sign_in_the_number_format_does_not_scale_the_value(tmp_path: Path) -> None:
    # Excel's format 0.0"%" shows 45.5 as "45.5%" without multiplying by 100 (the quoted % is
    # literal text), so the clerk sees 45.5% and means 45.5.
    path = write_xlsx(
        tmp_path / "literal.xlsx",
        standard_sheets(capaian=[capaian(realisasi_persen=45.5)]),
        number_formats={("capaian", REALISASI): '0.0"%"'},
    )
    result = read_and_validate(path)
    assert [r["realisasi_persen"] for r in result.rows["capaian"]] == [pytest.approx(45.5)], result.report()


def test_native_date_cells_are_read_as_dates(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "dates.xlsx",
        standard_sheets(
            program=[program(tanggal_mulai=date(2024, 2, 1), tanggal_selesai=datetime(2024, 12, 20, 0, 0))],
            capaian=[capaian(tanggal=datetime(2024, 6, 30, 0, 0))],
        ),
    )
    result = read_and_validate(path)
    prog = result.rows["program"][0]
    assert prog["tanggal_mulai"] == date(2024, 2, 1)
    assert prog["tanggal_selesai"] == date(2024, 12, 20)
    assert result.rows["capaian"][0]["tanggal"] == date(2024, 6, 30)
    assert type(prog["tanggal_mulai"]) is date  # not a datetime with a midnight time


def test_date_typed_as_text_follows_the_sources_locale(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "text-date.xlsx", standard_sheets(program=[program(tanggal_mulai="02/03/2024")]))
    assert read_and_validate(path, "id_ID").rows["program"][0]["tanggal_mulai"] == date(2024, 3, 2)
    assert read_and_validate(path, "en_US").rows["program"][0]["tanggal_mulai"] == date(2024, 2, 3)


def test_missing_file_raises_source_unreadable_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "tidak-ada.xlsx"
    with pytest.raises(SourceUnreadable) as caught:
        read_workbook(path)
    message = str(caught.value)
    assert "\n" not in message
    assert "tidak-ada.xlsx" in message


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("catatan.xlsx", b"kode_program;nama_program\nQW-1;Bakawan\n"),  # a text file named .xlsx
        ("kosong.xlsx", b""),  # an empty file
        ("rusak.xlsx", b"PK\x03\x04 not really a zip"),  # a truncated download
    ],
)
def test_file_that_is_not_an_xlsx_workbook_raises_source_unreadable_with_one_line(
    tmp_path: Path, name: str, content: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SourceUnreadable) as caught:
        read_workbook(path)
    message = str(caught.value)
    assert "\n" not in message
    assert name in message


def test_a_zip_that_is_not_a_workbook_raises_source_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "arsip.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "bukan workbook")
    with pytest.raises(SourceUnreadable) as caught:
        read_workbook(path)
    assert "\n" not in str(caught.value)


def test_a_folder_raises_source_unreadable(tmp_path: Path) -> None:
    folder = tmp_path / "folder.xlsx"
    folder.mkdir()
    with pytest.raises(SourceUnreadable):
        read_workbook(folder)


def test_ragged_rows_with_trailing_empty_cells_parse(tmp_path: Path) -> None:
    # The last two program columns (lokasi_pribadi, tautan) are optional: a row that stops before
    # them, and a row whose trailing cells are empty strings or spaces, are both complete rows.
    header = list(PROGRAM_ROW)
    full = list(PROGRAM_ROW.values())
    short = [*full[:-2]]
    short[0] = "QW-2"
    spaced = [*full[:-2], "", "   ", None, None]
    spaced[0] = "QW-3"
    path = write_xlsx(
        tmp_path / "ragged.xlsx",
        {
            "program": [header, full, short, spaced, [None] * 3],
            "capaian": records_grid([CAPAIAN_ROW]),
            "lokasi": records_grid([LOKASI_ROW]),
        },
    )
    result = read_and_validate(path)
    assert [r["kode_program"] for r in result.rows["program"]] == [PROGRAM_ROW["kode_program"], "QW-2", "QW-3"]
    assert [r["lokasi_pribadi"] for r in result.rows["program"]] == ["tidak"] * 3
    assert issues(result, "program", severity="error") == []
    assert result.counts["program"].rows == 3


def test_a_text_cell_beginning_with_equals_is_data_not_a_formula(tmp_path: Path) -> None:
    # A clerk's text that looks like a formula must come through as the same text, never evaluated.
    name = '=HYPERLINK("http://contoh.test","klik")'
    path = write_xlsx(
        tmp_path / "equals.xlsx",
        standard_sheets(program=[program(nama_program=name, target="=1+1")]),
        text_cells=[("program", "B2"), ("program", "H2")],
    )
    book = read_workbook(path)
    assert book.sheets[0].rows[1][1].value == name
    result = validate(book)
    (target_issue,) = issues(result, "program", column="target")
    assert target_issue.severity == "error"  # "=1+1" is not a number; it is not computed to 2
    assert target_issue.value == "=1+1"
    result_ok = read_and_validate(
        write_xlsx(
            tmp_path / "equals-ok.xlsx",
            standard_sheets(program=[program(nama_program=name)]),
            text_cells=[("program", "B2")],
        )
    )
    assert result_ok.rows["program"][0]["nama_program"] == name


def test_formula_cell_gives_its_cached_value(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "formula.xlsx", standard_sheets(capaian=[capaian(realisasi_persen="=40+5.5")]))
    set_cached_value(path, 2, REALISASI, "45.5")
    result = read_and_validate(path)
    assert result.rows["capaian"][0]["realisasi_persen"] == pytest.approx(45.5)


def test_formula_without_a_cached_value_is_blank_not_its_text(tmp_path: Path) -> None:
    # A file saved by a program that does not compute formulas: the clerk's value is unknown.
    path = write_xlsx(tmp_path / "uncached.xlsx", standard_sheets(capaian=[capaian(realisasi_persen="=40+5.5")]))
    result = read_and_validate(path)
    (issue,) = issues(result, "capaian", column="realisasi_persen")
    assert issue.severity == "error"
    assert "=40+5.5" not in issue.value
    assert result.rows["capaian"] == []


def test_workbook_source_names_the_file_not_the_full_path(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "dlh.xlsx", standard_sheets())
    book = WorkbookSource("dlh", path, locale="en_US").read()
    assert book.origin == "dlh.xlsx"
    assert book.locale == "en_US"
    assert str(tmp_path) not in validate(book).report()["source"]


def test_sheet_names_and_headers_from_the_file_are_matched_loosely(tmp_path: Path) -> None:
    grid = records_grid([PROGRAM_ROW])
    grid[0] = [h.upper().replace("_", " ") for h in grid[0]]  # "KODE PROGRAM", "NAMA PROGRAM", ...
    sheets: dict[str, Any] = {
        "Daftar Program": grid,
        "Progres": records_grid([CAPAIAN_ROW]),
        "Lokasi Program": records_grid([LOKASI_ROW]),
    }
    result = read_and_validate(write_xlsx(tmp_path / "loose.xlsx", sheets))
    assert result.issues == []
    assert result.counts["program"].accepted == 1


def test_openpyxl_writes_what_the_tests_think_it_writes(tmp_path: Path) -> None:
    # Guards the helpers: the percent format and the text-with-equals cells really are in the file.
    path = write_xlsx(
        tmp_path / "guard.xlsx",
        {"t": [["a", "b"], ["=1+1", 0.455]]},
        number_formats={("t", "B2"): "0.0%"},
        text_cells=[("t", "A2")],
    )
    ws = openpyxl.load_workbook(path)["t"]
    assert ws["A2"].data_type == "s" and ws["A2"].value == "=1+1"
    assert ws["B2"].number_format == "0.0%"
