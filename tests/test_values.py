"""The value parsers: what a clerk may type in a cell, and what it is read as.

Every expected value below is worked out from the rule it names (locale conventions, the
ambiguity rule in ``core/values.py``'s docstring, the calendar), not copied from a run.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from core import contract
from core.table import Cell, CellValue
from core.values import (
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

ID, EN = "id_ID", "en_US"


def raises_problem(parser: object, value: CellValue, *args: object, percent: bool = False) -> CellProblem:
    """Parse ``value`` expecting a CellProblem, and check it speaks both languages."""
    with pytest.raises(CellProblem) as caught:
        parser(Cell(value, percent=percent), *args)  # type: ignore[operator]
    message = caught.value.message
    assert message.id.strip() and message.en.strip()
    assert message.id != message.en, "the Indonesian and English messages should be different texts"
    return caught.value


# --- numbers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [
        ("1.250.000", ID, 1_250_000),
        ("45,5", ID, 45.5),
        ("1.250.000,75", ID, 1_250_000.75),
        ("1,250,000", EN, 1_250_000),
        ("45.5", EN, 45.5),
        ("1,250,000.75", EN, 1_250_000.75),
        ("-1.250.000", ID, -1_250_000),
        ("-45,5", ID, -45.5),
        ("-1,250,000.75", EN, -1_250_000.75),
        ("\u22127,25", ID, -7.25),  # a typographic minus sign pasted from a document
        ("+12", ID, 12),
        (" 1.250.000 ", ID, 1_250_000),
        ("1250", ID, 1250),
        ("0", EN, 0),
    ],
)
def test_number_text_is_read_in_the_sheet_locale_without_warning(text: str, locale: str, expected: float) -> None:
    parsed = parse_number(Cell(text), locale)
    assert parsed.value == pytest.approx(expected)
    assert parsed.warning is None


@pytest.mark.parametrize(("text", "expected"), [("1.250.000,75", 1_250_000.75), ("1,250,000.75", 1_250_000.75)])
def test_number_with_both_separators_is_unambiguous_in_either_locale(text: str, expected: float) -> None:
    # The last separator is the decimal one, whatever the sheet's locale says.
    for locale in (ID, EN):
        parsed = parse_number(Cell(text), locale)
        assert parsed.value == pytest.approx(expected)
        assert parsed.warning is None


@pytest.mark.parametrize(("value", "expected"), [(460, 460.0), (-3, -3.0), (45.5, 45.5), (0.0, 0.0)])
def test_native_numbers_are_taken_as_they_are(value: int | float, expected: float) -> None:
    parsed = parse_number(Cell(value), ID)
    assert parsed.value == expected
    assert isinstance(parsed.value, float)
    assert parsed.warning is None


def test_ambiguous_thousands_in_indonesian_sheet_reads_1250_with_warning() -> None:
    parsed = parse_number(Cell("1.250"), ID)
    assert parsed.value == 1250
    assert parsed.warning is not None
    assert "1.250" in parsed.warning.id and "1.250" in parsed.warning.en


def test_ambiguous_dot_in_english_sheet_reads_one_point_two_five_with_warning() -> None:
    parsed = parse_number(Cell("1.250"), EN)
    assert parsed.value == pytest.approx(1.25)
    assert parsed.warning is not None


def test_ambiguous_comma_follows_the_locale_too() -> None:
    # Indonesian: the comma is the decimal separator; English: the thousands separator.
    id_parsed = parse_number(Cell("1,250"), ID)
    en_parsed = parse_number(Cell("1,250"), EN)
    assert id_parsed.value == pytest.approx(1.25)
    assert en_parsed.value == 1250
    assert id_parsed.warning is not None and en_parsed.warning is not None


@pytest.mark.parametrize("locale", [ID, EN])
def test_zero_point_something_is_never_ambiguous(locale: str) -> None:
    # Nobody writes 500 as 0.500: a leading zero means decimals.
    parsed = parse_number(Cell("0.500"), locale)
    assert parsed.value == pytest.approx(0.5)
    assert parsed.warning is None


@pytest.mark.parametrize("locale", [ID, EN])
def test_two_decimals_are_not_ambiguous(locale: str) -> None:
    for text in ("1.25", "1,25"):
        parsed = parse_number(Cell(text), locale)
        assert parsed.value == pytest.approx(1.25)
        assert parsed.warning is None


@pytest.mark.parametrize(
    "value",
    [
        "abc",
        "1.2.3,4,5",
        "--1",
        "NaN",
        "nan",
        "inf",
        "-inf",
        "Infinity",
        "",
        "   ",
        "12abc",
        "1.25.0",
        ".5",
        "5.",
        "1e5",
        "1.2345,6",
        "1,23.456",
    ],
)
@pytest.mark.parametrize("locale", [ID, EN])
def test_garbage_is_not_a_number_and_the_message_says_so_in_both_languages(value: str, locale: str) -> None:
    error = raises_problem(parse_number, value, locale)
    assert "bukan angka" in error.message.id
    assert "not a number" in error.message.en


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf"), True, date(2024, 3, 12)])
def test_native_values_that_are_not_finite_numbers_are_problems(value: CellValue) -> None:
    raises_problem(parse_number, value, ID)


# --- percentages ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "locale", "expected"),
    [
        (Cell("45,5%"), ID, 45.5),
        (Cell("45.5 %"), EN, 45.5),
        (Cell("45,5"), ID, 45.5),
        (Cell("100%"), ID, 100.0),
        (Cell(45.5), ID, 45.5),
        (Cell(0.455, percent=True), ID, 45.5),
        (Cell(1, percent=True), EN, 100.0),
    ],
)
def test_percent_is_a_number_from_0_to_100(cell: Cell, locale: str, expected: float) -> None:
    parsed = parse_percent(cell, locale)
    assert parsed.value == pytest.approx(expected)
    assert parsed.warning is None


def test_plain_number_in_a_percent_column_is_not_multiplied() -> None:
    # 0.455 typed into an unformatted cell means 0.455 %, not 45.5 %.
    assert parse_percent(Cell(0.455), ID).value == pytest.approx(0.455)


@pytest.mark.parametrize("value", ["lima puluh persen", "%", "45%%", "abc%"])
def test_percent_garbage_is_a_problem(value: str) -> None:
    raises_problem(parse_percent, value, ID)


# --- Rupiah -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [
        ("Rp1.250.000.000", ID, 1_250_000_000),
        ("Rp 1.250.000,-", ID, 1_250_000),
        ("Rp. 1.250.000", ID, 1_250_000),
        ("IDR 1,250,000", EN, 1_250_000),
        ("IDR 1,250,000", ID, 1_250_000),
        ("rp20.000.000", ID, 20_000_000),
        ("Rp9,2 miliar", ID, 9_200_000_000),
        ("20 juta", ID, 20_000_000),
        ("Rp20 juta", ID, 20_000_000),
        ("1,5 triliun", ID, 1_500_000_000_000),
        ("750 ribu", ID, 750_000),
        ("1250000", ID, 1_250_000),
        ("Rp1.250.000,50", ID, 1_250_000.50),
    ],
)
def test_rupiah_written_the_ways_clerks_write_it(text: str, locale: str, expected: float) -> None:
    parsed = parse_rupiah(Cell(text), locale)
    assert parsed.value == expected  # money: no rounding slack
    assert parsed.warning is None


def test_rupiah_native_number_is_taken_as_is() -> None:
    assert parse_rupiah(Cell(9_200_000_000), ID).value == 9_200_000_000


@pytest.mark.parametrize("text", ["Rp", "Rp abc", "sembilan juta", "Rp1.2.3,4,5", "juta", "Rp --5"])
def test_rupiah_garbage_is_a_problem_naming_rupiah(text: str) -> None:
    error = raises_problem(parse_rupiah, text, ID)
    assert "Rupiah" in error.message.id and "Rupiah" in error.message.en


# --- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "locale", "expected"),
    [
        (date(2024, 3, 12), ID, date(2024, 3, 12)),
        (datetime(2024, 3, 12, 0, 0), ID, date(2024, 3, 12)),
        (datetime(2024, 3, 12, 15, 30), EN, date(2024, 3, 12)),
        ("2024-03-12", ID, date(2024, 3, 12)),
        ("2024-03-12", EN, date(2024, 3, 12)),
        ("12/03/2024", ID, date(2024, 3, 12)),
        ("12/03/2024", EN, date(2024, 12, 3)),
        ("12-03-2024", ID, date(2024, 3, 12)),
        ("12.03.2024", ID, date(2024, 3, 12)),
        ("12/3/24", ID, date(2024, 3, 12)),
        ("12 Maret 2024", ID, date(2024, 3, 12)),
        ("12 maret 2024", EN, date(2024, 3, 12)),
        ("12 Mar 2024", ID, date(2024, 3, 12)),
        ("12 Mar. 2024", ID, date(2024, 3, 12)),
        ("March 12, 2024", EN, date(2024, 3, 12)),
        ("March 12, 2024", ID, date(2024, 3, 12)),
        ("Selasa, 12 Maret 2024", ID, date(2024, 3, 12)),
        ("Tuesday, March 12, 2024", EN, date(2024, 3, 12)),
        ("17 Agustus 2024", ID, date(2024, 8, 17)),
        ("10 Nopember 2024", ID, date(2024, 11, 10)),
        ("29 Februari 2024", ID, date(2024, 2, 29)),  # 2024 is a leap year
    ],
)
def test_dates_in_the_forms_offices_write_them(value: CellValue, locale: str, expected: date) -> None:
    parsed = parse_date(Cell(value), locale)
    assert parsed.value == expected
    assert parsed.warning is None


def test_excel_serial_number_is_read_as_a_date_with_a_warning() -> None:
    # Excel counts days from 1899-12-30: serial 45292 is 2024-01-01, so 45363 is 71 days later,
    # 31 (January) + 29 (February, leap year) + 11 = 12 March 2024.
    parsed = parse_date(Cell(45363), ID)
    assert parsed.value == date(2024, 3, 12)
    assert parsed.warning is not None
    assert "45363" in parsed.warning.id and "45363" in parsed.warning.en


def test_a_small_number_is_not_a_date() -> None:
    raises_problem(parse_date, 12, ID)


@pytest.mark.parametrize(
    "value",
    [
        "31/02/2024",
        "32 Maret 2024",
        "29 Februari 2023",
        "2024-13-01",
        "12 Maretan 2024",
        "besok",
        "13/13/2024",
        "",
        True,
    ],
)
@pytest.mark.parametrize("locale", [ID, EN])
def test_impossible_or_unreadable_dates_are_problems(value: CellValue, locale: str) -> None:
    error = raises_problem(parse_date, value, locale)
    assert "tanggal" in error.message.id
    assert "date" in error.message.en


# --- URLs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["https://banjarmasinkota.go.id/program", "http://example.go.id", "HTTPS://DISKOMINFOTIK.GO.ID/x?y=1"]
)
def test_http_and_https_links_are_accepted_unchanged(url: str) -> None:
    assert parse_url(Cell(url)) == Parsed(url)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "ftp://x",
        "www.x.go.id",
        "https://",
        "http://",
        "data:text/html,hi",
        "mailto:a@b.id",
        "https://exa mple.go.id",
        "banjarmasinkota.go.id",
    ],
)
def test_links_without_http_scheme_or_host_are_rejected(url: str) -> None:
    error = raises_problem(parse_url, url)
    assert "https://" in error.message.id and "https://" in error.message.en


# --- coordinates ------------------------------------------------------------------------------

CITY_HALL = (-3.3278, 114.5887)


@pytest.mark.parametrize(
    "text", ["-3.3278, 114.5887", "-3,3278, 114,5887", "-3.3278 114.5887", " -3.3278 ,114.5887 ", "-3,3278 114,5887"]
)
def test_a_point_in_either_decimal_style(text: str) -> None:
    assert parse_coordinates(Cell(text)).value == [pytest.approx(CITY_HALL)]


def test_semicolon_separates_the_points_of_a_segment() -> None:
    # Part of the Sungai Veteran line in FACTS.md.
    parsed = parse_coordinates(Cell("-3.3207 114.5950; -3.3212 114.6000; -3.3204,114.6049"))
    assert parsed.value == [
        pytest.approx((-3.3207, 114.5950)),
        pytest.approx((-3.3212, 114.6000)),
        pytest.approx((-3.3204, 114.6049)),
    ]


def test_swapped_pair_gets_a_message_that_says_swapped() -> None:
    error = raises_problem(parse_coordinates, "114.5887, -3.3278")
    assert "tertukar" in error.message.id
    assert "swapped" in error.message.en


def test_positive_latitude_gets_a_message_about_the_minus_sign() -> None:
    error = raises_problem(parse_coordinates, "3.3278, 114.5887")
    assert "minus" in error.message.id
    assert "negative" in error.message.en
    assert "tertukar" not in error.message.id


@pytest.mark.parametrize("text", ["-6.2000, 106.8166", "-3.4400, 114.8300", "0, 0"])  # Jakarta, Banjarbaru, nowhere
def test_points_outside_the_city_are_rejected(text: str) -> None:
    error = raises_problem(parse_coordinates, text)
    assert "luar" in error.message.id and "outside" in error.message.en


@pytest.mark.parametrize("text", ["-3.3278, 114.5887, 5", "-3.3278", "", "koordinat", "-3.3278 114.5887 -3.3 114.6"])
def test_anything_but_two_numbers_per_point_is_unreadable(text: str) -> None:
    error = raises_problem(parse_coordinates, text)
    assert "tidak terbaca" in error.message.id and "cannot be read" in error.message.en


def test_one_bad_point_in_a_segment_rejects_the_segment() -> None:
    raises_problem(parse_coordinates, "-3.3207 114.5950; 114.6000 -3.3212")


# --- choices ----------------------------------------------------------------------------------

DIMENSION_MAP = contract.choice_map(contract.DIMENSIONS)
DIMENSION_NAMES = [c.canonical for c in contract.DIMENSIONS]
STATUS_MAP = contract.choice_map(contract.STATUSES)
STATUS_NAMES = [c.canonical for c in contract.STATUSES]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Smart Governance", "Smart Governance"),
        ("smart government", "Smart Governance"),
        ("Tata Kelola", "Smart Governance"),
        ("SMART  LIVING", "Smart Living"),
        ("smart_living", "Smart Living"),
        (" Lingkungan ", "Smart Environment"),
        ("Smart Branding", "Smart Branding"),
        ("ekonomi", "Smart Economy"),
        ("Masyarakat", "Smart Society"),
    ],
)
def test_dimension_spellings_are_stored_in_canonical_form(text: str, expected: str) -> None:
    assert parse_choice(Cell(text), DIMENSION_MAP, DIMENSION_NAMES) == Parsed(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("belum  dimulai", "Belum dimulai"),
        ("SELESAI", "Selesai"),
        ("Sedang Berjalan", "Berjalan"),
        ("In progress", "Berjalan"),
        ("terhambat", "Terhambat"),
        ("Completed", "Selesai"),
    ],
)
def test_status_spellings_are_stored_in_canonical_form(text: str, expected: str) -> None:
    assert parse_choice(Cell(text), STATUS_MAP, STATUS_NAMES) == Parsed(expected)


@pytest.mark.parametrize("text", ["Smart City", "Smart Mobility", "", "hampir selesai"])
def test_unknown_choice_is_a_problem_listing_every_allowed_value(text: str) -> None:
    with pytest.raises(CellProblem) as caught:
        parse_choice(Cell(text), DIMENSION_MAP, DIMENSION_NAMES)
    for name in DIMENSION_NAMES:
        assert name in caught.value.message.id
        assert name in caught.value.message.en
