"""Properties of the parsers and of validation that must hold for any input.

A parser either returns ``Parsed`` or raises ``CellProblem``; any other exception would crash a
sync on one clerk's typo. Values formatted by Babel (the library the portal formats with) must
parse back to themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal
from builders import CAPAIAN_ROW, LOKASI_ROW, PROGRAM_ROW, TODAY, sheet
from hypothesis import example, given, settings
from hypothesis import strategies as st

from core import contract
from core.table import Cell, RawSheet, RawWorkbook
from core.validation import validate_workbook
from core.values import (
    MONTHS,
    CellProblem,
    Parsed,
    parse_choice,
    parse_coordinates,
    parse_date,
    parse_number,
    parse_percent,
    parse_rupiah,
    parse_url,
)
from core.wilayah import LAT_MAX, LAT_MIN, LON_MAX, LON_MIN

LOCALES = ("id_ID", "en_US")
EXAMPLES = settings(max_examples=200, deadline=None)

DIMENSION_MAP = contract.choice_map(contract.DIMENSIONS)
DIMENSION_NAMES = [c.canonical for c in contract.DIMENSIONS]

# Each parser as (cell, locale) -> Parsed; the ones without a locale ignore it.
PARSERS: dict[str, Callable[[Cell, str], Parsed[Any]]] = {
    "number": parse_number,
    "percent": parse_percent,
    "rupiah": parse_rupiah,
    "date": parse_date,
    "url": lambda cell, _locale: parse_url(cell),
    "coordinates": lambda cell, _locale: parse_coordinates(cell),
    "choice": lambda cell, _locale: parse_choice(cell, DIMENSION_MAP, DIMENSION_NAMES),
}

# Text made of the pieces clerks' numbers, amounts, dates and points are made of.
_PIECES = st.sampled_from(
    [
        *"0123456789",
        *"0123456789",
        ".",
        ",",
        "-",
        "+",
        "%",
        " ",
        "Rp",
        "IDR",
        ";",
        "/",
        ":",
        "\u2212",
        "\u00a0",
        "juta",
        "miliar",
        "ribu",
        ",-",
        *sorted(MONTHS),
        "Maret",
        "Selasa,",
        "http://",
        "https://",
        "e",
        "E",
    ]
)
number_like_text = st.lists(_PIECES, max_size=12).map("".join)
any_text = st.one_of(st.text(), number_like_text)
native_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(),
    st.datetimes(),
)


def parses_or_reports(parser: Callable[[Cell, str], Parsed[Any]], cell: Cell, locale: str) -> None:
    """The contract every parser keeps: a ``Parsed`` or a ``CellProblem`` in both languages."""
    try:
        result = parser(cell, locale)
    except CellProblem as problem:
        assert problem.message.id.strip() and problem.message.en.strip()
        return
    assert isinstance(result, Parsed)
    if result.warning is not None:
        assert result.warning.id.strip() and result.warning.en.strip()


@EXAMPLES
@given(name=st.sampled_from(sorted(PARSERS)), locale=st.sampled_from(LOCALES), text=any_text, percent=st.booleans())
def test_every_parser_returns_parsed_or_raises_cell_problem_on_any_text(
    name: str, locale: str, text: str, percent: bool
) -> None:
    parses_or_reports(PARSERS[name], Cell(text, percent=percent), locale)


@EXAMPLES
@given(
    name=st.sampled_from(sorted(PARSERS)), locale=st.sampled_from(LOCALES), value=native_values, percent=st.booleans()
)
# A percent-formatted cell near the float limit: showing it as "…%" must not overflow.
@example(name="choice", locale="id_ID", value=1.797693134862316e306, percent=True)
def test_every_parser_returns_parsed_or_raises_cell_problem_on_any_native_cell(
    name: str, locale: str, value: Any, percent: bool
) -> None:
    parses_or_reports(PARSERS[name], Cell(value, percent=percent), locale)


@EXAMPLES
@given(locale=st.sampled_from(LOCALES), text=any_text)
def test_numbers_that_parse_are_finite(locale: str, text: str) -> None:
    for parser in (parse_number, parse_percent, parse_rupiah):
        try:
            value = parser(Cell(text), locale).value
        except CellProblem:
            continue
        assert value == value and abs(value) != float("inf")


# --- round trips ------------------------------------------------------------------------------


@EXAMPLES
@given(n=st.integers(min_value=-(10**15), max_value=10**15))
def test_integer_formatted_by_babel_in_indonesian_parses_back(n: int) -> None:
    assert parse_number(Cell(format_decimal(n, locale="id")), "id_ID").value == n


@EXAMPLES
@given(n=st.integers(min_value=-(10**15), max_value=10**15))
def test_integer_formatted_by_babel_in_english_parses_back(n: int) -> None:
    assert parse_number(Cell(format_decimal(n, locale="en")), "en_US").value == n


@EXAMPLES
@given(n=st.integers(min_value=0, max_value=10**13), locale=st.sampled_from(LOCALES))
def test_rupiah_formatted_by_babel_parses_back(n: int, locale: str) -> None:
    text = format_currency(n, "IDR", locale=locale[:2])
    assert parse_rupiah(Cell(text), locale).value == n


@EXAMPLES
@given(whole=st.integers(min_value=1, max_value=999), frac=st.integers(min_value=0, max_value=999))
def test_one_separator_before_three_digits_follows_the_locale_and_warns(whole: int, frac: int) -> None:
    text = f"{whole}.{frac:03d}"
    as_id = parse_number(Cell(text), "id_ID")
    as_en = parse_number(Cell(text), "en_US")
    assert as_id.value == whole * 1000 + frac
    assert abs(as_en.value - (whole + frac / 1000)) < 1e-9
    assert as_id.warning is not None and as_en.warning is not None


@EXAMPLES
@given(d=st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)))
def test_date_written_day_first_parses_back_in_indonesian(d: date) -> None:
    assert parse_date(Cell(f"{d.day:02d}/{d.month:02d}/{d.year:04d}"), "id_ID").value == d


@EXAMPLES
@given(d=st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)))
def test_date_written_month_first_parses_back_in_english(d: date) -> None:
    assert parse_date(Cell(f"{d.month}/{d.day}/{d.year:04d}"), "en_US").value == d


@EXAMPLES
@given(
    d=st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)),
    lang=st.sampled_from(["id", "en"]),
    width=st.sampled_from(["full", "long", "medium"]),
)
def test_date_formatted_by_babel_with_month_names_parses_back(d: date, lang: str, width: str) -> None:
    text = format_date(d, width, locale=lang)
    assert parse_date(Cell(text), "id_ID" if lang == "id" else "en_US").value == d


@EXAMPLES
@given(d=st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)), lang=st.sampled_from(["id", "en"]))
def test_short_date_formatted_by_babel_parses_back_in_its_locale(d: date, lang: str) -> None:
    # Babel's short form has a two-digit year and the locale's day/month order.
    text = format_date(d, "short", locale=lang)
    assert parse_date(Cell(text), "id_ID" if lang == "id" else "en_US").value == d


@EXAMPLES
@given(
    lat=st.floats(min_value=LAT_MIN, max_value=LAT_MAX),
    lon=st.floats(min_value=LON_MIN, max_value=LON_MAX),
    comma=st.booleans(),
)
def test_any_point_inside_the_city_parses_back_and_its_swap_is_rejected(lat: float, lon: float, comma: bool) -> None:
    a, b = f"{lat:.6f}", f"{lon:.6f}"
    if comma:
        a, b = a.replace(".", ","), b.replace(".", ",")
    (point,) = parse_coordinates(Cell(f"{a}, {b}")).value
    assert abs(point[0] - lat) < 1e-6 and abs(point[1] - lon) < 1e-6
    try:
        parse_coordinates(Cell(f"{b}, {a}"))
    except CellProblem as problem:
        assert "tertukar" in problem.message.id and "swapped" in problem.message.en
    else:
        raise AssertionError("a swapped pair was accepted")


# --- validation never crashes -----------------------------------------------------------------

_KNOWN_TITLES = [name for ws in contract.WORKSHEETS for name in (ws.name, *ws.aliases)]
_KNOWN_HEADERS = sorted({s for ws in contract.WORKSHEETS for c in ws.columns for s in (c.name, *c.aliases)})
_PERSONAL = ["NIK", "No HP", "nama_penerima", "Alamat", "No. KK"]

titles = st.one_of(st.sampled_from(_KNOWN_TITLES), st.text(max_size=12))
headers = st.one_of(st.sampled_from(_KNOWN_HEADERS), st.sampled_from(_PERSONAL), st.text(max_size=12), st.none())
cell_values = st.one_of(
    any_text,
    native_values,
    st.sampled_from(
        [
            "ya",
            "tidak",
            "Selesai",
            "Berjalan",
            "-3.3278, 114.5887",
            "-3.31 114.62; -3.30 114.62",
            "114.5887, -3.3278",
            "titik",
            "ruas",
            "Benua Anyar",
            "Selatan",
            "Mantuil",
            "QW24-PERKIM-01",
            "12/03/2024",
            "45,5%",
            "100",
            "0",
        ]
    ),
)


_VALID_ROWS = {"program": PROGRAM_ROW, "capaian": CAPAIAN_ROW, "lokasi": LOKASI_ROW}


@st.composite
def raw_sheets(draw: st.DrawFn) -> RawSheet:
    percent = draw(st.booleans())
    if draw(st.booleans()):
        # A worksheet with the contract's own header whose cells are mostly valid, so rows get far
        # enough to meet the cross-row rules (duplicates, falling realisation, private sites).
        ws = draw(st.sampled_from(contract.WORKSHEETS))
        valid = _VALID_ROWS[ws.name]
        header: list[Any] = [c.name for c in ws.columns]
        body = [
            [valid[c] if draw(st.integers(0, 3)) else draw(cell_values) for c in header]
            for _ in range(draw(st.integers(0, 6)))
        ]
        title = ws.name
    else:
        header = draw(st.lists(headers, max_size=14))
        body = draw(st.lists(st.lists(cell_values, max_size=len(header) + 2), max_size=6))
        title = draw(titles)
    return RawSheet(title, [[Cell(h) for h in header], *([Cell(v, percent=percent) for v in row] for row in body)])


@settings(max_examples=200, deadline=None)
@given(sheets=st.lists(raw_sheets(), max_size=4), locale=st.sampled_from(LOCALES))
# An out-of-range number too large for a 28-digit decimal context once shown with 4 decimals.
@example(sheets=[sheet("program", [{**PROGRAM_ROW, "anggaran": -1e24}])], locale="id_ID")
def test_validation_never_raises_and_every_issue_is_complete(sheets: list[RawSheet], locale: str) -> None:
    result = validate_workbook(RawWorkbook("random.xlsx", sheets, locale), TODAY)
    for issue in result.issues:
        assert issue.severity in ("error", "warning")
        assert issue.message.id.strip()
        assert issue.message.en.strip()
    for name, counts in result.counts.items():
        assert counts.accepted + counts.rejected == counts.rows
        assert len(result.rows[name]) == counts.accepted
