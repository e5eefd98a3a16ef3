"""A date a reader types into a text box: read by our own rules, with our own words when it cannot be used.

Why not ``st.date_input``: in Streamlit 1.67 its field (react-aria segments inside a ``stDateInputField``) commits
a typed date only when focus leaves the whole field, so Enter does nothing and Tab only moves between its day,
month and year segments; and its range error ("Error: Date set outside allowed range…") is written in English
by the frontend (``ReorderedSegments`` in ``streamlit/static``), with no way to translate it. A text input commits
on Enter and on Tab (blur), and what it holds is read here, so an unreadable or out-of-range date is told in the
page's language and the view always shows a date within the history.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import Enum

# Day first, as Indonesians write it (15/10/2024, 1-6-2024, 15.10.2024), or ISO 8601 (2024-10-15), as in the URL.
_DAY_FIRST = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


class Problem(Enum):
    UNREADABLE = "unreadable"
    TOO_EARLY = "too_early"
    TOO_LATE = "too_late"


@dataclass(frozen=True)
class TypedDay:
    """The date to use, and why it is not the one typed (None when it is)."""

    day: date
    problem: Problem | None = None


def typed(day: date) -> str:
    """A date as the text box shows it: DD/MM/YYYY, day first in both languages."""
    return day.strftime("%d/%m/%Y")


def parse_day(text: str) -> date | None:
    """The date in ``text`` (day first, or ISO), or None when it is not one."""
    text = text.strip()
    if found := _DAY_FIRST.fullmatch(text):
        day, month, year = (int(g) for g in found.groups())
    elif found := _ISO.fullmatch(text):
        year, month, day = (int(g) for g in found.groups())
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:  # 31/02/2024
        return None


def read_day(text: str | None, default: date, first: date, last: date) -> TypedDay:
    """The date typed, kept within ``first``..``last``: an earlier or later one becomes the nearest bound, an
    unreadable one ``default`` (and so does an empty one, without a problem: nothing was typed)."""
    if not (text or "").strip():
        return TypedDay(default)
    day = parse_day(text or "")
    if day is None:
        return TypedDay(default, Problem.UNREADABLE)
    if day < first:
        return TypedDay(first, Problem.TOO_EARLY)
    if day > last:
        return TypedDay(last, Problem.TOO_LATE)
    return TypedDay(day)
