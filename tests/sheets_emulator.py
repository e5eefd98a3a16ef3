"""A small HTTP emulator of the parts of Google Sheets the portal talks to, for tests over real HTTP.

It serves, on 127.0.0.1 and a free port:

* ``POST /token``: Google's OAuth2 token endpoint for the JWT-bearer grant that google-auth's
  service-account credentials send; the JWT's RS256 signature is checked against the key that
  :meth:`SheetsEmulator.service_account` generated for that account.
* ``/v4/spreadsheets/...`` of the Sheets API v4, with Google's error bodies and status codes:

  - ``spreadsheets.get`` (``GET /v4/spreadsheets/{key}``): metadata, and with ``includeGridData`` or a
    ``fields`` mask naming ``sheets.data``, the cells of the requested ``ranges`` as ``GridData`` (values,
    formatted values and notes);
  - ``spreadsheets.batchUpdate`` (``POST /v4/spreadsheets/{key}:batchUpdate``): ``updateCells`` (notes
    and entered values), ``addSheet`` and ``updateSheetProperties``, validated and applied atomically;
    any other request kind is refused, so a test never passes on a request the emulator ignored;
  - ``values:batchGet``, ``values/{range}`` and ``values/{range}:append``.

  Every JSON answer honours Google's partial-response ``fields`` parameter (see :func:`parse_fields`).
  A spreadsheet is shared with an account as a ``writer`` (Editor) or a ``reader`` (Viewer); a reader
  may call every read method and gets 403 on every write, as Google answers.
* ``/spreadsheets/d/{key}/gviz/tq?tqx=out:csv``: the CSV a sheet shared "anyone with the link"
  gives without any credential, and the redirect to a login page that a private one gives.

Spreadsheets come from real ``.xlsx`` files, read as "what an SKPD clerk typed into a Google Sheet
whose locale is Indonesian": Google turns what it recognises (``45,5%``, ``1.250.000``,
``31/01/2024``, ``Rp1.250.000``) into numbers, percents and dates and keeps the rest as text, and
the API then answers with values formatted for the spreadsheet's *current* locale. That is the part
the portal's parsers depend on, so it is modelled with care; see :func:`typed_cell` and :func:`render`.

Faults (:meth:`SheetsEmulator.fail`, :meth:`~SheetsEmulator.slow`, :meth:`~SheetsEmulator.drop`,
:meth:`~SheetsEmulator.drop_after_applying`) are queued and consumed one per matching request, and every
request is recorded, so tests can check retries, timeouts and how many calls a sync makes.

Notes: a cell may carry a note (the text Google shows in a cell's corner triangle) with or without a
value; the two are stored apart, so writing one never touches the other. Tests write a clerk's note with
:meth:`SheetsEmulator.set_note` and read what the portal wrote with :meth:`~SheetsEmulator.notes`.

Formulas: a value appended with ``USER_ENTERED`` that Google would parse as a formula (see
:func:`entered_cell`), or written as an ``updateCells`` ``formulaValue``, is kept as a ``formula`` cell, so
a test can tell it from the literal text that ``RAW`` (or a ``stringValue``) stores. The emulator does not
evaluate formulas: reading one back except as ``FORMULA`` (or as a ``userEnteredValue``) is an emulator
error (500), never a made-up result.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import re
import secrets
import socket
import threading
import time
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Literal, TypeAlias
from urllib.parse import parse_qs, quote, unquote, unquote_plus, urlsplit

import openpyxl
from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import get_decimal_symbol, get_group_symbol, parse_pattern
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from openpyxl.styles.numbers import is_date_format

SCOPE_SHEETS = "https://www.googleapis.com/auth/spreadsheets"
SCOPE_SHEETS_READONLY = "https://www.googleapis.com/auth/spreadsheets.readonly"
SCOPE_DRIVE = "https://www.googleapis.com/auth/drive"
SCOPE_DRIVE_READONLY = "https://www.googleapis.com/auth/drive.readonly"
# The Sheets API accepts the Drive scopes too, as Google documents for spreadsheets.values.get/append.
READ_SCOPES = frozenset({SCOPE_SHEETS, SCOPE_SHEETS_READONLY, SCOPE_DRIVE, SCOPE_DRIVE_READONLY})
WRITE_SCOPES = frozenset({SCOPE_SHEETS, SCOPE_DRIVE})

DEFAULT_ACCOUNT = "portal-sync@banjarmasin-qw.iam.gserviceaccount.com"
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
# google-auth signs every service-account assertion for Google's own token endpoint, whatever the key
# file's token_uri says (google/oauth2/service_account.py), and Google also accepts its older token URLs;
# so a faithful check accepts these, and this emulator's token_uri for clients that do use it.
GOOGLE_TOKEN_AUDIENCES = (
    "https://oauth2.googleapis.com/token",
    "https://www.googleapis.com/oauth2/v4/token",
    "https://accounts.google.com/o/oauth2/token",
)
TOKEN_LIFETIME = 3600
# Google refuses an assertion whose exp - iat exceeds an hour; google-auth sends exactly an hour.
MAX_ASSERTION_LIFETIME = 3600
CLOCK_SKEW = 10
# A sheet made in Google Sheets starts with a 1000 x 26 grid; data beyond that widens it.
DEFAULT_ROWS = 1000
DEFAULT_COLUMNS = 26
# What spreadsheets.get reports for rows and columns nobody resized (GridData's rowMetadata/columnMetadata).
DEFAULT_ROW_PIXELS = 21
DEFAULT_COLUMN_PIXELS = 100
# Google refuses any change that would take a spreadsheet past this many cells.
MAX_CELLS = 10_000_000
TIME_ZONE = "Asia/Makassar"  # WITA, Banjarmasin's time zone
SERIAL_EPOCH = date(1899, 12, 30)  # day 0 of spreadsheet serial dates (Lotus 1-2-3 convention)

# Google's status name for each HTTP code, as in its JSON error bodies.
STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    408: "DEADLINE_EXCEEDED",
    409: "ABORTED",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    501: "NOT_IMPLEMENTED",
    502: "UNAVAILABLE",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}
# The messages Google sends with those codes when a test injects one through fail().
DEFAULT_MESSAGES = {
    400: "Request contains an invalid argument.",
    401: "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other "
    "valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.",
    403: "The caller does not have permission",
    404: "Requested entity was not found.",
    408: "The request timed out.",
    429: "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute per user' of service "
    "'sheets.googleapis.com' for consumer 'project_number:418296061532'.",
    500: "Internal error encountered.",
    502: "Bad Gateway",
    503: "The service is currently unavailable.",
    504: "The request timed out.",
}
# The RPC names Google puts in an ErrorInfo's metadata, per endpoint.
METHOD_NAMES = {
    "metadata": "google.apps.sheets.v4.SpreadsheetsService.GetSpreadsheet",
    "batchUpdate": "google.apps.sheets.v4.SpreadsheetsService.BatchUpdateSpreadsheet",
    "batchGet": "google.apps.sheets.v4.SpreadsheetsService.BatchGetValues",
    "get": "google.apps.sheets.v4.SpreadsheetsService.GetValues",
    "append": "google.apps.sheets.v4.SpreadsheetsService.AppendValues",
}
WRITE_ENDPOINTS = frozenset({"append", "batchUpdate"})
# Drive's roles as the Share dialog names them: Viewer and Editor.
Role = Literal["reader", "writer"]
ROLES: tuple[Role, ...] = ("reader", "writer")
MISSING_CREDENTIALS = (
    "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other "
    "valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project."
)


# --- service-account keys -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _AccountKey:
    key_id: str
    private_pem: str
    public_pem: bytes


# RSA 2048 generation takes tens of milliseconds; one key per email for the whole test process
# keeps a suite that builds many emulators fast.
_KEYS: dict[str, _AccountKey] = {}
_KEYS_LOCK = threading.Lock()


def _account_key(email: str) -> _AccountKey:
    with _KEYS_LOCK:
        if email not in _KEYS:
            private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            private_pem = private.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            ).decode()
            public_pem = private.public_key().public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            _KEYS[email] = _AccountKey(secrets.token_hex(20), private_pem, public_pem)
        return _KEYS[email]


def _b64url_decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


# --- the cell model -----------------------------------------------------------------------------------

# text: shown as stored; number: Google's "automatic" format, or fixed decimals when `decimals` is set;
# grouped: #,##0 with `decimals` places; percent: 0.0% with `decimals` places; currency: Rupiah (Rp#,##0);
# date/datetime: the locale's default date (and time) format; bool: TRUE/FALSE;
# formula: the text of a formula (value starts as typed), kept but never evaluated.
Kind = Literal["text", "number", "grouped", "percent", "currency", "date", "datetime", "bool", "formula"]
Native = str | int | float | bool | date | datetime


@dataclass(frozen=True)
class Cell:
    """One stored cell: the value Google keeps and the number format that decides how it is shown."""

    value: Native
    kind: Kind = "text"
    decimals: int | None = None

    @property
    def empty(self) -> bool:
        return self.kind == "text" and self.value == ""


EMPTY = Cell("")


@dataclass(frozen=True)
class _LocaleRules:
    """What a spreadsheet locale changes: separators for typing and showing numbers, and date formats."""

    babel: Locale
    decimal: str
    group: str
    day_first: bool
    date_pattern: str
    datetime_pattern: str


# Google's default date formats for the locales the portal meets; others fall back to Babel's short
# date with a four-digit year, which is what Google shows for most locales.
_DATE_PATTERNS = {
    "id": ("dd/MM/yyyy", "dd/MM/yyyy HH.mm.ss"),
    "en_US": ("M/d/yyyy", "M/d/yyyy H:mm:ss"),
    "en_GB": ("dd/MM/yyyy", "dd/MM/yyyy HH:mm:ss"),
}


@lru_cache(maxsize=64)
def locale_rules(locale: str) -> _LocaleRules:
    """The rules for a spreadsheet locale such as ``id_ID``, ``in_ID`` (Google's old code) or ``en_US``."""
    name = locale.replace("-", "_")
    if name.split("_")[0] == "in":  # Java's legacy code for Indonesian, which Google's locale list still uses
        name = "id" + name[2:]
    babel = Locale.parse(name)  # raises for a locale Babel does not know
    key = str(babel) if str(babel) in _DATE_PATTERNS else babel.language
    if key in _DATE_PATTERNS:
        date_pattern, datetime_pattern = _DATE_PATTERNS[key]
    else:
        date_pattern = re.sub(r"y+", "yyyy", babel.date_formats["short"].pattern)
        datetime_pattern = date_pattern + " HH:mm:ss"
    return _LocaleRules(
        babel=babel,
        decimal=get_decimal_symbol(babel),
        group=get_group_symbol(babel),
        day_first=date_pattern.index("d") < date_pattern.index("M"),
        date_pattern=date_pattern,
        datetime_pattern=datetime_pattern,
    )


@dataclass(frozen=True)
class _InputPatterns:
    percent: re.Pattern[str]
    grouped: re.Pattern[str]
    decimal: re.Pattern[str]
    currency: re.Pattern[str]


@lru_cache(maxsize=64)
def _input_patterns(locale: str) -> _InputPatterns:
    rules = locale_rules(locale)
    dec, grp = re.escape(rules.decimal), re.escape(rules.group)
    return _InputPatterns(
        percent=re.compile(rf"-?\d+(?:{dec}\d+)?\s?%"),
        grouped=re.compile(rf"-?\d{{1,3}}(?:{grp}\d{{3}})+(?:{dec}\d+)?"),
        decimal=re.compile(rf"-?\d+{dec}\d+"),
        currency=re.compile(rf"Rp\s?(\d{{1,3}}(?:{grp}\d{{3}})*(?:{dec}\d+)?)"),
    )


_INTEGER = re.compile(r"-?\d+")
_SLASH_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def _typed_number(text: str, rules: _LocaleRules) -> tuple[int | float, int]:
    """A number typed with the locale's separators, and how many decimals were typed."""
    plain = text.replace(rules.group, "").replace(rules.decimal, ".")
    decimals = len(plain.split(".")[1]) if "." in plain else 0
    number = Decimal(plain)
    return (int(number) if decimals == 0 else float(number)), decimals


def _typed_date(text: str, day_first: bool) -> date | None:
    if m := _ISO_DATE.fullmatch(text):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif m := _SLASH_DATE.fullmatch(text):
        first, second, year = int(m[1]), int(m[2]), int(m[3])
        day, month = (first, second) if day_first else (second, first)
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:  # 31/02/2024 is not a date, so Google keeps it as text
        return None


def typed_cell(text: str, locale: str = "id_ID") -> Cell:
    """What Google stores when ``text`` is typed into a sheet with ``locale`` (USER_ENTERED).

    Only the shapes an Indonesian clerk commonly types are recognised; the rest stays text exactly as
    typed, as Google does with "31 Maret 2024", "Rp9,2 miliar" or "-3,3278, 114,5887".
    """
    if text.startswith("'"):  # a leading apostrophe forces text and is not part of the value
        return Cell(text[1:])
    stripped = text.strip()
    rules = locale_rules(locale)
    patterns = _input_patterns(locale)
    if patterns.percent.fullmatch(stripped):
        number, decimals = _typed_number(stripped.rstrip("%").strip(), rules)
        return Cell(float(Decimal(str(number)) / 100), "percent", decimals)
    if patterns.grouped.fullmatch(stripped):
        number, decimals = _typed_number(stripped, rules)
        return Cell(number, "grouped", decimals)
    if patterns.decimal.fullmatch(stripped):
        return Cell(_typed_number(stripped, rules)[0], "number")
    if _INTEGER.fullmatch(stripped):
        # Google would turn 0812... into 812...; clerks type phone numbers with an apostrophe (or in a
        # plain-text column) so they survive, and that is what such a value in a workbook stands for.
        if stripped.lstrip("-").startswith("0") and len(stripped.lstrip("-")) > 1:
            return Cell(text)
        return Cell(int(stripped), "number")
    if (day := _typed_date(stripped, rules.day_first)) is not None:
        return Cell(day, "date")
    if m := patterns.currency.fullmatch(stripped):
        number, decimals = _typed_number(m[1], rules)
        return Cell(number, "currency", decimals)
    return Cell(text)


def native_cell(value: object, locale: str = "id_ID") -> Cell:
    """A Python value as a cell: text is typed (see :func:`typed_cell`), other values are stored as they are."""
    if value is None:
        return EMPTY
    if isinstance(value, Cell):
        return value
    if isinstance(value, bool):
        return Cell(value, "bool")
    if isinstance(value, int | float):
        return Cell(value, "number")
    if isinstance(value, datetime):
        return Cell(value, "datetime") if value.time() != datetime.min.time() else Cell(value.date(), "date")
    if isinstance(value, date):
        return Cell(value, "date")
    if isinstance(value, str):
        return typed_cell(value, locale)
    raise TypeError(f"cannot store a {type(value).__name__} in a cell")


def entered_cell(value: object, locale: str = "id_ID") -> Cell:
    """What Google stores for a value appended or updated with ``valueInputOption=USER_ENTERED``.

    As typed (see :func:`native_cell`), except text Google parses as a formula: anything starting with
    ``=``, and text starting with ``+`` or ``-`` that is not a number (Sheets reads ``+A1`` or ``-1+2``
    as a formula, and shows a parse error for ``-abc``). That is the formula injection that ``RAW`` input
    prevents. ``@`` starts no formula in Google Sheets (it does in Excel, once the file is downloaded).
    """
    if isinstance(value, str):
        if value.startswith("="):
            return Cell(value, "formula")
        if value.startswith(("+", "-")) and len(value) > 1 and typed_cell(value, locale).kind == "text":
            return Cell(value, "formula")
    return native_cell(value, locale)


def _format_section(number_format: str) -> str:
    """The positive section of an xlsx number format, without quoted text, escapes and [..] tags."""
    return re.sub(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.', "", number_format.split(";")[0])


def _format_decimals(section: str) -> int:
    m = re.search(r"\.([0#?]+)", section)
    return len(m[1]) if m else 0


def xlsx_cell(value: object, number_format: str = "General", quote_prefix: bool = False) -> Cell:
    """A cell of an xlsx file as the Google Sheet it stands for would hold it.

    Native numbers keep their number format's kind; text is what the clerk typed into an Indonesian
    sheet, so it is recognised with the id_ID rules unless the cell is formatted as plain text (``@``)
    or was typed with a leading apostrophe, both of which make Google keep it as text.
    """
    if value is None:
        return EMPTY
    if isinstance(value, str):
        if quote_prefix or number_format == "@":
            return Cell(value)
        return typed_cell(value, "id_ID")
    if isinstance(value, bool):
        return Cell(value, "bool")
    if isinstance(value, date):
        # A date typed into Google gets the locale's date format, so an xlsx date is shown that way whatever
        # its own pattern (openpyxl even gives plain dates "yyyy-mm-dd h:mm:ss"); a time of day is kept.
        return native_cell(value)
    if isinstance(value, int | float):
        section = _format_section(number_format)
        decimals = _format_decimals(section)
        if "%" in section:
            return Cell(value, "percent", decimals)
        if "Rp" in number_format:
            return Cell(value, "currency", decimals)
        if "#,##0" in section:
            return Cell(value, "grouped", decimals)
        if is_date_format(number_format):
            return native_cell(SERIAL_EPOCH + timedelta(days=float(value)))
        if re.fullmatch(r"0\.0+", section):
            return Cell(value, "number", decimals)
        return Cell(value, "number")
    # times and durations: kept as their text, which is all the portal could do with them
    return Cell(str(value))


@lru_cache(maxsize=128)
def _number_pattern(grouped: bool, decimals: int) -> Any:
    return parse_pattern(("#,##0" if grouped else "0") + ("." + "0" * decimals if decimals else ""))


def _format_number(number: Decimal, decimals: int | None, grouped: bool, rules: _LocaleRules) -> str:
    """Round half away from zero (as Sheets does) to `decimals` places, or up to 10 places for "automatic"."""
    if decimals is None:
        rounded = number.quantize(Decimal(1).scaleb(-10), ROUND_HALF_UP).normalize()
        places = max(0, -int(rounded.as_tuple().exponent))
        rounded = rounded.quantize(Decimal(1).scaleb(-places))
    else:
        places = decimals
        rounded = number.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # no "-0"
    return _number_pattern(grouped, places).apply(rounded, rules.babel)


def _decimal(value: int | float) -> Decimal:
    # repr() gives the shortest text that reads back as the same float, so 0.455 stays 0.455, not 0.45500000000000001
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def render(cell: Cell, locale: str) -> str:
    """The FORMATTED_VALUE of a cell in a spreadsheet whose locale is ``locale``."""
    rules = locale_rules(locale)
    value = cell.value
    if cell.kind == "formula":
        raise NotImplementedError(f"the emulator keeps formulas but does not evaluate them: {value}")
    if cell.kind == "text":
        return str(value)
    if cell.kind == "bool":
        return "TRUE" if value else "FALSE"
    if cell.kind == "date":
        assert isinstance(value, date)
        return format_date(value, rules.date_pattern, locale=rules.babel)
    if cell.kind == "datetime":
        assert isinstance(value, datetime)
        return format_datetime(value, rules.datetime_pattern, locale=rules.babel)
    assert isinstance(value, int | float) and not isinstance(value, bool)
    number = _decimal(value)
    if cell.kind == "percent":
        return _format_number(number * 100, cell.decimals or 0, False, rules) + "%"
    if cell.kind == "grouped":
        return _format_number(number, cell.decimals or 0, True, rules)
    if cell.kind == "currency":
        sign = "-" if number < 0 else ""
        return sign + "Rp" + _format_number(abs(number), cell.decimals or 0, True, rules)
    return _format_number(number, cell.decimals, False, rules)


def unformatted(cell: Cell, locale: str, serial_dates: bool) -> object:
    """The UNFORMATTED_VALUE of a cell: numbers as JSON numbers, dates as serial numbers (by default)."""
    value = cell.value
    if cell.kind in ("date", "datetime"):
        if not serial_dates:
            return render(cell, locale)
        if isinstance(value, datetime):
            midnight = datetime.combine(value.date(), datetime.min.time())
            return (value.date() - SERIAL_EPOCH).days + (value - midnight).total_seconds() / 86400
        assert isinstance(value, date)
        return (value - SERIAL_EPOCH).days
    if isinstance(value, float) and value.is_integer():
        return int(value)  # Google writes 3, not 3.0
    return value


# --- spreadsheets ---------------------------------------------------------------------------------------


@dataclass
class _Worksheet:
    title: str
    sheet_id: int
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    row_count: int = DEFAULT_ROWS
    column_count: int = DEFAULT_COLUMNS
    hidden: bool = False
    appended: list[list[str]] = field(default_factory=list)
    # Kept apart from the values: a note lives on a cell with or without a value, and writing either
    # one (a value through the values API, a note through updateCells) leaves the other as it was.
    notes: dict[tuple[int, int], str] = field(default_factory=dict)

    def used(self) -> tuple[int, int]:
        """Rows and columns up to the last non-empty cell (0, 0 for an empty sheet); notes do not count,
        as they do not for values.get or for the table an append writes below."""
        rows = cols = 0
        for (r, c), cell in self.cells.items():
            if not cell.empty:
                rows, cols = max(rows, r + 1), max(cols, c + 1)
        return rows, cols

    def extent(self) -> tuple[int, int]:
        """Rows and columns up to the last cell with a value or a note: what GridData can hold."""
        rows, cols = self.used()
        for r, c in self.notes:
            rows, cols = max(rows, r + 1), max(cols, c + 1)
        return rows, cols

    def set_note(self, row: int, col: int, text: str) -> None:
        if text:
            self.notes[(row, col)] = text
        else:  # Google keeps no empty notes: writing "" removes the note
            self.notes.pop((row, col), None)

    def copy(self) -> _Worksheet:
        """A copy whose cells and notes can change without touching this one (cells are immutable)."""
        return replace(
            self, cells=dict(self.cells), notes=dict(self.notes), appended=[list(row) for row in self.appended]
        )

    def resize(self, rows: int, cols: int) -> None:
        """Set the grid's size; cells and notes beyond a smaller grid are gone, as in Google Sheets."""
        self.row_count, self.column_count = rows, cols
        for store in (self.cells, self.notes):
            for r, c in [rc for rc in store if rc[0] >= rows or rc[1] >= cols]:
                del store[(r, c)]

    def put(self, row: int, col: int, cell: Cell) -> None:
        if cell.empty:
            self.cells.pop((row, col), None)
        else:
            self.cells[(row, col)] = cell
        # Writing beyond the grid widens it, as a paste or an append does in Google Sheets.
        self.row_count = max(self.row_count, row + 1)
        self.column_count = max(self.column_count, col + 1)


@dataclass
class _Spreadsheet:
    key: str
    title: str
    locale: str
    worksheets: list[_Worksheet]
    shares: dict[str, Role]  # email -> role
    anyone_with_link: bool

    def worksheet(self, title: str) -> _Worksheet | None:
        return next((ws for ws in self.worksheets if ws.title == title), None)

    def can_read(self, email: str) -> bool:
        # "Anyone with the link" lets any signed-in caller read, not write.
        return email in self.shares or self.anyone_with_link

    def can_write(self, email: str) -> bool:
        return self.shares.get(email) == "writer"


def _column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters.upper():
        index = index * 26 + ord(ch) - ord("A") + 1
    return index - 1


def _cell_ref(a1_ref: str) -> tuple[int, int]:
    """``"B2"`` -> (1, 1): a test helper's cell reference as zero-based row and column."""
    m = re.fullmatch(r"([A-Za-z]{1,3})([1-9]\d*)", a1_ref)
    if not m:
        raise ValueError(f"not a cell reference: {a1_ref!r}")
    return int(m[2]) - 1, _column_index(m[1])


def quote_title(title: str) -> str:
    """A sheet title as Google writes it in a returned range: quoted only when it has to be."""
    plain = re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", title) and not re.fullmatch(r"[A-Za-z]{1,3}\d+", title)
    return title if plain else "'" + title.replace("'", "''") + "'"


def a1(ws: _Worksheet, r0: int, c0: int, r1: int, c1: int) -> str:
    start = f"{_column_letters(c0)}{r0 + 1}"
    end = f"{_column_letters(c1)}{r1 + 1}"
    return f"{quote_title(ws.title)}!{start}" + ("" if start == end else f":{end}")


class _ApiError(Exception):
    """An answer other than 200, raised anywhere in a handler and turned into Google's error body."""

    def __init__(
        self,
        code: int,
        message: str,
        *,
        details: list[dict[str, Any]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details
        self.headers = dict(headers or {})


@dataclass(frozen=True)
class _Range:
    ws: _Worksheet
    r0: int
    c0: int
    r1: int
    c1: int

    @property
    def a1(self) -> str:
        return a1(self.ws, self.r0, self.c0, self.r1, self.c1)


_A1_REF = re.compile(r"([A-Z]{0,3})(\d*)(?::([A-Z]{0,3})(\d*))?")


def _split_range(text: str) -> tuple[str | None, str | None]:
    """``'It''s'!A1:B2`` -> ("It's", "A1:B2"); ``program`` -> ("program", None); ``A1:B2`` -> (None, "A1:B2")."""
    if text.startswith("'"):
        i, title = 1, ""
        while i < len(text):
            if text[i] == "'":
                if text[i + 1 : i + 2] == "'":
                    title += "'"
                    i += 2
                    continue
                rest = text[i + 1 :]
                if rest == "":
                    return title, None
                if rest.startswith("!") and len(rest) > 1:
                    return title, rest[1:]
                raise ValueError(text)
            title += text[i]
            i += 1
        raise ValueError(text)
    if "!" in text:
        title, ref = text.rsplit("!", 1)
        return title, ref
    return text, None


def parse_range(book: _Spreadsheet, text: str) -> _Range:
    """A range in A1 notation, clamped to the sheet's grid; 400 "Unable to parse range" as Google answers."""
    unparsable = _ApiError(400, f"Unable to parse range: {text}")
    try:
        title, ref = _split_range(text.strip())
    except ValueError:
        raise unparsable from None
    ws = book.worksheet(title) if title is not None else None
    if ref is None and ws is None and title is not None and _A1_REF.fullmatch(title.upper()):
        # A bare "A1:B2" names cells on the first sheet, unless a sheet has that very title.
        ws, ref = book.worksheets[0] if book.worksheets else None, title
    if ws is None:
        raise unparsable
    if ref is None:
        return _Range(ws, 0, 0, ws.row_count - 1, ws.column_count - 1)
    m = _A1_REF.fullmatch(ref.upper())
    if not m or not (m[1] or m[2]):
        raise unparsable
    if m[3] is None:  # one cell
        if not (m[1] and m[2]) or int(m[2]) == 0:
            raise unparsable
        r0 = r1 = int(m[2]) - 1
        c0 = c1 = _column_index(m[1])
    else:
        if not (m[3] or m[4]) or "0" in (m[2], m[4]) or (bool(m[1]) != bool(m[3]) and not (m[2] and m[4])):
            raise unparsable
        r0 = int(m[2]) - 1 if m[2] else 0
        c0 = _column_index(m[1]) if m[1] else 0
        r1 = int(m[4]) - 1 if m[4] else ws.row_count - 1
        c1 = _column_index(m[3]) if m[3] else ws.column_count - 1
        r0, r1 = sorted((r0, r1))
        c0, c1 = sorted((c0, c1))
    if r1 >= ws.row_count or c1 >= ws.column_count:
        raise _ApiError(
            400,
            f"Range ({quote_title(ws.title)}!{ref}) exceeds grid limits. "
            f"Max rows: {ws.row_count}, max columns: {ws.column_count}",
        )
    return _Range(ws, r0, c0, r1, c1)


def _trimmed(lines: list[list[object]]) -> list[list[object]]:
    """Drop trailing empty cells of each line, then trailing empty lines, as Google does."""
    out = []
    for line in lines:
        end = len(line)
        while end and line[end - 1] == "":
            end -= 1
        out.append(line[:end])
    while out and not out[-1]:
        out.pop()
    return out


def range_values(
    rng: _Range, locale: str, *, render_option: str = "FORMATTED_VALUE", serial_dates: bool = True, rows: bool = True
) -> list[list[object]]:
    used_rows, used_cols = rng.ws.used()
    last_row, last_col = min(rng.r1, used_rows - 1), min(rng.c1, used_cols - 1)

    def value(r: int, c: int) -> object:
        cell = rng.ws.cells.get((r, c), EMPTY)
        if cell.empty:
            return ""
        if cell.kind == "formula" and render_option == "FORMULA":
            return cell.value
        if render_option == "FORMATTED_VALUE":
            return render(cell, locale)
        if cell.kind == "formula":
            raise NotImplementedError(f"the emulator keeps formulas but does not evaluate them: {cell.value}")
        return unformatted(cell, locale, serial_dates)

    row_indexes, col_indexes = range(rng.r0, last_row + 1), range(rng.c0, last_col + 1)
    if rows:
        return _trimmed([[value(r, c) for c in col_indexes] for r in row_indexes])
    return _trimmed([[value(r, c) for r in row_indexes] for c in col_indexes])


def csv_text(ws: _Worksheet, locale: str) -> str:
    """The gviz CSV of a worksheet: formatted values, every field quoted, a rectangle over the used cells."""
    used_rows, used_cols = ws.used()
    lines = []
    for r in range(used_rows):
        fields = [render(ws.cells.get((r, c), EMPTY), locale) for c in range(used_cols)]
        lines.append(",".join('"' + f.replace('"', '""') + '"' for f in fields))
    return "\n".join(lines)


def _stringified(value: object) -> str:
    """An appended JSON value as text: what appended() reports, independent of the sheet's locale."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --- partial responses: the ``fields`` parameter ------------------------------------------------------

# A parsed field mask: each selected member maps to the mask for its own members, or to None when it is
# selected whole. "*" stands for every member at its level.
FieldMask: TypeAlias = dict[str, "FieldMask | None"]

_FIELD_NAME = re.compile(r"\*|[A-Za-z_][A-Za-z0-9_]*")


def _camel(name: str) -> str:
    """Google takes field names in camelCase or separated_by_underscores; its JSON uses camelCase."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _merge_masks(a: FieldMask | None, b: FieldMask | None) -> FieldMask | None:
    if a is None or b is None:
        return None  # a member selected whole stays whole, whatever else names some of its parts
    merged = dict(a)
    for name, sub in b.items():
        merged[name] = _merge_masks(merged[name], sub) if name in merged else sub
    return merged


def parse_fields(text: str) -> FieldMask:
    """A ``fields`` mask as Google reads it, e.g. ``sheets(properties(sheetId,title),data/rowData/values/note)``.

    Members of a path are separated by ``/`` or ``.`` (both occur: Google's guide writes
    ``sheets.properties(sheetId,title)``, gspread sends ``sheets/data/rowData/values/note`` and
    ``gridProperties/rowCount``); ``a(b,c)`` selects several members of ``a``; groups nest; ``*`` selects
    every member at its level; paths naming the same member merge. ValueError for a mask that does not parse.
    """
    compact = re.sub(r"\s+", "", text)
    pos = 0

    def fail(expected: str) -> ValueError:
        return ValueError(f"invalid field mask {text!r}: expected {expected} at {compact[pos:]!r}")

    def peek() -> str:
        return compact[pos : pos + 1]

    def name() -> str:
        nonlocal pos
        m = _FIELD_NAME.match(compact, pos)
        if not m:
            raise fail("a field name")
        pos = m.end()
        return m[0] if m[0] == "*" else _camel(m[0])

    def selection() -> FieldMask:
        nonlocal pos
        mask: FieldMask = {}
        while True:
            path = [name()]
            while peek() in ("/", "."):
                pos += 1
                path.append(name())
            item: FieldMask | None = None
            if peek() == "(":
                pos += 1
                item = selection()
                if peek() != ")":
                    raise fail("',' or ')'")
                pos += 1
            for member in reversed(path):
                item = {member: item}
            mask = _merge_masks(mask, item) or {}
            if peek() != ",":
                return mask
            pos += 1

    mask = selection()
    if pos != len(compact):
        raise fail("',' or the end of the mask")
    return mask


def _member_mask(mask: FieldMask, name: str) -> tuple[bool, FieldMask | None]:
    """Whether ``mask`` selects member ``name``, and the mask for that member's own members."""
    if name in mask and "*" in mask:
        return True, _merge_masks(mask[name], mask["*"])
    if name in mask:
        return True, mask[name]
    if "*" in mask:
        return True, mask["*"]
    return False, None


def apply_fields(value: Any, mask: FieldMask | None) -> Any:
    """What a partial response keeps of ``value`` under ``mask``.

    A list is filtered element by element and keeps its length, so an element left with nothing comes
    back as ``{}`` and the others keep their positions (a cell without a note between two noted cells);
    an object member left with nothing is dropped, as proto3 JSON leaves out unset fields. Names the mask
    gives that ``value`` lacks select nothing (Google would refuse an unknown name; the emulator ignores it).
    """
    if mask is None:
        return value
    if isinstance(value, list):
        return [apply_fields(item, mask) for item in value]
    if not isinstance(value, dict):
        return value  # nothing to select inside a scalar
    kept: dict[str, Any] = {}
    for name, member in value.items():
        selected, sub = _member_mask(mask, name)
        if not selected:
            continue
        member = apply_fields(member, sub)
        if sub is not None and (member == {} or member == []):
            continue
        kept[name] = member
    return kept


def selects(mask: FieldMask | None, path: Sequence[str]) -> bool:
    """Whether ``mask`` selects anything at ``path``, e.g. ``("sheets", "data")`` for grid data."""
    node = mask
    for name in path:
        if node is None:
            return True
        selected, node = _member_mask(node, name)
        if not selected:
            return False
    return True


def _mask_paths(mask: FieldMask, prefix: str = "") -> list[str]:
    """An update mask as dotted paths: ``gridProperties(rowCount,columnCount)`` -> two paths."""
    paths = []
    for name, sub in mask.items():
        if sub is None:
            paths.append(prefix + name)
        else:
            paths.extend(_mask_paths(sub, f"{prefix}{name}."))
    return paths


# --- grid data: spreadsheets.get with includeGridData ----------------------------------------------------


@dataclass(frozen=True)
class _Unevaluated:
    """Stands for a formula's computed value until the field mask has had its say: an answer that still
    holds one would need the emulator to evaluate the formula, which it never fakes."""

    formula: str


def extended_value(cell: Cell, locale: str) -> dict[str, Any]:
    """A stored cell as Google's ExtendedValue: text as stringValue, TRUE/FALSE as boolValue, a formula's
    text as formulaValue, and numbers, percents, amounts and dates (as serial numbers) as numberValue."""
    if cell.kind == "text":
        return {"stringValue": str(cell.value)}
    if cell.kind == "bool":
        return {"boolValue": bool(cell.value)}
    if cell.kind == "formula":
        return {"formulaValue": str(cell.value)}
    return {"numberValue": unformatted(cell, locale, serial_dates=True)}


def cell_data(ws: _Worksheet, row: int, col: int, locale: str) -> dict[str, Any]:
    """One cell as Google's CellData; ``{}`` for a cell with neither a value nor a note."""
    data: dict[str, Any] = {}
    cell = ws.cells.get((row, col), EMPTY)
    if not cell.empty:
        entered = extended_value(cell, locale)
        data["userEnteredValue"] = entered
        if cell.kind == "formula":
            data["effectiveValue"] = data["formattedValue"] = _Unevaluated(str(cell.value))
        else:
            data["effectiveValue"] = entered
            data["formattedValue"] = render(cell, locale)
    if note := ws.notes.get((row, col)):
        data["note"] = note
    return data


def grid_data(rng: _Range, locale: str) -> dict[str, Any]:
    """The GridData of a range: rows from its first row, cells from its first column (both left out when 0,
    as proto3 JSON leaves out zeros), and the size of each row and column of the range."""
    extent_rows, extent_cols = rng.ws.extent()
    rows = range(rng.r0, min(rng.r1, extent_rows - 1) + 1)
    cols = range(rng.c0, min(rng.c1, extent_cols - 1) + 1)
    grid: dict[str, Any] = {}
    if rng.r0:
        grid["startRow"] = rng.r0
    if rng.c0:
        grid["startColumn"] = rng.c0
    grid["rowData"] = [{"values": [cell_data(rng.ws, r, c, locale) for c in cols]} for r in rows]
    grid["rowMetadata"] = [{"pixelSize": DEFAULT_ROW_PIXELS} for _ in range(rng.r0, rng.r1 + 1)]
    grid["columnMetadata"] = [{"pixelSize": DEFAULT_COLUMN_PIXELS} for _ in range(rng.c0, rng.c1 + 1)]
    return grid


def _trim_grids(spreadsheet: dict[str, Any]) -> None:
    """Drop trailing empty cells and rows of every GridData, as Google does. Run after the field mask, as
    emptiness is judged on what is left: under a mask of notes only, a row ends at its last note."""
    for sheet in spreadsheet.get("sheets", []):
        for grid in sheet.get("data", []):
            rows = grid.get("rowData")
            if rows is None:
                continue
            for row in rows:
                values = row.get("values")
                if values is None:
                    continue
                while values and values[-1] == {}:
                    values.pop()
                if not values:
                    del row["values"]
            while rows and rows[-1] == {}:
                rows.pop()
            if not rows:
                del grid["rowData"]


def _require_evaluated(value: Any) -> None:
    if isinstance(value, _Unevaluated):
        raise NotImplementedError(f"the emulator keeps formulas but does not evaluate them: {value.formula}")
    if isinstance(value, dict):
        for member in value.values():
            _require_evaluated(member)
    elif isinstance(value, list):
        for item in value:
            _require_evaluated(item)


def sheet_properties(ws: _Worksheet, index: int) -> dict[str, Any]:
    """A worksheet's SheetProperties, as metadata and an addSheet reply give them."""
    properties: dict[str, Any] = {
        "sheetId": ws.sheet_id,
        "title": ws.title,
        "index": index,
        "sheetType": "GRID",
        "gridProperties": {"rowCount": ws.row_count, "columnCount": ws.column_count},
    }
    if ws.hidden:
        properties["hidden"] = True
    return properties


def _stable_sheet_id(key: str, title: str) -> int:
    # Google gives a new sheet a large id that never changes; derived from the title, a test's ids repeat.
    return zlib.crc32(f"{key}/{title}".encode()) & 0x7FFFFFFF


# --- spreadsheets.batchUpdate ---------------------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Every kind of request of the Sheets API v4 (the Request message's "kind"); the emulator applies three
# and refuses the others by name, so that no test passes on a request that was silently ignored.
REQUEST_KINDS = _words(
    """updateSpreadsheetProperties updateSheetProperties updateDimensionProperties updateNamedRange repeatCell
    addNamedRange deleteNamedRange addSheet deleteSheet autoFill cutPaste copyPaste mergeCells unmergeCells
    updateBorders updateCells addFilterView appendCells clearBasicFilter deleteDimension deleteEmbeddedObject
    deleteFilterView duplicateFilterView duplicateSheet findReplace insertDimension insertRange moveDimension
    updateEmbeddedObjectPosition pasteData textToColumns updateFilterView deleteRange appendDimension
    addConditionalFormatRule updateConditionalFormatRule deleteConditionalFormatRule sortRange setDataValidation
    setBasicFilter addProtectedRange updateProtectedRange deleteProtectedRange autoResizeDimensions addChart
    updateChartSpec updateBanding addBanding deleteBanding createDeveloperMetadata updateDeveloperMetadata
    deleteDeveloperMetadata randomizeRange addDimensionGroup deleteDimensionGroup updateDimensionGroup
    trimWhitespace deleteDuplicates updateEmbeddedObjectBorder addSlicer updateSlicerSpec addDataSource
    updateDataSource deleteDataSource refreshDataSource cancelDataSourceRefresh addTable updateTable
    deleteTable"""
)
SUPPORTED_REQUESTS = ("updateCells", "addSheet", "updateSheetProperties")
BATCH_UPDATE_FIELDS = frozenset(
    {"requests", "includeSpreadsheetInResponse", "responseRanges", "responseIncludeGridData"}
)
CELL_DATA_FIELDS = _words(
    """userEnteredValue effectiveValue formattedValue userEnteredFormat effectiveFormat hyperlink note
    textFormatRuns dataValidation pivotTable dataSourceTable dataSourceFormula chipRuns"""
)
EXTENDED_VALUE_FIELDS = frozenset({"numberValue", "stringValue", "boolValue", "formulaValue", "errorValue"})
SHEET_PROPERTIES_FIELDS = _words(
    """sheetId title index sheetType gridProperties hidden tabColor tabColorStyle rightToLeft
    dataSourceSheetProperties"""
)
GRID_PROPERTIES_FIELDS = _words(
    """rowCount columnCount frozenRowCount frozenColumnCount hideGridlines rowGroupControlAfter
    columnGroupControlAfter"""
)
GRID_RANGE_FIELDS = frozenset({"sheetId", "startRowIndex", "endRowIndex", "startColumnIndex", "endColumnIndex"})
GRID_COORDINATE_FIELDS = frozenset({"sheetId", "rowIndex", "columnIndex"})
# The parts of a cell the emulator models, which is what updateCells' fields may name here.
CELL_FIELDS_MODELLED = ("note", "userEnteredValue")
# The sheet properties the emulator models, as paths of updateSheetProperties' fields.
SHEET_FIELDS_MODELLED = ("title", "index", "hidden", "gridProperties.rowCount", "gridProperties.columnCount")


def _snake(name: str) -> str:
    # Google's JSON parse errors name a location by its proto field names: requests[0].update_cells.rows[0]
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


def _bad_value(location: str, kind: str, value: Any) -> _ApiError:
    return _ApiError(400, f"Invalid value at '{location}' ({kind}), {json.dumps(value, ensure_ascii=False)}")


def _message(value: Any, allowed: frozenset[str], location: str, type_name: str) -> dict[str, Any]:
    """``value`` as a JSON object of known members, or the 400 Google's JSON parser gives."""
    if not isinstance(value, dict):
        raise _bad_value(location, f"type.googleapis.com/google.apps.sheets.v4.{type_name}", value)
    for name in value:
        if name not in allowed:
            at = f" at '{location}'" if location else ""
            raise _ApiError(400, f'Invalid JSON payload received. Unknown name "{name}"{at}: Cannot find field.')
    return value


def _int(value: Any, location: str) -> int:
    # proto3 JSON takes an int32 as a number or as a string of digits
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value):
        return int(value)
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        return int(value)
    raise _bad_value(location, "TYPE_INT32", value)


def _str(value: Any, location: str) -> str:
    if not isinstance(value, str):
        raise _bad_value(location, "TYPE_STRING", value)
    return value


def _bool(value: Any, location: str) -> bool:
    if not isinstance(value, bool):
        raise _bad_value(location, "TYPE_BOOL", value)
    return value


def _list(value: Any, location: str) -> list[Any]:
    if not isinstance(value, list):
        raise _bad_value(location, "TYPE_MESSAGE", value)
    return value


def stored_cell(value: Mapping[str, Any] | None, old: Cell = EMPTY) -> Cell:
    """What Google stores for an ``updateCells`` ``userEnteredValue`` (a checked ExtendedValue).

    A ``stringValue`` is literal text: never parsed, never a formula, even when it starts with ``=``
    (``formulaValue`` is how a formula is written). A ``numberValue`` keeps the number format the cell
    had, since ``fields: userEnteredValue`` leaves the cell's format alone. None or ``{}`` clears the value.
    """
    if not value:
        return EMPTY
    ((kind, entered),) = value.items()
    if kind == "stringValue":
        return Cell(entered)
    if kind == "boolValue":
        return Cell(entered, "bool")
    if kind == "formulaValue":
        return Cell(entered, "formula")
    number: int | float = entered
    if old.kind in ("number", "grouped", "percent", "currency"):
        return Cell(number, old.kind, old.decimals)
    if old.kind in ("date", "datetime"):
        moment = datetime.combine(SERIAL_EPOCH, datetime.min.time()) + timedelta(days=number)
        whole_day = float(number).is_integer()
        return Cell(moment.date(), "date") if old.kind == "date" and whole_day else Cell(moment, "datetime")
    return Cell(number, "number")


class _Batch:
    """One batchUpdate: its requests are checked and applied in order to copies of the worksheets, so a
    later request sees what an earlier one did (a sheet added, then written to). The caller puts the copies
    in place only once every request has passed: Google applies a batch whole or not at all."""

    def __init__(self, book: _Spreadsheet) -> None:
        self.book = book
        self.sheets = [ws.copy() for ws in book.worksheets]

    def run(self, requests: list[Any]) -> list[dict[str, Any]]:
        return [self.apply(i, request) for i, request in enumerate(requests)]

    def apply(self, i: int, request: Any) -> dict[str, Any]:
        location = f"requests[{i}]"
        request = _message(request, REQUEST_KINDS, location, "Request")
        if not request:
            raise _ApiError(400, f"Invalid {location}: the request sets no kind of request.")
        if len(request) > 1:
            raise _ApiError(
                400,
                f"Invalid JSON payload received. Oneof field 'kind' is already set. Cannot set '{list(request)[1]}'",
            )
        ((kind, spec),) = request.items()
        where, path = f"{location}.{kind}", f"{location}.{_snake(kind)}"
        if kind == "updateCells":
            return self.update_cells(where, path, spec)
        if kind == "addSheet":
            return self.add_sheet(where, path, spec)
        if kind == "updateSheetProperties":
            return self.update_sheet_properties(where, path, spec)
        raise _ApiError(
            400,
            f"Invalid {where}: the Sheets emulator does not implement {kind} requests "
            f"(it applies {', '.join(SUPPORTED_REQUESTS)}); extend tests/sheets_emulator.py before relying on one.",
        )

    # --- shared checks

    def sheet(self, sheet_id: int, where: str) -> _Worksheet:
        for ws in self.sheets:
            if ws.sheet_id == sheet_id:
                return ws
        raise _ApiError(400, f"Invalid {where}: No grid with id: {sheet_id}")

    @staticmethod
    def in_grid(ws: _Worksheet, row: int, col: int, where: str) -> None:
        for name, index in (("rowIndex", row), ("columnIndex", col)):
            if index < 0:
                raise _ApiError(400, f"Invalid {where}: GridCoordinate.{name}[{index}] must not be negative")
        if row >= ws.row_count:
            raise _ApiError(
                400, f"Invalid {where}: GridCoordinate.rowIndex[{row}] is after last row in grid[{ws.row_count - 1}]"
            )
        if col >= ws.column_count:
            raise _ApiError(
                400,
                f"Invalid {where}: GridCoordinate.columnIndex[{col}] is after last column in grid"
                f"[{ws.column_count - 1}]",
            )

    def check_title(self, title: str, where: str, renamed: _Worksheet | None = None) -> None:
        if not title.strip():
            raise _ApiError(400, f"Invalid {where}: a sheet's title must not be empty")
        # Sheet names are unique regardless of case in Google Sheets: "Status" and "status" clash.
        if any(ws is not renamed and ws.title.casefold() == title.casefold() for ws in self.sheets):
            raise _ApiError(
                400, f'Invalid {where}: A sheet with the name "{title}" already exists. Please enter another name.'
            )

    def check_cell_limit(self, where: str) -> None:
        if sum(ws.row_count * ws.column_count for ws in self.sheets) > MAX_CELLS:
            raise _ApiError(
                400,
                f"Invalid {where}: This action would increase the number of cells in the workbook above the limit "
                f"of {MAX_CELLS} cells.",
            )

    @staticmethod
    def grid_size(grid: Mapping[str, Any], path: str, where: str, default: tuple[int, int]) -> tuple[int, int]:
        sizes = []
        for name, fallback in zip(("rowCount", "columnCount"), default, strict=True):
            # proto3 cannot tell 0 from unset, so 0 means "the default" as an absent member does
            size = _int(grid.get(name, 0), f"{path}.{_snake(name)}") or fallback
            if size < 0:
                raise _ApiError(400, f"Invalid {where}: gridProperties.{name} must not be negative")
            sizes.append(size)
        return sizes[0], sizes[1]

    # --- updateCells

    def update_cells(self, where: str, path: str, spec: Any) -> dict[str, Any]:
        spec = _message(spec, frozenset({"rows", "fields", "start", "range"}), path, "UpdateCellsRequest")
        if "start" in spec and "range" in spec:
            raise _ApiError(400, "Invalid JSON payload received. Oneof field 'area' is already set. Cannot set 'range'")
        fields_text = _str(spec.get("fields", ""), f"{path}.fields")
        if not fields_text:
            raise _ApiError(400, f"Invalid {where}: At least one field must be specified.")
        fields = self.cell_fields(fields_text, where)
        rows = self.rows(spec.get("rows", []), f"{path}.rows")
        if "start" in spec:
            start = _message(spec["start"], GRID_COORDINATE_FIELDS, f"{path}.start", "GridCoordinate")
            ws = self.sheet(_int(start.get("sheetId", 0), f"{path}.start.sheet_id"), where)
            row0 = _int(start.get("rowIndex", 0), f"{path}.start.row_index")
            col0 = _int(start.get("columnIndex", 0), f"{path}.start.column_index")
            self.in_grid(ws, row0, col0, where)
            # Unlike values.append, which widens the grid, updateCells refuses to write outside it.
            for i, row in enumerate(rows):
                for j in range(len(row)):
                    self.in_grid(ws, row0 + i, col0 + j, where)
            for i, row in enumerate(rows):
                for j, data in enumerate(row):
                    self.write(ws, row0 + i, col0 + j, data, fields)
        elif "range" in spec:
            self.update_range(where, path, spec["range"], rows, fields)
        else:
            raise _ApiError(400, f"Invalid {where}: one of start or range must be set")
        return {}

    def update_range(
        self, where: str, path: str, grid_range: Any, rows: list[list[dict[str, Any]]], fields: frozenset[str]
    ) -> None:
        """Write ``rows`` into a GridRange; every cell of the range they leave out is cleared for ``fields``
        (Google: "If the data in rows does not cover the entire requested range, the fields matching those
        set in fields will be cleared"). A missing end means the range runs to the end of the grid."""
        grid_range = _message(grid_range, GRID_RANGE_FIELDS, f"{path}.range", "GridRange")
        ws = self.sheet(_int(grid_range.get("sheetId", 0), f"{path}.range.sheet_id"), where)
        bounds = {
            name: _int(grid_range[name], f"{path}.range.{_snake(name)}") if name in grid_range else default
            for name, default in (
                ("startRowIndex", 0),
                ("endRowIndex", ws.row_count),
                ("startColumnIndex", 0),
                ("endColumnIndex", ws.column_count),
            )
        }
        r0, r1 = bounds["startRowIndex"], bounds["endRowIndex"]
        c0, c1 = bounds["startColumnIndex"], bounds["endColumnIndex"]
        if r0 > r1 or c0 > c1:
            raise _ApiError(400, f"Invalid {where}: a GridRange's start index must not be after its end index")
        self.in_grid(ws, r0, c0, where)
        self.in_grid(ws, r1 - 1, c1 - 1, where)
        if len(rows) > r1 - r0 or any(len(row) > c1 - c0 for row in rows):
            # What Google does with such cells is not documented; the emulator will not guess.
            raise _ApiError(400, f"Invalid {where}: rows hold cells outside range (refused by the emulator)")
        for r in range(r0, r1):
            row = rows[r - r0] if r - r0 < len(rows) else []
            for c in range(c0, c1):
                self.write(ws, r, c, row[c - c0] if c - c0 < len(row) else None, fields)

    @staticmethod
    def cell_fields(text: str, where: str) -> frozenset[str]:
        try:
            mask = parse_fields(text)
        except ValueError:
            raise _ApiError(400, f"Invalid {where}: fields is not a field mask: {text}") from None
        if "*" in mask:  # "every field"; of those, the emulator models a cell's note and value
            return frozenset(CELL_FIELDS_MODELLED)
        for name, sub in mask.items():
            if name not in CELL_DATA_FIELDS:
                raise _ApiError(400, f"Invalid {where}: CellData has no field {name!r} (fields: {text})")
            if name not in CELL_FIELDS_MODELLED or sub is not None:
                raise _ApiError(
                    400,
                    f"Invalid {where}: the Sheets emulator models only a cell's note and userEnteredValue, "
                    f"not fields {text!r}",
                )
        return frozenset(mask)

    def rows(self, rows: Any, path: str) -> list[list[dict[str, Any]]]:
        checked = []
        for i, row in enumerate(_list(rows, path)):
            row = _message(row, frozenset({"values"}), f"{path}[{i}]", "RowData")
            cells = []
            for j, data in enumerate(_list(row.get("values", []), f"{path}[{i}].values")):
                location = f"{path}[{i}].values[{j}]"
                data = _message(data, CELL_DATA_FIELDS, location, "CellData")
                if "note" in data:
                    _str(data["note"], f"{location}.note")
                if "userEnteredValue" in data:
                    self.entered(data["userEnteredValue"], f"{location}.user_entered_value")
                cells.append(data)
            checked.append(cells)
        return checked

    @staticmethod
    def entered(value: Any, path: str) -> None:
        value = _message(value, EXTENDED_VALUE_FIELDS, path, "ExtendedValue")
        if len(value) > 1:
            raise _ApiError(
                400, f"Invalid JSON payload received. Oneof field 'value' is already set. Cannot set '{list(value)[1]}'"
            )
        for kind, entered in value.items():
            location = f"{path}.{_snake(kind)}"
            if kind == "errorValue":
                raise _ApiError(400, f"Invalid value at '{location}': an errorValue cannot be entered")
            if kind == "boolValue":
                _bool(entered, location)
            elif kind == "numberValue":
                if isinstance(entered, bool) or not isinstance(entered, int | float):
                    raise _bad_value(location, "TYPE_DOUBLE", entered)
            else:
                _str(entered, location)

    @staticmethod
    def write(ws: _Worksheet, row: int, col: int, data: Mapping[str, Any] | None, fields: frozenset[str]) -> None:
        """Set the named fields of one cell: a field named but absent from ``data`` is cleared, a field not
        named is left alone whatever ``data`` holds (so ``fields: note`` never touches a value)."""
        data = data or {}
        if "note" in fields:
            ws.set_note(row, col, data.get("note", ""))
        if "userEnteredValue" in fields:
            ws.put(row, col, stored_cell(data.get("userEnteredValue"), ws.cells.get((row, col), EMPTY)))

    # --- addSheet

    def add_sheet(self, where: str, path: str, spec: Any) -> dict[str, Any]:
        spec = _message(spec, frozenset({"properties"}), path, "AddSheetRequest")
        props = self.properties(spec.get("properties", {}), f"{path}.properties", where)
        grid = props.get("gridProperties", {})
        title = _str(props.get("title", ""), f"{path}.properties.title") or self.default_title()
        self.check_title(title, where)
        if "sheetId" in props:
            sheet_id = _int(props["sheetId"], f"{path}.properties.sheet_id")
            if sheet_id < 0:
                raise _ApiError(400, f"Invalid {where}: sheetId must be non-negative")
            if any(ws.sheet_id == sheet_id for ws in self.sheets):
                raise _ApiError(400, f"Invalid {where}: A sheet with the id {sheet_id} already exists.")
        else:
            sheet_id = _stable_sheet_id(self.book.key, title)
            while any(ws.sheet_id == sheet_id for ws in self.sheets):
                sheet_id = (sheet_id * 31 + 7) & 0x7FFFFFFF
        # Without an index the sheet goes last, as Google documents for SheetProperties.index.
        index = _int(props["index"], f"{path}.properties.index") if "index" in props else len(self.sheets)
        if not 0 <= index <= len(self.sheets):
            raise _ApiError(400, f"Invalid {where}: index {index} is outside 0..{len(self.sheets)}")
        rows, cols = self.grid_size(grid, f"{path}.properties.grid_properties", where, (DEFAULT_ROWS, DEFAULT_COLUMNS))
        hidden = _bool(props.get("hidden", False), f"{path}.properties.hidden")
        ws = _Worksheet(title, sheet_id, row_count=rows, column_count=cols, hidden=hidden)
        self.sheets.insert(index, ws)
        self.check_cell_limit(where)
        return {"addSheet": {"properties": sheet_properties(ws, index)}}

    def default_title(self) -> str:
        n = len(self.sheets) + 1
        while any(ws.title.casefold() == f"sheet{n}" for ws in self.sheets):
            n += 1
        return f"Sheet{n}"

    @staticmethod
    def properties(props: Any, path: str, where: str) -> dict[str, Any]:
        """SheetProperties as sent, refusing any property the emulator does not model (a tab colour, frozen
        rows, ...) rather than dropping it, so a test never passes on a property that had no effect."""
        props = _message(props, SHEET_PROPERTIES_FIELDS, path, "SheetProperties")
        grid = _message(
            props.get("gridProperties", {}), GRID_PROPERTIES_FIELDS, f"{path}.grid_properties", "GridProperties"
        )
        unmodelled = [
            name for name in props if name not in ("sheetId", "title", "index", "sheetType", "gridProperties", "hidden")
        ]
        unmodelled += [f"gridProperties.{name}" for name in grid if name not in ("rowCount", "columnCount")]
        if unmodelled:
            raise _ApiError(400, f"Invalid {where}: the Sheets emulator does not model {', '.join(unmodelled)}")
        if props.get("sheetType", "GRID") != "GRID":
            raise _ApiError(400, f"Invalid {where}: the Sheets emulator models only GRID sheets")
        return props

    # --- updateSheetProperties

    def update_sheet_properties(self, where: str, path: str, spec: Any) -> dict[str, Any]:
        spec = _message(spec, frozenset({"properties", "fields"}), path, "UpdateSheetPropertiesRequest")
        fields_text = _str(spec.get("fields", ""), f"{path}.fields")
        if not fields_text:
            raise _ApiError(400, f"Invalid {where}: At least one field must be specified.")
        props = self.properties(spec.get("properties", {}), f"{path}.properties", where)
        grid = props.get("gridProperties", {})
        ws = self.sheet(_int(props.get("sheetId", 0), f"{path}.properties.sheet_id"), where)
        paths = self.property_paths(fields_text, where)
        # A field named in the mask but absent from properties is reset, as Google's update masks do.
        if "title" in paths:
            title = _str(props.get("title", ""), f"{path}.properties.title")
            self.check_title(title, where, renamed=ws)
            ws.title = title
        if "hidden" in paths:
            ws.hidden = _bool(props.get("hidden", False), f"{path}.properties.hidden")
            if all(sheet.hidden for sheet in self.sheets):
                raise _ApiError(400, f"Invalid {where}: You can't hide all the sheets in a document.")
        rows, cols = ws.row_count, ws.column_count
        new_rows, new_cols = self.grid_size(grid, f"{path}.properties.grid_properties", where, (0, 0))
        if "gridProperties.rowCount" in paths:
            rows = new_rows
        if "gridProperties.columnCount" in paths:
            cols = new_cols
        if rows < 1 or cols < 1:
            raise _ApiError(400, f"Invalid {where}: a grid needs at least one row and one column")
        ws.resize(rows, cols)
        if "index" in paths:
            self.move(ws, _int(props["index"], f"{path}.properties.index") if "index" in props else None, where)
        self.check_cell_limit(where)
        return {}

    @staticmethod
    def property_paths(text: str, where: str) -> frozenset[str]:
        try:
            mask = parse_fields(text)
        except ValueError:
            raise _ApiError(400, f"Invalid {where}: fields is not a field mask: {text}") from None
        if "*" in mask:
            return frozenset(SHEET_FIELDS_MODELLED)
        paths = set()
        for dotted in _mask_paths(mask):
            if dotted == "gridProperties":  # the whole of it: the emulator's grid is its two sizes
                paths.update(("gridProperties.rowCount", "gridProperties.columnCount"))
                continue
            head, _, rest = dotted.partition(".")
            known = head in SHEET_PROPERTIES_FIELDS and (
                not rest or (head == "gridProperties" and rest in GRID_PROPERTIES_FIELDS)
            )
            if not known:
                raise _ApiError(400, f"Invalid {where}: SheetProperties has no field {dotted!r} (fields: {text})")
            if dotted not in SHEET_FIELDS_MODELLED:
                raise _ApiError(400, f"Invalid {where}: the Sheets emulator does not model {dotted}")
            paths.add(dotted)
        return frozenset(paths)

    def move(self, ws: _Worksheet, index: int | None, where: str) -> None:
        """Move a sheet to ``index`` counted before the move, as Google documents: of S1, S2, S3, moving S1
        ahead of S2 takes index 2. Without an index the sheet goes last."""
        count = len(self.sheets)
        target = count if index is None else index
        if not 0 <= target <= count:
            raise _ApiError(400, f"Invalid {where}: index {target} is outside 0..{count}")
        old = self.sheets.index(ws)
        self.sheets.remove(ws)
        self.sheets.insert(target if target <= old else target - 1, ws)


# --- HTTP -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str  # percent-decoded, without the query
    query: dict[str, list[str]]  # every parameter, repeated ones (ranges=) in order
    status: int  # 0 when the connection was dropped without an answer
    response_bytes: int  # size of the response body
    account: str | None  # the service account the bearer token (or a /token assertion) belongs to
    at: float  # time.monotonic() when the request arrived
    raw_path: str = ""  # path and query exactly as sent
    body: bytes = b""


@dataclass
class _Fault:
    kind: Literal["fail", "drop", "slow", "drop_after"]
    times: int
    match: str
    status: int = 0
    retry_after: float | None = None
    seconds: float = 0.0


@dataclass
class _Response:
    status: int
    body: bytes = b""
    content_type: str = "application/json; charset=UTF-8"
    headers: dict[str, str] = field(default_factory=dict)
    account: str | None = None


@dataclass(frozen=True)
class _Token:
    email: str
    scopes: frozenset[str]
    expires_at: float


def _json_response(status: int, payload: object, account: str | None = None) -> _Response:
    # Google pretty-prints JSON (prettyPrint defaults to true)
    return _Response(status, json.dumps(payload, indent=2, ensure_ascii=False).encode(), account=account)


def _error_payload(code: int, message: str, details: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message, "status": STATUS_NAMES.get(code, "UNKNOWN")}
    if details:
        error["details"] = details
    return {"error": error}


def _html_page(title: str, text: str) -> bytes:
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>'
        f"<body><p>{text}</p></body></html>"
    ).encode()


LOGIN_PAGE = (
    b'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Google Sheets - Sign in</title></head>'
    b'<body><form method="post" action="/signin/v1/lookup"><h1>Sign in</h1><p>to continue to Sheets</p>'
    b'<input type="email" name="identifier" aria-label="Email or phone"><button>Next</button></form></body></html>'
)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as requests' sessions expect from Google
    server_version = "ESF"
    sys_version = ""
    timeout = 30  # an idle keep-alive connection does not hold its thread forever
    # Headers and body go out in two writes; with Nagle's algorithm on, the body then waits for the
    # client's delayed ACK, about 40 ms per request on loopback.
    disable_nagle_algorithm = True
    server: _Server

    def do_GET(self) -> None:
        self.server.emulator._serve(self, "GET")

    def do_POST(self) -> None:
        self.server.emulator._serve(self, "POST")

    def do_PUT(self) -> None:
        self.server.emulator._serve(self, "PUT")

    def do_DELETE(self) -> None:
        self.server.emulator._serve(self, "DELETE")

    def do_PATCH(self) -> None:
        self.server.emulator._serve(self, "PATCH")

    def log_message(self, format: str, *args: Any) -> None:
        pass  # tests read emulator.requests instead of stderr


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, emulator: SheetsEmulator) -> None:
        self.emulator = emulator
        self.open_sockets: set[socket.socket] = set()
        self.sockets_lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self.sockets_lock:
            self.open_sockets.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self.sockets_lock:
            self.open_sockets.discard(request)
        super().shutdown_request(request)


class SheetsEmulator:
    """The Google Sheets emulator; ``with SheetsEmulator() as sheets:`` starts and stops it."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._books: dict[str, _Spreadsheet] = {}
        self._accounts: dict[str, dict[str, bytes]] = {}  # email -> key id -> public key PEM
        self._tokens: dict[str, _Token] = {}
        self._faults: list[_Fault] = []
        self._hurry = threading.Event()  # set: requests held back by ``slow`` are answered now
        self.requests: list[RecordedRequest] = []
        self.base_url = ""

    # --- lifecycle

    def start(self) -> SheetsEmulator:
        if self._server is not None:
            return self
        self._server = _Server(self)
        host, port = self._server.server_address[:2]
        self.base_url = f"http://{host}:{port}"
        # A short poll interval keeps stop() (which waits for the next poll) from costing half a second per test.
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.02,), name="sheets-emulator", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is None:
            return
        server.shutdown()
        server.server_close()
        # Keep-alive connections would otherwise keep their handler threads waiting for a next request.
        with server.sockets_lock:
            for sock in list(server.open_sockets):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
        if thread is not None:
            thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> SheetsEmulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def token_uri(self) -> str:
        return f"{self.base_url}/token"

    def csv_url(self, key: str, title: str) -> str:
        """The "published" CSV address of a worksheet, as people copy it from Google Sheets."""
        return f"{self.base_url}/spreadsheets/d/{key}/gviz/tq?tqx=out:csv&sheet={quote(title)}"

    # --- accounts

    def service_account(self, email: str = DEFAULT_ACCOUNT) -> dict[str, str]:
        """A key file for ``email`` as the Cloud console issues it, pointing its token_uri at this emulator."""
        key = _account_key(email)
        with self._lock:
            self._accounts.setdefault(email, {})[key.key_id] = key.public_pem
        project = email.split("@", 1)[1].split(".", 1)[0] if "@" in email else "project"
        client_id = str(int(hashlib.sha256(email.encode()).hexdigest(), 16))[:21]
        return {
            "type": "service_account",
            "project_id": project,
            "private_key_id": key.key_id,
            "private_key": key.private_pem,
            "client_email": email,
            "client_id": client_id,
            "auth_uri": "https://accounts.google.com/o/oauth2/auth",
            "token_uri": self.token_uri,
            "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
            "client_x509_cert_url": "https://www.googleapis.com/robot/v1/metadata/x509/" + quote(email),
            "universe_domain": "googleapis.com",
        }

    def expire_tokens(self) -> None:
        """Make every access token issued so far invalid, as an hour passing would."""
        with self._lock:
            self._tokens.clear()

    # --- spreadsheets

    def load_xlsx(
        self,
        path: Path,
        key: str | None = None,
        *,
        locale: str = "id_ID",
        title: str | None = None,
        shared_with: Iterable[str] = (),
        readers: Iterable[str] = (),
        anyone_with_link: bool = False,
    ) -> str:
        """Load a workbook as a spreadsheet (see :func:`xlsx_cell`); returns its key.

        It is shared with the accounts in ``shared_with`` as Editors ("writer") and with those in ``readers``
        as Viewers ("reader"), who may read but get 403 on any write.
        """
        locale_rules(locale)  # an unknown locale fails here, not in the middle of a request
        shares: dict[str, Role] = {email: "reader" for email in readers}
        for email in shared_with:
            if email in shares:
                raise ValueError(f"{email} is listed both as an editor and as a reader")
            shares[email] = "writer"
        key = key or "1" + secrets.token_urlsafe(32)[:43]  # Google's keys: 44 URL-safe characters
        workbook = openpyxl.load_workbook(Path(path), data_only=True)
        worksheets = []
        for index, sheet in enumerate(workbook.worksheets):
            ws = _Worksheet(sheet.title, self._sheet_id(key, sheet.title, index), hidden=sheet.sheet_state != "visible")
            for row in sheet.iter_rows():
                for xl in row:
                    if xl.value is None:
                        continue
                    cell = xlsx_cell(xl.value, xl.number_format, bool(xl.quotePrefix))
                    ws.put(xl.row - 1, xl.column - 1, cell)
            worksheets.append(ws)
        workbook.close()
        book = _Spreadsheet(key, title or Path(path).stem, locale, worksheets, shares, anyone_with_link)
        with self._lock:
            self._books[key] = book
        return key

    @staticmethod
    def _sheet_id(key: str, title: str, index: int) -> int:
        # The first sheet of a new spreadsheet is gid 0; later ones get large ids that never change.
        return 0 if index == 0 else _stable_sheet_id(key, title)

    def _book(self, key: str) -> _Spreadsheet:
        try:
            return self._books[key]
        except KeyError:
            raise KeyError(f"no spreadsheet {key!r} loaded") from None

    def _worksheet(self, key: str, title: str) -> _Worksheet:
        ws = self._book(key).worksheet(title)
        if ws is None:
            raise KeyError(f"no worksheet {title!r} in {key!r}")
        return ws

    def set_locale(self, key: str, locale: str) -> None:
        locale_rules(locale)
        with self._lock:
            self._book(key).locale = locale

    def share(self, key: str, email: str, role: Role = "writer") -> None:
        """Share the spreadsheet with ``email`` as an Editor ("writer") or a Viewer ("reader"); sharing again
        changes the role, as the Share dialog does."""
        if role not in ROLES:
            raise ValueError(f"role must be one of {ROLES}, not {role!r}")
        with self._lock:
            self._book(key).shares[email] = role

    def unshare(self, key: str, email: str) -> None:
        with self._lock:
            self._book(key).shares.pop(email, None)

    def set_anyone_with_link(self, key: str, value: bool) -> None:
        with self._lock:
            self._book(key).anyone_with_link = value

    def delete_worksheet(self, key: str, title: str) -> None:
        with self._lock:
            book = self._book(key)
            book.worksheets.remove(self._worksheet(key, title))

    def set_cell(self, key: str, title: str, a1_ref: str, value: object) -> None:
        """Edit a cell as a clerk would: text is typed in the sheet's locale; other values are stored as is.
        The cell's note, if any, stays."""
        row, col = _cell_ref(a1_ref)
        with self._lock:
            book = self._book(key)
            cell = native_cell(value, book.locale)
            self._worksheet(key, title).put(row, col, cell)

    def set_note(self, key: str, title: str, a1_ref: str, text: str) -> None:
        """Write a note on a cell as a clerk would by hand (Insert > Note); ``""`` removes it. The cell's
        value, if any, stays. A note beyond the grid widens it, as ``set_cell`` does."""
        row, col = _cell_ref(a1_ref)
        with self._lock:
            ws = self._worksheet(key, title)
            ws.set_note(row, col, text)
            ws.row_count, ws.column_count = max(ws.row_count, row + 1), max(ws.column_count, col + 1)

    def note(self, key: str, title: str, a1_ref: str) -> str:
        """The note on a cell, ``""`` when it has none."""
        row, col = _cell_ref(a1_ref)
        with self._lock:
            return self._worksheet(key, title).notes.get((row, col), "")

    def notes(self, key: str, title: str) -> dict[str, str]:
        """Every note of a worksheet by cell (``{"B2": "..."}``), row by row."""
        with self._lock:
            noted = sorted(self._worksheet(key, title).notes.items())
        return {f"{_column_letters(c)}{r + 1}": text for (r, c), text in noted}

    def sheet_id(self, key: str, title: str) -> int:
        """A worksheet's sheetId, the id batchUpdate requests name it by."""
        with self._lock:
            return self._worksheet(key, title).sheet_id

    def grid_size(self, key: str, title: str) -> tuple[int, int]:
        """A worksheet's grid as (rowCount, columnCount)."""
        with self._lock:
            ws = self._worksheet(key, title)
            return ws.row_count, ws.column_count

    def titles(self, key: str) -> list[str]:
        """The worksheet titles of a loaded spreadsheet, in order."""
        with self._lock:
            return [ws.title for ws in self._book(key).worksheets]

    def cell(self, key: str, title: str, a1_ref: str) -> Cell:
        """The stored cell (its value and kind) at ``a1_ref``, e.g. to tell literal text from a formula."""
        row, col = _cell_ref(a1_ref)
        with self._lock:
            return self._worksheet(key, title).cells.get((row, col), EMPTY)

    def values(self, key: str, title: str, render_option: str = "UNFORMATTED_VALUE") -> list[list[object]]:
        """The whole worksheet's values as ``values.get`` of the worksheet answers them (rows, trimmed)."""
        with self._lock:
            ws = self._worksheet(key, title)
            rng = _Range(ws, 0, 0, ws.row_count - 1, ws.column_count - 1)
            return range_values(rng, self._book(key).locale, render_option=render_option)

    def appended(self, key: str, title: str) -> list[list[str]]:
        """Rows appended through the API, each value as text (numbers as Python writes them)."""
        with self._lock:
            return [list(row) for row in self._worksheet(key, title).appended]

    # --- faults and records

    def fail(self, status: int, *, times: int = 1, match: str = "", retry_after: float | None = None) -> None:
        """The next ``times`` requests matching ``match`` get ``status`` with Google's error body."""
        with self._lock:
            self._faults.append(_Fault("fail", times, match, status=status, retry_after=retry_after))

    def slow(self, seconds: float, *, times: int = 1, match: str = "") -> None:
        """The next ``times`` matching requests wait ``seconds`` before they are answered (normally or by a fault)."""
        with self._lock:
            self._faults.append(_Fault("slow", times, match, seconds=seconds))

    def hurry(self) -> None:
        """Answer now every request ``slow`` holds back, and hold none back from now on: a test decides when a
        held-back read ends instead of waiting its time out."""
        self._hurry.set()

    def drop(self, *, times: int = 1, match: str = "") -> None:
        """The next ``times`` matching requests see their connection closed without any answer."""
        with self._lock:
            self._faults.append(_Fault("drop", times, match))

    def drop_after_applying(self, *, times: int = 1, match: str = "") -> None:
        """The next ``times`` matching requests are carried out (an append writes its rows), then their
        connection is closed without any answer: the ambiguous failure a writer must not turn into a duplicate.
        They are recorded with status 0, as a drop is."""
        with self._lock:
            self._faults.append(_Fault("drop_after", times, match))

    def clear_faults(self) -> None:
        """Forget every queued fault: the service is back."""
        with self._lock:
            self._faults.clear()

    def clear_requests(self) -> None:
        with self._lock:
            self.requests.clear()

    def count(self, match: str = "", method: str | None = None) -> int:
        with self._lock:
            return sum(
                1
                for r in self.requests
                if _matches(match, r.raw_path) and (method is None or r.method.upper() == method.upper())
            )

    def _take_faults(self, raw_path: str) -> tuple[float, _Fault | None]:
        """The delay and the fail/drop outcome for one request; each queued fault serves `times` requests."""
        delay, outcome = 0.0, None
        with self._lock:
            for fault in list(self._faults):
                if not _matches(fault.match, raw_path):
                    continue
                if fault.kind == "slow" and not delay:
                    delay = fault.seconds
                elif fault.kind != "slow" and outcome is None:
                    outcome = fault
                else:
                    continue
                fault.times -= 1
                if fault.times <= 0:
                    self._faults.remove(fault)
        return delay, outcome

    # --- serving

    def _serve(self, handler: _Handler, method: str) -> None:
        arrived = time.monotonic()
        raw_path = handler.path
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        delay, outcome = self._take_faults(raw_path)
        if delay:
            self._hurry.wait(delay)
        parts = urlsplit(raw_path)
        path, query = unquote(parts.path), parse_qs(parts.query, keep_blank_values=True)
        if outcome is not None and outcome.kind == "drop_after":
            # Google did the work but the answer never reached the client (a reset connection, a proxy
            # timeout): the client cannot tell this from a request that never arrived.
            with contextlib.suppress(_ApiError):  # an error answer would be lost the same way
                self._route(method, parts.path, query, handler.headers.get("Authorization"), body)
            outcome = _Fault("drop", 1, outcome.match)
        if outcome is not None and outcome.kind == "drop":
            self._record(RecordedRequest(method, path, query, 0, 0, None, arrived, raw_path, body))
            handler.close_connection = True
            with contextlib.suppress(OSError):
                handler.connection.shutdown(socket.SHUT_RDWR)
            return
        if outcome is not None:
            response = self._injected(outcome, path)
        else:
            try:
                response = self._route(method, parts.path, query, handler.headers.get("Authorization"), body)
            except _ApiError as error:
                response = _json_response(error.code, _error_payload(error.code, error.message, error.details))
                response.headers.update(error.headers)
            except Exception as error:  # a bug in the emulator: answer it visibly rather than drop the connection
                message = f"Emulator error: {type(error).__name__}: {error}"
                response = _json_response(500, _error_payload(500, message))
        # Recorded before answering, so a test that reads `requests` right after its call returns sees it.
        self._record(
            RecordedRequest(
                method, path, query, response.status, len(response.body), response.account, arrived, raw_path, body
            )
        )
        try:
            self._send(handler, response)
        except OSError:  # the client gave up (a timeout after slow()): nothing left to answer
            handler.close_connection = True

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    @staticmethod
    def _send(handler: _Handler, response: _Response) -> None:
        handler.send_response(response.status)
        handler.send_header("Content-Type", response.content_type)
        handler.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers.items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(response.body)
        handler.wfile.flush()

    @staticmethod
    def _injected(fault: _Fault, path: str) -> _Response:
        message = DEFAULT_MESSAGES.get(fault.status, "Injected failure.")
        if path.startswith("/spreadsheets/d/"):
            # docs.google.com answers with HTML pages, not JSON
            response = _Response(fault.status, _html_page(f"Error {fault.status}", message), "text/html; charset=utf-8")
        else:
            details = None
            if fault.status == 429:
                details = [
                    {
                        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                        "reason": "RATE_LIMIT_EXCEEDED",
                        "domain": "googleapis.com",
                        "metadata": {"service": "sheets.googleapis.com", "quota_limit": "ReadRequestsPerMinutePerUser"},
                    }
                ]
            response = _json_response(fault.status, _error_payload(fault.status, message, details))
        if fault.retry_after is not None:
            seconds = fault.retry_after
            response.headers["Retry-After"] = str(int(seconds)) if float(seconds).is_integer() else str(seconds)
        return response

    def _route(
        self, method: str, raw_path: str, query: dict[str, list[str]], authorization: str | None, body: bytes
    ) -> _Response:
        if raw_path == "/token" and method == "POST":
            return self._token(body)
        if raw_path.startswith("/v4/spreadsheets/"):
            return self._api(method, raw_path[len("/v4/spreadsheets/") :], query, authorization, body)
        m = re.fullmatch(r"/spreadsheets/d/([^/]+)/gviz/tq", raw_path)
        if m and method == "GET":
            return self._gviz(unquote(m[1]), query)
        if raw_path == "/accounts/ServiceLogin" and method == "GET":
            return _Response(200, LOGIN_PAGE, "text/html; charset=utf-8")
        raise _ApiError(404, f"Method not found: {method} {unquote(raw_path)}")

    # --- /token

    def _token(self, body: bytes) -> _Response:
        form = parse_qs(body.decode("utf-8", "replace"))
        grant_type = form.get("grant_type", [""])[0]
        if grant_type != JWT_BEARER:
            return _json_response(
                400, {"error": "unsupported_grant_type", "error_description": f"Invalid grant_type: {grant_type}"}
            )
        assertion = form.get("assertion", [""])[0]
        try:
            email, scopes = self._verify_assertion(assertion)
        except ValueError as error:
            return _json_response(400, {"error": "invalid_grant", "error_description": str(error)})
        token = "ya29.emu-" + secrets.token_urlsafe(48)
        with self._lock:
            self._tokens[token] = _Token(email, scopes, time.monotonic() + TOKEN_LIFETIME)
        return _json_response(
            200, {"access_token": token, "expires_in": TOKEN_LIFETIME, "token_type": "Bearer"}, account=email
        )

    def _verify_assertion(self, assertion: str) -> tuple[str, frozenset[str]]:
        """Check an RS256 JWT the way Google's token endpoint does; ValueError carries Google's description."""
        bad_signature = ValueError("Invalid JWT Signature.")
        try:
            header_b64, payload_b64, signature_b64 = assertion.split(".")
            header = json.loads(_b64url_decode(header_b64))
            payload = json.loads(_b64url_decode(payload_b64))
            signature = _b64url_decode(signature_b64)
        except ValueError:
            raise ValueError("Invalid JWT: Token must be a short-lived token and in a reasonable timeframe") from None
        email = payload.get("iss", "")
        with self._lock:
            keys = dict(self._accounts.get(email, {}))
        public_pem = keys.get(header.get("kid", "")) or (next(iter(keys.values())) if len(keys) == 1 else None)
        if header.get("alg") != "RS256" or public_pem is None:
            raise bad_signature
        public_key = serialization.load_pem_public_key(public_pem)
        assert isinstance(public_key, rsa.RSAPublicKey)
        try:
            public_key.verify(signature, f"{header_b64}.{payload_b64}".encode(), padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature:
            raise bad_signature from None
        if payload.get("aud") not in (*GOOGLE_TOKEN_AUDIENCES, self.token_uri):
            raise ValueError("Invalid JWT: Failed audience check. The right audience is " + GOOGLE_TOKEN_AUDIENCES[0])
        now = time.time()
        iat, exp = float(payload.get("iat", 0)), float(payload.get("exp", 0))
        if not (iat - CLOCK_SKEW <= now < exp + CLOCK_SKEW) or exp - iat > MAX_ASSERTION_LIFETIME:
            raise ValueError(
                "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. "
                "Check your iat and exp values in the JWT claim."
            )
        return email, frozenset(str(payload.get("scope", "")).split())

    # --- /v4/spreadsheets

    def _api(
        self, method: str, rest: str, query: dict[str, list[str]], authorization: str | None, body: bytes
    ) -> _Response:
        key_part, _, tail = rest.partition("/")
        key = unquote(key_part)
        if method == "GET" and tail == "" and ":" not in key:
            endpoint, range_text = "metadata", ""
        elif method == "POST" and tail == "" and key.endswith(":batchUpdate"):
            key, endpoint, range_text = key[: -len(":batchUpdate")], "batchUpdate", ""
        elif method == "GET" and tail == "values:batchGet":
            endpoint, range_text = "batchGet", ""
        elif method == "GET" and tail.startswith("values/"):
            endpoint, range_text = "get", unquote(tail[len("values/") :])
        elif method == "POST" and tail.startswith("values/") and tail.endswith(":append"):
            endpoint, range_text = "append", unquote(tail[len("values/") : -len(":append")])
        else:
            raise _ApiError(404, f"Method not found: {method} /v4/spreadsheets/{unquote(rest)}")
        token = self._authenticate(authorization)
        needed = WRITE_SCOPES if endpoint in WRITE_ENDPOINTS else READ_SCOPES
        if not token.scopes & needed:
            raise _ApiError(
                403,
                "Request had insufficient authentication scopes.",
                details=[
                    {
                        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                        "reason": "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
                        "domain": "googleapis.com",
                        "metadata": {"service": "sheets.googleapis.com", "method": METHOD_NAMES[endpoint]},
                    }
                ],
            )
        mask = self._fields(query)
        with self._lock:
            book = self._books.get(key)
            if book is None:
                raise _ApiError(404, "Requested entity was not found.")
            # A Viewer may call every read method; only an Editor may write.
            allowed = book.can_write(token.email) if endpoint in WRITE_ENDPOINTS else book.can_read(token.email)
            if not allowed:
                raise _ApiError(403, "The caller does not have permission")
            if endpoint == "metadata":
                # The mask is applied inside: it also decides whether grid data is read at all.
                ranges = query.get("ranges", [])
                return _json_response(
                    200, self._spreadsheet(book, ranges, self._include_grid(query, mask), mask), account=token.email
                )
            if endpoint == "batchUpdate":
                payload = self._batch_update(book, body)
            elif endpoint == "batchGet":
                payload = {
                    "spreadsheetId": key,
                    "valueRanges": [self._value_range(book, text, query) for text in query.get("ranges", [])],
                }
            elif endpoint == "get":
                payload = self._value_range(book, range_text, query)
            else:
                payload = self._append(book, range_text, query, body)
        return _json_response(200, apply_fields(payload, mask), account=token.email)

    @staticmethod
    def _fields(query: dict[str, list[str]]) -> FieldMask | None:
        """The ``fields`` parameter every Google API method takes, parsed; None when there is none."""
        text = query.get("fields", [""])[-1]
        if not text:
            return None
        try:
            return parse_fields(text)
        except ValueError:
            raise _ApiError(400, DEFAULT_MESSAGES[400]) from None

    @staticmethod
    def _include_grid(query: dict[str, list[str]], mask: FieldMask | None) -> bool:
        # Google: "If a field mask is set, the includeGridData parameter is ignored"; the mask alone decides.
        if mask is not None:
            return selects(mask, ("sheets", "data"))
        text = query.get("includeGridData", ["false"])[-1]
        if text.lower() not in ("true", "false"):
            raise _ApiError(400, f"Invalid value at 'include_grid_data' (TYPE_BOOL), \"{text}\"")
        return text.lower() == "true"

    def _authenticate(self, authorization: str | None) -> _Token:
        unauthenticated = {"WWW-Authenticate": 'Bearer realm="https://accounts.google.com/"'}
        if not authorization or not authorization.startswith("Bearer "):
            raise _ApiError(401, MISSING_CREDENTIALS, headers=unauthenticated)
        with self._lock:
            token = self._tokens.get(authorization[len("Bearer ") :].strip())
        if token is None or token.expires_at <= time.monotonic():
            raise _ApiError(401, DEFAULT_MESSAGES[401], headers=unauthenticated)
        return token

    def _spreadsheet(
        self, book: _Spreadsheet, ranges: Sequence[str], grid: bool, mask: FieldMask | None
    ) -> dict[str, Any]:
        """The Spreadsheet resource spreadsheets.get answers with.

        With ``ranges``, only the sheets they touch are listed ("Limiting the range returns only the portions
        of the spreadsheet that intersect the requested ranges"), each with one GridData per range on it, in
        the order asked; with ``grid`` and no ranges, every sheet's whole grid. ``mask`` is applied last.
        """
        chosen: dict[int, list[_Range]] = {}
        for text in ranges:
            rng = parse_range(book, text)
            chosen.setdefault(rng.ws.sheet_id, []).append(rng)
        sheets = []
        for index, ws in enumerate(book.worksheets):
            if ranges and ws.sheet_id not in chosen:
                continue
            sheet: dict[str, Any] = {"properties": sheet_properties(ws, index)}
            if grid:
                whole = [_Range(ws, 0, 0, ws.row_count - 1, ws.column_count - 1)]
                sheet["data"] = [grid_data(rng, book.locale) for rng in chosen.get(ws.sheet_id, whole)]
            sheets.append(sheet)
        white = {"red": 1, "green": 1, "blue": 1}
        payload: dict[str, Any] = {
            "spreadsheetId": book.key,
            "properties": {
                "title": book.title,
                "locale": book.locale,
                "autoRecalc": "ON_CHANGE",
                "timeZone": TIME_ZONE,
                "defaultFormat": {
                    "backgroundColor": white,
                    "padding": {"top": 2, "right": 3, "bottom": 2, "left": 3},
                    "verticalAlignment": "BOTTOM",
                    "wrapStrategy": "OVERFLOW_CELL",
                    "textFormat": {
                        "foregroundColor": {},
                        "fontFamily": "arial,sans,sans-serif",
                        "fontSize": 10,
                        "bold": False,
                        "italic": False,
                        "strikethrough": False,
                        "underline": False,
                        "foregroundColorStyle": {"rgbColor": {}},
                    },
                    "backgroundColorStyle": {"rgbColor": white},
                },
            },
            "sheets": sheets,
            "spreadsheetUrl": f"{self.base_url}/spreadsheets/d/{book.key}/edit",
        }
        payload = apply_fields(payload, mask)
        _trim_grids(payload)
        _require_evaluated(payload)
        return payload

    def _batch_update(self, book: _Spreadsheet, body: bytes) -> dict[str, Any]:
        try:
            request = json.loads(body or b"{}")
        except ValueError:
            raise _ApiError(400, "Invalid JSON payload received. Unexpected token.") from None
        request = _message(request, BATCH_UPDATE_FIELDS, "", "BatchUpdateSpreadsheetRequest")
        requests = _list(request.get("requests", []), "requests")
        if not requests:
            raise _ApiError(400, "Must specify at least one request.")
        batch = _Batch(book)
        replies = batch.run(requests)
        response: dict[str, Any] = {"spreadsheetId": book.key, "replies": replies}
        if _bool(request.get("includeSpreadsheetInResponse", False), "include_spreadsheet_in_response"):
            ranges = [
                _str(text, "response_ranges") for text in _list(request.get("responseRanges", []), "response_ranges")
            ]
            grid = _bool(request.get("responseIncludeGridData", False), "response_include_grid_data")
            # Built from the batch's sheets before they are committed, so a bad range still changes nothing.
            updated = replace(book, worksheets=batch.sheets)
            response["updatedSpreadsheet"] = self._spreadsheet(updated, ranges, grid, None)
        book.worksheets = batch.sheets
        return response

    @staticmethod
    def _value_range(book: _Spreadsheet, text: str, query: dict[str, list[str]]) -> dict[str, Any]:
        render_option = query.get("valueRenderOption", ["FORMATTED_VALUE"])[0]
        if render_option not in ("FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA"):
            raise _ApiError(400, f"Invalid value at 'value_render_option' ({render_option})")
        dimension = query.get("majorDimension", ["ROWS"])[0] or "ROWS"
        if dimension not in ("ROWS", "COLUMNS"):
            raise _ApiError(400, f"Invalid value at 'major_dimension' ({dimension})")
        serial = query.get("dateTimeRenderOption", ["SERIAL_NUMBER"])[0] != "FORMATTED_STRING"
        rng = parse_range(book, text)
        # No formulas are kept (workbooks are read with their cached values), so FORMULA reads as UNFORMATTED.
        values = range_values(
            rng, book.locale, render_option=render_option, serial_dates=serial, rows=dimension == "ROWS"
        )
        result: dict[str, Any] = {"range": rng.a1, "majorDimension": dimension}
        if values:
            result["values"] = values
        return result

    @staticmethod
    def _append(book: _Spreadsheet, text: str, query: dict[str, list[str]], body: bytes) -> dict[str, Any]:
        option = query.get("valueInputOption", [""])[0]
        if not option:
            raise _ApiError(400, "'valueInputOption' is required but not specified")
        if option not in ("RAW", "USER_ENTERED"):
            raise _ApiError(400, f"Invalid value at 'value_input_option' ({option})")
        try:
            rows = json.loads(body or b"{}").get("values", [])
            assert isinstance(rows, list) and all(isinstance(row, list) for row in rows)
        except (ValueError, AssertionError, AttributeError):
            raise _ApiError(400, "Invalid JSON payload received.") from None
        rng = parse_range(book, text)
        ws = rng.ws
        used_rows, used_cols = ws.used()
        # Google looks for the table the range touches and writes below its last row; for the portal's
        # sheets (one table from A1) that is the row after the last non-empty one.
        start_row, start_col = used_rows, rng.c0
        width = max((len(row) for row in rows), default=0)
        for offset, row in enumerate(rows):
            for col, value in enumerate(row):
                if option == "RAW":
                    cell = EMPTY if value is None else Cell(value) if isinstance(value, str) else native_cell(value)
                else:
                    cell = entered_cell(value, book.locale)
                ws.put(start_row + offset, start_col + col, cell)
            ws.appended.append([_stringified(value) for value in row])
        updates = {
            "spreadsheetId": book.key,
            "updatedRange": a1(ws, start_row, start_col, start_row + len(rows) - 1, start_col + max(width, 1) - 1),
            "updatedRows": len(rows),
            "updatedColumns": width,
            "updatedCells": sum(len(row) for row in rows),
        }
        result: dict[str, Any] = {"spreadsheetId": book.key}
        if used_rows:  # Google leaves tableRange out when it found no table to append to
            result["tableRange"] = a1(ws, 0, 0, used_rows - 1, max(used_cols, 1) - 1)
        result["updates"] = updates
        return result

    # --- docs.google.com CSV

    def _gviz(self, key: str, query: dict[str, list[str]]) -> _Response:
        with self._lock:
            book = self._books.get(key)
            if book is None:
                return _Response(404, _html_page("Error 404 (Not Found)!!1", "404. That's an error."), "text/html")
            if not book.anyone_with_link:
                target = f"{self.base_url}/spreadsheets/d/{key}/gviz/tq?" + "&".join(
                    f"{name}={quote(value)}" for name, values in query.items() for value in values
                )
                location = f"{self.base_url}/accounts/ServiceLogin?continue={quote(target, safe='')}"
                return _Response(302, b"", "text/html; charset=UTF-8", {"Location": location})
            if "out:csv" not in query.get("tqx", [""])[0]:
                raise _ApiError(400, "The emulator serves gviz only as tqx=out:csv")
            ws = self._gviz_sheet(book, query)
            text = csv_text(ws, book.locale) if ws is not None else ""
        return _Response(200, text.encode(), "text/csv; charset=utf-8")

    @staticmethod
    def _gviz_sheet(book: _Spreadsheet, query: dict[str, list[str]]) -> _Worksheet | None:
        if "sheet" in query and (ws := book.worksheet(query["sheet"][0])) is not None:
            return ws
        if "gid" in query:
            for ws in book.worksheets:
                if str(ws.sheet_id) == query["gid"][0]:
                    return ws
        # The real gviz endpoint quirk: an unknown sheet name (a typo, a renamed or deleted tab) does not
        # fail but silently answers with the FIRST worksheet, so a reader must check what it got.
        return book.worksheets[0] if book.worksheets else None


def _matches(match: str, raw_path: str) -> bool:
    """A fault or count pattern matches the path+query as sent or percent-decoded ('capaian' or "'capaian'")."""
    return not match or match in raw_path or match in unquote_plus(raw_path)
