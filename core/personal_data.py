"""Personal data typed into free text: NIK/KK numbers, phone numbers and e-mail addresses, found and masked.

One rule for every text the portal publishes: a resident's suggestion (moderation), and every text cell of
an SKPD sheet (validation). What counts (FACTS.md, UU 27/2022 PDP; NIK/KK also UU Adminduk):

- an e-mail address;
- a NIK or KK number: 16 digits, however grouped (``6371 0123 4567 8901``);
- a phone number: 10–15 digits starting with 0, 62 or +62 (``0812-3456-7890``, ``(0511) 3252 4455``);
- any other run of 10 or more digits (an account or identity number), because a number that long in a
  note or a suggestion is almost never a figure the public needs.

Not masked: Rupiah amounts and counts grouped in thousands (``Rp 15.000.000``, ``1.250.000``), dates and
times (``15-01-2024 10.00``), years, house numbers and coordinates, which are shorter or differently shaped.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from enum import Enum

from core.text import Text

MASK = "[***]"


class Kind(Enum):
    EMAIL = "email"
    NIK = "nik"
    PHONE = "phone"
    NUMBER = "number"


# How a warning names each kind, in both languages.
KIND_NAMES: dict[Kind, Text] = {
    Kind.EMAIL: Text("alamat e-mail", "e-mail address"),
    Kind.NIK: Text("NIK/nomor KK (16 angka)", "NIK/KK number (16 digits)"),
    Kind.PHONE: Text("nomor telepon", "phone number"),
    Kind.NUMBER: Text("nomor panjang (rekening atau identitas)", "long number (an account or ID)"),
}

# Tried only where a run of address characters starts (the look-behind): from every position inside a long
# run, a cell of 50.000 letters and one '@' took seconds (quadratic) to search.
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# A run of digits with the separators people type inside phone numbers and NIKs (spaces, dots, dashes,
# brackets, a leading +), at most two separators in a row so that two figures in a sentence stay apart.
_NUMBER_RUN = re.compile(r"(?<!\d)\+?\(?\d(?:[ .\-()]{0,2}\d)*")
# An amount written after its currency is a figure however long (``Rp1500000000``).
_AFTER_CURRENCY = re.compile(r"(?:Rp|IDR)\.? ?$", re.IGNORECASE)
# Shapes made of many digits that are figures, not people: amounts grouped in thousands (a leading 0 is a
# phone number, never an amount), dates with or without a time, and opening hours.
_NOT_PERSONAL = (
    re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+"),
    re.compile(r"\d{1,2}[.\-]\d{1,2}[.\-]\d{4}(?: \d{1,2}[.:]\d{2})?"),
    re.compile(r"\d{4}-\d{1,2}-\d{1,2}(?: \d{1,2}[.:]\d{2})?"),
    re.compile(r"\d{1,2}[.:]\d{2} ?- ?\d{1,2}[.:]\d{2}"),
    re.compile(r"\d{1,3}\.\d+ \d{1,3}\.\d+"),  # a point written "lat lon": -3.3278 114.5887
)
MIN_DIGITS = 10


@dataclass(frozen=True)
class Found:
    kind: Kind
    start: int
    end: int


def _number_kind(run: str) -> Kind | None:
    if any(shape.fullmatch(run) for shape in _NOT_PERSONAL):
        return None
    digits = re.sub(r"\D", "", run)
    if len(digits) == 16:
        return Kind.NIK
    if len(digits) < MIN_DIGITS:
        return None
    if len(digits) <= 15 and (digits.startswith("0") or digits.startswith("62")):
        return Kind.PHONE
    return Kind.NUMBER


def find_personal_data(text: str) -> list[Found]:
    """Every e-mail address and personal number in ``text``, in order, none overlapping."""
    found = [Found(Kind.EMAIL, m.start(), m.end()) for m in EMAIL.finditer(text)]
    taken = [(f.start, f.end) for f in found]
    for match in _NUMBER_RUN.finditer(text):
        start, end = match.start(), match.end()
        if any(start < e and s < end for s, e in taken):
            continue  # digits inside an e-mail address are masked with it
        if _AFTER_CURRENCY.search(text, max(0, start - 4), start):
            continue
        kind = _number_kind(match.group().lstrip("+("))
        if kind is not None:
            found.append(Found(kind, start, end))
    return sorted(found, key=lambda f: f.start)


def mask_found(text: str, found: list[Found]) -> str:
    parts, at = [], 0
    for item in found:
        parts.append(text[at : item.start])
        parts.append(MASK)
        at = item.end
    parts.append(text[at:])
    return "".join(parts)


def mask_personal_data(text: str) -> str:
    """``text`` with every e-mail address and personal number replaced by ``MASK``."""
    if not may_hold(text):
        return text
    return mask_found(text, find_personal_data(text))


def masked_kinds(text: str) -> tuple[str, Counter[Kind]]:
    """The masked text and how many of each kind were masked (empty when nothing was)."""
    if not may_hold(text):
        return text, Counter()
    found = find_personal_data(text)
    return mask_found(text, found), Counter(f.kind for f in found)


def describe(kinds: Counter[Kind]) -> Text:
    """'1 NIK/nomor KK (16 angka), 2 nomor telepon' in both languages, in a fixed order."""
    ordered = [k for k in Kind if kinds.get(k)]
    return Text(
        ", ".join(f"{kinds[k]} {KIND_NAMES[k].id}" for k in ordered),
        ", ".join(f"{kinds[k]} {KIND_NAMES[k].en}" for k in ordered),
    )


# Any run of ten digits with separators between them is one of these (a superset of what _NUMBER_RUN masks).
_DIGITS_OR_AT = re.compile(r"\d[\d .()\-]{8,}\d|@")


def may_hold(text: str) -> bool:
    """A cheap first look: no '@' and no ten digits close together means nothing to mask.

    A sync looks at every text cell of every sheet (hundreds of thousands at scale L); most are short
    names with few digits, and this keeps them from the full search.
    """
    return _DIGITS_OR_AT.search(text) is not None
