"""Accept-Encoding and the conditional headers as RFC 9110 writes them (core/http_negotiation.py, issue #22 item 4).

The header values are the RFC's own examples (§12.5.3, §13.1.2) and the ones the review found wrong.
"""

from __future__ import annotations

import pytest

from core.http_negotiation import (
    BROTLI,
    BROTLI_SUFFIX,
    GZIP,
    accepted_codings,
    chosen_coding,
    entity_tags,
    gzip_variant,
    none_match_fails,
    not_modified_since,
)


@pytest.mark.parametrize(
    ("header", "coding"),
    [
        # RFC 9110 §12.5.3's examples
        ("compress, gzip", "gzip"),
        ("", "identity"),
        ("*", "gzip"),
        ("compress;q=0.5, gzip;q=1.0", "gzip"),
        ("gzip;q=1.0, identity; q=0.5, *;q=0", "gzip"),
        # what browsers send
        ("gzip, deflate, br, zstd", "gzip"),
        # found by the review: a refused gzip, a coding that only contains the letters, the name in capitals
        ("gzip;q=0, identity", "identity"),
        ("nogzip", "identity"),
        ("GZIP", "gzip"),
        ("Gzip;Q=0.8", "gzip"),
        ("x-gzip", "gzip"),
        ("br", "identity"),
        ("identity;q=1, gzip;q=0.5", "identity"),
        ("gzip;q=0.5", "gzip"),  # identity not named: acceptable, but no preference over gzip
        ("*;q=0", "identity"),  # nothing acceptable: identity anyway rather than a 406
        ("*;q=0, gzip;q=0.001", "gzip"),
        ("br;q=1, *;q=0.2", "gzip"),
        ("gzip;q=2", "identity"),  # not a qvalue: the member says nothing
        ("gzip;q=0.0000", "identity"),  # four decimals: not a qvalue either
        ("gzip;q=0.000", "identity"),
        (" , gzip ,", "gzip"),
    ],
)
def test_the_coding_chosen_for_an_accept_encoding(header: str, coding: str) -> None:
    assert chosen_coding(header) == coding


def test_no_accept_encoding_at_all_gets_no_coding() -> None:
    assert accepted_codings(None) is None
    assert chosen_coding(None) == "identity"


def test_weights_are_read_case_insensitively_with_spaces_around_the_semicolon() -> None:
    assert accepted_codings("GZIP ; q=0.5, Identity") == {"gzip": 0.5, "identity": 1.0}


@pytest.mark.parametrize(
    ("header", "tags"),
    [
        ('"xyzzy"', ["xyzzy"]),
        ('"xyzzy", "r2d2xxxx", "c3piozzzz"', ["xyzzy", "r2d2xxxx", "c3piozzzz"]),
        ('W/"xyzzy", W/"r2d2xxxx"', ["xyzzy", "r2d2xxxx"]),
        ('"a,b", "c"', ["a,b", "c"]),  # a comma may sit inside the quotes
        ("*", None),
        ("abc", ["abc"]),  # unquoted: read as the tag a sloppy client meant
        ("", []),
    ],
)
def test_the_tags_an_if_none_match_lists(header: str, tags: list[str] | None) -> None:
    assert entity_tags(header) == tags


@pytest.mark.parametrize(
    ("header", "etag", "reader_has_it"),
    [
        ('"1"', '"1"', True),
        ('W/"1"', '"1"', True),  # weak comparison (RFC 9110 §8.8.3.2's table: W/"1" and "1" match weakly)
        ('"1"', 'W/"1"', True),
        ('W/"1"', 'W/"2"', False),
        ('"2"', '"1"', False),
        ('"0", "1", "2"', '"1"', True),  # a list
        ('"0", "2"', '"1"', False),
        ("*", '"1"', True),
        ("*", None, True),  # any current representation
        ('"1"', None, False),
        ('"1-gzip"', '"1"', True),  # the gzip variant's tag names the same data
        ('"1"', '"1-gzip"', True),
        ('W/"1-gzip"', '"1-gzip"', True),
        ('"11-gzip"', '"1"', False),
        ('"1-br"', '"1"', True),  # and the Brotli variant's
        ('"1-gzip"', '"1-br"', True),
        ('"1"', 'W/"1-br"', True),
        ('"11-br"', '"1"', False),
    ],
)
def test_if_none_match_by_weak_comparison(header: str, etag: str | None, reader_has_it: bool) -> None:
    assert none_match_fails(header, etag) is reader_has_it


def test_the_gzip_variant_s_tag_keeps_a_weak_tag_weak() -> None:
    assert gzip_variant('"abc"') == '"abc-gzip"'
    assert gzip_variant('W/"abc"') == 'W/"abc-gzip"'
    assert gzip_variant('W/"abc"', BROTLI_SUFFIX) == 'W/"abc-br"'


@pytest.mark.parametrize(
    ("header", "coding"),
    [
        ("gzip, deflate, br, zstd", "br"),  # what browsers send, Chromium on http://localhost too
        ("br;q=0, gzip", "gzip"),
        ("br;q=0.5, gzip", "gzip"),  # the reader prefers gzip
        ("br", "br"),
        ("gzip", "gzip"),
        ("identity", "identity"),
        ("*", "br"),
    ],
)
def test_the_coding_chosen_where_brotli_is_available_too(header: str, coding: str) -> None:
    assert chosen_coding(header, (BROTLI, GZIP)) == coding


@pytest.mark.parametrize(
    ("since", "modified", "not_modified"),
    [
        ("Sat, 05 Dec 2026 04:00:00 GMT", "Sat, 05 Dec 2026 04:00:00 GMT", True),
        ("Sat, 05 Dec 2026 04:00:01 GMT", "Sat, 05 Dec 2026 04:00:00 GMT", True),
        ("Sat, 05 Dec 2026 03:59:59 GMT", "Sat, 05 Dec 2026 04:00:00 GMT", False),
        ("yesterday", "Sat, 05 Dec 2026 04:00:00 GMT", False),  # unreadable: the condition is not applied
        ("Sat, 05 Dec 2026 04:00:00 GMT", None, False),
    ],
)
def test_if_modified_since(since: str, modified: str | None, not_modified: bool) -> None:
    assert not_modified_since(since, modified) is not_modified
