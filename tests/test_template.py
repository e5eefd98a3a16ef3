"""The official SKPD template (``python -m data_sources template``): opened with openpyxl as Excel would open
it, checked by the portal's own ``check``, and filled with the bundled sample data.

Every expectation is taken from ``core.contract`` and ``core.wilayah``, not from the template module, so a
template that drifts from the contract fails here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from builders import grid_sheet
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet as XlSheet

from core import contract
from core.contract import Column, Kind
from core.contract_doc import render_contract_doc
from core.table import RawWorkbook, column_letter
from core.text import normalise_key
from core.validation import validate_workbook
from core.values import parse_percent
from core.wilayah import KECAMATAN, KELURAHAN
from data_sources.config.portal_config import PreviewConfig
from data_sources.files.sheet_template import EXAMPLES, write_template
from data_sources.readers.upload import read_upload
from data_sources.readers.workbook import read_workbook
from sample_data.generate import build_books

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "sample_data"
SKPD = "DINAS X"
# Data rows the drop-downs, hints and formats must reach at least.
LAST_ROW = 1000

# The six columns the issue asks a drop-down for, and the values each must offer (from the contract and
# the official area lists, in the order a clerk sees them where the order matters).
EXPECTED_LISTS: dict[str, list[str]] = {
    "dimensi": [c.canonical for c in contract.DIMENSIONS],
    "status": [c.canonical for c in contract.STATUSES],
    "jenis": [c.canonical for c in contract.SITE_KINDS],
    "lokasi_pribadi": [c.canonical for c in contract.YES_NO],
    "kecamatan": list(KECAMATAN),
    "kelurahan": sorted(k.nama for k in KELURAHAN),
}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "data_sources", *args], cwd=REPO, capture_output=True, text=True, timeout=120
    )


def check_json(path: Path) -> tuple[int, dict[str, Any]]:
    done = run("check", str(path), "--json")
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_template(tmp_path_factory.mktemp("template") / "sheet-skpd.xlsx", skpd=SKPD)


@pytest.fixture(scope="module")
def book(template: Path) -> Workbook:
    return openpyxl.load_workbook(template)


def letter_of(spec: contract.Worksheet, name: str) -> str:
    return column_letter([c.name for c in spec.columns].index(name))


def validation_for(ws: XlSheet, letter: str) -> DataValidation:
    """The one data validation covering the column's data cells, from row 2 to LAST_ROW."""
    found = [
        dv
        for dv in ws.data_validations.dataValidation
        if f"{letter}2" in dv.sqref and f"{letter}{LAST_ROW}" in dv.sqref
    ]
    assert len(found) == 1, f"{ws.title}!{letter}: {len(found)} validations"
    return found[0]


def list_values(book: Workbook, formula: str) -> list[str]:
    """The values a list validation offers: an inline "a,b" list, or a range such as daftar!$F$2:$F$53."""
    formula = formula.removeprefix("=")
    if formula.startswith('"'):
        return formula.strip('"').split(",")
    sheet, _, ref = formula.rpartition("!")
    cells = book[sheet.strip("'")][ref.replace("$", "")]
    return [row[0].value for row in cells]


def all_cells(book: Workbook) -> list[Any]:
    return [cell for ws in book.worksheets for row in ws.iter_rows() for cell in row]


def guide_text(book: Workbook) -> str:
    return "\n".join(str(c.value) for row in book["petunjuk"].iter_rows() for c in row if c.value is not None)


# --- the workbook as Excel opens it ------------------------------------------------------------


def test_the_instructions_come_first_then_the_three_worksheets_the_status_tab_then_the_hidden_lists(
    book: Workbook,
) -> None:
    assert book.sheetnames == ["petunjuk", *(spec.name for spec in contract.WORKSHEETS), "status_portal", "daftar"]
    assert [ws.sheet_state for ws in book.worksheets] == ["visible"] * 5 + ["hidden"]
    assert book.active.title == "petunjuk"


def test_each_worksheet_has_the_contract_headers_in_order_bold_over_a_frozen_row(book: Workbook) -> None:
    for spec in contract.WORKSHEETS:
        ws = book[spec.name]
        header = ws[1]
        assert [c.value for c in header] == [c.name for c in spec.columns]
        assert all(c.font.bold for c in header)
        assert ws.freeze_panes == "A2"
        # Widths are set, and wide enough to read the header.
        for column in spec.columns:
            assert ws.column_dimensions[letter_of(spec, column.name)].width >= len(column.name)


