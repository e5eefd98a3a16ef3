"""What travels with every download: what it is, where it comes from, as of when, under which licence.

Two times, never one word for both (issue #26, item 7):

- ``data_per`` ("Data per" / "Data as of"): the date the figures describe, i.e. the newest report date among the
  programs the view shows (a page of several programs says its newest; each row and card says its own);
- ``read_at`` (``dibaca_pada``, "Dibaca portal" / "Read by the portal"): when the portal last read the sheets.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from core.formatting import date_time, long_date
from core.i18n import t
from core.wilayah import CITY_TIMEZONE


def read_iso(moment: datetime | None) -> str | None:
    """The read time as files carry it: ISO 8601 with the city's offset (+08:00)."""
    return moment.astimezone(CITY_TIMEZONE).isoformat() if moment else None


def read_words(moment: datetime | None, lang: str) -> str:
    """The read time as a page says it, e.g. "27 November 2026 09:15 WITA"; "-" when never read."""
    return date_time(moment, lang) + " WITA" if moment else "-"


@dataclass(frozen=True)
class About:
    title: str
    source: str
    data_per: date | None  # the newest report date the view shows: the date its figures describe
    licence: str
    licence_url: str
    url: str
    read_at: datetime | None = None  # when the portal last read the view's sheets ("dibaca_pada")

    def data_per_words(self, lang: str) -> str:
        return long_date(self.data_per, lang) if self.data_per else "-"

    def rows(self, lang: str) -> list[tuple[str, str]]:
        return [
            (t("downloads.about.title", lang), self.title),
            (t("downloads.about.source", lang), self.source),
            (t("downloads.about.data_per", lang), self.data_per_words(lang)),
            (t("downloads.about.read_at", lang), read_words(self.read_at, lang)),
            (t("downloads.about.licence", lang), f"{self.licence} ({self.licence_url})"),
            (t("downloads.about.url", lang), self.url),
            (t("downloads.about.formulas", lang), t("downloads.about.formulas_text", lang)),
        ]

    def as_json(self) -> dict[str, str | None]:
        return {
            "judul": self.title,
            "sumber": self.source,
            "data_per": self.data_per.isoformat() if self.data_per else None,
            "dibaca_pada": read_iso(self.read_at),
            "lisensi": self.licence,
            "lisensi_url": self.licence_url,
            "url": self.url,
        }
