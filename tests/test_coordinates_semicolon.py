"""A point written the way comma-decimal locales write lists, ``-3,3443; 114,5881``, is one point; a private
home's unreadable coordinates get a message naming the forms that are read, never the value."""

from __future__ import annotations

import json

import pytest
from builders import capaian, lokasi, program, validate, workbook

from core.table import Cell
from core.values import parse_coordinates

POINT = (-3.3443, 114.5881)


@pytest.mark.parametrize("text", ["-3,3443; 114,5881", "-3,3443;114,5881", "-3.3443; 114.5881", " -3,3443 ; 114,5881 "])
def test_a_point_with_a_semicolon_between_latitude_and_longitude_is_one_point(text: str) -> None:
    assert parse_coordinates(Cell(text)).value == [pytest.approx(POINT)]


def test_a_segment_still_needs_two_numbers_per_point() -> None:
    parsed = parse_coordinates(Cell("-3,3207 114,5950; -3,3212 114,6000"))
    assert parsed.value == [pytest.approx((-3.3207, 114.595)), pytest.approx((-3.3212, 114.6))]


def test_a_swapped_semicolon_point_quotes_the_cell_as_typed() -> None:
    with pytest.raises(ValueError) as caught:
        parse_coordinates(Cell("114,5881; -3,3443"))
    assert "'114,5881; -3,3443'" in caught.value.message.id  # type: ignore[attr-defined]


def test_a_site_with_a_semicolon_point_is_published_as_a_titik() -> None:
    result = validate(workbook(lokasis=[lokasi(jenis=None, koordinat="-3,3443; 114,5881")]))
    (row,) = result.rows["lokasi"]
    assert row["jenis"] == "titik" and row["koordinat"] == [pytest.approx(POINT)]


def test_a_private_homes_unreadable_point_names_the_expected_form_without_echoing_the_value() -> None:
    home = "-3,34571; 114,58823; 7"
    book = workbook([program(lokasi_pribadi="ya")], [capaian()], [lokasi(koordinat=home)])
    result = validate(book)
    (error,) = [i for i in result.errors if i.column == "koordinat"]
    assert "-3,3278; 114,5887" in error.message.id and "lintang, bujur" in error.message.id
    assert "-3,3278; 114,5887" in error.message.en and "latitude, longitude" in error.message.en
    report = json.dumps(result.report(), ensure_ascii=False)
    for part in ("3,34571", "114,58823", "3.34571", "114.58823"):
        assert part not in report, part
