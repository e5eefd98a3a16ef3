"""A local ``.xlsx`` workbook laid out like an SKPD's Google Sheet, read within bounds.

A workbook is never trusted to say how large it is. openpyxl's read-only mode pads every row to the
``<dimension>`` a sheet declares: a 9 KB file declaring ``A1:XFD1048576`` asks for 1.7 × 10^10 cells, and
a stale, too small dimension silently drops the rows below it. So the worksheet XML is streamed here
cell by cell, the declared dimension is ignored, and every row in the file is read, or the read stops at
the first cell past a cap (``WorkbookLimits``) with a message naming the worksheet and that cell:
- the members' uncompressed sizes, from the zip directory, before anything is inflated: the whole, and each
  part that is parsed whole (styles, relations, content types: ``MAX_PART_MB``);
- the number of shared strings, before openpyxl loads them all;
- rows, columns and cells per worksheet, as the XML streams, before a row is padded.
Memory is then bounded by the caps, whatever the file declares. Anything else that goes wrong while
reading (a cut-off sheet, a damaged zip member) is a ``WorkbookDamaged`` naming the worksheet.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import openpyxl
from openpyxl.cell.read_only import ReadOnlyCell
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._reader import CELL_TAG, FORMULA_TAG, ROW_TAG, WorkSheetParser
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse  # defusedxml's when installed: no entity tricks

from core.formatting import number
from core.table import Cell, RawSheet, RawWorkbook, column_letter
from core.text import Text
from data_sources.readers.protocol import SourceUnreadable

MB = 1024 * 1024
MAX_FORMULAS_LISTED = 50
# A real worksheet nests about eight elements deep (worksheet, sheetData, row, c, is, r, t, extLst parts);
# a file nesting far deeper is built to make the parser hold every open element.
MAX_XML_DEPTH = 64
# Every part but the worksheets (streamed) and the shared strings (counted) is parsed whole, by openpyxl or
# here, into a tree many times its size: a real workbook's styles, relations and content types are kilobytes,
# so 8 MB is far past any, and bounds what one part can cost whatever the caps on the whole workbook.
MAX_PART_MB = 8
_RELATIONS = "xl/_rels/workbook.xml.rels"
_SHARED_STRING_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")
_SHARED_STRINGS_TYPE = "/sharedStrings"

# Quoted text ("%") and backslash-escaped characters (\%) in a number format are literal:
# only a bare % makes Excel show the value times 100.
_LITERALS = re.compile(r'"[^"]*"|\\.')
_EMPTY = Cell(None)


@dataclass(frozen=True)
class WorkbookLimits:
    """What one worksheet may hold (rows, columns, cells) and what the whole workbook may inflate to.

    The defaults hold the benchmark's scale L (100,000 sites and 100,000 reports over six workbooks) with
    room to spare, even all of it in one workbook; ``[workbook_limits]`` in portal.toml changes them.
    """

    rows: int = 200_000
    columns: int = 200
    cells: int = 2_000_000
    uncompressed_mb: int = 300


# An upload comes from anyone: smaller caps, still more than one SKPD's whole sheet at scale L.
PREVIEW_LIMITS = WorkbookLimits(rows=25_000, columns=100, cells=500_000, uncompressed_mb=60)


class WorkbookTooLarge(SourceUnreadable):
    """Past a cap: the message names the worksheet (and the cell where the read stopped)."""

    def __init__(self, message: Text, worksheet: str | None = None, cell: str | None = None) -> None:
        super().__init__(message)
        self.worksheet, self.cell = worksheet, cell


class NotAWorkbook(SourceUnreadable):
    """Not a zip, or a zip that holds no workbook; ``kind`` is the error's type, for the admin."""

    def __init__(self, kind: str) -> None:
        super().__init__(
            Text(
                "Berkas ini bukan workbook Excel (.xlsx). Di Google Sheets: File → Download → Microsoft Excel (.xlsx).",
                "This file is not an Excel workbook (.xlsx). In Google Sheets: File → Download → Microsoft Excel "
                "(.xlsx).",
            )
        )
        self.kind = kind


class WorkbookDamaged(SourceUnreadable):
    """The file is a workbook, but a part of it cannot be read (cut off, a damaged zip member)."""

    def __init__(self, message: Text, worksheet: str | None = None) -> None:
        super().__init__(message)
        self.worksheet, self.cell = worksheet, None


