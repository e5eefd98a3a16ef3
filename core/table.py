"""What a reader hands to validation: worksheets as grids of raw cells, before any parsing.

Every source kind (local workbook, Google Sheet, published CSV) produces a ``RawWorkbook``;
validation never needs to know where it came from.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date, datetime

CellValue = str | int | float | bool | date | datetime | None


@dataclass(frozen=True)
class Cell:
    value: CellValue
    # The cell is formatted as a percentage: an xlsx cell holding 0.455 shows "45.5%".
    percent: bool = False

    @property
    def is_blank(self) -> bool:
        return self.value is None or (isinstance(self.value, str) and not self.value.strip())

    def shown(self) -> str:
        """The value as a clerk would recognise it in a report."""
        v = self.value
        if v is None:
            return ""
        if isinstance(v, datetime):
            return v.date().isoformat() if v.time() == datetime.min.time() else v.isoformat(sep=" ")
        if isinstance(v, date):
            return v.isoformat()
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        if self.percent and isinstance(v, int | float):
            try:
                return f"{float(v) * 100:g}%"
            except OverflowError:  # an integer too large for a float is shown as typed
                return str(v)
        return str(v)


@dataclass
class RawSheet:
    """One worksheet; ``rows[0]`` is the header row, which the sheet shows as row 1."""

    title: str
    rows: list[list[Cell]] = field(default_factory=list)
    # Google's id of the worksheet (the ``gid`` in its URL), when the reader knows it: a report can
    # then link straight to a cell. Local workbooks have none.
    sheet_id: int | None = None


@dataclass
class RawWorkbook:
    origin: str
    sheets: list[RawSheet]
    # The locale the sheet's text was written in (decides 1.250 vs 1,250 and day/month order).
    locale: str = "id_ID"
    # True when the locale is the sheet's own (Google's metadata) and Google formatted the values:
    # then "1.250" is not ambiguous and gets no warning.
    locale_known: bool = False


@functools.lru_cache(maxsize=1024)
def column_letter(index: int) -> str:
    """Zero-based column index to its A1 letters: 0 -> A, 26 -> AA (remembered: asked for every cell)."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
