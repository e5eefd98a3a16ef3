""" "Cite this": one line a journalist can paste, naming what, where (a link to this exact view) and as of when."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from urllib.parse import urlencode

from core.formatting import date_time, long_date


def view_url(base: str, params: Mapping[str, str | Sequence[str]]) -> str:
    """The page's address with its view's parameters (filters, program, language), so the link shows the same."""
    pairs: list[tuple[str, str]] = []
    for key, value in params.items():
        values = [value] if isinstance(value, str) else list(value)
        pairs += [(key, v) for v in values]
    return base + ("?" + urlencode(pairs) if pairs else "")


def citation(title: str, portal: str, url: str, data_per: datetime | None, accessed: date, lang: str) -> str:
    """E.g. ``Portal Transparansi Quick Win Kota Banjarmasin, "Bakawan RTLH". Data per 27 November 2026 08:15
    WITA. https://…/program?program=QW24-PERKIM-01 (diakses 28 November 2026).``"""
    parts = [f"{portal}, \u201c{title}\u201d."]
    if data_per is not None:
        parts.append(("Data as of " if lang == "en" else "Data per ") + date_time(data_per, lang) + " WITA.")
    accessed_text = long_date(accessed, lang)
    parts.append(f"{url} ({'accessed' if lang == 'en' else 'diakses'} {accessed_text}).")
    return " ".join(parts)
