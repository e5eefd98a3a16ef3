"""The Sheets emulator's notes, grid data, batchUpdate and Viewer shares, exercised as the portal will use them.

Real HTTP, real google-auth tokens and the real gspread client, as in test_sheets_emulator; raw requests with
a bearer token where the exact JSON Google answers with is the point.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gspread
import pytest
import requests
from sheets_emulator import (
    DEFAULT_COLUMNS,
    DEFAULT_ROWS,
    Cell,
    FieldMask,
    SheetsEmulator,
    apply_fields,
    parse_fields,
    selects,
)
from test_sheets_emulator import READONLY, READWRITE, Api, api_for, error_of, gspread_client, write_xlsx

# The mask the portal reads notes with: where each note is, and nothing else.
NOTES_MASK = "sheets(properties(sheetId,title),data(startRow,startColumn,rowData(values(note))))"
PERMISSION_DENIED = {"code": 403, "message": "The caller does not have permission", "status": "PERMISSION_DENIED"}


# --- fixtures and helpers -------------------------------------------------------------------------------


@pytest.fixture
def account(sheets: SheetsEmulator) -> dict[str, str]:
    return sheets.service_account()


@pytest.fixture
def key(sheets: SheetsEmulator, account: dict[str, str], tmp_path: Path) -> str:
    """An SKPD spreadsheet shared with the portal's account as an Editor."""
    capaian = [["kode", "persen", "catatan"], ["A-01", "45,5%", "ok"], ["A-02", 12, None], ["A-03", None, "cek"]]
    path = write_xlsx(tmp_path / "dlh.xlsx", {"program": [["judul"], ["Sampah Energi"]], "capaian": capaian})
    return sheets.load_xlsx(path, shared_with=[account["client_email"]])


@pytest.fixture
def writer(sheets: SheetsEmulator, account: dict[str, str]) -> Api:
    return api_for(sheets, account, READWRITE)


def batch_update(api: Api, key: str, *reqs: dict[str, Any], **options: Any) -> requests.Response:
    return api.post(f"/v4/spreadsheets/{key}:batchUpdate", json={"requests": list(reqs), **options})


def get_spreadsheet(api: Api, key: str, *ranges: str, **params: str) -> requests.Response:
    return api.get(f"/v4/spreadsheets/{key}", params={"ranges": list(ranges), **params})


def note_at(sheet_id: int, row: int, col: int, text: str) -> dict[str, Any]:
    """An updateCells request writing one note at a zero-based coordinate, as the portal sends it."""
    return {
        "updateCells": {
            "start": {"sheetId": sheet_id, "rowIndex": row, "columnIndex": col},
            "rows": [{"values": [{"note": text}]}],
            "fields": "note",
        }
    }


def cells_at(sheet_id: int, row: int, col: int, fields: str, *values: dict[str, Any]) -> dict[str, Any]:
    return {
        "updateCells": {
            "start": {"sheetId": sheet_id, "rowIndex": row, "columnIndex": col},
            "rows": [{"values": list(values)}],
            "fields": fields,
        }
    }


