""" "Cite this": one line a journalist can paste, naming what, where (a link to this exact view) and as of when."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from urllib.parse import urlencode

from core.formatting import escape_markdown, long_date, url_markdown


def view_url(base: str, params: Mapping[str, str | Sequence[str]]) -> str:
    """The page's address with its view's parameters (filters, program, language), so the link shows the same."""
    pairs: list[tuple[str, str]] = []
    for key, value in params.items():
        values = [value] if isinstance(value, str) else list(value)
        pairs += [(key, v) for v in values]
    return base + ("?" + urlencode(pairs) if pairs else "")


def _around_url(title: str, portal: str, data_per: date | None, accessed: date, lang: str) -> tuple[str, str]:
    """The citation's text before its URL and after it."""
    parts = [f"{portal}, \u201c{title}\u201d."]
    if data_per is not None:
        # "Data per": the date the figures describe (the newest report shown), never when the portal read them.
        parts.append(("Data as of " if lang == "en" else "Data per ") + long_date(data_per, lang) + ".")
    accessed_text = long_date(accessed, lang)
    return " ".join(parts) + " ", f" ({'accessed' if lang == 'en' else 'diakses'} {accessed_text})."


def citation(title: str, portal: str, url: str, data_per: date | None, accessed: date, lang: str) -> str:
    """E.g. ``Portal Transparansi Quick Win Kota Banjarmasin, "Bakawan RTLH". Data per 27 November 2026.
    https://…/program?program=QW24-PERKIM-01 (diakses 28 November 2026).``"""
    before, after = _around_url(title, portal, data_per, accessed, lang)
    return before + url + after


def citation_markdown(title: str, portal: str, url: str, data_per: date | None, accessed: date, lang: str) -> str:
    """The same citation for a markdown element: the title (which may be sheet text) and the rest escaped, so
    nothing in them is markup; the URL, the portal's own, a link that reads and copies as exactly that URL."""
    before, after = _around_url(title, portal, data_per, accessed, lang)
    return escape_markdown(before) + url_markdown(url) + escape_markdown(after)
