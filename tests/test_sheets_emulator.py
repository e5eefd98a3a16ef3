"""The Google Sheets emulator, exercised as the portal will use it: real HTTP, real google-auth, real gspread.

Nothing is mocked: tokens come from google-auth signing a JWT with the emulator-issued key, requests go
over a socket, workbooks are real .xlsx files written with openpyxl.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import google.auth.transport.requests
import gspread
import openpyxl
import pytest
import requests
from babel.numbers import parse_decimal
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from google.auth.exceptions import RefreshError
from google.oauth2 import service_account
from sheets_emulator import EMPTY, SCOPE_SHEETS, SCOPE_SHEETS_READONLY, Cell, SheetsEmulator

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"
READONLY = (SCOPE_SHEETS_READONLY,)
READWRITE = (SCOPE_SHEETS,)


# --- fixtures and helpers -------------------------------------------------------------------------------


@pytest.fixture
def sheets() -> Iterator[SheetsEmulator]:
    with SheetsEmulator() as emulator:
        yield emulator


@pytest.fixture
def account(sheets: SheetsEmulator) -> dict[str, str]:
    return sheets.service_account()


def credentials(info: Mapping[str, str], scopes: Sequence[str] = READONLY) -> service_account.Credentials:
    """Credentials exactly as the portal builds them from a key file, refreshed against the key's token_uri."""
    creds = service_account.Credentials.from_service_account_info(dict(info), scopes=list(scopes))
    creds.refresh(google.auth.transport.requests.Request())
    return creds


