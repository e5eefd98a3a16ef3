"""Parsers for the values SKPD clerks type into sheets.

Each parser takes a raw ``Cell`` and returns ``Parsed`` (the value, and a warning when the text
was ambiguous) or raises ``CellProblem`` with a message a clerk can act on. Nothing else may
escape: the property tests feed them arbitrary text.

The rule for ambiguous numbers (written in the sheet contract too): a value with one separator
followed by exactly three digits, such as ``1.250`` or ``1,250``, is read in the sheet's locale
(Indonesian: ``1.250`` = 1250 and ``1,250`` = 1,25; English: the reverse) and gets a warning.
Dates written with digits only are read in the sheet's locale order: day first for Indonesian
(``12/03/2024`` = 12 March 2024), month first for ``en_US``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Generic, TypeVar
from urllib.parse import urlsplit

from babel import Locale, UnknownLocaleError
from babel.dates import get_date_format

from core.formatting import number
from core.table import Cell
from core.text import Text, clean_text, normalise_key
from core.wilayah import in_city

T = TypeVar("T")


@dataclass(frozen=True)
class Parsed(Generic[T]):
    value: T
    warning: Text | None = None


class CellProblem(ValueError):
    """The cell cannot be read; the message tells the clerk what to write instead."""

    def __init__(self, message: Text) -> None:
        super().__init__(message.en)
        self.message = message


def _language(locale: str) -> str:
    return "en" if locale.lower().startswith("en") else "id"


# --- text -----------------------------------------------------------------------------------


def parse_text(cell: Cell) -> Parsed[str]:
    """The text as shown, trimmed, without control characters (a bidi override never publishes)."""
    return Parsed(clean_text(cell.shown()))


# --- numbers --------------------------------------------------------------------------------

_MINUS = "-\u2212\u2013"
_NUMBER_CHARS = re.compile(r"[+-]?[0-9.,]+")
_GROUPED = {".": re.compile(r"[0-9]{1,3}(\.[0-9]{3})+"), ",": re.compile(r"[0-9]{1,3}(,[0-9]{3})+")}


def _not_a_number(raw: str) -> CellProblem:
    return CellProblem(
        Text(
            f"'{raw}' bukan angka. Tulis angka saja, misalnya 1.250 atau 45,5.",
            f"'{raw}' is not a number. Write a number only, for example 1,250 or 45.5.",
        )
    )


def _number_from_text(raw: str, locale: str, certain: bool = False) -> Parsed[float]:
    s = raw.strip().replace("\u00a0", "").replace(" ", "").replace("\u202f", "")
    for minus in _MINUS[1:]:
        s = s.replace(minus, "-")
    if not s or not _NUMBER_CHARS.fullmatch(s) or not any(ch.isdigit() for ch in s):
        raise _not_a_number(raw)
    sign = -1.0 if s.startswith("-") else 1.0
    body = s.lstrip("+-")
    if not body or not body[0].isdigit() or not body[-1].isdigit():
        raise _not_a_number(raw)
    dots, commas = body.count("."), body.count(",")
    warning = None
    if dots and commas:
        decimal = "." if body.rfind(".") > body.rfind(",") else ","
        group = "," if decimal == "." else "."
        whole, _, frac = body.rpartition(decimal)
        if decimal in whole or not _GROUPED[group].fullmatch(whole):
            raise _not_a_number(raw)
        value = float(whole.replace(group, "") + "." + frac)
    elif dots > 1 or commas > 1:
        group = "." if dots else ","
        if not _GROUPED[group].fullmatch(body):
            raise _not_a_number(raw)
        value = float(body.replace(group, ""))
    elif dots == 1 or commas == 1:
        sep = "." if dots else ","
        whole, frac = body.split(sep)
        ambiguous = len(frac) == 3 and whole != "0" and len(whole) <= 3
        if ambiguous:
            # Which of thousands or decimals the clerk meant depends on the sheet's locale.
            lang = _language(locale)
            thousands_sep = "," if lang == "en" else "."
            value = float(whole + frac) if sep == thousands_sep else float(whole + "." + frac)
            warning = (
                None
                if certain
                else Text(
                    f"'{raw}' bisa dibaca dua cara; dibaca sebagai {number(value, 'id', 6)}. "
                    "Jika salah, tulis tanpa pemisah ribuan (mis. 1250) atau dengan dua angka desimal.",
                    f"'{raw}' can be read two ways; it was read as {number(value, 'en', 6)}. "
                    "If that is wrong, write it without a thousands separator (e.g. 1250) "
                    "or with two decimals.",
                )
            )
        else:
            value = float(whole + "." + frac)
    else:
        value = float(body)
    return Parsed(sign * value, warning)


def _finite(value: float, raw: str) -> float:
    if not math.isfinite(value):
        raise _not_a_number(raw)
    return value


def parse_number(cell: Cell, locale: str = "id_ID", certain: bool = False) -> Parsed[float]:
    """``certain``: the locale is the sheet's own, so a value like 1.250 is not ambiguous."""
    v = cell.value
    if isinstance(v, (bool, date)):
        raise _not_a_number(cell.shown())
    if isinstance(v, int | float):
        try:
            return Parsed(_finite(float(v), cell.shown()))
        except OverflowError:  # an integer beyond any float
            raise _not_a_number(cell.shown()) from None
    parsed = _number_from_text(str(v), locale, certain)
    return Parsed(_finite(parsed.value, str(v)), parsed.warning)