def test_the_data_rows_are_empty_and_no_personal_data_column_is_written(book: Workbook) -> None:
    for spec in contract.WORKSHEETS:
        ws = book[spec.name]
        assert not any(contract.is_personal_column(str(c.value)) for c in ws[1] if c.value is not None)
        assert all(c.value is None for row in ws.iter_rows(min_row=2) for c in row)


@pytest.mark.parametrize("name", EXPECTED_LISTS)
def test_a_drop_down_offers_the_official_values(book: Workbook, name: str) -> None:
    holders = [spec for spec in contract.WORKSHEETS if name in {c.name for c in spec.columns}]
    assert holders, f"no worksheet has a column {name}"
    for spec in holders:
        dv = validation_for(book[spec.name], letter_of(spec, name))
        assert dv.type == "list"
        offered = list_values(book, dv.formula1)
        assert offered == EXPECTED_LISTS[name], f"{spec.name}.{name}"
        assert not dv.showDropDown, "showDropDown=True hides the arrow in Excel"


def test_the_kelurahan_list_is_the_52_official_names_on_the_list_sheet(book: Workbook) -> None:
    dv = validation_for(book["lokasi"], letter_of(contract.LOKASI, "kelurahan"))
    # Over 255 characters: an inline list would break Excel, so it must be a range on the list sheet.
    assert dv.formula1.startswith("daftar!")
    offered = list_values(book, dv.formula1)
    assert len(offered) == len(set(offered)) == 52
    assert set(offered) == {k.nama for k in KELURAHAN}


def test_a_choice_drop_down_refuses_other_values_and_a_place_one_only_warns(book: Workbook) -> None:
    # As the portal judges them: an unknown choice is an error there, an unknown place name a warning.
    assert validation_for(book["capaian"], letter_of(contract.CAPAIAN, "status")).errorStyle == "stop"
    assert validation_for(book["lokasi"], letter_of(contract.LOKASI, "kelurahan")).errorStyle == "warning"


def test_every_column_has_an_input_hint_from_the_contract_within_excel_limits(book: Workbook) -> None:
    for spec in contract.WORKSHEETS:
        ws = book[spec.name]
        for column in spec.columns:
            letter = letter_of(spec, column.name)
            dv = validation_for(ws, letter)
            assert dv.showInputMessage and dv.prompt and dv.promptTitle, f"{spec.name}.{column.name}"
            assert dv.promptTitle.startswith(column.name)
            assert ("wajib" in dv.promptTitle) == column.required
            # Excel refuses a file whose validation texts are longer.
            assert len(dv.promptTitle) <= 32 and len(dv.prompt) <= 255
            assert len(dv.errorTitle or "") <= 32 and len(dv.error or "") <= 255
            # The header's note carries the whole rule in both languages.
            note = ws[f"{letter}1"].comment.text
            assert column.rule.id.replace("`", "") in note and column.rule.en.replace("`", "") in note


def test_dates_percentages_and_rupiah_have_their_number_formats(book: Workbook) -> None:
    capaian, program = book["capaian"], book["program"]
    for row in (2, LAST_ROW):
        assert capaian[f"{letter_of(contract.CAPAIAN, 'tanggal')}{row}"].number_format.lower() == "dd/mm/yyyy"
        # Left General: a percent format turns a typed 10 into 1000% (issue #26).
        assert capaian[f"{letter_of(contract.CAPAIAN, 'realisasi_persen')}{row}"].number_format == "General"
        assert program[f"{letter_of(contract.PROGRAM, 'anggaran')}{row}"].number_format == "#,##0"
        assert program[f"{letter_of(contract.PROGRAM, 'kode_program')}{row}"].number_format == "@"


def test_a_percentage_typed_in_the_template_with_or_without_its_sign_is_read_as_that_percentage(
    template: Path, tmp_path: Path
) -> None:
    """Issue #26: the header says 0–100, and a clerk who types 10 must get 10 %, not 1000 %, as one who types 10%.

    In the template's General cell a spreadsheet stores a typed 10 as the number 10, and a typed 10% (or 45,5%) as
    the fraction with a percent format of its own: both forms are written here as Excel, LibreOffice and Google
    Sheets store them."""
    filled = openpyxl.load_workbook(template)
    column = letter_of(contract.CAPAIAN, "realisasi_persen")
    filled["capaian"][f"{column}2"] = 10  # typed 10
    filled["capaian"][f"{column}3"] = 0.1  # typed 10%
    filled["capaian"][f"{column}3"].number_format = "0%"
    filled["capaian"][f"{column}4"] = 0.455  # typed 45,5%
    filled["capaian"][f"{column}4"].number_format = "0.00%"
    filled["capaian"][f"{column}5"] = 45.5  # typed 45,5
    filled.save(tmp_path / "one.xlsx")
    capaian = next(s for s in read_workbook(tmp_path / "one.xlsx").sheets if s.title == "capaian")
    index = [c.name for c in contract.CAPAIAN.columns].index("realisasi_persen")
    read = [parse_percent(capaian.rows[row][index]).value for row in (1, 2, 3, 4)]
    assert read == [10, 10, 45.5, 45.5]


