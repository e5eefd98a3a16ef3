"""Numbers, Rupiah, percentages and dates formatted for the reader's language (Babel).

Babel parses its pattern and locale on every call, and a page formats the same figures on every rerun
(hundreds of them on the overview); numbers and dates are therefore remembered per (value, language).
Those are pure functions of their arguments, so a remembered answer is always the one Babel would give.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import InvalidOperation
from functools import lru_cache
from urllib.parse import quote

from babel.dates import format_date as _babel_date
from babel.dates import format_datetime as _babel_datetime
from babel.dates import format_timedelta
from babel.numbers import format_decimal, format_scientific

from core.personal_data import EMAIL
from core.text import BIDI_CONTROLS
from core.wilayah import CITY_TIMEZONE

_LOCALES = {"id": "id_ID", "en": "en_US"}


def locale_for(lang: str) -> str:
    return _LOCALES.get(lang, "id_ID")


# Enough for every figure of a large portal's pages in both languages; the oldest are dropped first.
_REMEMBERED = 16384


def number(value: float, lang: str, digits: int = 2) -> str:
    """3,31 in Indonesian, 3.31 in English; trailing zeros dropped."""
    try:
        return _number(value, lang, digits)
    except TypeError:  # a value that cannot be a key (never a sheet's number): formatted without memory
        return _format_number(value, lang, digits)


@lru_cache(maxsize=_REMEMBERED, typed=True)
def _number(value: float, lang: str, digits: int) -> str:
    return _format_number(value, lang, digits)


def _format_number(value: float, lang: str, digits: int) -> str:
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    try:
        return format_decimal(value, format=pattern, locale=locale_for(lang))
    except (InvalidOperation, OverflowError, ValueError):
        # Beyond decimal's precision (a clerk's 1e24): scientific notation, still in the language.
        return format_scientific(value, locale=locale_for(lang))


def percent(value: float, lang: str, digits: int = 1) -> str:
    """45,5 % reads as '45,5%' in both languages; the decimal mark follows the language."""
    return number(value, lang, digits) + "%"


def rupiah(value: float, lang: str) -> str:
    """Rp1.250.000 / Rp1,250,000: no space after Rp, no decimals."""
    return "Rp" + format_decimal(round(value), format="#,##0", locale=locale_for(lang))


_SCALES = ((1e12, "triliun", "trillion"), (1e9, "miliar", "billion"), (1e6, "juta", "million"))


def rupiah_short(value: float, lang: str) -> str:
    """For prose and cards: Rp9,2 miliar / Rp9.2 billion."""
    for size, word_id, word_en in _SCALES:
        if abs(value) >= size:
            return f"Rp{number(value / size, lang, 1)} {word_id if lang == 'id' else word_en}"
    return rupiah(value, lang)


@lru_cache(maxsize=_REMEMBERED, typed=True)
def long_date(value: date, lang: str) -> str:
    """27 November 2026 in both languages (day first, never month first)."""
    return _babel_date(value, "d MMMM y", locale=locale_for(lang))


@lru_cache(maxsize=_REMEMBERED, typed=True)
def short_date(value: date, lang: str) -> str:
    """27 Nov 2026 / 17 Agu 2024: a date on one line of a phone's table column (day first in both languages)."""
    return _babel_date(value, "d MMM y", locale=locale_for(lang))


@lru_cache(maxsize=_REMEMBERED, typed=True)
def month_year(value: date, lang: str) -> str:
    """Agu 2024 / Aug 2024: for chart axes."""
    return _babel_date(value, "MMM y", locale=locale_for(lang))


def date_time(value: datetime, lang: str, month: str = "MMMM") -> str:
    """27 November 2026 14:05 in the city's own time (WITA), whatever zone ``value`` is in; ``month="MMM"`` for
    27 Nov 2026 14:05."""
    local = value.astimezone(CITY_TIMEZONE) if value.tzinfo else value
    return _babel_datetime(local, f"d {month} y HH:mm", locale=locale_for(lang))


def age(delta: timedelta, lang: str) -> str:
    """'3 jam' / '3 hours': how old a figure is."""
    return format_timedelta(delta, locale=locale_for(lang), threshold=1.0)


_MARKDOWN_SPECIAL = set("\\`*_{}[]()<>#+-.!|~$:")
# Streamlit's markdown (remark-gfm) links bare URLs, "www." names and e-mail addresses in the text it has
# already unescaped, so a backslash cannot stop it. A word joiner (U+2060: invisible, no line break, no
# width) where its patterns need two characters side by side does: "http⁠://", "www⁠.", "a@⁠b.c". The text
# reads the same; pasted into an address bar it is no longer a link either, which is the point.
WORD_JOINER = "\u2060"
_AUTOLINK_JOINTS = re.compile(r"(?:(?<=http)|(?<=https))(?=:)|(?<=www)(?=\.)|(?<=@)", re.IGNORECASE)
_BIDI = re.compile("[" + "".join(sorted(BIDI_CONTROLS)) + "]")


def escape_markdown(text: str) -> str:
    """Sheet or feedback text shown through a markdown element stays text: no links (written or bare),
    images, HTML or LaTeX, and no bidi override reordering what follows it."""
    return _escape_characters(_AUTOLINK_JOINTS.sub(WORD_JOINER, _BIDI.sub("", text)))


def _escape_characters(text: str) -> str:
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIAL else ch for ch in text)


def contact_markdown(contact: str) -> str:
    """The portal's own contact (from portal.toml, not a sheet) for markdown: an e-mail address is a mailto
    link, which the text of must stay copyable (no word joiner in it); anything else is escaped text."""
    if EMAIL.fullmatch(contact):
        return f"[{_escape_characters(contact)}](mailto:{contact})"
    return escape_markdown(contact)


# What a link's destination may hold as it is; anything else (a space, a bracket, "<", a backslash) is
# percent-encoded, so the destination stays one markdown token and the address shown is the one followed.
_URL_SAFE = "!#$%&'*+,/:;=?@[]~"
_HTTP = re.compile(r"https?://", re.IGNORECASE)


def url_markdown(url: str) -> str:
    """The portal's own address (never sheet text) as a markdown link whose text is that address exactly: no
    word joiner in it, so selected and copied, or clicked, it opens the same view. Anything but an http(s)
    address stays escaped text."""
    if not _HTTP.match(url):
        return escape_markdown(url)
    address = quote(_BIDI.sub("", url), safe=_URL_SAFE)
    return f"[{_escape_characters(address)}]({address})"


def link_markdown(label: str, url: str) -> str | None:
    """A sheet's evidence address as a markdown link with our own ``label`` (the long address is never shown):
    percent-encoded as ``url_markdown`` does, so no bracket or space in it ends the link early. None for anything
    but an http(s) address (checked at ingest too)."""
    if not _HTTP.match(url):
        return None
    return f"[{escape_markdown(label)}]({quote(_BIDI.sub('', url), safe=_URL_SAFE)})"


def escape_plotly(text: str) -> str:
    """Plotly reads a subset of HTML (links, bold) in labels; sheet text must stay text there."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