def parse_percent(cell: Cell, locale: str = "id_ID", certain: bool = False) -> Parsed[float]:
    """A percentage as a number 0–100: ``45,5``, ``45,5%``, or a percent-formatted 0.455."""
    v = cell.value
    if cell.percent and isinstance(v, int | float) and not isinstance(v, bool):
        # Rounding drops the binary noise of the multiplication (0.041 * 100 = 4.1000000000000005).
        return Parsed(_finite(round(float(v) * 100, 10), str(v)))
    if isinstance(v, str):
        text = v.strip()
        if text.endswith("%"):
            text = text[:-1]
        return parse_number(Cell(text), locale, certain)
    return parse_number(cell, locale, certain)


_RUPIAH_PREFIX = re.compile(r"^\s*(rp\.?|idr)\s*", re.IGNORECASE)
_RUPIAH_SCALE = {
    "ribu": 1e3,
    "rb": 1e3,
    "juta": 1e6,
    "jt": 1e6,
    "miliar": 1e9,
    "milyar": 1e9,
    "m": 1e9,
    "triliun": 1e12,
    "t": 1e12,
}
_RUPIAH_SUFFIX = re.compile(r"^(.*?)\s*(" + "|".join(_RUPIAH_SCALE) + r")\.?\s*$", re.IGNORECASE)


def parse_rupiah(cell: Cell, locale: str = "id_ID", certain: bool = False) -> Parsed[float]:
    """Rupiah: ``Rp1.250.000``, ``Rp 1.250.000,-``, ``1,250,000``, ``Rp9,2 miliar``."""
    v = cell.value
    if not isinstance(v, str):
        return parse_number(cell, locale, certain)
    text = _RUPIAH_PREFIX.sub("", v).strip()
    if text.endswith(",-") or text.endswith(".-"):
        text = text[:-2]
    scale = 1.0
    match = _RUPIAH_SUFFIX.match(text)
    if match and match.group(1):
        text, scale = match.group(1), _RUPIAH_SCALE[match.group(2).lower()]
    try:
        parsed = _number_from_text(text, locale, certain)
    except CellProblem:
        raise CellProblem(
            Text(
                f"'{v}' bukan nilai Rupiah. Tulis misalnya Rp1.250.000 atau 1250000.",
                f"'{v}' is not a Rupiah amount. Write for example Rp1.250.000 or 1250000.",
            )
        ) from None
    return Parsed(_finite(round(parsed.value * scale, 2), v), parsed.warning)


# --- dates ----------------------------------------------------------------------------------

_EXCEL_EPOCH = date(1899, 12, 30)
# Serial numbers of 1954..2119: a number in a date column in that range is an unformatted date.
_EXCEL_SERIAL_RANGE = (20000, 80000)