def test_no_cell_is_a_formula(book: Workbook) -> None:
    for cell in all_cells(book):
        assert cell.data_type != "f", cell.coordinate
        assert not (isinstance(cell.value, str) and cell.value.startswith("=")), cell.coordinate


def test_an_skpd_name_a_spreadsheet_would_run_as_a_formula_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="SKPD"):
        write_template(tmp_path / "bad.xlsx", skpd='=HYPERLINK("http://evil","klik")')
    assert not (tmp_path / "bad.xlsx").exists()


# --- the instruction sheet ---------------------------------------------------------------------


def test_the_instructions_explain_every_column_with_an_example(book: Workbook) -> None:
    rows = [[c.value for c in row] for row in book["petunjuk"].iter_rows()]
    for spec in contract.WORKSHEETS:
        # The worksheet's own table: the rows after its heading (keterangan, status, … appear in several).
        start = next(n for n, r in enumerate(rows) if r[0] == f"Worksheet {spec.name}")
        for column in spec.columns:
            rule = column.rule.id.replace("`", "")
            row = next((r for r in rows[start:] if r[0] == column.name and rule in r), None)
            assert row is not None, f"{spec.name}.{column.name} is not explained"
            assert ("wajib" in row[1]) == column.required
            assert EXAMPLES[spec.name][column.name] in row or (column.name == "skpd" and SKPD in row)


def test_the_instructions_warn_never_to_type_personal_data(book: Workbook) -> None:
    text = guide_text(book)
    warning = next(line for line in text.splitlines() if line.startswith("JANGAN PERNAH MENULIS"))
    for never in ("nama penerima", "NIK", "nomor telepon", "alamat rumah"):
        assert never in warning
    assert "lokasi_pribadi" in text


def test_the_instructions_say_how_the_portal_treats_errors(book: Workbook) -> None:
    text = guide_text(book)
    assert "hanya menolak barisnya" in text
    assert "Peringatan (warning)" in text
    assert "python -m data_sources check" in text


def test_the_skpd_name_is_offered_in_its_column_and_named_in_the_instructions(book: Workbook) -> None:
    assert SKPD in guide_text(book)
    dv = validation_for(book["program"], letter_of(contract.PROGRAM, "skpd"))
    assert dv.type == "list" and list_values(book, dv.formula1) == [SKPD]
    assert SKPD in dv.prompt


def test_without_an_skpd_name_the_skpd_column_has_only_a_hint(tmp_path: Path) -> None:
    plain = openpyxl.load_workbook(write_template(tmp_path / "plain.xlsx"))
    dv = validation_for(plain["program"], letter_of(contract.PROGRAM, "skpd"))
    assert dv.type is None and dv.prompt
    assert SKPD not in guide_text(plain)


def test_the_examples_cover_every_column_and_pass_validation_without_a_remark() -> None:
    for spec in contract.WORKSHEETS:
        assert list(EXAMPLES[spec.name]) == [c.name for c in spec.columns], spec.name
    book = RawWorkbook(
        "examples",
        [grid_sheet(name, [list(row), list(row.values())]) for name, row in EXAMPLES.items()],
    )
    result = validate_workbook(book, date(2025, 1, 1))
    assert result.issues == []
    assert {name: c.accepted for name, c in result.counts.items()} == {"program": 1, "capaian": 1, "lokasi": 1}


def test_the_contract_document_says_how_to_bring_the_template_into_google_sheets() -> None:
    doc = render_contract_doc()
    for heading in ("### Templat\n", "### Template\n"):
        part = doc.split(heading, 1)[1].split("\n## ", 1)[0]
        assert "python -m data_sources template" in part
        assert "Google" in part and "Viewer" in part
        for name in EXPECTED_LISTS:
            assert f"`{name}`" in part, f"{heading.strip()} does not name the {name} drop-down"


# --- the command line and check ------------------------------------------------------------------


