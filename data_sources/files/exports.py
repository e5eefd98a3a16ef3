"""Downloads: survey responses as a table, and any table as CSV or XLSX safe from formula injection.

The responses table holds what the public may see and nothing else: it is built from an allow-list of
columns, so a contact, a session or address hash, or an unapproved suggestion cannot reach it even if a
caller hands it a full store row. Two choices make re-identification harder:

- ``bulan`` is the month (YYYY-MM, city time) a response was sent, never its exact time: an exact time
  could be matched with who was seen filling in the form, or with a reply the respondent posted elsewhere;
- ``saran`` is the suggestion as masked and approved by the admin, empty otherwise;
- there is no receipt number (``QW-…``): it is the respondent's own key to their response, and with it anyone
  who saw it (a screenshot, a shared phone) could find that person's answers in the public file;
- the five profile answers (age band, sex, education, occupation, kecamatan) are published only where the
  combination of program, month and those five answers is shared by at least ``MIN_PROFILE_GROUP`` (5)
  responses; elsewhere all five are left empty. For a program with few respondents, a rare combination (a
  woman over 60 with a degree in a small kecamatan) can point to one person and reveal her answers.

Rows are kept, rather than aggregates only, so that anyone can recompute the index (IKM) from the file
(``survey-report``) and check the portal's figure: the answers themselves do not identify, the profile can.

The CSV keeps the header row first and the column names of ``data_sources.readers.survey_csv`` (``program`` and the
nine element keys), so a download feeds straight back into ``python -m data_sources survey-report``. Its
source, "data per" time and licence travel in the file name and the page's caption; the XLSX carries them
in a second sheet.
"""

from __future__ import annotations

import io
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

import openpyxl
import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from core.data_dictionary import FORMATS, export_value
from core.feedback_rules import NO, YES
from core.questionnaire import PROFILE_KEYS
from core.safe_cells import defuse
from core.survey import ELEMENTS
from core.survey_summary import BENEFIT_KEY, city_month
from core.wilayah import CITY_TIMEZONE

RESPONSE_COLUMNS: tuple[str, ...] = (
    "bulan",
    "versi_kuesioner",
    "program",
    "tahu",
    "pernah",
    *ELEMENTS,
    BENEFIT_KEY,
    *PROFILE_KEYS,
    "saran",
)
_ANSWER_COLUMNS = (*ELEMENTS, BENEFIT_KEY)
# A profile combination (with program and month) shared by fewer responses than this is not published (k-anonymity).
MIN_PROFILE_GROUP = 5


def _yes_no(value: object) -> str | None:
    return None if value is None else (YES if value else NO)


