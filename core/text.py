"""A piece of visible text in both languages the portal speaks."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"


@dataclass(frozen=True)
class Text:
    """Indonesian first, English second; every visible string carries both."""

    id: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.id

    def as_dict(self) -> dict[str, str]:
        return {"id": self.id, "en": self.en}


@functools.lru_cache(maxsize=65_536)
def normalise_key(text: str) -> str:
    """Case, spacing, underscores and punctuation do not matter: 'Kode  Program' == 'kode_program'.

    Remembered: a sync normalises the same headers and choice words millions of times at 100.000 rows.
    """
    return re.sub(r"[^0-9a-z]+", "_", text.strip().lower()).strip("_")