@dataclass
class Api:
    """A requests session carrying a bearer token, with the emulator's address filled in."""

    base_url: str
    session: requests.Session

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.session.get(self.base_url + path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.session.post(self.base_url + path, **kwargs)


def api_for(sheets: SheetsEmulator, info: Mapping[str, str], scopes: Sequence[str] = READONLY) -> Api:
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {credentials(info, scopes).token}"
    return Api(sheets.base_url, session)


@pytest.fixture
def api(sheets: SheetsEmulator, account: dict[str, str]) -> Api:
    return api_for(sheets, account)


def write_xlsx(
    path: Path, books: Mapping[str, Sequence[Sequence[object]]], formats: Mapping[tuple[str, str], str] = {}
) -> Path:
    """A real workbook: one worksheet per entry, rows as given (None = empty), number formats by (sheet, A1)."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in books.items():
        ws = workbook.create_sheet(title)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(r, c, value)
    for (title, ref), number_format in formats.items():
        workbook[title][ref].number_format = number_format
    workbook.save(path)
    return path


def batch_get(api: Api, key: str, *ranges: str, timeout: float | None = None, **params: str) -> requests.Response:
    return api.get(
        f"/v4/spreadsheets/{key}/values:batchGet", params={"ranges": list(ranges), **params}, timeout=timeout
    )


def values(api: Api, key: str, range_: str, **params: str) -> list[list[object]]:
    response = batch_get(api, key, range_, **params)
    assert response.status_code == 200, response.text
    return response.json()["valueRanges"][0].get("values", [])


def error_of(response: requests.Response) -> dict[str, Any]:
    assert response.headers["Content-Type"].startswith("application/json")
    return response.json()["error"]


@cache
def stranger_key_pem() -> str:
    """An RSA key the emulator never issued (generated once: key generation is the slow part)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


# --- the token endpoint ---------------------------------------------------------------------------------


def test_key_file_looks_like_the_one_google_issues(sheets: SheetsEmulator, account: dict[str, str]) -> None:
    assert account["type"] == "service_account"
    assert account["client_email"] == "portal-sync@banjarmasin-qw.iam.gserviceaccount.com"
    assert account["project_id"] == "banjarmasin-qw"
    assert account["token_uri"] == sheets.token_uri == f"{sheets.base_url}/token"
    assert account["private_key"].startswith("-----BEGIN PRIVATE KEY-----\n")
    assert len(account["private_key_id"]) == 40
    assert account["universe_domain"] == "googleapis.com"
    assert set(account) >= {"client_id", "auth_uri", "auth_provider_x509_cert_url", "client_x509_cert_url"}
    # The same account gets the same cached key, so many tests stay fast.
    assert sheets.service_account()["private_key"] == account["private_key"]


def test_token_endpoint_accepts_a_real_google_auth_assertion(sheets: SheetsEmulator, account: dict[str, str]) -> None:
    creds = credentials(account)

    assert creds.valid and creds.token
    assert creds.expiry is not None
    lifetime = creds.expiry - datetime.now(creds.expiry.tzinfo)
    assert 3500 < lifetime.total_seconds() <= 3600
    token_call = sheets.requests[-1]
    assert (token_call.method, token_call.path, token_call.status) == ("POST", "/token", 200)
    assert token_call.account == account["client_email"]


def test_token_endpoint_rejects_an_assertion_signed_by_another_key(
    sheets: SheetsEmulator, account: dict[str, str]
) -> None:
    forged = {**account, "private_key": stranger_key_pem()}

    with pytest.raises(RefreshError, match=r"invalid_grant: Invalid JWT Signature\."):
        credentials(forged)
    assert sheets.requests[-1].status == 400


def test_token_endpoint_rejects_an_account_it_never_issued(sheets: SheetsEmulator, account: dict[str, str]) -> None:
    unknown = {**account, "client_email": "someone@elsewhere.iam.gserviceaccount.com"}

    response = requests.post(
        sheets.token_uri,
        data={"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion": "a.b.c"},
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"
    with pytest.raises(RefreshError, match="Invalid JWT Signature"):
        credentials(unknown)


def test_expired_access_token_is_refused_and_google_auth_refreshes_it(
    sheets: SheetsEmulator, account: dict[str, str], tmp_path: Path
) -> None:
    key = sheets.load_xlsx(write_xlsx(tmp_path / "a.xlsx", {"program": [["a"]]}), shared_with=[account["client_email"]])
    session = google.auth.transport.requests.AuthorizedSession(credentials(account))
    assert session.get(f"{sheets.base_url}/v4/spreadsheets/{key}").status_code == 200

    sheets.expire_tokens()
    # AuthorizedSession sees the 401, fetches a new token, and retries once.
    assert session.get(f"{sheets.base_url}/v4/spreadsheets/{key}").status_code == 200
    assert [r.status for r in sheets.requests[-3:]] == [401, 200, 200]
    assert sheets.requests[-2].path == "/token"


# --- metadata -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("locale", ["id_ID", "en_US"])
def test_metadata_has_googles_shape_and_the_spreadsheet_locale(
    sheets: SheetsEmulator, account: dict[str, str], api: Api, tmp_path: Path, locale: str
) -> None:
    path = write_xlsx(tmp_path / "pupr.xlsx", {"program": [["a"]], "capaian": [["b"]] * 1200, "lokasi": []})
    key = sheets.load_xlsx(path, locale=locale, title="PUPR Sungaiku", shared_with=[account["client_email"]])

    response = api.get(f"/v4/spreadsheets/{key}", params={"includeGridData": "false"})

    assert response.status_code == 200
    meta = response.json()
    assert len(key) == 44
    assert meta["spreadsheetId"] == key
    assert meta["properties"]["title"] == "PUPR Sungaiku"
    assert meta["properties"]["locale"] == locale
    assert meta["properties"]["timeZone"] == "Asia/Makassar"
    assert meta["properties"]["autoRecalc"] == "ON_CHANGE"
    assert "defaultFormat" in meta["properties"]
    assert meta["spreadsheetUrl"].endswith(f"/spreadsheets/d/{key}/edit")
    props = [sheet["properties"] for sheet in meta["sheets"]]
    assert [p["title"] for p in props] == ["program", "capaian", "lokasi"]
    assert [p["index"] for p in props] == [0, 1, 2]
    assert props[0]["sheetId"] == 0
    assert len({p["sheetId"] for p in props}) == 3
    assert all(p["sheetType"] == "GRID" for p in props)
    # A Google Sheet starts at 1000 x 26 and grows to hold what was pasted in.
    assert props[0]["gridProperties"] == {"rowCount": 1000, "columnCount": 26}
    assert props[1]["gridProperties"] == {"rowCount": 1200, "columnCount": 26}


# --- formatted values -----------------------------------------------------------------------------------

# (label, what is in the xlsx, its number format, FORMATTED_VALUE in id_ID, in en_US)
CASES: list[tuple[str, object, str, str, str]] = [
    ("percent_cell", 0.455, "0.0%", "45,5%", "45.5%"),
    ("whole_percent_cell", 1, "0%", "100%", "100%"),
    ("grouped_cell", 1250000, "#,##0", "1.250.000", "1,250,000"),
    ("date_cell", datetime(2024, 3, 12), "dd/mm/yyyy", "12/03/2024", "3/12/2024"),
    ("plain_date_cell", date(2024, 3, 12), "General", "12/03/2024", "3/12/2024"),
    ("datetime_cell", datetime(2024, 3, 12, 14, 30), "dd/mm/yyyy hh:mm", "12/03/2024 14.30.00", "3/12/2024 14:30:00"),
    ("automatic_cell", 45.5, "General", "45,5", "45.5"),
    ("integer_cell", 1250000, "General", "1250000", "1250000"),
    ("float_noise", 0.1 + 0.2, "General", "0,3", "0.3"),
    ("boolean_cell", True, "General", "TRUE", "TRUE"),
    ("percent_text", "45,5%", "General", "45,5%", "45.5%"),
    ("decimal_text", "45,5", "General", "45,5", "45.5"),
    ("grouped_text", "1.250.000", "General", "1.250.000", "1,250,000"),
    ("rupiah_text", "Rp1.250.000", "General", "Rp1.250.000", "Rp1,250,000"),
    ("slash_date_text", "31/01/2024", "General", "31/01/2024", "1/31/2024"),
    ("iso_date_text", "2024-01-15", "General", "15/01/2024", "1/15/2024"),
    ("month_name_text", "31 Maret 2024", "General", "31 Maret 2024", "31 Maret 2024"),
    ("phone_text", "081234567890", "General", "081234567890", "081234567890"),
    ("coordinates_text", "-3,3278, 114,5887", "General", "-3,3278, 114,5887", "-3,3278, 114,5887"),
    ("rupiah_words", "Rp9,2 miliar", "General", "Rp9,2 miliar", "Rp9,2 miliar"),
    ("not_a_date", "31/02/2024", "General", "31/02/2024", "31/02/2024"),
    ("plain_text_column", "45,5%", "@", "45,5%", "45,5%"),  # a cell formatted as plain text keeps what was typed
]


def typed_workbook(tmp_path: Path) -> Path:
    rows = [["label", "value"], *[[label, value] for label, value, *_ in CASES], ["apostrophe", "0812"]]
    formats = {("program", f"B{i}"): fmt for i, (_, _, fmt, *_) in enumerate(CASES, start=2) if fmt != "General"}
    path = write_xlsx(tmp_path / "typed.xlsx", {"program": rows}, formats)
    # A value typed with a leading apostrophe ('0812) is stored by Excel and Google as text with a quote prefix.
    workbook = openpyxl.load_workbook(path)
    workbook["program"][f"B{len(rows)}"].quotePrefix = True
    workbook.save(path)
    return path


@pytest.mark.parametrize("locale", ["id_ID", "en_US"])
def test_formatted_values_follow_the_spreadsheet_locale(
    sheets: SheetsEmulator, account: dict[str, str], api: Api, tmp_path: Path, locale: str
) -> None:
    key = sheets.load_xlsx(typed_workbook(tmp_path), locale=locale, shared_with=[account["client_email"]])

    response = batch_get(api, key, "'program'", valueRenderOption="FORMATTED_VALUE", majorDimension="ROWS")

    assert response.status_code == 200
    body = response.json()
    assert body["spreadsheetId"] == key
    (value_range,) = body["valueRanges"]
    assert value_range["majorDimension"] == "ROWS"
    assert value_range["range"] == "program!A1:Z1000"
    got = {label: value for label, value in value_range["values"][1:]}
    column = 3 if locale == "id_ID" else 4
    assert got == {case[0]: case[column] for case in CASES} | {"apostrophe": "0812"}


def test_the_same_content_reads_back_to_the_same_values_in_both_locales(
    sheets: SheetsEmulator, account: dict[str, str], api: Api, tmp_path: Path
) -> None:
    key = sheets.load_xlsx(typed_workbook(tmp_path), shared_with=[account["client_email"]])
    by_locale = {}
    for locale in ("id_ID", "en_US"):
        sheets.set_locale(key, locale)
        by_locale[locale] = {label: value for label, value in values(api, key, "program")[1:]}

    def number(text: str, locale: str) -> Decimal:
        return parse_decimal(text.removeprefix("Rp").removesuffix("%"), locale=locale, strict=True)

    for label in ("percent_cell", "grouped_cell", "automatic_cell", "percent_text", "grouped_text", "rupiah_text"):
        assert number(by_locale["id_ID"][label], "id_ID") == number(by_locale["en_US"][label], "en_US"), label
    for label in ("date_cell", "slash_date_text", "iso_date_text"):
        id_day = datetime.strptime(by_locale["id_ID"][label], "%d/%m/%Y").date()
        assert id_day == datetime.strptime(by_locale["en_US"][label], "%m/%d/%Y").date(), label


def test_unformatted_values_are_numbers_and_serial_dates(
    sheets: SheetsEmulator, account: dict[str, str], api: Api, tmp_path: Path
) -> None:
    key = sheets.load_xlsx(typed_workbook(tmp_path), shared_with=[account["client_email"]])

    got = {label: value for label, value in values(api, key, "program", valueRenderOption="UNFORMATTED_VALUE")[1:]}

    assert got["percent_cell"] == 0.455
    assert got["grouped_cell"] == 1250000
    assert got["percent_text"] == 0.455
    assert got["boolean_cell"] is True
    assert got["date_cell"] == (date(2024, 3, 12) - date(1899, 12, 30)).days
    assert got["month_name_text"] == "31 Maret 2024"


def test_trailing_blanks_are_left_out_and_blanks_in_between_kept(
    sheets: SheetsEmulator, account: dict[str, str], api: Api, tmp_path: Path
) -> None:
    rows = [["a", "b", "c"], ["x", None, "z", None], [None], ["y", None]]
    path = write_xlsx(tmp_path / "gaps.xlsx", {"capaian": rows, "Kota's data": [[None, "k"]], "kosong": []})
    key = sheets.load_xlsx(path, shared_with=[account["client_email"]])

    response = batch_get(api, key, "capaian", "'capaian'!A2:B4", "'Kota''s data'", "'kosong'", "A1:B1")

    ranges = response.json()["valueRanges"]
    google_rows = [["a", "b", "c"], ["x", "", "z"], [], ["y"]]
    assert ranges[0] == {"range": "capaian!A1:Z1000", "majorDimension": "ROWS", "values": google_rows}
    assert ranges[1] == {"range": "capaian!A2:B4", "majorDimension": "ROWS", "values": [["x"], [], ["y"]]}
    assert ranges[2]["range"] == "'Kota''s data'!A1:Z1000"
    assert ranges[2]["values"] == [["", "k"]]
    assert ranges[3] == {"range": "kosong!A1:Z1000", "majorDimension": "ROWS"}  # no "values" at all
    assert ranges[4]["range"] == "capaian!A1:B1"  # a range without a sheet is on the first sheet


def test_single_range_get_and_columns_major(
    sheets: SheetsEmulator, account: dict[str, str], api: Api, tmp_path: Path
) -> None:
    path = write_xlsx(tmp_path / "g.xlsx", {"program": [["a", "b"], ["c", None]]})
    key = sheets.load_xlsx(path, shared_with=[account["client_email"]])

    response = api.get(f"/v4/spreadsheets/{key}/values/%27program%27%21A1%3AB2", params={"majorDimension": "COLUMNS"})

    assert response.json() == {"range": "program!A1:B2", "majorDimension": "COLUMNS", "values": [["a", "c"], ["b"]]}


# --- errors ---------------------------------------------------------------------------------------------


@pytest.fixture
def shared_key(sheets: SheetsEmulator, account: dict[str, str], tmp_path: Path) -> str:
    """A spreadsheet shared with the portal's account only."""
    path = write_xlsx(tmp_path / "p.xlsx", {"program": [["kode_program"], ["QW24-PUPR-01"]]})
    return sheets.load_xlsx(path, shared_with=[account["client_email"]])


def test_401_without_or_with_a_bad_token(sheets: SheetsEmulator, shared_key: str) -> None:
    url = f"{sheets.base_url}/v4/spreadsheets/{shared_key}"
    missing = requests.get(url)
    bogus = requests.get(url, headers={"Authorization": "Bearer ya29.not-a-token"})

    for response in (missing, bogus):
        assert response.status_code == 401
        error = error_of(response)
        assert (error["code"], error["status"]) == (401, "UNAUTHENTICATED")
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert error_of(missing)["message"].startswith("Request is missing required authentication credential.")
    assert error_of(bogus)["message"].startswith("Request had invalid authentication credentials.")


def test_404_for_an_unknown_spreadsheet(api: Api) -> None:
    response = api.get("/v4/spreadsheets/1NoSuchSpreadsheetxxxxxxxxxxxxxxxxxxxxxxxxxx")

    assert response.status_code == 404
    assert error_of(response) == {"code": 404, "message": "Requested entity was not found.", "status": "NOT_FOUND"}


def test_403_when_the_sheet_is_not_shared_with_the_account(
    sheets: SheetsEmulator, api: Api, shared_key: str, account: dict[str, str]
) -> None:
    sheets.unshare(shared_key, account["client_email"])

    response = api.get(f"/v4/spreadsheets/{shared_key}")

    assert response.status_code == 403
    assert error_of(response) == {
        "code": 403,
        "message": "The caller does not have permission",
        "status": "PERMISSION_DENIED",
    }
    sheets.share(shared_key, account["client_email"])
    assert api.get(f"/v4/spreadsheets/{shared_key}").status_code == 200


def test_400_for_a_worksheet_that_does_not_exist(sheets: SheetsEmulator, api: Api, shared_key: str) -> None:
    response = batch_get(api, shared_key, "capaian")

    assert response.status_code == 400
    assert error_of(response) == {
        "code": 400,
        "message": "Unable to parse range: capaian",
        "status": "INVALID_ARGUMENT",
    }
    sheets.delete_worksheet(shared_key, "program")
    assert error_of(batch_get(api, shared_key, "'program'"))["message"] == "Unable to parse range: 'program'"


def test_a_range_beyond_the_grid_is_refused(api: Api, shared_key: str) -> None:
    response = batch_get(api, shared_key, "'program'!A1:AB2")

    assert response.status_code == 400
    assert "exceeds grid limits" in error_of(response)["message"]


def test_append_needs_the_read_write_scope(api: Api, shared_key: str) -> None:
    response = api.post(
        f"/v4/spreadsheets/{shared_key}/values/program:append",
        params={"valueInputOption": "RAW"},
        json={"values": [["x"]]},
    )

    assert response.status_code == 403
    error = error_of(response)
    assert (error["message"], error["status"]) == (
        "Request had insufficient authentication scopes.",
        "PERMISSION_DENIED",
    )


def test_anyone_with_the_link_can_read_but_not_append(
    sheets: SheetsEmulator, shared_key: str, account: dict[str, str]
) -> None:
    outsider = api_for(sheets, sheets.service_account("auditor@other-project.iam.gserviceaccount.com"), READWRITE)
    assert outsider.get(f"/v4/spreadsheets/{shared_key}").status_code == 403

    sheets.set_anyone_with_link(shared_key, True)

    assert outsider.get(f"/v4/spreadsheets/{shared_key}").status_code == 200
    appended = outsider.post(
        f"/v4/spreadsheets/{shared_key}/values/program:append",
        params={"valueInputOption": "RAW"},
        json={"values": [["x"]]},
    )
    assert appended.status_code == 403


def test_unknown_endpoints_are_404(sheets: SheetsEmulator, api: Api, shared_key: str) -> None:
    # values.batchUpdate is a real method the emulator does not serve (spreadsheets.batchUpdate it does).
    assert api.post(f"/v4/spreadsheets/{shared_key}/values:batchUpdate", json={}).status_code == 404
    assert requests.get(f"{sheets.base_url}/nothing/here").status_code == 404


# --- faults ---------------------------------------------------------------------------------------------


def test_fail_429_with_retry_after_then_normal(sheets: SheetsEmulator, api: Api, shared_key: str) -> None:
    sheets.fail(429, retry_after=2)

    first = batch_get(api, shared_key, "program")
    second = batch_get(api, shared_key, "program")

    assert first.status_code == 429
    assert first.headers["Retry-After"] == "2"
    error = error_of(first)
    assert (error["code"], error["status"]) == (429, "RESOURCE_EXHAUSTED")
    assert error["message"].startswith("Quota exceeded for quota metric 'Read requests'")
    assert second.status_code == 200


def test_failures_match_and_are_consumed_in_order(sheets: SheetsEmulator, api: Api, shared_key: str) -> None:
    sheets.fail(503, times=2, match="values:batchGet")
    sheets.fail(500, match="'program'")

    assert api.get(f"/v4/spreadsheets/{shared_key}").status_code == 200  # metadata does not match
    statuses = [batch_get(api, shared_key, "program").status_code for _ in range(3)]
    assert statuses == [503, 503, 200]  # "'program'" (decoded) does not match the unquoted range
    assert batch_get(api, shared_key, "'program'").status_code == 500
    for status, name in ((403, "PERMISSION_DENIED"), (404, "NOT_FOUND"), (408, "DEADLINE_EXCEEDED")):
        sheets.fail(status)
        assert error_of(api.get(f"/v4/spreadsheets/{shared_key}"))["status"] == name


def test_slow_delays_one_answer(sheets: SheetsEmulator, api: Api, shared_key: str) -> None:
    sheets.slow(0.3, match="batchGet")

    with pytest.raises(requests.exceptions.ReadTimeout):
        batch_get(api, shared_key, "program", timeout=0.1)
    # The fault was used up by the request that timed out; the next one is answered (no upper bound on
    # its time is asserted: a loaded machine may be slow on its own).
    assert batch_get(api, shared_key, "program").status_code == 200

    sheets.slow(0.2)
    started = time.monotonic()
    assert batch_get(api, shared_key, "program").status_code == 200
    assert time.monotonic() - started >= 0.2


def test_drop_closes_the_connection_without_an_answer(sheets: SheetsEmulator, api: Api, shared_key: str) -> None:
    sheets.drop(match="batchGet")

    with pytest.raises(requests.exceptions.ConnectionError):
        batch_get(api, shared_key, "program")
    assert batch_get(api, shared_key, "program").status_code == 200
    assert [r.status for r in sheets.requests[-2:]] == [0, 200]


# --- recording ------------------------------------------------------------------------------------------


def test_requests_are_recorded_and_counted(
    sheets: SheetsEmulator, api: Api, shared_key: str, account: dict[str, str]
) -> None:
    sheets.clear_requests()
    started = time.monotonic()
    api.get(f"/v4/spreadsheets/{shared_key}", params={"includeGridData": "false"})
    batch_get(api, shared_key, "'program'", "'program'!A1:A1")
    batch_get(api, shared_key, "nope")

    assert len(sheets.requests) == 3
    last = sheets.requests[-2]
    assert last.method == "GET"
    assert last.path == f"/v4/spreadsheets/{shared_key}/values:batchGet"
    assert last.query["ranges"] == ["'program'", "'program'!A1:A1"]
    assert last.status == 200 and last.response_bytes > 0
    assert last.account == account["client_email"]
    assert started <= sheets.requests[0].at <= last.at
    assert sheets.requests[0].query == {"includeGridData": ["false"]}
    assert sheets.count() == 3
    assert sheets.count("values:batchGet") == 2
    assert sheets.count("'program'!A1") == 1  # matched on the decoded query too
    assert sheets.count(method="post") == 0
    sheets.clear_requests()
    assert sheets.count() == 0


# --- append ---------------------------------------------------------------------------------------------


def test_append_writes_after_the_last_row(sheets: SheetsEmulator, account: dict[str, str], tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "c.xlsx", {"capaian": [["kode", "persen", "unit", "ok"], ["A", "1,5%", 2, None]]})
    key = sheets.load_xlsx(path, shared_with=[account["client_email"]])
    writer = api_for(sheets, account, READWRITE)

    response = writer.post(
        f"/v4/spreadsheets/{key}/values/%27capaian%27%21A1:append",
        params={"valueInputOption": "USER_ENTERED"},
        json={"values": [["B", "45,5%", 3, True], ["C", "2,5"]]},
    )
    raw = writer.post(
        f"/v4/spreadsheets/{key}/values/capaian:append",
        params={"valueInputOption": "RAW"},
        json={"values": [["D", "45,5%"]]},
    )

    assert response.status_code == 200, response.text
    assert response.json() == {
        "spreadsheetId": key,
        "tableRange": "capaian!A1:D2",
        "updates": {
            "spreadsheetId": key,
            "updatedRange": "capaian!A3:D4",
            "updatedRows": 2,
            "updatedColumns": 4,
            "updatedCells": 6,
        },
    }
    assert raw.json()["updates"]["updatedRange"] == "capaian!A5:B5"
    assert sheets.appended(key, "capaian") == [["B", "45,5%", "3", "TRUE"], ["C", "2,5"], ["D", "45,5%"]]
    # USER_ENTERED input is recognised in the sheet's locale; RAW keeps the text as sent.
    sheets.set_locale(key, "en_US")
    reader = api_for(sheets, account)
    assert values(reader, key, "capaian")[2:] == [["B", "45.5%", "3", "TRUE"], ["C", "2.5"], ["D", "45,5%"]]
    missing_option = writer.post(f"/v4/spreadsheets/{key}/values/capaian:append", json={"values": [["E"]]})
    assert missing_option.status_code == 400


def test_user_entered_formulas_are_kept_as_formulas_and_raw_text_as_text(
    sheets: SheetsEmulator, account: dict[str, str], tmp_path: Path
) -> None:
    key = sheets.load_xlsx(write_xlsx(tmp_path / "t.xlsx", {"tanggapan": []}), shared_with=[account["client_email"]])
    writer = api_for(sheets, account, READWRITE)
    typed = ["=1+1", "+A1", "-abc", "-5", "@petugas", "20-29"]

    for option in ("USER_ENTERED", "RAW"):
        response = writer.post(
            f"/v4/spreadsheets/{key}/values/tanggapan:append",
            params={"valueInputOption": option},
            json={"values": [typed]},
        )
        assert response.status_code == 200, response.text

    entered = [sheets.cell(key, "tanggapan", f"{col}1") for col in "ABCDEF"]
    raw = [sheets.cell(key, "tanggapan", f"{col}2") for col in "ABCDEF"]
    assert entered == [
        Cell("=1+1", "formula"),
        Cell("+A1", "formula"),
        Cell("-abc", "formula"),
        Cell(-5, "number"),
        Cell("@petugas", "text"),  # "@" starts no formula in Google Sheets
        Cell("20-29", "text"),
    ]
    assert raw == [Cell(text, "text") for text in typed]
    assert sheets.cell(key, "tanggapan", "Z9") == EMPTY
    # Formulas read back as FORMULA; the emulator never invents a computed value.
    reader = api_for(sheets, account)
    assert values(reader, key, "tanggapan!A1:B1", valueRenderOption="FORMULA") == [["=1+1", "+A1"]]
    assert batch_get(reader, key, "tanggapan!A1").status_code == 500
    assert sheets.values(key, "tanggapan", "FORMULA") == [["=1+1", "+A1", "-abc", -5, "@petugas", "20-29"], typed]


def test_drop_after_applying_writes_the_rows_but_sends_no_answer(
    sheets: SheetsEmulator, account: dict[str, str], tmp_path: Path
) -> None:
    key = sheets.load_xlsx(write_xlsx(tmp_path / "t.xlsx", {"tanggapan": []}), shared_with=[account["client_email"]])
    writer = api_for(sheets, account, READWRITE)
    sheets.drop_after_applying(match=":append")

    def append(value: str) -> requests.Response:
        return writer.post(
            f"/v4/spreadsheets/{key}/values/tanggapan:append",
            params={"valueInputOption": "RAW"},
            json={"values": [[value, 1]]},
        )

    with pytest.raises(requests.exceptions.ConnectionError):
        append("pertama")
    assert sheets.values(key, "tanggapan") == [["pertama", 1]]  # applied all the same
    assert sheets.requests[-1].status == 0
    assert append("kedua").status_code == 200  # one fault, one request
    assert sheets.values(key, "tanggapan") == [["pertama", 1], ["kedua", 1]]


def test_clear_faults_ends_an_outage(sheets: SheetsEmulator, api: Api, shared_key: str) -> None:
    sheets.fail(503, times=100)
    assert batch_get(api, shared_key, "program").status_code == 503

    sheets.clear_faults()

    assert batch_get(api, shared_key, "program").status_code == 200


# --- the CSV export -------------------------------------------------------------------------------------


@pytest.fixture
def published(sheets: SheetsEmulator, tmp_path: Path) -> str:
    rows = [["kode_program", "tanggal", "realisasi_persen", "catatan"], ["QW24-DLH-01", datetime(2024, 1, 31), 0.455]]
    rows += [["QW24-DLH-01", "29/02/2024", "50%", 'kata "kutip", koma'], [None]]
    formats = {("capaian", "B2"): "dd/mm/yyyy", ("capaian", "C2"): "0.0%"}
    path = write_xlsx(tmp_path / "dlh.xlsx", {"program": [["judul"], ["Sampah Energi"]], "capaian": rows}, formats)
    return sheets.load_xlsx(path, anyone_with_link=True)


def test_csv_export_of_a_sheet_shared_with_anyone_with_the_link(sheets: SheetsEmulator, published: str) -> None:
    response = requests.get(sheets.csv_url(published, "capaian"))

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.text.split("\n") == [
        '"kode_program","tanggal","realisasi_persen","catatan"',
        '"QW24-DLH-01","31/01/2024","45,5%",""',
        '"QW24-DLH-01","29/02/2024","50%","kata ""kutip"", koma"',
    ]
    sheets.set_locale(published, "en_US")
    assert (
        requests.get(sheets.csv_url(published, "capaian")).text.split("\n")[1] == '"QW24-DLH-01","1/31/2024","45.5%",""'
    )


def test_csv_export_of_an_unknown_sheet_name_is_the_first_worksheet(sheets: SheetsEmulator, published: str) -> None:
    # The real gviz endpoint's quirk: no error, just another worksheet's data.
    response = requests.get(sheets.csv_url(published, "capaian_typo"))

    assert response.status_code == 200
    assert response.text == '"judul"\n"Sampah Energi"'
    by_gid = requests.get(f"{sheets.base_url}/spreadsheets/d/{published}/gviz/tq", params={"tqx": "out:csv", "gid": 0})
    assert by_gid.text == response.text


def test_csv_export_of_a_private_sheet_redirects_to_a_login_page(sheets: SheetsEmulator, published: str) -> None:
    sheets.set_anyone_with_link(published, False)
    url = sheets.csv_url(published, "capaian")

    redirect = requests.get(url, allow_redirects=False)
    followed = requests.get(url)

    assert redirect.status_code == 302
    assert redirect.headers["Location"].startswith(f"{sheets.base_url}/accounts/ServiceLogin?continue=")
    assert followed.status_code == 200
    assert followed.headers["Content-Type"].startswith("text/html")
    assert "Sign in" in followed.text
    unknown = requests.get(sheets.csv_url("1NoSuchSpreadsheet", "capaian"))
    assert unknown.status_code == 404
    assert unknown.headers["Content-Type"].startswith("text/html")


# --- editing the emulated sheet -------------------------------------------------------------------------


def test_set_cell_types_text_in_the_sheets_locale(
    sheets: SheetsEmulator, api: Api, shared_key: str, account: dict[str, str]
) -> None:
    sheets.set_cell(shared_key, "program", "B2", "12,5%")
    sheets.set_cell(shared_key, "program", "C2", date(2024, 6, 30))
    assert values(api, shared_key, "program!B2:C2") == [["12,5%", "30/06/2024"]]

    sheets.set_locale(shared_key, "en_US")
    sheets.set_cell(shared_key, "program", "D2", "1,250.5")  # typed in an en_US sheet: a grouped number
    sheets.set_cell(shared_key, "program", "B2", None)
    assert values(api, shared_key, "program!B2:D2") == [["", "6/30/2024", "1,250.5"]]
    sheets.set_locale(shared_key, "id_ID")
    assert values(api, shared_key, "program!D2") == [["1.250,5"]]


# --- the real gspread client ----------------------------------------------------------------------------


def gspread_client(sheets: SheetsEmulator, info: Mapping[str, str]) -> gspread.Client:
    """gspread as the portal uses it, its Sheets API address routed to the emulator (nothing else changed)."""
    base = sheets.base_url

    class Routed(gspread.HTTPClient):
        def request(self, method: str, endpoint: str, *args: Any, **kwargs: Any) -> requests.Response:
            return super().request(method, endpoint.replace("https://sheets.googleapis.com", base), *args, **kwargs)

    return gspread.service_account_from_dict(dict(info), http_client=Routed)


def test_gspread_reads_and_appends_through_the_emulator(
    sheets: SheetsEmulator, account: dict[str, str], tmp_path: Path
) -> None:
    key = sheets.load_xlsx(typed_workbook(tmp_path), shared_with=[account["client_email"]])
    client = gspread_client(sheets, account)

    spreadsheet = client.open_by_key(key)
    worksheet = spreadsheet.worksheet("program")
    rows = worksheet.get_all_values()
    worksheet.append_row(["appended", "7,5%"], value_input_option="USER_ENTERED")

    assert spreadsheet.locale == "id_ID"
    assert spreadsheet.timezone == "Asia/Makassar"
    assert dict(rows[1:])["percent_text"] == "45,5%"
    assert worksheet.get("A1:B1") == [["label", "value"]]
    assert sheets.appended(key, "program") == [["appended", "7,5%"]]
    with pytest.raises(gspread.exceptions.WorksheetNotFound):
        spreadsheet.worksheet("capaian")


# --- the committed sample workbooks ---------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(SAMPLE_DIR.glob("*.xlsx")), ids=lambda p: p.stem)
def test_each_sample_workbook_loads_and_reads_whole(
    sheets: SheetsEmulator, account: dict[str, str], api: Api, path: Path
) -> None:
    key = sheets.load_xlsx(path, shared_with=[account["client_email"]])
    titles = [s["properties"]["title"] for s in api.get(f"/v4/spreadsheets/{key}").json()["sheets"]]
    workbook = openpyxl.load_workbook(path, data_only=True)

    response = batch_get(api, key, *("'" + title.replace("'", "''") + "'" for title in titles))

    assert response.status_code == 200, response.text
    assert titles == workbook.sheetnames == sheets.titles(key)
    for title, value_range in zip(titles, response.json()["valueRanges"], strict=True):
        sheet = workbook[title]
        header = [cell.value for cell in sheet[1] if cell.value is not None]
        assert value_range["values"][0] == header
        filled_rows = sum(1 for row in sheet.iter_rows(values_only=True) if any(v is not None for v in row))
        assert sum(1 for row in value_range["values"] if row) == filled_rows


def test_six_sample_workbooks_are_committed() -> None:
    assert len(list(SAMPLE_DIR.glob("*.xlsx"))) == 6