def responses_frame(public_responses: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """One row per response, in ``RESPONSE_COLUMNS`` (answers as whole numbers, empty for not applicable).

    No receipt id; profile answers only where their combination is shared by ``MIN_PROFILE_GROUP`` responses.
    """
    rows = [
        {
            "bulan": city_month(r["created_at"]).strftime("%Y-%m"),
            "versi_kuesioner": r.get("questionnaire_version"),
            "program": r.get("program"),
            "tahu": _yes_no(r.get("knows")),
            "pernah": _yes_no(r.get("used")),
            **{key: r.get(key) for key in _ANSWER_COLUMNS},
            **{key: r.get(key) for key in PROFILE_KEYS},
            "saran": r.get("saran") or "",
        }
        for r in public_responses
    ]
    _suppress_rare_profiles(rows)
    frame = pd.DataFrame(rows, columns=list(RESPONSE_COLUMNS))
    # Nullable integers: "4", not "4.0", and an empty cell for "not applicable".
    return frame.astype({key: "Int64" for key in _ANSWER_COLUMNS})


def _profile_group(row: Mapping[str, Any]) -> tuple[Any, ...]:
    # The program and month belong to the key: someone who knows a respondent knows those too.
    return (row["program"], row["bulan"], *(row[key] for key in PROFILE_KEYS))


def _suppress_rare_profiles(rows: list[dict[str, Any]]) -> None:
    """Empty all five profile answers of every row whose combination fewer than MIN_PROFILE_GROUP rows share.

    Counted over the rows given; a combination is within one program and month, so a program's own download
    and the all-programs one suppress the same cells.
    """
    sizes = Counter(_profile_group(row) for row in rows)
    for row in rows:
        if sizes[_profile_group(row)] < MIN_PROFILE_GROUP:
            row.update(dict.fromkeys(PROFILE_KEYS))


def defused(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell (and column name) defused; numbers and dates are left as they are."""
    out = frame.rename(columns=lambda name: defuse(str(name)))
    for column in out.columns:
        if pd.api.types.is_object_dtype(out[column]) or pd.api.types.is_string_dtype(out[column]):
            # Cell by cell, never inferring a type: a column of whole numbers and empty cells stays whole.
            values = [defuse(v) if isinstance(v, str) else v for v in out[column]]
            out[column] = pd.Series(values, index=out.index, dtype=object)
    return out


def _plain(value: Any) -> Any:
    """A pandas or numpy cell as the Python value it holds (None when empty)."""
    if isinstance(value, list | tuple | dict):
        return value
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return value.item()
    return value


def dictionary_formatted(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every cell written as the data dictionary says (``core.data_dictionary.export_value``): dates
    YYYY-MM-DD, moments ISO 8601 with +08:00 and whole seconds, yes/no as ``ya``/``tidak``, whole numbers
    without ``.0``, empty cells empty. The same file then reads alike as CSV, XLSX and JSON."""
    columns = {
        i: pd.Series([export_value(_plain(v), FORMATS.get(str(name))) for v in frame.iloc[:, i]], dtype=object)
        for i, name in enumerate(frame.columns)
    }
    out = pd.DataFrame(columns, index=range(len(frame)))  # object columns: 14750000000 stays whole, not 14750000000.0
    out.columns = frame.columns
    out.index = frame.index
    return out


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark (so Excel reads the accents right), CRLF lines, text cells defused."""
    text = defused(frame).to_csv(index=False, lineterminator="\r\n")
    return text.encode("utf-8-sig")


def _sheet_title(title: str) -> str:
    # Excel refuses []:*?/\ in a sheet name, more than 31 characters, and a leading or trailing quote.
    return re.sub(r"[\[\]:*?/\\]", "-", title).strip("'")[:31] or "data"


def _cell_value(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime) and value.tzinfo is not None:
        # XLSX has no time zones: write the city's own time, as the pages show it.
        return value.astimezone(CITY_TIMEZONE).replace(tzinfo=None)
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return value.item()
    if isinstance(value, str):
        # Control characters XLSX cannot hold would make the whole file unreadable.
        return ILLEGAL_CHARACTERS_RE.sub("", defuse(value))
    return value


def _write(sheet: Any, rows: Iterable[Sequence[Any]]) -> None:
    widths: dict[int, int] = {}
    for row in rows:
        sheet.append([_cell_value(v) for v in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                # Text, whatever it looks like: Excel never evaluates it as a formula.
                cell.data_type = "s"
                widths[cell.column] = max(widths.get(cell.column, 0), min(len(cell.value), 60))
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = max(width + 2, 8)


def to_xlsx_bytes(
    frame: pd.DataFrame,
    sheet_title: str,
    about: Sequence[Sequence[Any]] = (),
    about_title: str = "keterangan",
) -> bytes:
    """The table on one sheet (header row first, frozen); ``about`` rows (label, text) on a second sheet.

    Every text cell is defused and stored as text (data type ``s``), never as a formula.
    """
    return tables_to_xlsx_bytes({sheet_title: frame}, about, about_title)


def tables_to_xlsx_bytes(
    tables: Mapping[str, pd.DataFrame], about: Sequence[Sequence[Any]] = (), about_title: str = "keterangan"
) -> bytes:
    """One sheet per table, then the ``about`` sheet; text defused and stored as text."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, frame in tables.items():
        sheet = workbook.create_sheet(_sheet_title(title))
        _write(sheet, [[str(c) for c in frame.columns], *frame.itertuples(index=False, name=None)])
        sheet.freeze_panes = "A2"
    if about:
        _write(workbook.create_sheet(_sheet_title(about_title)), about)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _json_value(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime):
        # With its offset (+08:00), so a script knows exactly when.
        return (value.astimezone(CITY_TIMEZONE) if value.tzinfo else value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        # A whole number is an integer in JSON ("anggaran": 850000000, not 850000000.0): pandas keeps a column with
        # an empty cell as floats, and a reader's schema (integer) must not reject it.
        return int(value)
    return value


def json_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    columns = [str(c) for c in frame.columns]
    return [dict(zip(columns, map(_json_value, row), strict=True)) for row in frame.itertuples(index=False, name=None)]


def to_json_bytes(frame: pd.DataFrame | Mapping[str, pd.DataFrame], about: Mapping[str, Any]) -> bytes:
    """``{"tentang": {source, data per, licence, ...}, "data": [one object per row]}`` (or ``data`` holding one
    list per table name), UTF-8. JSON is not a spreadsheet: text is kept exactly as published."""
    data: Any = (
        json_rows(frame) if isinstance(frame, pd.DataFrame) else {name: json_rows(f) for name, f in frame.items()}
    )
    return json.dumps({"tentang": dict(about), "data": data}, ensure_ascii=False, indent=1).encode("utf-8")
