"""What travels with every download: what it is, where it comes from, as of when, under which licence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.formatting import date_time
from core.i18n import t
from core.wilayah import CITY_TIMEZONE


@dataclass(frozen=True)
class About:
    title: str
    source: str
    data_per: datetime | None
    licence: str
    licence_url: str
    url: str

    def rows(self, lang: str) -> list[tuple[str, str]]:
        when = date_time(self.data_per, lang) + " WITA" if self.data_per else "-"
        return [
            (t("downloads.about.title", lang), self.title),
            (t("downloads.about.source", lang), self.source),
            (t("downloads.about.data_per", lang), when),
            (t("downloads.about.licence", lang), f"{self.licence} ({self.licence_url})"),
            (t("downloads.about.url", lang), self.url),
            (t("downloads.about.formulas", lang), t("downloads.about.formulas_text", lang)),
        ]

    def as_json(self) -> dict[str, str | None]:
        return {
            "judul": self.title,
            "sumber": self.source,
            "data_per": self.data_per.astimezone(CITY_TIMEZONE).isoformat() if self.data_per else None,
            "lisensi": self.licence,
            "lisensi_url": self.licence_url,
            "url": self.url,
        }