def _month_names() -> dict[str, int]:
    names: dict[str, int] = {}
    for loc in ("id", "en"):
        months = Locale.parse(loc).months["format"]
        for width in ("wide", "abbreviated"):
            for month, name in months[width].items():
                names[name.lower().rstrip(".")] = month
    # Spellings seen in Indonesian offices that CLDR does not list.
    names.update({"pebruari": 2, "peb": 2, "agt": 8, "agu": 8, "nopember": 11, "nop": 11, "sept": 9})
    return names


MONTHS = _month_names()
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_NUMERIC = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[\s\-]+([A-Za-z]+)\.?[\s\-,]+(\d{4})")
_MONTH_DAY_YEAR = re.compile(r"([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})")
_WEEKDAY_PREFIX = re.compile(r"^[A-Za-z']+,\s*")


def _day_first(locale: str) -> bool:
    try:
        pattern = get_date_format("short", locale=locale).pattern
    except (UnknownLocaleError, ValueError):
        return True
    return pattern.find("d") < pattern.find("M")


def _bad_date(raw: str) -> CellProblem:
    return CellProblem(
        Text(
            f"'{raw}' bukan tanggal yang dikenali. Tulis misalnya 12/03/2024 (hari/bulan/tahun) atau 12 Maret 2024.",
            f"'{raw}' is not a date we recognise. Write for example 12/03/2024 (day/month/year) or 12 March 2024.",
        )
    )


def _make_date(year: int, month: int, day: int, raw: str) -> date:
    if year < 100:
        year += 2000
    try:
        return date(year, month, day)
    except ValueError:
        raise _bad_date(raw) from None


def parse_date(cell: Cell, locale: str = "id_ID") -> Parsed[date]:
    v = cell.value
    if isinstance(v, datetime):
        return Parsed(v.date())
    if isinstance(v, date):
        return Parsed(v)
    if isinstance(v, int | float) and not isinstance(v, bool):
        if _EXCEL_SERIAL_RANGE[0] <= v <= _EXCEL_SERIAL_RANGE[1]:
            value = _EXCEL_EPOCH + timedelta(days=int(v))
            return Parsed(
                value,
                Text(
                    f"Sel berisi angka {int(v)}, dibaca sebagai tanggal {value.isoformat()}. "
                    "Format sel sebagai tanggal.",
                    f"The cell holds the number {int(v)}, read as the date {value.isoformat()}. "
                    "Format the cell as a date.",
                ),
            )
        raise _bad_date(cell.shown())
    raw = str(v)
    text = _WEEKDAY_PREFIX.sub("", raw.strip())
    if m := _ISO.fullmatch(text):
        return Parsed(_make_date(int(m[1]), int(m[2]), int(m[3]), raw))
    if m := _NUMERIC.fullmatch(text):
        first, second, year = int(m[1]), int(m[2]), int(m[3])
        day, month = (first, second) if _day_first(locale) else (second, first)
        return Parsed(_make_date(year, month, day, raw))
    if m := _DAY_MONTH_YEAR.fullmatch(text):
        month = MONTHS.get(m[2].lower())
        if month is not None:
            return Parsed(_make_date(int(m[3]), month, int(m[1]), raw))
    if m := _MONTH_DAY_YEAR.fullmatch(text):
        month = MONTHS.get(m[1].lower())
        if month is not None:
            return Parsed(_make_date(int(m[3]), month, int(m[2]), raw))
    raise _bad_date(raw)


# --- URLs -----------------------------------------------------------------------------------


def parse_url(cell: Cell) -> Parsed[str]:
    # An invisible bidi override would make the published link read as another address.
    raw = clean_text(cell.shown())
    try:
        parts = urlsplit(raw)
        ok = parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    except ValueError:
        ok = False
    if not ok or any(ch.isspace() for ch in raw):
        raise CellProblem(
            Text(
                f"'{raw}' bukan tautan web yang sah. Tautan harus diawali https:// atau http://.",
                f"'{raw}' is not a valid web link. Links must start with https:// or http://.",
            )
        )
    return Parsed(raw)


# --- choices --------------------------------------------------------------------------------


