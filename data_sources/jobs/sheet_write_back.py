"""Writing an SKPD's check report into its own Google Sheet: notes on problem cells and the ``status_portal`` tab.

Only for a source with ``write_back = true`` (kind "google"), during the sync, after its rows are saved. Per
spreadsheet and sync: at most one read of the notes (``spreadsheets.get`` with a ``fields`` mask that asks for
notes only) and one ``spreadsheets.batchUpdate``, both through the reader's own HTTP client, so they share its
retry policy (429 and 5xx backoff within the budget) and are counted in the sync's cost. Nothing is written when
no note changes and the status tab says what it said last time.

What is written: notes (``fields: "note"``) on the data worksheets, addressed by their real ``sheetId``, and
values only in ``status_portal`` (``fields: "userEnteredValue"`` with ``stringValue``s: text, never a formula).
Never a value, format, validation rule or protection of ``program``, ``capaian`` or ``lokasi``.

When Google refuses (403: the sheet is shared read-only, or not as Editor), the rows are already published;
the outcome says so and whom to share the sheet with.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from google.auth.exceptions import GoogleAuthError
from gspread.exceptions import APIError
from gspread.utils import a1_to_rowcol, absolute_range_name

from core import contract
from core.sheet_feedback import STATUS_WORKSHEET, NoteCell, SkpdReport, note_writes, status_rows
from core.table import column_letter
from core.text import Text, normalise_key
from data_sources.readers.google_sheets import ServiceAccountSource
from data_sources.readers.http_retry import RetriesExhausted

logger = logging.getLogger("portal")

NOTES_FIELDS = "sheets(properties(sheetId,title),data(startRow,startColumn,rowData(values(note))))"
# A new status tab is at least this big, so a longer report next time rarely needs the grid grown.
STATUS_MIN_ROWS = 100
STATUS_MIN_COLUMNS = 6


@dataclass(frozen=True)
class WriteResult:
    """``outcome``: "written", "unchanged", "refused" (403) or "failed"; ``notes``: cells whose note changed."""

    outcome: str
    notes: int = 0
    status_tab: bool = False
    message: Text | None = None

    @property
    def failed(self) -> bool:
        """Not written: refused by Google or failed; the next sync tries again."""
        return self.outcome in ("refused", "failed")


def _data_worksheets(worksheets: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Contract worksheet name -> the properties of the worksheet the reader read for it (the first matching)."""
    found: dict[str, dict[str, Any]] = {}
    for spec in contract.WORKSHEETS:
        props = next((p for p in worksheets if spec.matches_title(str(p.get("title", "")))), None)
        if props is not None and props.get("sheetId") is not None:
            found[spec.name] = props
    return found


def _status_worksheet(worksheets: list[dict[str, Any]]) -> dict[str, Any] | None:
    return next((p for p in worksheets if normalise_key(str(p.get("title", ""))) == STATUS_WORKSHEET), None)


def read_notes(source: ServiceAccountSource, data: Mapping[str, dict[str, Any]]) -> dict[NoteCell, str]:
    """Every note on the data worksheets, in one request."""
    if not data:
        return {}
    by_title = {str(p["title"]): name for name, p in data.items()}
    params = {"ranges": [absolute_range_name(t) for t in by_title], "fields": NOTES_FIELDS}
    answer = source.http_client().fetch_sheet_metadata(source.key, params=params)
    notes: dict[NoteCell, str] = {}
    for sheet in answer.get("sheets", []):
        name = by_title.get(str(sheet.get("properties", {}).get("title", "")))
        if name is None:
            continue
        for grid in sheet.get("data", []):
            top, left = int(grid.get("startRow", 0)), int(grid.get("startColumn", 0))
            for i, row in enumerate(grid.get("rowData", [])):
                for j, cell in enumerate(row.get("values", [])):
                    if cell.get("note"):
                        notes[NoteCell(name, f"{column_letter(left + j)}{top + i + 1}")] = str(cell["note"])
    return notes


def _note_request(sheet_id: int, a1: str, note: str) -> dict[str, Any]:
    row, col = a1_to_rowcol(a1)
    # With fields "note", a cell given without a note has its note removed; its value is never touched.
    value: dict[str, Any] = {"note": note} if note else {}
    return {
        "updateCells": {
            "start": {"sheetId": sheet_id, "rowIndex": row - 1, "columnIndex": col - 1},
            "rows": [{"values": [value]}],
            "fields": "note",
        }
    }


def _free_sheet_id(key: str, taken: set[int]) -> int:
    candidate = zlib.crc32(f"{key}/{STATUS_WORKSHEET}".encode()) & 0x7FFFFFFF
    while candidate in taken or candidate == 0:
        candidate = (candidate + 1) & 0x7FFFFFFF
    return candidate


