"""Google Sheets sources: a private sheet read with a service account, and a published sheet.

Service account: two Sheets API requests per spreadsheet and sync, made by gspread's own HTTP
client: the metadata (worksheet titles and the sheet's locale) and one ``values:batchGet`` of the
contract's worksheets, as formatted values (what the clerk sees), parsed in the sheet's locale.
A token request comes on top about once an hour per process (google-auth caches the token).

Published ("anyone with the link"): one CSV request per worksheet, no credentials; the locale is
the one configured for the source.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import gspread
import requests
from google.auth.exceptions import GoogleAuthError
from google.oauth2.service_account import Credentials
from gspread.exceptions import APIError
from gspread.http_client import HTTPClient
from gspread.utils import absolute_range_name

from core import contract
from core.table import Cell, RawSheet, RawWorkbook
from core.text import Text
from data_sources.readers.http_retry import Metrics, RetriesExhausted, RetryPolicy, send_with_retries
from data_sources.readers.protocol import SourceUnreadable

READ_ONLY_SCOPE = "https://www.googleapis.com/auth/spreadsheets.readonly"
# Reading and writing values: what the feedback mirror needs to append rows.
READ_WRITE_SCOPE = "https://www.googleapis.com/auth/spreadsheets"
GOOGLE_API_ROOT = "https://sheets.googleapis.com"
GOOGLE_EXPORT_ROOT = "https://docs.google.com"
_KEY_IN_URL = re.compile(r"/spreadsheets/d/([a-zA-Z0-9_-]{20,})")
_BARE_KEY = re.compile(r"[a-zA-Z0-9_-]{20,}")


def sheet_key(url_or_key: str) -> str:
    """The spreadsheet key from a sheet's URL (``…/spreadsheets/d/KEY/edit``) or the key itself."""
    text = url_or_key.strip()
    if match := _KEY_IN_URL.search(text):
        return match.group(1)
    if _BARE_KEY.fullmatch(text):
        return text
    raise SourceUnreadable(f"not a Google Sheets URL or key: {text[:80]}")


def sheet_url(key: str) -> str:
    """The sheet's address as people know it, whatever root the reader talks to."""
    return f"{GOOGLE_EXPORT_ROOT}/spreadsheets/d/{key}"


def looks_like_sheet(target: str) -> bool:
    return bool(_KEY_IN_URL.search(target)) or target.startswith(("https://docs.google.com", "http://"))


def babel_locale(sheet_locale: str | None) -> str:
    """Google writes Indonesian as ``in_ID`` (the old ISO code) or ``id_ID``; Babel knows ``id``."""
    if not sheet_locale:
        return "id_ID"
    language, _, region = sheet_locale.replace("-", "_").partition("_")
    language = "id" if language.lower() in ("in", "id") else language.lower()
    return f"{language}_{region.upper()}" if region else language


def _sheet(title: str, rows: list[list[Any]], sheet_id: int | None = None) -> RawSheet:
    # The API leaves out trailing empty cells and rows: ragged rows are normal here.
    return RawSheet(title, [[Cell(v if v != "" else None) for v in row] for row in rows], sheet_id)


# --- service account ------------------------------------------------------------------------


