"""A local ``.xlsx`` workbook laid out like an SKPD's Google Sheet."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook

from core.table import Cell, RawSheet, RawWorkbook
from data_sources.readers.protocol import SourceUnreadable

# Quoted text ("%") and backslash-escaped characters (\%) in a number format are literal:
# only a bare % makes Excel show the value times 100.
_LITERALS = re.compile(r'"[^"]*"|\\.')


def _is_percent_format(number_format: str | None) -> bool:
    return bool(number_format) and "%" in _LITERALS.sub("", str(number_format))


def _cell(value: object, number_format: str | None) -> Cell:
    return Cell(value, percent=_is_percent_format(number_format))  # type: ignore[arg-type]


def read_workbook(path: Path, locale: str = "id_ID") -> RawWorkbook:
    if not path.exists():
        raise SourceUnreadable(f"file not found: {path}")
    if path.is_dir():
        raise SourceUnreadable(f"not a workbook but a folder: {path}")
    try:
        # data_only: a formula cell gives the value the clerk sees, not the formula text.
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise SourceUnreadable(f"not an .xlsx workbook: {path} ({type(exc).__name__})") from None
    try:
        return workbook_from_book(book, str(path), locale)
    finally:
        book.close()


def workbook_from_book(book: Workbook, origin: str, locale: str = "id_ID") -> RawWorkbook:
    """The cells of an opened workbook (read with ``data_only``: a formula gives its saved value)."""
    sheets = []
    for ws in book.worksheets:
        rows = [[_cell(c.value, getattr(c, "number_format", None)) for c in row] for row in ws.iter_rows()]
        sheets.append(RawSheet(ws.title, rows))
    return RawWorkbook(origin=origin, sheets=sheets, locale=locale)


@dataclass
class WorkbookSource:
    name: str
    path: Path
    locale: str = "id_ID"

    @property
    def origin(self) -> str:
        return self.path.name

    def read(self) -> RawWorkbook:
        book = read_workbook(self.path, self.locale)
        book.origin = self.origin
        return book
