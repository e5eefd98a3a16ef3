"""What a map picture shows, in words: its text alternative and the caption under it. Pure: no Streamlit, no I/O.

The words come from the same ``MapView`` the picture is drawn from, so the caption can never say other figures
than the picture.
"""

from __future__ import annotations

from core.contract import site_status_word
from core.formatting import number
from core.i18n import t
from core.site_map import STATUS_ORDER, MapView


def site_statuses(view: MapView) -> dict[str, int]:
    """The matching public sites per status, in the contract's order (a status no site has is left out)."""
    counts = dict.fromkeys(STATUS_ORDER, 0)
    for site in view.matching_public:
        counts[site["status"]] = counts.get(site["status"], 0) + 1
    return {status: n for status, n in counts.items() if n}


def home_statuses(view: MapView) -> dict[str, int]:
    counts = dict.fromkeys(STATUS_ORDER, 0)
    for group in view.matching_private:
        for status, n in group["status_counts"].items():
            counts[status] = counts.get(status, 0) + n
    return {status: n for status, n in counts.items() if n}


def _statuses(counts: dict[str, int], lang: str) -> str:
    return " · ".join(f"{site_status_word(s, lang)} {number(n, lang)}" for s, n in counts.items())


def picture_caption(view: MapView, lang: str) -> str:
    """The figures the picture draws: sites per status, and homes per status with how many kelurahan they are in."""
    lines = []
    if view.matching_public:
        sites = number(view.matching_sites, lang)
        lines.append(t("map.picture.sites", lang, count=sites, statuses=_statuses(site_statuses(view), lang)))
    if view.matching_private:
        areas = {g["kelurahan"] for g in view.matching_private}
        lines.append(
            t(
                "map.picture.homes",
                lang,
                count=number(view.matching_homes, lang),
                areas=number(len(areas), lang),
                statuses=_statuses(home_statuses(view), lang),
            )
        )
    return " ".join(lines)