class _GoogleHTTPClient(HTTPClient):
    """gspread's client, pointed at a configurable API root, with bounded retries and counting.

    gspread 6.2.1's own BackOffHTTPClient retries forever; this one stops at the policy's budget.
    """

    def __init__(self, auth: Any, session: Any = None, *, api_root: str, policy: RetryPolicy, metrics: Metrics) -> None:
        super().__init__(auth, session)
        self.api_root = api_root.rstrip("/")
        self.policy = policy
        self.metrics = metrics
        self.set_timeout(policy.timeout)

    def request(self, method: str, endpoint: str, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        url = self.api_root + endpoint.removeprefix(GOOGLE_API_ROOT)

        def send() -> requests.Response:
            return self.session.request(method=method, url=url, timeout=self.timeout, **kwargs)

        response = send_with_retries(send, self.policy, self.metrics)
        if not response.ok:
            raise APIError(response)
        return response


@functools.lru_cache(maxsize=8)
def _credentials(info_items: tuple[tuple[str, str], ...], scope: str = READ_ONLY_SCOPE) -> Credentials:
    """One credentials object per key, scope and process, so its token is reused across syncs."""
    return Credentials.from_service_account_info(dict(info_items), scopes=[scope])


def service_account_credentials(info: Mapping[str, Any], scope: str = READ_ONLY_SCOPE) -> Credentials:
    """The cached credentials of a service-account key for one scope (read-only unless asked otherwise).

    Raises ValueError or KeyError for a key that is not a valid service-account key.
    """
    return _credentials(tuple(sorted((k, str(v)) for k, v in info.items())), scope)


@dataclass
class ServiceAccountSource:
    name: str
    key: str
    credentials_info: dict[str, str] = field(repr=False)
    api_root: str = GOOGLE_API_ROOT
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    metrics: Metrics = field(default_factory=Metrics)
    # Read-only unless the source writes its report back into the sheet (``write_back``): only such a source
    # asks Google for the scope that can change a spreadsheet.
    scope: str = READ_ONLY_SCOPE
    # The worksheets' properties (title, sheetId, gridProperties) as the last read's metadata gave them: the
    # write-back addresses worksheets by their real sheetId and knows the grid it may write in.
    worksheets: list[dict[str, Any]] = field(default_factory=list, repr=False)

    @property
    def origin(self) -> str:
        return sheet_url(self.key)

    @property
    def account(self) -> str:
        return str(self.credentials_info.get("client_email", "?"))

    def http_client(self) -> _GoogleHTTPClient:
        """gspread's HTTP client for this source: its scope, its retry policy, and its request counts."""
        try:
            credentials = _credentials(tuple(sorted((k, str(v)) for k, v in self.credentials_info.items())), self.scope)
        except (ValueError, KeyError) as exc:
            raise SourceUnreadable(f"the service-account key is not valid ({type(exc).__name__})") from None
        client = gspread.Client(
            auth=credentials,
            http_client=functools.partial(  # type: ignore[arg-type]
                _GoogleHTTPClient, api_root=self.api_root, policy=self.policy, metrics=self.metrics
            ),
        )
        return client.http_client  # type: ignore[return-value]

    def read(self) -> RawWorkbook:
        http = self.http_client()
        try:
            metadata = http.fetch_sheet_metadata(self.key)
            self.worksheets = [dict(s["properties"]) for s in metadata.get("sheets", [])]
            titles = [s["properties"]["title"] for s in metadata.get("sheets", [])]
            # The worksheet ids (the URL's gid) let the health report link to the very cell.
            ids = {s["properties"]["title"]: s["properties"].get("sheetId") for s in metadata.get("sheets", [])}
            wanted = [t for t in titles if any(spec.matches_title(t) for spec in contract.WORKSHEETS)]
            ranges = [absolute_range_name(t) for t in wanted]
            values = (
                http.values_batch_get(self.key, ranges, params={"valueRenderOption": "FORMATTED_VALUE"})
                if ranges
                else {"valueRanges": []}
            )
        except APIError as exc:
            raise SourceUnreadable(_api_problem(exc.code, self.key, self.account)) from None
        except RetriesExhausted as exc:
            raise SourceUnreadable(_exhausted(exc)) from None
        except GoogleAuthError as exc:
            raise SourceUnreadable(
                Text(
                    f"Login service account ke Google gagal ({type(exc).__name__}). Periksa kunci service account.",
                    f"The service account could not log in to Google ({type(exc).__name__}). "
                    "Check the service-account key.",
                )
            ) from None
        sheets = [
            _sheet(title, vr.get("values", []), ids.get(title))
            for title, vr in zip(wanted, values["valueRanges"], strict=True)
        ]
        locale = babel_locale(metadata.get("properties", {}).get("locale"))
        return RawWorkbook(origin=self.origin, sheets=sheets, locale=locale, locale_known=True)


def _api_problem(status: int, key: str, account: str) -> Text:
    if status == 403:
        return Text(
            f"Sheet belum dibagikan ke {account}. Buka sheet, klik Bagikan, tambahkan alamat itu sebagai Pelihat.",
            f"The sheet is not shared with {account}. Open the sheet, click Share, add that address as a Viewer.",
        )
    if status == 404:
        return Text(
            f"Spreadsheet dengan kunci {key} tidak ditemukan. Periksa URL/kunci sheet di portal.toml.",
            f"No spreadsheet with key {key}. Check the sheet URL/key in portal.toml.",
        )
    if status == 401:
        return Text(
            "Google menolak login service account (401). Periksa kunci service account.",
            "Google refused the service account's login (401). Check the service-account key.",
        )
    return Text(f"Google menjawab dengan kesalahan HTTP {status}.", f"Google answered with HTTP error {status}.")


def _exhausted(exc: RetriesExhausted) -> Text:
    if exc.last_status == 429:
        return Text(
            "Google membatasi jumlah permintaan (429) lebih lama dari batas tunggu; data terakhir tetap tampil. "
            "Sinkronisasi berikutnya akan mencoba lagi.",
            "Google kept limiting requests (429) past the retry budget; the last data stay on the page. "
            "The next sync will try again.",
        )
    what = f"HTTP {exc.last_status}" if exc.last_status else str(exc)
    return Text(
        f"Google tidak dapat dihubungi ({what}); data terakhir tetap tampil.",
        f"Google could not be reached ({what}); the last data stay on the page.",
    )


# --- published sheet (CSV export) ----------------------------------------------------------


@dataclass
class PublishedSheetSource:
    """A sheet shared "anyone with the link", read as CSV through Google's visualization export.

    That endpoint answers an unknown worksheet name with the first worksheet: a worksheet that
    comes back identical to one already read is treated as missing.
    """

    name: str
    key: str
    locale: str = "id_ID"
    export_root: str = GOOGLE_EXPORT_ROOT
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    metrics: Metrics = field(default_factory=Metrics)

    @property
    def origin(self) -> str:
        return sheet_url(self.key)

    def _csv(self, session: requests.Session, title: str) -> str:
        url = f"{self.export_root.rstrip('/')}/spreadsheets/d/{self.key}/gviz/tq"
        params = {"tqx": "out:csv", "sheet": title}

        def send() -> requests.Response:
            return session.get(url, params=params, timeout=self.policy.timeout)

        try:
            response = send_with_retries(send, self.policy, self.metrics)
        except RetriesExhausted as exc:
            raise SourceUnreadable(_exhausted(exc)) from None
        if response.status_code == 404:
            raise SourceUnreadable(_api_problem(404, self.key, ""))
        if not response.ok or "text/csv" not in response.headers.get("Content-Type", ""):
            # A private sheet sends the browser to Google's login page instead of CSV.
            raise SourceUnreadable(
                Text(
                    "Sheet belum dibagikan untuk umum. Di Google Sheets: Bagikan > Akses umum > "
                    "'Siapa saja yang memiliki link' sebagai Pelihat.",
                    "The sheet is not shared publicly. In Google Sheets: Share > General access > "
                    "'Anyone with the link' as Viewer.",
                )
            )
        return response.content.decode("utf-8-sig")

    def read(self) -> RawWorkbook:
        sheets: list[RawSheet] = []
        seen: list[str] = []
        with requests.Session() as session:
            for spec in contract.WORKSHEETS:
                text = self._csv(session, spec.name)
                if text in seen:
                    continue  # the export's stand-in for a missing worksheet
                seen.append(text)
                sheets.append(_sheet(spec.name, list(csv.reader(io.StringIO(text)))))
        return RawWorkbook(origin=self.origin, sheets=sheets, locale=self.locale)
