"""A log leaf (``core.log_leaf``) is the canonical JSON of a snapshot's identity: exactly the bytes the spec in
issue 24 describes (written out by hand below, not produced by the code), read back strictly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from core.log_leaf import LeafFields, parse_leaf, snapshot_leaf

ROWS = "0123456789abcdef" * 4
WITA = timezone(timedelta(hours=8))  # Banjarmasin's time zone


def leaf(**changes: Any) -> bytes:
    fields: dict[str, Any] = {
        "source": "dlh",
        "skpd": "Dinas Lingkungan Hidup",
        "read_at": datetime(2026, 3, 1, 10, 3, 4, 5, tzinfo=WITA),
        "contract_version": 1,
        "rows_sha256": ROWS,
    }
    fields.update(changes)
    return snapshot_leaf(**fields)


def test_the_leaf_is_sorted_compact_utf8_json_with_the_read_time_in_utc_microseconds() -> None:
    assert leaf() == (
        b'{"contract_version":1,"read_at":"2026-03-01T02:03:04.000005Z",'
        b'"rows_sha256":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",'
        b'"skpd":"Dinas Lingkungan Hidup","source":"dlh"}'
    )


def test_non_ascii_text_is_written_as_utf8_not_escaped() -> None:
    assert leaf(skpd="Dinas Perumahan — Perkim", source="perkim") == (
        b'{"contract_version":1,"read_at":"2026-03-01T02:03:04.000005Z",'
        b'"rows_sha256":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",'
        b'"skpd":"Dinas Perumahan \xe2\x80\x94 Perkim","source":"perkim"}'
    )


def test_a_whole_second_still_has_six_fraction_digits_and_a_small_year_four_digits() -> None:
    assert b'"read_at":"2026-01-01T00:00:00.000000Z"' in leaf(read_at=datetime(2026, 1, 1, tzinfo=UTC))
    assert b'"read_at":"0999-01-01T00:00:00.000000Z"' in leaf(read_at=datetime(999, 1, 1, tzinfo=UTC))


def test_the_same_moment_in_any_zone_gives_the_same_leaf() -> None:
    moment = datetime(2026, 3, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert leaf(read_at=moment) == leaf(read_at=moment.astimezone(WITA)) == leaf()


def test_a_naive_read_time_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        leaf(read_at=datetime(2026, 3, 1, 10, 3, 4))


@pytest.mark.parametrize(
    "changes",
    [
        {"source": ""},
        {"source": 5},
        {"skpd": None},
        {"contract_version": True},
        {"contract_version": 1.0},
        {"contract_version": -1},
        {"rows_sha256": ROWS.upper()},
        {"rows_sha256": ROWS[:-1]},
        {"rows_sha256": ROWS + "0"},
        {"skpd": "lone \udcff surrogate"},
    ],
    ids=lambda changes: "-".join(f"{key}={value!r}" for key, value in changes.items()),
)
def test_fields_that_cannot_be_written_canonically_are_refused(changes: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        leaf(**changes)


def test_a_leaf_reads_back_to_its_fields_in_utc() -> None:
    assert parse_leaf(leaf(skpd="Dinas Perumahan — Perkim")) == LeafFields(
        source="dlh",
        skpd="Dinas Perumahan — Perkim",
        read_at=datetime(2026, 3, 1, 2, 3, 4, 5, tzinfo=UTC),
        contract_version=1,
        rows_sha256=ROWS,
    )


CANONICAL = leaf().decode()


@pytest.mark.parametrize(
    "text",
    [
        CANONICAL.replace(",", ", "),
        CANONICAL.replace('{"contract_version":1,', '{ "contract_version":1,'),
        CANONICAL[:-1] + ',"extra":1}',
        CANONICAL.replace('"contract_version":1,', ""),
        CANONICAL.replace('"contract_version":1', '"contract_version":"1"'),
        CANONICAL.replace('"contract_version":1', '"contract_version":1.0'),
        CANONICAL.replace('"contract_version":1', '"contract_version":true'),
        CANONICAL.replace(".000005Z", ".000005+00:00"),
        CANONICAL.replace(".000005Z", "Z"),
        CANONICAL.replace("2026-03-01", "2026-02-30"),
        CANONICAL.replace('"source":"dlh"', '"source":"dl\\u0068"'),
        CANONICAL.replace('"rows_sha256":"0123', '"rows_sha256":"X123'),
        '{"source":"dlh",' + CANONICAL[1:].replace(',"source":"dlh"', ""),
        CANONICAL[:-1] + ',"source":"dlh"}',
        "[]",
        "not json",
    ],
    ids=[
        "spaces",
        "leading-space",
        "extra-key",
        "missing-key",
        "version-as-text",
        "version-as-float",
        "version-as-bool",
        "offset-not-z",
        "no-microseconds",
        "no-such-date",
        "escaped-ascii",
        "not-hex",
        "unsorted-keys",
        "duplicate-key",
        "array",
        "not-json",
    ],
)
def test_anything_but_the_canonical_bytes_is_not_a_leaf(text: str) -> None:
    with pytest.raises(ValueError):
        parse_leaf(text.encode("utf-8"))


def test_bytes_that_are_not_utf8_are_not_a_leaf() -> None:
    with pytest.raises(ValueError, match="UTF-8"):
        parse_leaf(b"\xff" + leaf())