def ok(response: requests.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    return response.json()


def refused(response: requests.Response, status: int = 400) -> str:
    """The message of an error answer, after checking its status and Google's body shape."""
    assert response.status_code == status, response.text
    error = error_of(response)
    assert error["code"] == status
    assert error["status"] == {400: "INVALID_ARGUMENT", 403: "PERMISSION_DENIED"}[status]
    return error["message"]


# --- notes: written through batchUpdate, read through spreadsheets.get -----------------------------------


def test_notes_written_by_batch_update_come_back_in_place_under_the_notes_mask(
    sheets: SheetsEmulator, writer: Api, key: str
) -> None:
    sid = sheets.sheet_id(key, "capaian")
    values_before = sheets.values(key, "capaian")

    reply = batch_update(
        writer, key, note_at(sid, 1, 1, "persen > 100?"), note_at(sid, 1, 3, "kolom kosong"), note_at(sid, 3, 1, "isi")
    )

    assert ok(reply) == {"spreadsheetId": key, "replies": [{}, {}, {}]}
    body = ok(get_spreadsheet(writer, key, "'capaian'!A1:Z", "'capaian'!B3:D4", fields=NOTES_MASK))
    # A cell without a note between noted ones is {}, a row without notes is {}, trailing ones are left
    # out, and each range is a GridData of its own that says where it starts.
    assert body == {
        "sheets": [
            {
                "properties": {"sheetId": sid, "title": "capaian"},
                "data": [
                    {
                        "rowData": [
                            {},
                            {"values": [{}, {"note": "persen > 100?"}, {}, {"note": "kolom kosong"}]},
                            {},
                            {"values": [{}, {"note": "isi"}]},
                        ]
                    },
                    {"startRow": 2, "startColumn": 1, "rowData": [{}, {"values": [{"note": "isi"}]}]},
                ],
            }
        ]
    }
    assert sheets.notes(key, "capaian") == {"B2": "persen > 100?", "D2": "kolom kosong", "B4": "isi"}
    assert sheets.values(key, "capaian") == values_before


def test_gspread_writes_reads_and_clears_notes_through_the_emulator(
    sheets: SheetsEmulator, account: dict[str, str], key: str
) -> None:
    worksheet = gspread_client(sheets, account).open_by_key(key).worksheet("capaian")

    worksheet.update_notes({"B2": "persen > 100?", "C4": "cek lagi"})

    assert worksheet.get_note("B2") == "persen > 100?"
    assert worksheet.get_note("A1") == ""
    assert worksheet.get_notes() == [[], ["", "persen > 100?"], [], ["", "", "cek lagi"]]
    assert worksheet.get_notes(grid_range="B2:C4") == [["persen > 100?"], [], ["", "cek lagi"]]
    worksheet.clear_note("B2")
    assert sheets.notes(key, "capaian") == {"C4": "cek lagi"}
    assert worksheet.get("B2:C4") == [["45,5%", "ok"], ["12"], ["", "cek"]]  # values never touched


def test_a_clerks_note_is_returned_and_removing_it_leaves_the_value(
    sheets: SheetsEmulator, account: dict[str, str], key: str
) -> None:
    client = gspread_client(sheets, account)
    sheets.set_note(key, "capaian", "C2", "sudah dicek pak Rahmat")
    sheets.set_note(key, "capaian", "E9", "catatan di sel kosong")

    # What gspread's get_note asks for, through the lower-level call the portal uses.
    params = {"ranges": "'capaian'!C2", "fields": "sheets/data/rowData/values/note"}
    assert client.http_client.fetch_sheet_metadata(key, params=params) == {
        "sheets": [{"data": [{"rowData": [{"values": [{"note": "sudah dicek pak Rahmat"}]}]}]}]
    }
    assert sheets.note(key, "capaian", "C2") == "sudah dicek pak Rahmat"
    assert sheets.notes(key, "capaian") == {"C2": "sudah dicek pak Rahmat", "E9": "catatan di sel kosong"}
    assert sheets.values(key, "capaian")[1] == ["A-01", 0.455, "ok"]  # a note is no value
    assert len(sheets.values(key, "capaian")) == 4

    sheets.set_note(key, "capaian", "C2", "")

    assert sheets.note(key, "capaian", "C2") == ""
    assert client.http_client.fetch_sheet_metadata(key, params=params) == {"sheets": [{"data": [{}]}]}
    assert sheets.cell(key, "capaian", "C2") == Cell("ok")


def test_a_value_written_anyhow_keeps_the_cells_note(
    sheets: SheetsEmulator, writer: Api, key: str, account: dict[str, str]
) -> None:
    sheets.set_note(key, "capaian", "C2", "dari portal")
    sheets.set_note(key, "capaian", "A5", "baris berikut")

    sheets.set_cell(key, "capaian", "C2", "diperbaiki")
    appended = writer.post(
        f"/v4/spreadsheets/{key}/values/capaian:append",
        params={"valueInputOption": "RAW"},
        json={"values": [["A-04", "10%"]]},
    )
    ok(batch_update(writer, key, cells_at(sheets.sheet_id(key, "capaian"), 2, 2, "userEnteredValue", {})))

    assert ok(appended)["updates"]["updatedRange"] == "capaian!A5:B5"
    assert sheets.notes(key, "capaian") == {"C2": "dari portal", "A5": "baris berikut"}
    assert sheets.cell(key, "capaian", "C2") == Cell("diperbaiki")
    assert sheets.cell(key, "capaian", "A5") == Cell("A-04")


# --- updateCells: only the named fields change ----------------------------------------------------------


def test_fields_note_never_touches_a_value(sheets: SheetsEmulator, writer: Api, key: str) -> None:
    sid = sheets.sheet_id(key, "capaian")
    written = {"userEnteredValue": {"stringValue": "DIGANTI"}, "note": "catatan"}

    ok(batch_update(writer, key, cells_at(sid, 1, 2, "note", written)))
    assert (sheets.cell(key, "capaian", "C2"), sheets.note(key, "capaian", "C2")) == (Cell("ok"), "catatan")

    # Named but absent from the CellData: the note is cleared, the value still not touched.
    ok(batch_update(writer, key, cells_at(sid, 1, 2, "note", {"userEnteredValue": {"stringValue": "DIGANTI"}})))
    assert (sheets.cell(key, "capaian", "C2"), sheets.note(key, "capaian", "C2")) == (Cell("ok"), "")

    # And the other way round: fields userEnteredValue leaves a note alone and clears an absent value.
    sheets.set_note(key, "capaian", "C2", "tetap")
    ok(batch_update(writer, key, cells_at(sid, 1, 2, "userEnteredValue", {"note": "diabaikan"})))
    assert (sheets.cell(key, "capaian", "C2"), sheets.note(key, "capaian", "C2")) == (Cell(""), "tetap")

    ok(batch_update(writer, key, cells_at(sid, 1, 2, "note,userEnteredValue", {**written, "note": "dua"})))
    assert (sheets.cell(key, "capaian", "C2"), sheets.note(key, "capaian", "C2")) == (Cell("DIGANTI"), "dua")
    ok(batch_update(writer, key, cells_at(sid, 1, 2, "*", {})))
    assert (sheets.cell(key, "capaian", "C2"), sheets.note(key, "capaian", "C2")) == (Cell(""), "")


def test_entered_values_are_stored_by_kind_and_a_string_is_never_a_formula(
    sheets: SheetsEmulator, writer: Api, key: str
) -> None:
    sid = sheets.sheet_id(key, "program")
    entered = [
        {"userEnteredValue": {"stringValue": '=HYPERLINK("http://x","klik")'}},
        {"userEnteredValue": {"stringValue": "+62 812 555"}},
        {"userEnteredValue": {"stringValue": "45,5%"}},  # never parsed, unlike USER_ENTERED input
        {"userEnteredValue": {"numberValue": 7.5}},
        {"userEnteredValue": {"boolValue": True}},
        {"userEnteredValue": {"formulaValue": "=1+1"}},
    ]

    ok(batch_update(writer, key, cells_at(sid, 4, 0, "userEnteredValue", *entered)))

    assert [sheets.cell(key, "program", f"{col}5") for col in "ABCDEF"] == [
        Cell('=HYPERLINK("http://x","klik")'),
        Cell("+62 812 555"),
        Cell("45,5%"),
        Cell(7.5, "number"),
        Cell(True, "bool"),
        Cell("=1+1", "formula"),
    ]
    formatted = ok(writer.get(f"/v4/spreadsheets/{key}/values/'program'!A5:E5"))["values"]
    assert formatted == [['=HYPERLINK("http://x","klik")', "+62 812 555", "45,5%", "7,5", "TRUE"]]
    # A number written into a formatted cell keeps the cell's format (only the value was named).
    ok(batch_update(writer, key, cells_at(sheets.sheet_id(key, "capaian"), 1, 1, "userEnteredValue", entered[3])))
    assert sheets.values(key, "capaian", "FORMATTED_VALUE")[1][1] == "750,0%"


def test_a_range_clears_the_named_fields_of_every_cell_rows_leave_out(
    sheets: SheetsEmulator, writer: Api, key: str
) -> None:
    sid = sheets.sheet_id(key, "capaian")
    for ref in ("B2", "C3", "D4", "B6"):
        sheets.set_note(key, "capaian", ref, f"lama {ref}")
    b2_to_c3 = {"sheetId": sid, "startRowIndex": 1, "endRowIndex": 3, "startColumnIndex": 1, "endColumnIndex": 3}

    update = {"updateCells": {"range": b2_to_c3, "rows": [{"values": [{"note": "baru"}]}], "fields": "note"}}
    ok(batch_update(writer, key, update))
    assert sheets.notes(key, "capaian") == {"B2": "baru", "D4": "lama D4", "B6": "lama B6"}

    # No end: the range runs to the end of the grid. No rows: everything in it is cleared.
    from_row_4 = {"updateCells": {"range": {"sheetId": sid, "startRowIndex": 3}, "fields": "note"}}
    ok(batch_update(writer, key, from_row_4))
    assert sheets.notes(key, "capaian") == {"B2": "baru"}

    row_3 = {"sheetId": sid, "startRowIndex": 2, "endRowIndex": 3, "startColumnIndex": 0, "endColumnIndex": 3}
    values = [{"values": [{"userEnteredValue": {"stringValue": "A-02b"}}]}]
    ok(batch_update(writer, key, {"updateCells": {"range": row_3, "rows": values, "fields": "userEnteredValue"}}))
    assert sheets.values(key, "capaian")[1:] == [["A-01", 0.455, "ok"], ["A-02b"], ["A-03", "", "cek"]]
    assert sheets.notes(key, "capaian") == {"B2": "baru"}


# --- addSheet and updateSheetProperties -----------------------------------------------------------------


def test_add_sheet_replies_with_the_full_sheet_properties(sheets: SheetsEmulator, writer: Api, key: str) -> None:
    reply = ok(batch_update(writer, key, {"addSheet": {"properties": {"title": "status_portal"}}}))

    (added,) = reply["replies"]
    properties = added["addSheet"]["properties"]
    assert reply["spreadsheetId"] == key
    assert properties == {
        "sheetId": properties["sheetId"],
        "title": "status_portal",
        "index": 2,
        "sheetType": "GRID",
        "gridProperties": {"rowCount": DEFAULT_ROWS, "columnCount": DEFAULT_COLUMNS},
    }
    assert isinstance(properties["sheetId"], int) and properties["sheetId"] > 0
    assert properties["sheetId"] == sheets.sheet_id(key, "status_portal")

    chosen = {"title": "arsip", "sheetId": 4242, "index": 0, "hidden": True}
    chosen["gridProperties"] = {"rowCount": 10, "columnCount": 4}
    second = ok(batch_update(writer, key, {"addSheet": {"properties": chosen}}))
    assert second["replies"][0]["addSheet"]["properties"] == {**chosen, "sheetType": "GRID"}
    assert sheets.titles(key) == ["arsip", "program", "capaian", "status_portal"]
    assert sheets.grid_size(key, "arsip") == (10, 4)


def test_a_new_sheet_can_be_written_in_the_same_batch(sheets: SheetsEmulator, writer: Api, key: str) -> None:
    header = [{"userEnteredValue": {"stringValue": "waktu"}}, {"userEnteredValue": {"stringValue": "status"}}]

    reply = batch_update(
        writer,
        key,
        {"addSheet": {"properties": {"title": "status_portal", "sheetId": 77, "gridProperties": {"rowCount": 5}}}},
        cells_at(77, 0, 0, "userEnteredValue", *header),
    )

    assert [set(r) for r in ok(reply)["replies"]] == [{"addSheet"}, set()]
    assert sheets.values(key, "status_portal") == [["waktu", "status"]]
    assert sheets.grid_size(key, "status_portal") == (5, DEFAULT_COLUMNS)


def test_a_sheet_name_that_is_taken_is_refused_whatever_its_case(
    sheets: SheetsEmulator, writer: Api, key: str, account: dict[str, str]
) -> None:
    message = refused(batch_update(writer, key, {"addSheet": {"properties": {"title": "Capaian"}}}))

    assert (
        message
        == 'Invalid requests[0].addSheet: A sheet with the name "Capaian" already exists. Please enter another name.'
    )
    assert sheets.titles(key) == ["program", "capaian"]
    spreadsheet = gspread_client(sheets, account).open_by_key(key)
    with pytest.raises(gspread.exceptions.APIError, match="already exists"):
        spreadsheet.add_worksheet("program", rows=10, cols=3)
    worksheet = spreadsheet.add_worksheet("status_portal", rows=10, cols=3)
    assert (worksheet.id, worksheet.row_count, worksheet.col_count) == (sheets.sheet_id(key, "status_portal"), 10, 3)


def test_update_sheet_properties_grows_the_grid_and_changes_only_what_it_names(
    sheets: SheetsEmulator, writer: Api, key: str, account: dict[str, str]
) -> None:
    worksheet = gspread_client(sheets, account).open_by_key(key).worksheet("capaian")
    sid = worksheet.id

    worksheet.resize(rows=1200)  # gspread names the field "gridProperties/rowCount"

    assert sheets.grid_size(key, "capaian") == (1200, DEFAULT_COLUMNS)
    ok(batch_update(writer, key, note_at(sid, 1100, 0, "jauh di bawah")))
    assert sheets.note(key, "capaian", "A1101") == "jauh di bawah"

    props = {"sheetId": sid, "title": "capaian_2024", "gridProperties": {"rowCount": 4, "columnCount": 2}}
    fields = "gridProperties.rowCount,gridProperties.columnCount,title,index"
    ok(batch_update(writer, key, {"updateSheetProperties": {"properties": props, "fields": fields}}))

    # Shrunk: what lay outside the new grid is gone; no index given, so the sheet moved to the end.
    assert sheets.titles(key) == ["program", "capaian_2024"]
    assert sheets.grid_size(key, "capaian_2024") == (4, 2)
    assert sheets.values(key, "capaian_2024") == [["kode", "persen"], ["A-01", 0.455], ["A-02", 12], ["A-03"]]
    assert sheets.notes(key, "capaian_2024") == {}
    # Moved ahead of "program": indexes count before the move, as Google documents.
    move = {"updateSheetProperties": {"properties": {"sheetId": sid, "index": 0, "hidden": True}, "fields": "index"}}
    ok(batch_update(writer, key, move))
    assert sheets.titles(key) == ["capaian_2024", "program"]
    metadata = ok(writer.get(f"/v4/spreadsheets/{key}", params={"fields": "sheets.properties(title,hidden)"}))
    assert metadata == {"sheets": [{"properties": {"title": "capaian_2024"}}, {"properties": {"title": "program"}}]}


def test_update_sheet_properties_needs_fields_and_a_known_sheet(writer: Api, key: str) -> None:
    no_fields = {"updateSheetProperties": {"properties": {"sheetId": 0, "title": "x"}}}
    unknown = {"updateSheetProperties": {"properties": {"sheetId": 99, "title": "x"}, "fields": "title"}}
    frozen = {"updateSheetProperties": {"properties": {"gridProperties": {"frozenRowCount": 1}}, "fields": "*"}}

    assert refused(batch_update(writer, key, no_fields)).endswith("At least one field must be specified.")
    assert (
        refused(batch_update(writer, key, unknown)) == "Invalid requests[0].updateSheetProperties: No grid with id: 99"
    )
    assert "does not model gridProperties.frozenRowCount" in refused(batch_update(writer, key, frozen))


# --- what batchUpdate refuses, and that a refused batch changes nothing ----------------------------------


def test_writing_past_the_grid_is_refused_and_the_whole_batch_is_left_unapplied(
    sheets: SheetsEmulator, writer: Api, key: str
) -> None:
    sid = sheets.sheet_id(key, "capaian")
    two_rows = {
        "updateCells": {
            "start": {"sheetId": sid, "rowIndex": 999},
            "rows": [{"values": [{"note": "baris 1000"}]}, {"values": [{"note": "baris 1001"}]}],
            "fields": "note",
        }
    }

    response = batch_update(
        writer, key, note_at(sid, 1, 1, "sah"), {"addSheet": {"properties": {"title": "baru"}}}, two_rows
    )

    assert refused(response) == (
        "Invalid requests[2].updateCells: GridCoordinate.rowIndex[1000] is after last row in grid[999]"
    )
    assert sheets.notes(key, "capaian") == {}
    assert sheets.titles(key) == ["program", "capaian"]
    assert sheets.grid_size(key, "capaian") == (DEFAULT_ROWS, DEFAULT_COLUMNS)  # unlike values.append
    wide = cells_at(sid, 0, 25, "note", {"note": "Z1"}, {"note": "AA1"})
    assert refused(batch_update(writer, key, wide)) == (
        "Invalid requests[0].updateCells: GridCoordinate.columnIndex[26] is after last column in grid[25]"
    )
    past_the_end = {"updateCells": {"range": {"sheetId": sid, "endRowIndex": 1001}, "fields": "note"}}
    assert "is after last row in grid[999]" in refused(batch_update(writer, key, past_the_end))
    assert sheets.notes(key, "capaian") == {}


def test_update_cells_needs_fields_a_known_sheet_and_known_cell_fields(
    sheets: SheetsEmulator, writer: Api, key: str
) -> None:
    sid = sheets.sheet_id(key, "capaian")
    no_fields = note_at(sid, 1, 1, "x")
    del no_fields["updateCells"]["fields"]

    assert refused(batch_update(writer, key, no_fields)) == (
        "Invalid requests[0].updateCells: At least one field must be specified."
    )
    assert refused(batch_update(writer, key, note_at(12345, 0, 0, "x"))) == (
        "Invalid requests[0].updateCells: No grid with id: 12345"
    )
    typo = cells_at(sid, 0, 0, "note", {"notes": "x"})
    assert refused(batch_update(writer, key, typo)) == (
        "Invalid JSON payload received. Unknown name \"notes\" at 'requests[0].update_cells.rows[0].values[0]': "
        "Cannot find field."
    )
    wrong_type = cells_at(sid, 0, 0, "note", {"note": 5})
    assert refused(batch_update(writer, key, wrong_type)) == (
        "Invalid value at 'requests[0].update_cells.rows[0].values[0].note' (TYPE_STRING), 5"
    )
    two_values = cells_at(sid, 0, 0, "userEnteredValue", {"userEnteredValue": {"stringValue": "a", "numberValue": 1}})
    assert "Oneof field 'value' is already set" in refused(batch_update(writer, key, two_values))
    # A format would be silently dropped by an emulator that does not model it; it is refused instead.
    formatted = cells_at(sid, 0, 0, "userEnteredFormat", {"userEnteredFormat": {"textFormat": {"bold": True}}})
    assert "models only a cell's note and userEnteredValue" in refused(batch_update(writer, key, formatted))
    assert sheets.notes(key, "capaian") == {}


def test_request_kinds_the_emulator_does_not_apply_are_refused_by_name(
    sheets: SheetsEmulator, writer: Api, key: str
) -> None:
    sid = sheets.sheet_id(key, "capaian")
    repeat = {"repeatCell": {"range": {"sheetId": sid}, "cell": {"note": "x"}, "fields": "note"}}

    message = refused(batch_update(writer, key, note_at(sid, 1, 1, "sah"), repeat))

    assert message.startswith("Invalid requests[1].repeatCell: the Sheets emulator does not implement repeatCell")
    assert sheets.notes(key, "capaian") == {}
    assert refused(batch_update(writer, key, {"updateCell": {}})) == (
        "Invalid JSON payload received. Unknown name \"updateCell\" at 'requests[0]': Cannot find field."
    )
    assert refused(batch_update(writer, key)) == "Must specify at least one request."
    two_kinds = {**note_at(sid, 0, 0, "x"), "addSheet": {}}
    assert "Oneof field 'kind' is already set" in refused(batch_update(writer, key, two_kinds))


# --- who may write: Viewer shares and scopes -------------------------------------------------------------


def test_a_reader_reads_everything_and_gets_403_on_every_write(
    sheets: SheetsEmulator, account: dict[str, str], tmp_path: Path
) -> None:
    path = write_xlsx(tmp_path / "r.xlsx", {"capaian": [["kode"], ["A-01"]]})
    key = sheets.load_xlsx(path, readers=[account["client_email"]])
    sheets.set_note(key, "capaian", "A2", "dari petugas")
    reader = api_for(sheets, account, READWRITE)  # a write scope: the share alone decides

    assert ok(reader.get(f"/v4/spreadsheets/{key}"))["sheets"][0]["properties"]["title"] == "capaian"
    assert ok(reader.get(f"/v4/spreadsheets/{key}/values:batchGet", params={"ranges": "capaian"}))["valueRanges"]
    notes = ok(get_spreadsheet(reader, key, "'capaian'", fields="sheets/data/rowData/values/note"))
    assert notes["sheets"][0]["data"][0]["rowData"] == [{}, {"values": [{"note": "dari petugas"}]}]

    updated = batch_update(reader, key, note_at(0, 0, 0, "tidak boleh"))
    appended = reader.post(
        f"/v4/spreadsheets/{key}/values/capaian:append", params={"valueInputOption": "RAW"}, json={"values": [["x"]]}
    )

    for response in (updated, appended):
        assert response.status_code == 403
        assert error_of(response) == PERMISSION_DENIED
    assert sheets.notes(key, "capaian") == {"A2": "dari petugas"}
    assert sheets.values(key, "capaian") == [["kode"], ["A-01"]]
    with pytest.raises(gspread.exceptions.APIError, match="does not have permission"):
        gspread_client(sheets, account).open_by_key(key).worksheet("capaian").update_note("A1", "x")

    sheets.share(key, account["client_email"], role="writer")  # promoted to Editor
    assert ok(batch_update(reader, key, note_at(0, 0, 0, "boleh"))) == {"spreadsheetId": key, "replies": [{}]}
    sheets.share(key, account["client_email"], role="reader")
    assert batch_update(reader, key, note_at(0, 0, 0, "lagi")).status_code == 403


def test_batch_update_needs_a_write_scope_and_spreadsheets_get_a_read_scope(
    sheets: SheetsEmulator, account: dict[str, str], key: str
) -> None:
    read_only = api_for(sheets, account, READONLY)

    response = batch_update(read_only, key, note_at(0, 0, 0, "x"))

    assert refused(response, 403) == "Request had insufficient authentication scopes."
    (info,) = error_of(response)["details"]
    assert info["reason"] == "ACCESS_TOKEN_SCOPE_INSUFFICIENT"
    assert info["metadata"]["method"] == "google.apps.sheets.v4.SpreadsheetsService.BatchUpdateSpreadsheet"
    assert sheets.notes(key, "program") == {}
    assert ok(get_spreadsheet(read_only, key, "program", includeGridData="true"))["sheets"][0]["data"]


def test_roles_are_checked_when_a_spreadsheet_is_shared(sheets: SheetsEmulator, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "s.xlsx", {"program": [["a"]]})
    with pytest.raises(ValueError, match="both as an editor and as a reader"):
        sheets.load_xlsx(path, shared_with=["a@x.iam.gserviceaccount.com"], readers=["a@x.iam.gserviceaccount.com"])
    key = sheets.load_xlsx(path)
    with pytest.raises(ValueError, match="role must be one of"):
        sheets.share(key, "a@x.iam.gserviceaccount.com", role="owner")  # type: ignore[arg-type]


# --- spreadsheets.get: grid data --------------------------------------------------------------------------


def test_grid_data_has_googles_cell_data_for_each_kind_of_cell(sheets: SheetsEmulator, writer: Api, key: str) -> None:
    sheets.set_cell(key, "program", "B2", True)
    sheets.set_cell(key, "program", "C2", "31/01/2024")
    sheets.set_note(key, "program", "D2", "hanya catatan")

    body = ok(get_spreadsheet(writer, key, "'program'!A1:E3", "'capaian'!B2:B3", includeGridData="true"))

    program, capaian = body["sheets"]  # only the sheets the ranges touch, in the spreadsheet's order
    assert program["properties"]["title"] == "program" and capaian["properties"]["title"] == "capaian"
    (grid,) = program["data"]
    assert "startRow" not in grid and "startColumn" not in grid  # zeros are left out
    assert grid["rowMetadata"] == [{"pixelSize": 21}] * 3
    assert grid["columnMetadata"] == [{"pixelSize": 100}] * 5
    text = {"stringValue": "Sampah Energi"}
    assert grid["rowData"] == [
        {
            "values": [
                {
                    "userEnteredValue": {"stringValue": "judul"},
                    "effectiveValue": {"stringValue": "judul"},
                    "formattedValue": "judul",
                }
            ]
        },
        {
            "values": [
                {"userEnteredValue": text, "effectiveValue": text, "formattedValue": "Sampah Energi"},
                {
                    "userEnteredValue": {"boolValue": True},
                    "effectiveValue": {"boolValue": True},
                    "formattedValue": "TRUE",
                },
                {
                    "userEnteredValue": {"numberValue": 45322},
                    "effectiveValue": {"numberValue": 45322},
                    "formattedValue": "31/01/2024",
                },
                {"note": "hanya catatan"},
            ]
        },
    ]
    (percents,) = capaian["data"]
    assert (percents["startRow"], percents["startColumn"]) == (1, 1)
    percent = {"numberValue": 0.455}
    assert percents["rowData"] == [
        {"values": [{"userEnteredValue": percent, "effectiveValue": percent, "formattedValue": "45,5%"}]},
        {
            "values": [
                {"userEnteredValue": {"numberValue": 12}, "effectiveValue": {"numberValue": 12}, "formattedValue": "12"}
            ]
        },
    ]


def test_grid_data_covers_every_sheet_without_ranges_and_nothing_without_includegriddata(writer: Api, key: str) -> None:
    everything = ok(writer.get(f"/v4/spreadsheets/{key}", params={"includeGridData": "true"}))
    metadata = ok(get_spreadsheet(writer, key, "'capaian'!A1", includeGridData="false"))

    assert [len(sheet["data"]) for sheet in everything["sheets"]] == [1, 1]
    capaian = everything["sheets"][1]["data"][0]
    assert len(capaian["rowMetadata"]) == DEFAULT_ROWS and len(capaian["rowData"]) == 4
    assert [sheet["properties"]["title"] for sheet in metadata["sheets"]] == ["capaian"]
    assert "data" not in metadata["sheets"][0]
    assert set(metadata) == {"spreadsheetId", "properties", "sheets", "spreadsheetUrl"}
    maybe = writer.get(f"/v4/spreadsheets/{key}", params={"includeGridData": "maybe"})
    assert refused(maybe) == "Invalid value at 'include_grid_data' (TYPE_BOOL), \"maybe\""


def test_a_fields_mask_decides_whether_grid_data_is_read(writer: Api, key: str) -> None:
    # "If a field mask is set, the includeGridData parameter is ignored."
    titles = ok(get_spreadsheet(writer, key, includeGridData="true", fields="sheets.properties.title"))
    values = ok(get_spreadsheet(writer, key, "'capaian'!A2:B2", fields="sheets(data(rowData(values(formattedValue))))"))
    snake = ok(get_spreadsheet(writer, key, "capaian!A1", fields="sheets/data/row_data/values/user_entered_value"))

    assert titles == {"sheets": [{"properties": {"title": "program"}}, {"properties": {"title": "capaian"}}]}
    assert values == {
        "sheets": [{"data": [{"rowData": [{"values": [{"formattedValue": "A-01"}, {"formattedValue": "45,5%"}]}]}]}]
    }
    assert snake == {"sheets": [{"data": [{"rowData": [{"values": [{"userEnteredValue": {"stringValue": "kode"}}]}]}]}]}
    assert refused(writer.get(f"/v4/spreadsheets/{key}", params={"fields": "sheets("})) == (
        "Request contains an invalid argument."
    )


def test_a_formula_is_never_evaluated_in_grid_data(sheets: SheetsEmulator, writer: Api, key: str) -> None:
    formula = {"userEnteredValue": {"formulaValue": "=SUM(B2:B3)"}}
    ok(batch_update(writer, key, cells_at(sheets.sheet_id(key, "capaian"), 4, 1, "userEnteredValue", formula)))

    entered = get_spreadsheet(writer, key, "'capaian'!B5", fields="sheets.data.rowData.values.userEnteredValue")
    computed = get_spreadsheet(writer, key, "'capaian'!B5", includeGridData="true")

    assert ok(entered) == {"sheets": [{"data": [{"rowData": [{"values": [formula]}]}]}]}
    assert computed.status_code == 500
    assert "does not evaluate" in error_of(computed)["message"]


def test_batch_update_can_answer_with_the_updated_spreadsheet(sheets: SheetsEmulator, writer: Api, key: str) -> None:
    reply = ok(
        batch_update(
            writer,
            key,
            note_at(sheets.sheet_id(key, "program"), 0, 0, "judul resmi"),
            includeSpreadsheetInResponse=True,
            responseRanges=["'program'!A1"],
            responseIncludeGridData=True,
        )
    )

    updated = reply["updatedSpreadsheet"]
    assert [sheet["properties"]["title"] for sheet in updated["sheets"]] == ["program"]
    assert updated["sheets"][0]["data"][0]["rowData"][0]["values"][0]["note"] == "judul resmi"
    assert "updatedSpreadsheet" not in ok(batch_update(writer, key, note_at(0, 0, 0, "lagi")))


# --- records and faults -------------------------------------------------------------------------------------


def test_batch_updates_are_recorded_and_faults_apply_to_them(sheets: SheetsEmulator, writer: Api, key: str) -> None:
    sheets.clear_requests()
    sheets.fail(503, match=":batchUpdate")

    failed = batch_update(writer, key, note_at(0, 0, 0, "pertama"))
    assert sheets.note(key, "program", "A1") == ""
    done = batch_update(writer, key, note_at(0, 0, 0, "kedua"))

    assert (failed.status_code, done.status_code) == (503, 200)
    assert sheets.count(":batchUpdate", method="POST") == 2
    assert sheets.count(":batchUpdate", method="GET") == 0
    last = sheets.requests[-1]
    assert (last.path, last.status) == (f"/v4/spreadsheets/{key}:batchUpdate", 200)
    assert b'"kedua"' in last.body
    sheets.drop_after_applying(match=":batchUpdate")
    with pytest.raises(requests.exceptions.ConnectionError):
        batch_update(writer, key, note_at(0, 0, 0, "ketiga"))
    assert sheets.note(key, "program", "A1") == "ketiga"  # applied, though no answer came back


# --- the fields mask on its own -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "mask"),
    [
        ("note", {"note": None}),
        ("sheets/data/rowData/values/note", {"sheets": {"data": {"rowData": {"values": {"note": None}}}}}),
        (
            NOTES_MASK,
            {
                "sheets": {
                    "properties": {"sheetId": None, "title": None},
                    "data": {"startRow": None, "startColumn": None, "rowData": {"values": {"note": None}}},
                }
            },
        ),
        (
            "sheets.properties(sheetId,title),sheets/data/rowData/values(note, formattedValue)",
            {
                "sheets": {
                    "properties": {"sheetId": None, "title": None},
                    "data": {"rowData": {"values": {"note": None, "formattedValue": None}}},
                }
            },
        ),
        (
            "gridProperties/row_count,grid_properties.column_count",
            {"gridProperties": {"rowCount": None, "columnCount": None}},
        ),
        ("sheets,sheets/properties", {"sheets": None}),  # a member selected whole stays whole
        ("sheets(*),spreadsheetId", {"sheets": {"*": None}, "spreadsheetId": None}),
        ("a(b(c(d/e,f)),g)", {"a": {"b": {"c": {"d": {"e": None}, "f": None}}, "g": None}}),
    ],
)
def test_field_masks_parse_as_google_reads_them(text: str, mask: FieldMask) -> None:
    assert parse_fields(text) == mask


