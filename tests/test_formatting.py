"""Numbers, Rupiah and dates per language, and sheet text kept as text."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

import core.formatting as formatting
from core.formatting import (
    WORD_JOINER,
    age,
    contact_markdown,
    escape_markdown,
    escape_plotly,
    long_date,
    number,
    percent,
    rupiah,
    rupiah_short,
    short_date,
)


def test_numbers_use_the_decimal_mark_of_the_language() -> None:
    assert number(3.31, "id") == "3,31"
    assert number(3.31, "en") == "3.31"
    assert number(1_250_000, "id", 0) == "1.250.000"
    assert percent(45.5, "id") == "45,5%"
    assert percent(45.5, "en") == "45.5%"


def test_rupiah_has_no_space_after_rp_and_groups_per_language() -> None:
    assert rupiah(1_250_000, "id") == "Rp1.250.000"
    assert rupiah(1_250_000, "en") == "Rp1,250,000"
    assert rupiah_short(9_200_000_000, "id") == "Rp9,2 miliar"
    assert rupiah_short(9_200_000_000, "en") == "Rp9.2 billion"
    assert rupiah_short(20_000_000, "id") == "Rp20 juta"


def test_dates_are_written_day_first_in_both_languages() -> None:
    assert long_date(date(2026, 11, 27), "id") == "27 November 2026"
    assert long_date(date(2024, 3, 12), "id") == "12 Maret 2024"
    assert long_date(date(2024, 3, 12), "en") == "12 March 2024"
    assert short_date(date(2024, 8, 17), "id") == "17 Agu 2024"
    assert short_date(date(2024, 12, 31), "en") == "31 Dec 2024"
    assert age(timedelta(hours=3), "id") == "3 jam"


def test_markdown_in_sheet_text_is_escaped_so_it_cannot_become_a_link_or_image() -> None:
    hostile = "![x](https://evil.example/t.png) [klik](javascript:alert(1)) <b>x</b> :material/home:"
    escaped = escape_markdown(hostile)
    # Every markdown-active character is preceded by a backslash, so none of them acts.
    for active in "![]()<>:":
        assert re.search(rf"(?<!\\){re.escape(active)}", escaped) is None, active
    assert escaped.replace("\\", "").replace(WORD_JOINER, "") == hostile


@pytest.mark.parametrize(
    ("text", "autolink"),
    [
        ("[x](https://evil.example)", "https://"),
        ('=HYPERLINK("http://evil.example","klik")', "http://"),
        ("lihat www.evil.example ya", "www."),
        ("LIHAT WWW.EVIL.EXAMPLE", "WWW."),
        ("tulis ke admin@evil.example", "@evil"),
    ],
)
def test_escaped_text_loses_what_streamlit_markdown_would_autolink_and_reads_the_same(text: str, autolink: str) -> None:
    """remark-gfm links bare URLs, www. names and e-mail addresses after unescaping: a word joiner breaks each."""
    escaped = escape_markdown(text)
    unescaped = re.sub(r"\\(.)", r"\1", escaped)
    assert autolink not in unescaped
    # Streamlit's own patterns (its bundle's gfm autolink transform) find nothing in what it would read.
    assert not re.search(r"(https?://|www(?=\.))[-.\w]+", unescaped, re.IGNORECASE)
    assert not re.search(r"[-.\w+]+@[-\w]+(?:\.[-\w]+)+", unescaped)
    assert unescaped.replace(WORD_JOINER, "") == text


def test_escaped_text_loses_bidi_overrides() -> None:
    assert escape_markdown("abc\u202edef\u2066") == "abcdef"


def test_plotly_labels_cannot_carry_html() -> None:
    assert escape_plotly('<a href="https://evil">x</a> & y') == '&lt;a href="https://evil"&gt;x&lt;/a&gt; &amp; y'


def test_a_number_or_date_formatted_again_is_remembered_not_recomputed(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Any] = []
    real_decimal, real_date = formatting.format_decimal, formatting._babel_date
    monkeypatch.setattr(formatting, "format_decimal", lambda v, **k: calls.append(v) or real_decimal(v, **k))
    monkeypatch.setattr(formatting, "_babel_date", lambda v, *a, **k: calls.append(v) or real_date(v, *a, **k))
    formatting._number.cache_clear()
    long_date.cache_clear()
    assert [number(1234.5, "id"), number(1234.5, "id"), percent(1234.5, "id", 2)] == ["1.234,5"] * 2 + ["1.234,5%"]
    assert long_date(date(2024, 3, 12), "en") == long_date(date(2024, 3, 12), "en") == "12 March 2024"
    assert calls == [1234.5, date(2024, 3, 12)]
    # Another language, precision, type or value is another question, answered by Babel.
    assert [number(1234.5, "en"), number(1234.5, "id", 0), number(Decimal("1234.5"), "id")] == [
        "1,234.5",
        "1.234",
        "1.234,5",
    ]
    assert long_date(datetime(2024, 3, 12, 23, 0), "id") == "12 Maret 2024"
    assert len(calls) == 6


def test_a_value_that_cannot_be_remembered_is_still_formatted() -> None:
    class Unhashable(float):
        __hash__ = None  # type: ignore[assignment]

    assert number(Unhashable(3.31), "id") == "3,31"


def test_the_portals_own_contact_address_is_a_mailto_link_with_copyable_text() -> None:
    assert contact_markdown("smartcity@banjarmasinkota.go.id") == (
        "[smartcity@banjarmasinkota\\.go\\.id](mailto:smartcity@banjarmasinkota.go.id)"
    )
    assert contact_markdown("Diskominfotik, lantai 2") == "Diskominfotik, lantai 2"


def test_an_evidence_link_shows_our_label_and_keeps_its_whole_address_as_one_destination() -> None:
    from core.formatting import link_markdown

    assert link_markdown("buka", "https://drive.example/f?id=1") == "[buka](https://drive.example/f?id=1)"
    # A parenthesis, a space or "<" in a sheet's address is percent-encoded: the link cannot end early or grow.
    tricky = link_markdown("buka", "https://x.example/a) [evil](https://evil.example <b>")
    assert tricky == "[buka](https://x.example/a%29%20[evil]%28https://evil.example%20%3Cb%3E)"
    assert link_markdown("buka", "javascript:alert(1)") is None
    assert link_markdown("[klik](https://evil.example)", "https://x.example") == (
        "[\\[klik\\]\\(https\u2060\\://evil\\.example\\)](https://x.example)"
    )