@dataclass
class Formulas:
    """Formula cells met while reading ("capaian!C5"), the first ``MAX_FORMULAS_LISTED`` of them named."""

    found: list[str] = field(default_factory=list)
    more: int = 0

    def add(self, ref: str) -> None:
        if len(self.found) < MAX_FORMULAS_LISTED:
            self.found.append(ref)
        else:
            self.more += 1


def _is_percent_format(number_format: str | None) -> bool:
    return bool(number_format) and "%" in _LITERALS.sub("", str(number_format))


def _n(value: float, lang: str) -> str:
    return number(value, lang, 0)


# How a cell past the row or the column cap is told: (Indonesian: the line, where it lies), (English: the same).
_LINES = {
    "row": (("baris ", "baris", "di bawah data"), ("row", "rows", "below the data")),
    "column": (("kolom ke-", "kolom", "di kanan data"), ("column", "columns", "right of the data")),
}


def _past_line(kind: str, title: str, ref: str, index: int, cap: int) -> WorkbookTooLarge:
    """A cell in a row (or column) numbered past the cap: the message names the worksheet, the cell and the cap."""
    (at_id, many_id, where_id), (at_en, many_en, where_en) = _LINES[kind]
    return WorkbookTooLarge(
        Text(
            f"Worksheet '{title}' terlalu besar untuk dibaca: sel {ref} ada di {at_id}{_n(index, 'id')}, padahal"
            f" paling banyak {_n(cap, 'id')} {many_id} yang dibaca. Hapus {many_id} yang "
            f"tidak dipakai {where_id} (juga yang kosong tetapi berformat), lalu coba lagi.",
            f"Worksheet '{title}' is too large to read: cell {ref} is in {at_en} {_n(index, 'en')}, and at most "
            f"{_n(cap, 'en')} {many_en} are read. Delete the unused {many_en} {where_en} (empty but formatted ones "
            "too) and try again.",
        ),
        title,
        ref,
    )


def _too_many_cells(title: str, ref: str, cap: int) -> WorkbookTooLarge:
    return WorkbookTooLarge(
        Text(
            f"Worksheet '{title}' terlalu besar untuk dibaca: sampai sel {ref} sudah lebih dari {_n(cap, 'id')} "
            "sel (setiap baris dihitung sampai sel terakhirnya). Hapus baris dan kolom yang tidak dipakai, atau "
            "bagi datanya ke beberapa workbook, lalu coba lagi.",
            f"Worksheet '{title}' is too large to read: by cell {ref} it holds more than {_n(cap, 'en')} cells "
            "(each row counts up to its last cell). Delete unused rows and columns, or split the data over "
            "several workbooks, and try again.",
        ),
        title,
        ref,
    )


def _too_inflated(size: int, cap_mb: int, worksheet: str | None, sheet_size: int = 0) -> WorkbookTooLarge:
    total_id, total_en = number(size / MB, "id", 1), number(size / MB, "en", 1)
    cap_id, cap_en = _n(cap_mb, "id"), _n(cap_mb, "en")
    if worksheet is None:
        return WorkbookTooLarge(
            Text(
                f"Workbook ini terlalu besar untuk dibaca: saat dibuka isinya {total_id} MB, paling besar "
                f"{cap_id} MB. Hapus lembar, gambar atau baris yang tidak diperlukan, lalu coba lagi.",
                f"This workbook is too large to read: opened, it holds {total_en} MB, at most {cap_en} MB. "
                "Remove sheets, pictures or rows that are not needed and try again.",
            )
        )
    sheet_id, sheet_en = number(sheet_size / MB, "id", 1), number(sheet_size / MB, "en", 1)
    return WorkbookTooLarge(
        Text(
            f"Worksheet '{worksheet}' terlalu besar untuk dibaca: saat dibuka isinya {sheet_id} MB (seluruh "
            f"workbook {total_id} MB, paling besar {cap_id} MB). Hapus baris, kolom atau format yang tidak "
            "dipakai di worksheet ini, lalu coba lagi.",
            f"Worksheet '{worksheet}' is too large to read: opened, it holds {sheet_en} MB (the whole workbook "
            f"{total_en} MB, at most {cap_en} MB). Delete unused rows, columns or formatting in this worksheet "
            "and try again.",
        ),
        worksheet,
    )


