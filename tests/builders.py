"""Builders for the tests: raw workbooks as validation sees them, and real .xlsx files.

A record is a dict keyed by the header text as the clerk typed it (a contract column name, an
alias, or anything else); ``sheet`` turns records into a header row plus data rows, so a test
only spells out what it is about and borrows a valid value for everything else.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl

from core.table import Cell, CellValue, RawSheet, RawWorkbook
from core.validation import Issue, ValidationResult, validate_workbook

# The day validation runs on, unless a test says otherwise.
TODAY = date(2024, 12, 1)

PROGRAM_CODE = "QW24-PERKIM-01"
OTHER_CODE = "QW24-PUPR-01"

# One valid row per worksheet, in the contract's column order.
PROGRAM_ROW: dict[str, CellValue] = {
    "kode_program": PROGRAM_CODE,
    "nama_program": "Bakawan RTLH",
    "dimensi": "Smart Living",
    "skpd": "Disperkim",
    "deskripsi": "Rehabilitasi rumah tidak layak huni",
    "indikator": "Rumah direhabilitasi",
    "satuan": "unit",
    "target": 460,
    "anggaran": "Rp9.200.000.000",
    "tanggal_mulai": date(2024, 1, 15),
    "tanggal_selesai": date(2024, 12, 31),
    "lokasi_pribadi": "tidak",
    "tautan": "https://banjarmasinkota.go.id/quick-win",
}

CAPAIAN_ROW: dict[str, CellValue] = {
    "kode_program": PROGRAM_CODE,
    "tanggal": date(2024, 6, 30),
    "rencana_persen": 50,
    "realisasi_persen": 45,
    "capaian_indikator": 200,
    "realisasi_anggaran": "Rp4.000.000.000",
    "status": "Berjalan",
    "keterangan": "Sesuai jadwal",
    "bukti": "https://banjarmasinkota.go.id/bukti/1",
}

# Balai Kota, which lies in kelurahan Kertak Baru Ilir, kecamatan Banjarmasin Tengah.
LOKASI_ROW: dict[str, CellValue] = {
    "kode_lokasi": "LOK-01",
    "kode_program": PROGRAM_CODE,
    "nama_lokasi": "Balai Kota",
    "jenis": "titik",
    "koordinat": "-3.3278, 114.5887",
    "kelurahan": "Kertak Baru Ilir",
    "kecamatan": "Banjarmasin Tengah",
    "status": "Berjalan",
    "realisasi_persen": 40,
    "tanggal_update": date(2024, 6, 30),
    "keterangan": "Titik contoh",
}


def program(**values: CellValue) -> dict[str, CellValue]:
    """A valid program record with ``values`` replacing the defaults."""
    return {**PROGRAM_ROW, **values}


def capaian(**values: CellValue) -> dict[str, CellValue]:
    return {**CAPAIAN_ROW, **values}


def lokasi(**values: CellValue) -> dict[str, CellValue]:
    return {**LOKASI_ROW, **values}


def without(record: Mapping[str, CellValue], *columns: str) -> dict[str, CellValue]:
    """The record with ``columns`` left out (so the header will not have them either)."""
    return {k: v for k, v in record.items() if k not in columns}


def renamed(record: Mapping[str, CellValue], **headers: str) -> dict[str, CellValue]:
    """The record with some headers spelled differently: ``renamed(r, kode_program="Kode Program")``."""
    return {headers.get(k, k): v for k, v in record.items()}


def cells(values: Iterable[CellValue]) -> list[Cell]:
    return [Cell(v) for v in values]


def grid_sheet(title: str, grid: Sequence[Sequence[CellValue | Cell]]) -> RawSheet:
    """A sheet from a grid of values; ``grid[0]`` is the header row. ``Cell`` objects pass through."""
    return RawSheet(title, [[v if isinstance(v, Cell) else Cell(v) for v in row] for row in grid])


def sheet(
    title: str,
    records: Sequence[Mapping[str, CellValue] | None],
    columns: Sequence[str] | None = None,
) -> RawSheet:
    """Header plus one row per record; ``None`` in ``records`` is a blank row.

    ``columns`` (header texts, in order) defaults to every key of every record in first-seen order.
    """
    if columns is None:
        seen: dict[str, None] = {}
        for record in records:
            for key in record or {}:
                seen.setdefault(key)
        columns = list(seen)
    grid: list[list[CellValue]] = [list(columns)]
    for record in records:
        grid.append([None] * len(columns) if record is None else [record.get(c) for c in columns])
    return grid_sheet(title, grid)


_DEFAULT = object()


def workbook(
    programs: Any = _DEFAULT,
    capaians: Any = _DEFAULT,
    lokasis: Any = _DEFAULT,
    *,
    locale: str = "id_ID",
    origin: str = "disperkim.xlsx",
    extra: Sequence[RawSheet] = (),
) -> RawWorkbook:
    """A workbook with the three worksheets; each defaults to its one valid row, ``None`` leaves it out."""
    sheets: list[RawSheet] = []
    for title, records, default in (
        ("program", programs, PROGRAM_ROW),
        ("capaian", capaians, CAPAIAN_ROW),
        ("lokasi", lokasis, LOKASI_ROW),
    ):
        if records is None:
            continue
        chosen: Any = [dict(default)] if records is _DEFAULT else records
        sheets.append(sheet(title, chosen))
    return RawWorkbook(origin=origin, sheets=[*sheets, *extra], locale=locale)


def validate(book: RawWorkbook, today: date = TODAY) -> ValidationResult:
    return validate_workbook(book, today)


def issues(
    result: ValidationResult,
    worksheet: str | None = None,
    *,
    severity: str | None = None,
    column: str | None = None,
    row: int | None = None,
) -> list[Issue]:
    """The issues matching every filter given."""
    return [
        i
        for i in result.issues
        if (worksheet is None or i.worksheet == worksheet)
        and (severity is None or i.severity == severity)
        and (column is None or i.column == column)
        and (row is None or i.row == row)
    ]


def accepted(result: ValidationResult, worksheet: str) -> list[dict[str, Any]]:
    return result.rows[worksheet]


# --- real .xlsx files -------------------------------------------------------------------------


def write_xlsx(
    path: Path,
    sheets: Mapping[str, Sequence[Sequence[CellValue]]],
    number_formats: Mapping[tuple[str, str], str] | None = None,
    text_cells: Iterable[tuple[str, str]] = (),
) -> Path:
    """Write ``sheets`` (title -> grid, first row the header) to a real workbook at ``path``.

    ``number_formats`` maps (sheet title, A1 reference) to an Excel number format such as ``0.0%``.
    ``text_cells`` lists (sheet title, A1 reference) cells stored as plain strings even when they
    begin with ``=`` (openpyxl would otherwise write them as formulas).
    """
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, grid in sheets.items():
        ws = book.create_sheet(title)
        for row in grid:
            ws.append(list(row))
    for (title, ref), fmt in (number_formats or {}).items():
        book[title][ref].number_format = fmt
    for title, ref in text_cells:
        book[title][ref].data_type = "s"
    book.save(path)
    return path


def records_grid(records: Sequence[Mapping[str, CellValue]]) -> list[list[CellValue]]:
    """Records (all with the same keys) as a grid with a header row, for ``write_xlsx``."""
    columns = list(records[0])
    return [columns, *([r.get(c) for c in columns] for r in records)]


def set_cached_value(path: Path, sheet_number: int, ref: str, cached: str) -> None:
    """Give the formula in cell ``ref`` of the ``sheet_number``-th sheet (1-based) a cached result.

    openpyxl never computes formulas, so a file it writes has none; Excel and Google Sheets store
    the result beside the formula. This rewrites the sheet XML the way they would.
    """
    member = f"xl/worksheets/sheet{sheet_number}.xml"
    with zipfile.ZipFile(path) as src:
        contents = {name: src.read(name) for name in src.namelist()}
    xml = contents[member].decode("utf-8")
    pattern = re.compile(rf'(<c r="{ref}"[^>]*>\s*<f>[^<]*</f>)\s*(?:<v\s*/>|<v>[^<]*</v>)?')
    xml, found = pattern.subn(lambda m: f"{m.group(1)}<v>{cached}</v>", xml)
    if found != 1:
        raise AssertionError(f"no formula cell {ref} in {member}")
    contents[member] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in contents.items():
            dst.writestr(name, data)


def json_pairs(node: Any) -> Iterator[tuple[float, float]]:
    """Every [x, y] pair of numbers anywhere in a JSON tree (to find coordinates sent to the browser)."""
    if isinstance(node, list):
        if len(node) == 2 and all(isinstance(v, int | float) and not isinstance(v, bool) for v in node):
            yield (float(node[0]), float(node[1]))
        for item in node:
            yield from json_pairs(item)
    elif isinstance(node, dict):
        for value in node.values():
            yield from json_pairs(value)