def _status_requests(
    source: ServiceAccountSource, props: dict[str, Any] | None, rows: list[list[str]]
) -> list[dict[str, Any]]:
    """Create the status tab when it is missing, grow its grid when the report is longer, then write every cell of
    its grid: what ``rows`` does not cover is cleared, so nothing of an older, longer report stays behind."""
    height, width = len(rows), max((len(r) for r in rows), default=1)
    requests: list[dict[str, Any]] = []
    if props is None:
        sheet_id = _free_sheet_id(source.key, {int(p["sheetId"]) for p in source.worksheets if "sheetId" in p})
        grid_rows, grid_cols = max(height, STATUS_MIN_ROWS), max(width, STATUS_MIN_COLUMNS)
        requests.append(
            {
                "addSheet": {
                    "properties": {
                        "sheetId": sheet_id,
                        "title": STATUS_WORKSHEET,
                        "gridProperties": {"rowCount": grid_rows, "columnCount": grid_cols},
                    }
                }
            }
        )
    else:
        sheet_id = int(props["sheetId"])
        grid = props.get("gridProperties", {})
        old_rows, old_cols = int(grid.get("rowCount", 0)), int(grid.get("columnCount", 0))
        grid_rows, grid_cols = max(height, old_rows), max(width, old_cols)
        if (grid_rows, grid_cols) != (old_rows, old_cols):
            requests.append(
                {
                    "updateSheetProperties": {
                        "properties": {
                            "sheetId": sheet_id,
                            "gridProperties": {"rowCount": grid_rows, "columnCount": grid_cols},
                        },
                        "fields": "gridProperties.rowCount,gridProperties.columnCount",
                    }
                }
            )
    requests.append(
        {
            "updateCells": {
                "range": {
                    "sheetId": sheet_id,
                    "startRowIndex": 0,
                    "endRowIndex": grid_rows,
                    "startColumnIndex": 0,
                    "endColumnIndex": grid_cols,
                },
                "rows": [
                    {"values": [{"userEnteredValue": {"stringValue": v}} if v else {} for v in row]} for row in rows
                ],
                "fields": "userEnteredValue",
            }
        }
    )
    return requests


def refused(account: str) -> Text:
    return Text(
        "Laporan pemeriksaan tidak dapat ditulis ke sheet: Google menolak (403). Bagikan sheet ke "
        f"{account} sebagai Editor agar portal dapat menulis catatan pada sel bermasalah dan tab "
        f"{STATUS_WORKSHEET}. Baris yang benar tetap terbit seperti biasa.",
        f"The check report could not be written into the sheet: Google refused (403). Share the sheet with "
        f"{account} as Editor so the portal can put notes on problem cells and write the {STATUS_WORKSHEET} tab. "
        "Valid rows are published as usual.",
    )


def _failed(what: str) -> Text:
    return Text(
        f"Laporan pemeriksaan tidak dapat ditulis ke sheet ({what}); sinkronisasi berikutnya mencoba lagi. "
        "Baris yang benar tetap terbit seperti biasa.",
        f"The check report could not be written into the sheet ({what}); the next sync tries again. "
        "Valid rows are published as usual.",
    )


def write_report(
    source: ServiceAccountSource,
    report: SkpdReport,
    wanted: Mapping[NoteCell, str],
    *,
    last_fingerprint: str | None,
    interval_minutes: int,
) -> WriteResult:
    """Bring the sheet's notes and status tab in line with ``report``: one notes read, at most one write."""
    data = _data_worksheets(source.worksheets)
    status = _status_worksheet(source.worksheets)
    try:
        existing = read_notes(source, data)
        writes = note_writes(existing, {c: n for c, n in wanted.items() if c.worksheet in data})
        status_due = status is None or report.fingerprint() != last_fingerprint
        if not writes and not status_due:
            return WriteResult("unchanged")
        requests = [_note_request(int(data[c.worksheet]["sheetId"]), c.a1, note) for c, note in writes.items()]
        if status_due:
            requests += _status_requests(source, status, status_rows(report, interval_minutes))
        source.http_client().batch_update(source.key, {"requests": requests})
    except APIError as exc:
        code = exc.code
        logger.warning("source %s: the check report was not written into the sheet (HTTP %s)", source.name, code)
        if code == 403:
            return WriteResult("refused", message=refused(source.account))
        return WriteResult("failed", message=_failed(f"HTTP {code}"))
    except GoogleAuthError as exc:
        logger.warning("source %s: the check report was not written (%s)", source.name, type(exc).__name__)
        return WriteResult("failed", message=_failed(type(exc).__name__))
    except RetriesExhausted as exc:
        logger.warning("source %s: the check report was not written into the sheet (%s)", source.name, exc)
        return WriteResult("failed", message=_failed(f"HTTP {exc.last_status}" if exc.last_status else "no answer"))
    return WriteResult("written", len(writes), status_due)