def _damaged(exc: BaseException, worksheet: str | None = None) -> WorkbookDamaged:
    kind = type(exc).__name__  # the type only: an exception's text may hold a server path
    if worksheet is None:
        return WorkbookDamaged(
            Text(
                f"Workbook ini rusak dan tidak dapat dibaca ({kind}). Simpan ulang sebagai .xlsx dari Excel atau "
                "Google Sheets, lalu coba lagi.",
                f"This workbook is damaged and cannot be read ({kind}). Save it again as .xlsx from Excel or "
                "Google Sheets and try again.",
            )
        )
    return WorkbookDamaged(
        Text(
            f"Worksheet '{worksheet}' rusak dan tidak dapat dibaca ({kind}); isinya mungkin terpotong. Simpan "
            "ulang workbook sebagai .xlsx dari Excel atau Google Sheets, lalu coba lagi.",
            f"Worksheet '{worksheet}' is damaged and cannot be read ({kind}); its content may be cut off. Save "
            "the workbook again as .xlsx from Excel or Google Sheets and try again.",
        ),
        worksheet,
    )


# --- before openpyxl reads anything -----------------------------------------------------------


def _shared_strings_member(archive: zipfile.ZipFile) -> str | None:
    try:
        rels = archive.read(_RELATIONS)
    except KeyError:
        return None
    for _, element in iterparse(io.BytesIO(rels)):
        if element.get("Type", "").endswith(_SHARED_STRINGS_TYPE):
            target = element.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return None


def _check_shared_strings(archive: zipfile.ZipFile, limits: WorkbookLimits, name: str | None) -> None:
    """openpyxl loads every shared string at once (and slowly): more strings than cells is no real workbook."""
    if name is None or name not in archive.namelist():
        return
    # Counted in the raw bytes, at C speed: every string's start tag, with or without a namespace prefix. A
    # "<si>" inside a comment or CDATA counts too, which can only refuse a file built to trick, never pass one.
    count, tail = 0, b""
    with archive.open(name) as source:
        while chunk := source.read(1 << 20):
            window = tail + chunk
            count += len(_SHARED_STRING_START.findall(window)) - len(_SHARED_STRING_START.findall(tail))
            tail = window[-32:]
            if count > limits.cells:
                raise WorkbookTooLarge(
                    Text(
                        f"Workbook ini terlalu besar untuk dibaca: lebih dari {_n(limits.cells, 'id')} teks "
                        "berbeda. Hapus lembar atau baris yang tidak diperlukan, lalu coba lagi.",
                        f"This workbook is too large to read: more than {_n(limits.cells, 'en')} distinct "
                        "texts. Remove sheets or rows that are not needed and try again.",
                    )
                )