def parse_choice(cell: Cell, choices: dict[str, str], allowed: list[str]) -> Parsed[str]:
    """``choices`` maps normalised spellings to the canonical value; ``allowed`` is shown to clerks."""
    raw = cell.shown().strip()
    canonical = choices.get(normalise_key(raw))
    if canonical is None:
        listed = ", ".join(allowed)
        raise CellProblem(
            Text(
                f"'{raw}' bukan pilihan yang sah. Pilih salah satu: {listed}.",
                f"'{raw}' is not an allowed value. Use one of: {listed}.",
            )
        )
    return Parsed(canonical)


# --- coordinates ----------------------------------------------------------------------------

_COORD_NUMBER = re.compile(r"[+\-\u2212]?\d+(?:[.,]\d+)?")

Point = tuple[float, float]

# The forms a point and a segment may be written in: told by every message about unreadable coordinates,
# a private home's too (which never echoes the value).
POINT_FORM = Text(
    "Tulis lintang, bujur, misalnya -3.3278, 114.5887 atau dengan koma desimal -3,3278; 114,5887; untuk ruas, "
    "titik-titik dipisah titik koma: -3.31 114.62; -3.30 114.62.",
    "Write latitude, longitude, for example -3.3278, 114.5887, or with decimal commas -3,3278; 114,5887; for a "
    "segment, points separated by semicolons: -3.31 114.62; -3.30 114.62.",
)


def _point_problem(raw: str) -> CellProblem:
    return CellProblem(
        Text(
            f"Koordinat '{raw}' tidak terbaca. {POINT_FORM.id}",
            f"Coordinates '{raw}' cannot be read. {POINT_FORM.en}",
        )
    )


def _check_in_city(lat: float, lon: float, raw: str) -> None:
    if in_city(lat, lon):
        return
    if in_city(lon, lat):
        raise CellProblem(
            Text(
                f"Koordinat '{raw}' tampaknya tertukar: lintang dan bujur terbalik. Tulis lintang dulu: {lon}, {lat}.",
                f"Coordinates '{raw}' look swapped: latitude and longitude are the wrong way round. "
                f"Write latitude first: {lon}, {lat}.",
            )
        )
    if in_city(-lat, lon):
        raise CellProblem(
            Text(
                f"Koordinat '{raw}' di luar Banjarmasin: lintang Banjarmasin bertanda minus "
                f"(selatan khatulistiwa). Tulis {-lat}, {lon}.",
                f"Coordinates '{raw}' are outside Banjarmasin: Banjarmasin's latitude is negative "
                f"(south of the equator). Write {-lat}, {lon}.",
            )
        )
    raise CellProblem(
        Text(
            f"Koordinat '{raw}' berada di luar Kota Banjarmasin. Periksa kembali titiknya.",
            f"Coordinates '{raw}' are outside the city of Banjarmasin. Check the point again.",
        )
    )


def _parse_point(text: str, raw: str, shown: str | None = None) -> Point:
    """``shown``: the text messages quote (the part of a segment, by default)."""
    numbers = [n.replace("\u2212", "-").replace(",", ".") for n in _COORD_NUMBER.findall(text)]
    if len(numbers) != 2:
        raise _point_problem(raw)
    lat, lon = float(numbers[0]), float(numbers[1])
    _check_in_city(lat, lon, shown or text.strip())
    return (lat, lon)


def parse_coordinates(cell: Cell) -> Parsed[list[Point]]:
    """One point ``lat, lon`` or a line ``lat lon; lat lon; …``; decimal comma or point."""
    raw = cell.shown().strip()
    parts = [p for p in re.split(r"[;\n|]", raw) if p.strip()]
    if not parts:
        raise _point_problem(raw)
    if len(parts) == 2 and all(len(_COORD_NUMBER.findall(p)) == 1 for p in parts):
        # "-3,3443; 114,5881": where the comma is the decimal mark, ";" separates a list, so a point is
        # written with one. Two lone numbers make one point; a segment's points each hold two numbers.
        return Parsed([_parse_point(raw.replace(";", " "), raw, shown=raw)])
    return Parsed([_parse_point(part, raw) for part in parts])