def test_the_cli_writes_the_template_and_check_passes_it_empty_without_a_remark(tmp_path: Path) -> None:
    out = tmp_path / "sheet-dinas-x.xlsx"
    done = run("template", str(out), "--skpd", SKPD)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(out)
    assert SKPD in guide_text(openpyxl.load_workbook(out))
    code, report = check_json(out)
    assert code == 0
    # The extra worksheets (petunjuk, status_portal, daftar) are neither errors nor warnings.
    assert report["issues"] == []
    assert report["counts"] == {spec.name: {"rows": 0, "accepted": 0, "rejected": 0} for spec in contract.WORKSHEETS}


def test_the_preview_page_reads_an_uploaded_template_and_finds_no_formula(template: Path) -> None:
    # Thousands of formatted empty cells compress well; the upload's zip-bomb guard must still take it.
    upload = read_upload(template.read_bytes(), PreviewConfig().max_upload_mb * 1024 * 1024)
    assert upload.formulas == []
    assert [s.title for s in upload.workbook.sheets] == openpyxl.load_workbook(template).sheetnames


def test_the_cli_never_overwrites_a_workbook_unless_told_to(tmp_path: Path) -> None:
    out = tmp_path / "sheet.xlsx"
    out.write_bytes(b"a filled workbook")
    refused = run("template", str(out))
    assert refused.returncode == 2 and "--force" in refused.stderr
    assert out.read_bytes() == b"a filled workbook"
    assert run("template", str(out), "--force").returncode == 0
    assert openpyxl.load_workbook(out).sheetnames[0] == "petunjuk"


def test_the_cli_refuses_a_file_name_that_is_not_xlsx(tmp_path: Path) -> None:
    done = run("template", str(tmp_path / "sheet.csv"))
    assert done.returncode == 2 and ".xlsx" in done.stderr
    assert not (tmp_path / "sheet.csv").exists()


# --- filled with the sample data -------------------------------------------------------------------


def _column_of(spec: contract.Worksheet, header: object) -> Column | None:
    if header is None:
        return None
    key = normalise_key(str(header))
    return next((c for c in spec.columns if key in c.spellings()), None)


def fill(template: Path, sample: Path, out: Path) -> Path:
    """Copy a sample workbook's rows into the template under its headers, as a clerk pasting values would.

    Rows keep their numbers, so reports compare cell for cell. Only contract columns are copied (a sample's
    personal-data column never is). A percent-formatted cell keeps its format, as a typed 45,5% does in the
    template's General cell.
    """
    source_book = openpyxl.load_workbook(sample)
    target_book = openpyxl.load_workbook(template)
    for spec in contract.WORKSHEETS:
        source = next(ws for ws in source_book.worksheets if spec.matches_title(ws.title))
        target = target_book[spec.name]
        index = {c.value: c.column for c in target[1]}
        columns = [_column_of(spec, c.value) for c in source[1]]
        for row in source.iter_rows(min_row=2):
            for column, cell in zip(columns, row, strict=False):
                if column is None or cell.value is None:
                    continue
                copied = target.cell(row=cell.row, column=index[column.name], value=cell.value)
                if column.kind is Kind.PERCENT and "%" in cell.number_format:
                    copied.number_format = cell.number_format
    target_book.save(out)
    return out


def _errors(report: dict[str, Any]) -> list[tuple[str, int | None, str | None]]:
    return sorted((i["worksheet"], i["row"], i["column"]) for i in report["issues"] if i["severity"] == "error")


CLEAN = [b.file_name for b in build_books() if not b.problems]
ALL = [b.file_name for b in build_books()]


@pytest.mark.parametrize("name", CLEAN)
def test_a_template_filled_with_a_clean_sample_passes_check_with_the_samples_counts(
    template: Path, tmp_path: Path, name: str
) -> None:
    filled = fill(template, SAMPLES / name, tmp_path / name)
    code, report = check_json(filled)
    _, expected = check_json(SAMPLES / name)
    assert code == 0, _errors(report)
    assert _errors(report) == []
    assert report["counts"] == expected["counts"]
    assert sum(c["accepted"] for c in report["counts"].values()) > 0
    # Filling kept the template's drop-downs and hints.
    for spec in contract.WORKSHEETS:
        assert len(openpyxl.load_workbook(filled)[spec.name].data_validations.dataValidation) == len(spec.columns)


@pytest.mark.parametrize("name", sorted(set(ALL) - set(CLEAN)))
def test_the_template_changes_no_verdict_on_a_sample_with_mistakes(template: Path, tmp_path: Path, name: str) -> None:
    filled = fill(template, SAMPLES / name, tmp_path / name)
    code, report = check_json(filled)
    _, expected = check_json(SAMPLES / name)
    assert code == 1
    assert report["counts"] == expected["counts"]
    assert _errors(report) == _errors(expected)