_RELS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _sheet_titles(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet member path -> the worksheet's title, from workbook.xml and its relationships."""
    try:
        targets = {}
        for _, element in iterparse(io.BytesIO(archive.read("xl/_rels/workbook.xml.rels"))):
            target = element.get("Target", "")
            targets[element.get("Id")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        titles = {}
        for _, element in iterparse(io.BytesIO(archive.read("xl/workbook.xml"))):
            if element.tag == f"{{{SHEET_MAIN_NS}}}sheet":
                titles[targets.get(element.get(f"{{{_RELS_NS}}}id"), "")] = element.get("name", "")
        return titles
    except Exception:  # damaged too: the message then names no worksheet
        return {}


def _find_damaged_member(archive: zipfile.ZipFile) -> None:
    """Inflate every member once (within the size cap already checked), so a damaged one is named."""
    for info in archive.infolist():
        try:
            with archive.open(info) as member:
                while member.read(1 << 20):
                    pass
        except Exception as exc:  # a bad CRC, a stream that does not inflate
            raise _damaged(exc, _sheet_titles(archive).get(info.filename)) from None


def _part_too_large(name: str, size: int) -> WorkbookTooLarge:
    size_id, size_en = number(size / MB, "id", 1), number(size / MB, "en", 1)
    cap_id, cap_en = _n(MAX_PART_MB, "id"), _n(MAX_PART_MB, "en")
    return WorkbookTooLarge(
        Text(
            f"Workbook ini tidak dapat dibaca: bagian '{name}' berisi {size_id} MB, paling besar {cap_id} MB (pada "
            "workbook biasa hanya beberapa KB). Simpan ulang sebagai .xlsx dari Excel atau Google Sheets, lalu "
            "coba lagi.",
            f"This workbook cannot be read: its part '{name}' holds {size_en} MB, at most {cap_en} MB (a few KB "
            "in a usual workbook). Save it again as .xlsx from Excel or Google Sheets and try again.",
        )
    )


def _check_parts(archive: zipfile.ZipFile, sizes: dict[str, int]) -> str | None:
    """Refuse a part that would be parsed whole and is past ``MAX_PART_MB``; the shared strings' member name."""
    if sizes.get(_RELATIONS, 0) > MAX_PART_MB * MB:  # read below to find the shared strings
        raise _part_too_large(_RELATIONS, sizes[_RELATIONS])
    shared = _shared_strings_member(archive)
    for name, size in sizes.items():
        parsed_whole = name.endswith((".xml", ".rels")) and not name.startswith("xl/worksheets/") and name != shared
        if parsed_whole and size > MAX_PART_MB * MB:
            raise _part_too_large(name, size)
    return shared


def _sizes(archive: zipfile.ZipFile) -> dict[str, int]:
    # The directory's uncompressed sizes can be trusted as a bound: zipfile stops inflating a member at its
    # declared size, and a member that would inflate further fails its CRC check.
    return {info.filename: info.file_size for info in archive.infolist()}


def open_book(source: Path | IO[bytes], limits: WorkbookLimits) -> Workbook:
    """The workbook opened read-only (saved values, never formulas), after its sizes are checked.

    Raises ``SourceUnreadable`` subclasses only: not a zip, too large, or damaged.
    """
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise NotAWorkbook(type(exc).__name__) from None
    try:
        sizes = _sizes(archive)
        total = sum(sizes.values())
        sheets = sum(size for name, size in sizes.items() if name.startswith("xl/worksheets/"))
        if total - sheets > limits.uncompressed_mb * MB:
            raise _too_inflated(total, limits.uncompressed_mb, None)
        shared = _check_parts(archive, sizes)
        if total <= limits.uncompressed_mb * MB:
            _find_damaged_member(archive)
        _check_shared_strings(archive, limits, shared)
    except SourceUnreadable:
        raise
    except Exception as exc:  # a damaged directory or member
        raise _damaged(exc) from None
    finally:
        archive.close()
    if not isinstance(source, Path):
        source.seek(0)
    try:
        # data_only: a formula cell gives the value the clerk sees, not the formula text.
        book = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError) as exc:
        raise NotAWorkbook(type(exc).__name__) from None
    except Exception as exc:  # defusedxml refusing an entity trick, a broken XML part, a damaged member
        raise _damaged(exc) from None
    if total > limits.uncompressed_mb * MB:
        # Name the largest worksheet: that is where the clerk has something to delete.
        by_size = sorted(book.worksheets, key=lambda ws: sizes.get(ws._worksheet_path, 0))
        book.close()
        if not by_size:
            raise _too_inflated(total, limits.uncompressed_mb, None)
        largest = by_size[-1]
        raise _too_inflated(total, limits.uncompressed_mb, largest.title, sizes.get(largest._worksheet_path, 0))
    return book


# --- one worksheet, streamed ---------------------------------------------------------------------


def _events(ws: Any) -> Iterator[tuple[str, Any, Any]]:
    """(event, element, parent) for every element of the worksheet XML; each finished element is dropped.

    ElementTree keeps every element it built until its parent is gone; removing each one from its
    parent once handled keeps memory flat however many rows the file has.
    """
    stack: list[Any] = []
    in_cell = 0  # how many open cell elements enclose this point (0 or 1 in a sound file)
    with ws._get_source() as source:
        for event, element in iterparse(source, events=("start", "end")):
            if event == "start":
                stack.append(element)
                if len(stack) > MAX_XML_DEPTH:
                    raise ValueError("XML nested too deep")
                if element.tag == CELL_TAG:
                    in_cell += 1
                yield event, element, stack[-2] if len(stack) > 1 else None
                continue
            stack.pop()
            parent = stack[-1] if stack else None
            yield event, element, parent
            if element.tag == CELL_TAG:
                in_cell -= 1
            # The children of a cell are read with it (its value, formula or inline text); anything else
            # is finished with at its end.
            if parent is not None and not in_cell:
                parent.remove(element)


class _SheetReader:
    """One worksheet's cells as rows, refusing at the first cell past a cap."""

    def __init__(self, book: Workbook, ws: Any, limits: WorkbookLimits, formulas: Formulas | None) -> None:
        self.ws, self.title, self.limits, self.formulas = ws, ws.title, limits, formulas
        # The same parser openpyxl's read-only worksheet uses, for the cell values (shared strings, dates in
        # the workbook's epoch and date formats); only its row loop, which pads to the declared size, is not.
        self.parser = WorkSheetParser(
            None,
            ws._shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        self.percent: dict[int, bool] = {}
        self.rows: dict[int, list[Cell]] = {}
        self.cells = 0

    def _is_percent(self, style_id: int) -> bool:
        known = self.percent.get(style_id)
        if known is None:
            fmt = ReadOnlyCell(self.ws, 1, 1, None, "n", style_id).number_format if style_id else None
            known = self.percent[style_id] = _is_percent_format(fmt)
        return known

    def _start_row(self, element: Any) -> None:
        parser = self.parser
        r = element.get("r")
        # As openpyxl does: a row without its number follows the one before.
        parser.row_counter = int(float(r)) if r is not None else parser.row_counter + 1
        parser.col_counter = 0
        if parser.row_counter < 1:
            raise ValueError(f"row number {parser.row_counter}")

    def _cell(self, element: Any) -> None:
        parsed = self.parser.parse_cell(element)
        row, column = self.parser.row_counter, parsed["column"]
        ref = f"{column_letter(column - 1)}{row}"
        if row > self.limits.rows:
            raise _past_line("row", self.title, ref, row, self.limits.rows)
        if column > self.limits.columns:
            raise _past_line("column", self.title, ref, column, self.limits.columns)
        if column < 1:
            raise ValueError(f"column {column}")
        cells = self.rows.setdefault(row, [])
        # Each cell costs one, and a row grows to its last cell: what the grid will hold in memory.
        self.cells += max(1, column - len(cells))
        if self.cells > self.limits.cells:
            raise _too_many_cells(self.title, ref, self.limits.cells)
        if len(cells) < column:
            cells.extend([_EMPTY] * (column - len(cells)))
        value = parsed["value"]
        cells[column - 1] = _EMPTY if value is None else Cell(value, percent=self._is_percent(parsed["style_id"]))
        if self.formulas is not None and element.find(FORMULA_TAG) is not None:
            self.formulas.add(f"{self.title}!{ref}")

    def read(self) -> RawSheet:
        for event, element, _parent in _events(self.ws):
            tag = element.tag
            if event == "start":
                if tag == ROW_TAG:
                    self._start_row(element)
                    if self.parser.row_counter > self.limits.rows:
                        ref = f"A{self.parser.row_counter}"
                        raise _past_line("row", self.title, ref, self.parser.row_counter, self.limits.rows)
            elif tag == CELL_TAG:
                self._cell(element)
        last = max(self.rows, default=0)
        # Rows the file leaves out are empty rows: row numbers stay those the clerk sees.
        return RawSheet(self.title, [self.rows.get(n, []) for n in range(1, last + 1)])


def workbook_from_book(
    book: Workbook,
    origin: str,
    locale: str = "id_ID",
    limits: WorkbookLimits | None = None,
    formulas: Formulas | None = None,
) -> RawWorkbook:
    """The cells of a workbook opened by ``open_book`` (a formula gives its saved value), within ``limits``.

    ``formulas``, when given, collects every formula cell's reference.
    """
    limits = limits or WorkbookLimits()
    sheets = []
    for ws in book.worksheets:
        try:
            sheets.append(_SheetReader(book, ws, limits, formulas).read())
        except SourceUnreadable:
            raise
        except Exception as exc:  # cut-off XML, a damaged member, a cell reference that is no reference
            raise _damaged(exc, ws.title) from None
    return RawWorkbook(origin=origin, sheets=sheets, locale=locale)


def read_workbook(path: Path, locale: str = "id_ID", limits: WorkbookLimits | None = None) -> RawWorkbook:
    if not path.exists():
        raise SourceUnreadable(f"file not found: {path}")
    if path.is_dir():
        raise SourceUnreadable(f"not a workbook but a folder: {path}")
    limits = limits or WorkbookLimits()
    try:
        book = open_book(path, limits)
    except NotAWorkbook as exc:
        raise SourceUnreadable(f"not an .xlsx workbook: {path} ({exc.kind})") from None
    try:
        return workbook_from_book(book, str(path), locale, limits)
    finally:
        book.close()


@dataclass
class WorkbookSource:
    name: str
    path: Path
    locale: str = "id_ID"
    limits: WorkbookLimits = field(default_factory=WorkbookLimits)

    @property
    def origin(self) -> str:
        return self.path.name

    def read(self) -> RawWorkbook:
        book = read_workbook(self.path, self.locale, self.limits)
        book.origin = self.origin
        return book