@pytest.mark.parametrize("text", ["", "sheets(", "sheets)", "a//b", "a,(b)", "a(b)c", "a(,b)", "a-b"])
def test_malformed_field_masks_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="invalid field mask"):
        parse_fields(text)


def test_a_field_mask_keeps_list_positions_and_drops_emptied_members() -> None:
    spreadsheet = {
        "spreadsheetId": "k",
        "sheets": [
            {
                "properties": {"sheetId": 0, "title": "a"},
                "data": [{"rowData": [{"values": [{"note": "n"}, {"formattedValue": "v"}]}]}],
            },
            {"properties": {"sheetId": 7, "title": "b"}},
        ],
    }

    notes = apply_fields(spreadsheet, parse_fields("sheets/data/rowData/values/note"))
    ids = apply_fields(spreadsheet, parse_fields("sheets(properties(sheetId)),spreadsheetId"))
    everything_of_b = apply_fields(spreadsheet, parse_fields("sheets(*)"))

    assert notes == {"sheets": [{"data": [{"rowData": [{"values": [{"note": "n"}, {}]}]}]}, {}]}
    assert ids == {"spreadsheetId": "k", "sheets": [{"properties": {"sheetId": 0}}, {"properties": {"sheetId": 7}}]}
    assert everything_of_b == {"sheets": spreadsheet["sheets"]}
    assert apply_fields(spreadsheet, None) is spreadsheet
    assert selects(parse_fields("sheets"), ("sheets", "data"))
    assert selects(parse_fields("*"), ("sheets", "data"))
    assert selects(parse_fields("sheets(properties,data/rowData)"), ("sheets", "data"))
    assert not selects(parse_fields("sheets.properties,spreadsheetId"), ("sheets", "data"))
