"""Which query parameters a page's address keeps (``core.page_params``): the page's own, with known values, in
canonical order; junk is dropped, so the links and the page cache are bounded by the data (issue #22, item 1)."""

from __future__ import annotations

from core.page_params import PAGE_PARAMETERS, PageView, known_values, page_view
from core.sitemap import PUBLIC_PAGES

PROGRAMS = ["QW24-PUPR-01", "QW24-PERKIM-01"]
SOURCES = ["pupr", "perkim"]


def view(path: str, *asked: tuple[str, str]) -> PageView:
    return page_view(path, asked, known_values(path, PROGRAMS, SOURCES))


def test_every_public_page_has_its_parameters_written_in_one_place() -> None:
    assert set(PUBLIC_PAGES) | {"/program", "/kesehatan-data"} == set(PAGE_PARAMETERS)


def test_junk_parameters_are_dropped_from_every_page() -> None:
    junk = ("utm_source", "x" * 100_000)
    for path in PAGE_PARAMETERS:
        assert view(path, junk, ("lang", "en"), ("fbclid", "abc")).params == (), path


def test_a_known_program_stays_and_an_unknown_one_is_named_unknown_without_its_value() -> None:
    assert view("/program", ("program", "QW24-PUPR-01"), ("junk", "1")).params == (("program", "QW24-PUPR-01"),)
    unknown = view("/program", ("program", "<script>" * 1000))
    assert unknown.params == () and unknown.unknown == {"program"}
    # Every unknown value gives the same view: one 404 page, not one per value.
    assert unknown == view("/program", ("program", "QW99-NOPE"))
    assert view("/program").unknown == frozenset()  # no program asked: the page that offers them


def test_a_single_valued_parameter_keeps_its_first_known_value() -> None:
    asked = (("program", "nope"), ("program", "QW24-PERKIM-01"), ("program", "QW24-PUPR-01"))
    assert view("/program", *asked).params == (("program", "QW24-PERKIM-01"),)


def test_the_map_s_filters_are_sets_in_one_order_whatever_order_they_were_clicked_in() -> None:
    first = view(
        "/peta",
        ("kelurahan", "Mantuil"),
        ("kecamatan", "Banjarmasin Timur"),
        ("kecamatan", "Banjarmasin Selatan"),
        ("kecamatan", "Banjarmasin Selatan"),
        ("kecamatan", "Atlantis"),
        ("nama_program", "QW24-PERKIM-01"),
    )
    again = view(
        "/peta",
        ("nama_program", "QW24-PERKIM-01"),
        ("kecamatan", "Banjarmasin Selatan"),
        ("kelurahan", "Mantuil"),
        ("kecamatan", "Banjarmasin Timur"),
    )
    assert (
        first.params
        == again.params
        == (
            ("nama_program", "QW24-PERKIM-01"),
            ("kecamatan", "Banjarmasin Selatan"),
            ("kecamatan", "Banjarmasin Timur"),
            ("kelurahan", "Mantuil"),
        )
    )


def test_the_history_keeps_its_program_and_switch_but_not_its_two_dates() -> None:
    asked = (("sampai", "2024-09-30"), ("dari", "2024-06-01"), ("berubah", "ya"), ("program", "QW24-PUPR-01"))
    assert view("/riwayat", *asked).params == (("program", "QW24-PUPR-01"), ("berubah", "ya"))
    assert view("/riwayat", ("berubah", "tidak")).params == ()


def test_the_general_survey_is_a_scope_of_the_survey_page_only() -> None:
    assert view("/survei", ("program", "umum")).params == (("program", "umum"),)
    assert view("/hasil-survei", ("program", "umum")).params == ()


def test_the_health_page_keeps_the_offices_the_portal_reads() -> None:
    asked = (("skpd", "perkim"), ("skpd", "nope"), ("skpd", "pupr"))
    assert view("/kesehatan-data", *asked).params == (("skpd", "pupr"), ("skpd", "perkim"))
